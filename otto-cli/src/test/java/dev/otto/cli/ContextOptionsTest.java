package dev.otto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the context options say of the values they are given. */
class ContextOptionsTest {
  @Test
  void should_warn_of_a_branch_or_tag_given_as_git_s_ref_and_say_how_to_give_its_name() {
    assertThat(ContextOptions.refWarning("refs/heads/main", null)).contains("otto: --branch refs/heads/main is taken "
        + "as the branch's name, so branch().is(\"main\") is false; give --branch main (GITHUB_REF_NAME holds the name "
        + "alone, GITHUB_REF the ref)");
    assertThat(ContextOptions.refWarning("origin/release/1.x", null)).hasValueSatisfying(warning -> assertThat(warning)
        .contains("--branch origin/release/1.x is taken as the branch's name", "give --branch release/1.x"));
    assertThat(ContextOptions.refWarning("refs/tags/v1.0", null)).hasValueSatisfying(warning -> assertThat(warning)
        .contains("--branch refs/tags/v1.0 is taken as the branch's name", "give --tag v1.0"));
    assertThat(ContextOptions.refWarning(null, "refs/tags/v1.0")).hasValueSatisfying(warning -> assertThat(warning)
        .contains("--tag refs/tags/v1.0 is taken as the tag's name, so tag().is(\"v1.0\") is false; give --tag v1.0"));
  }

  @Test
  void should_say_nothing_of_a_branch_or_tag_given_by_its_name() {
    assertThat(ContextOptions.refWarning("main", null)).isEmpty();
    assertThat(ContextOptions.refWarning("feature/refs/heads/x", "v1.0")).isEmpty();
    assertThat(ContextOptions.refWarning(null, null)).isEmpty();
  }
}

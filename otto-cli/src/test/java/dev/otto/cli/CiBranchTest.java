package dev.otto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CiBranchTest {
  @Test
  void should_take_the_branch_a_ci_system_builds_from_its_own_variable() {
    assertThat(CiBranch.of(Map.of("CI_COMMIT_BRANCH", "main")))
        .hasValue(new CiBranch("main", "CI_COMMIT_BRANCH"));
    assertThat(CiBranch.of(Map.of("GITHUB_REF_TYPE", "branch", "GITHUB_EVENT_NAME", "push", "GITHUB_REF_NAME",
        "release/2.x"))).hasValue(new CiBranch("release/2.x", "GITHUB_REF_NAME"));
    assertThat(CiBranch.of(Map.of("BRANCH_NAME", "main"))).hasValue(new CiBranch("main", "BRANCH_NAME"));
    assertThat(CiBranch.of(Map.of("BUILDKITE_BRANCH", "main", "BUILDKITE_PULL_REQUEST", "false")))
        .hasValue(new CiBranch("main", "BUILDKITE_BRANCH"));
    assertThat(CiBranch.of(Map.of("CIRCLE_BRANCH", "main"))).hasValue(new CiBranch("main", "CIRCLE_BRANCH"));
  }

  @Test
  void should_put_a_change_request_s_build_on_no_branch() {
    assertThat(CiBranch.of(Map.of("GITHUB_REF_TYPE", "branch", "GITHUB_EVENT_NAME", "pull_request",
        "GITHUB_REF_NAME", "12/merge"))).isEmpty();
    assertThat(CiBranch.of(Map.of("GITHUB_REF_TYPE", "tag", "GITHUB_EVENT_NAME", "push", "GITHUB_REF_NAME",
        "v1.0"))).isEmpty();
    assertThat(CiBranch.of(Map.of("BRANCH_NAME", "PR-12", "CHANGE_ID", "12"))).isEmpty();
    assertThat(CiBranch.of(Map.of("BUILDKITE_BRANCH", "feature", "BUILDKITE_PULL_REQUEST", "12"))).isEmpty();
    assertThat(CiBranch.of(Map.of("CIRCLE_BRANCH", "feature", "CIRCLE_PULL_REQUEST",
        "https://github.com/o/r/pull/12"))).isEmpty();
    assertThat(CiBranch.of(Map.of("CI_COMMIT_BRANCH", " "))).isEmpty();
    assertThat(CiBranch.of(Map.of())).isEmpty();
  }

  @Test
  void should_say_where_a_detached_head_runs() {
    ChangedFiles.Head tagged = new ChangedFiles.Head(Optional.empty(), Optional.of("v1.0"), "1a2b3c4");
    ChangedFiles.Head bare = new ChangedFiles.Head(Optional.empty(), Optional.empty(), "1a2b3c4");

    assertThat(ContextOptions.detachedNote(tagged, Optional.empty())).isEqualTo("otto: HEAD is detached at tag "
        + "v1.0 (1a2b3c4): the run is on no branch, so conditions on the branch are false, at that tag; --branch B "
        + "runs it on a branch");
    assertThat(ContextOptions.detachedNote(bare, Optional.empty())).isEqualTo("otto: HEAD is detached at 1a2b3c4: "
        + "the run is on no branch, so conditions on the branch are false; --branch B runs it on a branch");
    assertThat(ContextOptions.detachedNote(bare, Optional.of(new CiBranch("main", "CI_COMMIT_BRANCH"))))
        .isEqualTo("otto: HEAD is detached at 1a2b3c4: the run is on branch 'main', as CI_COMMIT_BRANCH says");
  }
}

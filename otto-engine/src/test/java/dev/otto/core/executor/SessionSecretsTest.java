package dev.otto.core.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.secret.SecretMasker;
import dev.otto.core.secret.SecretValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The secrets a stage's steps have seen, and the masker each step's output goes through. */
class SessionSecretsTest {
  private static final String FIRST = "first-canary-value-0123456789";
  private static final String SECOND = "second-canary-value-9876543210";

  private static ProcessRequest step(Map<String, String> secrets) {
    List<SecretBinding> bindings = secrets.keySet().stream()
        .map(name -> SecretBinding.asEnv(name, name.toUpperCase(java.util.Locale.ROOT))).toList();
    Op.RunProcess op = new Op.RunProcess("step", "true", Map.of(), bindings, Optional.empty(), Op.Guard.NORMAL);
    return ProcessRequest.of(op, Path.of("."), secrets.entrySet().stream()
        .map(e -> SecretValue.of(e.getKey(), e.getValue())).toList());
  }

  @Test
  void should_mask_every_secret_a_stage_has_seen_in_each_later_step() {
    ShellSession.Secrets seen = new ShellSession.Secrets();
    seen.masker(step(Map.of("first", FIRST)));

    SecretMasker masker = seen.masker(step(Map.of("second", SECOND)));

    assertThat(masker.mask(FIRST + " " + SECOND)).doesNotContain(FIRST).doesNotContain(SECOND);
  }

  @Test
  void should_give_a_step_that_brings_no_new_secret_the_masker_of_the_step_before() {
    ShellSession.Secrets seen = new ShellSession.Secrets();
    SecretMasker first = seen.masker(step(Map.of("first", FIRST)));

    assertThat(seen.masker(step(Map.of()))).isSameAs(first);
    assertThat(seen.masker(step(Map.of("first", FIRST)))).isSameAs(first);
  }

  @Test
  void should_build_a_new_masker_when_a_secret_s_value_changes() {
    ShellSession.Secrets seen = new ShellSession.Secrets();
    SecretMasker first = seen.masker(step(Map.of("first", FIRST)));

    SecretMasker changed = seen.masker(step(Map.of("first", SECOND)));

    assertThat(changed).isNotSameAs(first);
    assertThat(changed.mask("value " + SECOND)).doesNotContain(SECOND);
  }
}

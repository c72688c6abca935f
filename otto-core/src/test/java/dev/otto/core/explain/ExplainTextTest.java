package dev.otto.core.explain;

import static dev.otto.core.Fixtures.leaf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.Fixtures;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Environment;
import dev.otto.core.model.Lock;
import dev.otto.core.model.LockMode;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.WebhookGate;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.validate.Problem;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainTextTest {

  @Test
  void should_list_the_pipelines_warnings_before_its_stages() {
    // given
    Pipeline pipeline = Fixtures.pipeline(leaf("Build").addSaves("gems").build())
        .addCaches(Cache.of("gems", List.of("vendor/"), List.of())).build();

    // when
    Plan plan = Planner.plan(pipeline);
    String text = Explain.text(plan);

    // then
    assertThat(plan.warnings()).extracting(Problem::code).containsExactly("OTTO-044");
    assertThat(text).contains("\nwarnings:\n  [OTTO-044] at pipeline 'p' > cache 'gems': the cache 'gems' is saved, but no "
        + "stage restores it, so saving it only takes time. Fix: restore it in the stages that need its files, e.g. "
        + "restores(gems), or remove it.\n\nstages:\n");
    assertThat(plan.fingerprint()).isEqualTo(Planner.plan(Fixtures.pipeline(leaf("Build").addSaves("gems").build())
        .addCaches(Cache.of("gems", List.of("vendor/"), List.of())).build()).fingerprint());
  }

  @Test
  void should_have_no_warnings_section_when_the_pipeline_has_no_warnings() {
    assertThat(Explain.text(Planner.plan(Fixtures.pipeline(leaf("Build").build()).build()))).doesNotContain("warnings");
  }

  @Test
  void should_show_the_whole_script_of_a_step_whose_label_is_cut_and_no_more_than_forty_lines() {
    // given steps whose labels are cut (a second line, a long first line), a short one and a named one
    String longLine = "echo " + "x".repeat(200);
    String manyLines = String.join("\n", java.util.stream.IntStream.rangeClosed(1, 45).mapToObj(i -> "echo " + i)
        .toList());
    Pipeline pipeline = Fixtures.pipeline(dev.otto.core.model.Stage.builder("Build")
        .addSteps(ShStep.of("make\nmake check"), ShStep.of(longLine), ShStep.of("make install"),
            ShStep.of("make dist\nmake distcheck").named("Package"), ShStep.of(manyLines)).build()).build();

    // when
    String text = Explain.text(Planner.plan(pipeline));

    // then
    assertThat(text).contains("    - run make …\n        | make\n        | make check\n    - run echo xx")
        .contains("…\n        | " + longLine + "\n    - run make install\n    - run Package\n    - run echo 1 …\n"
            + "        | echo 1\n")
        .contains("        | echo 40\n        | … 5 more lines (--format json shows the whole script)\n")
        .doesNotContain("| make dist", "| echo 41");
  }

  @Test
  void should_show_line_breaks_and_control_characters_from_the_pipeline_as_escapes() {
    // given
    Pipeline pipeline = Fixtures.pipeline(leaf("Deploy")
        .addEnter(ApprovalGate.of("Ship it?\u001b[2J").timeout(Duration.ofHours(1)))
        .addExit(WebhookGate.of("smoke\ntest").timeout(Duration.ofMinutes(5))).build()).build();

    // when
    String text = Explain.text(Planner.plan(pipeline));

    // then
    assertThat(text).doesNotContain("\u001b").contains("wait for approval 'Ship it?\\u001B[2J'")
        .contains("wait for webhook 'smoke\\u000Atest'");
  }

  @Test
  void should_show_every_lock_a_stage_takes_with_its_mode() {
    // given
    Pipeline pipeline = Fixtures.pipeline(leaf("Deploy").environment("prod").addLocks(Lock.queue("dns")).build())
        .addEnvironments(Environment.builder("prod").addLocks(new Lock("prod", LockMode.CANCEL_IN_PROGRESS)).build())
        .build();

    // when
    String text = Explain.text(Planner.plan(pipeline));

    // then
    assertThat(text).contains("\n  prod  lock prod (cancel-in-progress)\n")
        .contains("\n    - hold lock dns (queue) until the stage ends (timeout 1d, then fail)\n"
            + "    - hold lock prod (cancel-in-progress) until the stage ends (timeout 1d, then fail)\n");
  }
}

package dev.otto.core;

import static dev.otto.core.Fixtures.leaf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.otto.core.explain.Explain;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Condition;
import dev.otto.core.model.ConditionGate;
import dev.otto.core.model.Matrix;
import dev.otto.core.model.Parameter;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.StagePath;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.validate.PipelineChecker;
import dev.otto.core.validate.PipelineValidationException;
import dev.otto.core.validate.Problem;
import dev.otto.core.validate.StageTree;
import dev.otto.core.validate.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RobustnessTest {

  private static Stage nested(int depth) {
    return nested(depth, leaf("L" + depth).build());
  }

  /** {@code deepest} inside groups L1 to L(depth - 1). */
  private static Stage nested(int depth, Stage deepest) {
    Stage stage = deepest;
    for (int d = depth - 1; d >= 1; d--) {
      stage = Stage.builder("L" + d).addStages(stage).build();
    }
    return stage;
  }

  @Test
  void should_plan_and_render_stages_nested_a_thousand_deep() {
    Pipeline pipeline = Fixtures.pipeline(nested(StageTree.MAX_DEPTH)).build();

    Plan plan = Planner.plan(pipeline, RunContext.branch("main"));

    assertThat(plan.stages()).hasSize(StageTree.MAX_DEPTH);
    assertThat(plan.stages().get(StageTree.MAX_DEPTH - 1).path().depth()).isEqualTo(StageTree.MAX_DEPTH);
    for (Explain.Format format : Explain.Format.values()) {
      assertThat(format.render(plan)).contains("L1000");
    }
  }

  @Test
  void should_report_nesting_deeper_than_the_limit_instead_of_overflowing_the_stack() {
    Pipeline pipeline = Fixtures.pipeline(nested(5_000)).build();

    List<Problem> problems = Validator.validate(pipeline);

    assertThat(problems).extracting(Problem::code).containsExactly("OTTO-014");
    assertThat(problems.get(0).message()).contains("more than 1000 levels");
  }

  @Test
  void should_hash_and_compare_stages_nested_far_deeper_than_allowed_on_a_512_KiB_stack() {
    // given
    Pipeline deep = Fixtures.pipeline(nested(5_000)).build();
    Pipeline same = Fixtures.pipeline(nested(5_000)).build();
    Pipeline otherLeaf = Fixtures.pipeline(nested(5_000, leaf("L5000").addSteps(ShStep.of("make")).build())).build();

    // when
    List<Object> results = onSmallStack(() -> List.of(deep.hashCode() == same.hashCode(), deep.equals(same),
        deep.equals(otherLeaf), deep.stages().get(0).equals(nested(4_999))));

    // then
    assertThat(results).containsExactly(true, true, false, false);
  }

  @Test
  void should_plan_a_matrix_whose_cells_nest_as_deep_as_allowed_on_a_512_KiB_stack() {
    // given
    Stage template = nested(StageTree.MAX_DEPTH - 2);
    Stage matrix = Stage.builder("M").addStages(template)
        .matrix(Matrix.builder().putAxes("os", List.of("linux", "mac")).build()).build();
    Pipeline pipeline = Fixtures.pipeline(matrix).build();

    // when
    Plan plan = onSmallStack(() -> Planner.plan(pipeline, RunContext.branch("main")));

    // then
    assertThat(plan.stages()).hasSize(1 + 2 * (StageTree.MAX_DEPTH - 1));
    assertThat(plan.stages()).extracting(s -> s.path().depth()).contains(StageTree.MAX_DEPTH);
  }

  /** Runs {@code work} on a thread with a small stack, as a host with {@code -Xss512k} would. */
  private static <T> T onSmallStack(Supplier<T> work) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      try {
        result.set(work.get());
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "small-stack", 512 * 1024);
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    assertThat(failure.get()).isNull();
    return result.get();
  }

  @Test
  void should_validate_and_plan_a_hundred_thousand_stages() {
    List<Stage> stages = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      Stage.Builder stage = leaf("S" + i);
      if (i > 10) {
        stage.addAfter(StagePath.of("S" + (i - 10)));
      }
      stages.add(stage.build());
    }
    Pipeline pipeline = Pipeline.builder("big").addAllStages(stages).build();

    Plan plan = Planner.plan(pipeline, RunContext.branch("main"));

    assertThat(plan.stages()).hasSize(100_000);
    assertThat(plan.stages().get(99_999).dependsOn()).containsExactly("S99998", "S99989");
  }

  @Test
  void should_report_a_hundred_thousand_duplicate_names_without_failing() {
    List<Stage> stages = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      stages.add(leaf("Same").build());
    }
    List<Problem> problems = Validator.validate(Pipeline.builder("dupes").addAllStages(stages).build());
    assertThat(problems).hasSize(99_999).allMatch(p -> p.code().equals("OTTO-011"));
  }

  @Test
  void should_plan_print_and_decide_a_condition_nested_as_deep_as_allowed() {
    Condition condition = Condition.param("on").isTrue();
    for (int i = 1; i < PipelineChecker.MAX_CONDITION_DEPTH; i++) {
      condition = i % 2 == 0 ? Condition.not(condition) : condition.and(Condition.always());
    }
    Pipeline pipeline = Fixtures.pipeline(leaf("A").when(condition).addEnter(new ConditionGate(condition)).build())
        .addParameters(Parameter.builder("on", Parameter.Type.BOOLEAN).defaultValue("true").build()).build();

    assertThat(Validator.validate(pipeline)).isEmpty();
    assertThat(Explain.text(Planner.plan(pipeline))).contains("runs only if [");
    assertThat(Planner.plan(pipeline, RunContext.branch("main")).stages().get(0).status()).isNotNull();
  }

  @Test
  void should_report_a_condition_nested_too_deep_instead_of_overflowing_the_stack() {
    Condition condition = Condition.branch().is("main");
    for (int i = 0; i < 100_000; i++) {
      condition = Condition.not(condition);
    }
    List<Problem> problems = Validator.validate(Fixtures.pipeline(leaf("A").when(condition).build()).build());
    assertThat(problems).extracting(Problem::code).containsExactly("OTTO-093");
  }

  @Test
  void should_name_the_argument_when_given_null() {
    assertThatThrownBy(() -> StagePath.of(null)).isInstanceOf(NullPointerException.class).hasMessage("first");
    assertThatThrownBy(() -> Planner.plan(null, RunContext.unknown())).hasMessage("pipeline");
    assertThatThrownBy(() -> Planner.plan(Fixtures.pipeline(leaf("A").build()).build(), null)).hasMessage("context");
    assertThatThrownBy(() -> Condition.branch().is(null)).hasMessage("value");
    assertThatThrownBy(() -> Condition.allOf(Condition.always(), null)).hasMessage("condition 2 of 'and'");
    assertThatThrownBy(() -> Explain.text(null)).hasMessage("plan");
  }

  @Test
  void should_show_control_characters_from_the_pipeline_as_escapes_in_problems_and_their_exception() {
    // given
    Stage stage = leaf("A").addEnter(ApprovalGate.of("Ship\u0000 it?\u001b[2J")).build();
    Pipeline pipeline = Pipeline.builder("web\u0000app").addStages(stage).build();

    // when
    PipelineValidationException thrown = catchThrowableOfType(PipelineValidationException.class,
        () -> Validator.requireValid(pipeline));

    // then
    assertThat(thrown.problems()).extracting(Problem::message)
        .contains("the approval 'Ship\\u0000 it?\\u001B[2J' has no timeout.");
    assertThat(thrown.getMessage()).startsWith("pipeline 'web\\u0000app' has 2 problems (2 errors):")
        .doesNotContain("\u0000", "\u001b");
  }

  @Test
  void should_keep_odd_unicode_intact_in_every_rendering() {
    Pipeline pipeline = Fixtures.pipeline(leaf("Déploiement 🚀").build(), leaf("\"quoted\" & <tag").build(),
        leaf("back\\slash #hash").build()).build();
    Plan plan = Planner.plan(pipeline);
    assertThat(Explain.text(plan)).contains("Déploiement 🚀");
    assertThat(Explain.json(plan)).contains("\\\"quoted\\\" & <tag").contains("back\\\\slash");
    assertThat(Explain.mermaid(plan)).contains("#quot;quoted#quot; & #lt;tag").contains("#35;hash");
    assertThat(Explain.dot(plan)).contains("\\\"quoted\\\" & <tag").contains("back\\\\slash");
  }
}

package dev.otto.dsl;

import static dev.otto.dsl.Otto.allOf;
import static dev.otto.dsl.Otto.approval;
import static dev.otto.dsl.Otto.branch;
import static dev.otto.dsl.Otto.not;
import static dev.otto.dsl.Otto.sameAs;
import static dev.otto.dsl.Otto.sh;
import static dev.otto.dsl.Otto.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.explain.Explain;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Condition;
import dev.otto.core.model.Gate;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.Step;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.validate.PipelineValidationException;
import dev.otto.core.validate.Problem;
import dev.otto.core.validate.Validator;
import dev.otto.dsl.library.Stdlib;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BadInputTest {

  @Nested
  class Nesting {
    private static final int SMALL_STACK = 512 * 1024;

    /** Stages nested {@code levels} deep by a recursive helper, the way a generator writes them. */
    private Customizer<StageSpec> nested(int depth, int levels, AtomicInteger deepest) {
      return s -> {
        deepest.accumulateAndGet(depth, Math::max);
        if (depth == levels) {
          s.steps(sh("echo " + depth));
        } else {
          s.stage("L" + (depth + 1), nested(depth + 1, levels, deepest));
        }
      };
    }

    private Pipeline deep(int levels, AtomicInteger deepest) {
      return Otto.pipeline("deep", p -> p.stage("L1", nested(1, levels, deepest)));
    }

    @Test
    void should_build_plan_explain_hash_and_compare_stages_nested_as_deep_as_allowed_on_a_512_KiB_stack() {
      // given
      int levels = Validator.MAX_STAGE_DEPTH;

      // when
      Object[] result = onSmallStack(() -> {
        Pipeline pipeline = deep(levels, new AtomicInteger());
        Plan plan = Planner.plan(pipeline);
        Pipeline again = deep(levels, new AtomicInteger());
        return new Object[] {plan, Explain.text(plan), pipeline.hashCode() == again.hashCode(), pipeline.equals(again)};
      });

      // then
      Plan plan = (Plan) result[0];
      assertThat(plan.stages()).hasSize(levels);
      assertThat(plan.stages().get(levels - 1).path().depth()).isEqualTo(levels);
      assertThat((String) result[1]).contains("L1000  [runs]");
      assertThat(result[2]).isEqualTo(true);
      assertThat(result[3]).isEqualTo(true);
    }

    @Test
    void should_report_nesting_deeper_than_allowed_instead_of_overflowing_a_512_KiB_stack() {
      // given
      AtomicInteger deepest = new AtomicInteger();

      // when
      Object thrown = onSmallStack(() -> {
        try {
          return deep(2 * Validator.MAX_STAGE_DEPTH, deepest);
        } catch (PipelineValidationException e) {
          return e;
        }
      });

      // then
      assertThat(thrown).isInstanceOfSatisfying(PipelineValidationException.class, e -> {
        assertThat(e.problems()).extracting(Problem::code).containsExactly("OTTO-014");
        assertThat(e.getMessage()).contains("stages are nested more than 1000 levels deep here")
            .contains("> stage 'L6' > … 988 more stages … > stage 'L995'").hasSizeLessThan(1000);
      });
      assertThat(deepest.get()).isEqualTo(Validator.MAX_STAGE_DEPTH);
    }

    @Test
    void should_throw_what_a_customizer_nested_a_hundred_levels_deep_throws() {
      // given
      Customizer<StageSpec> failing = s -> {
        throw new IllegalStateException("no steps for " + s.ref());
      };

      // when
      ThrowingCallable build = () -> Otto.pipeline("deep", p -> p.stage("L1", nestedThen(2, 150, failing)));

      // then
      assertThatThrownBy(build).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("no steps for stage 'L1 > L2")
          .hasMessageEndingWith("L150'");
    }

    private Customizer<StageSpec> nestedThen(int depth, int levels, Customizer<StageSpec> last) {
      return s -> s.stage("L" + depth, depth == levels ? last : nestedThen(depth + 1, levels, last));
    }

    /** Runs {@code work} on a thread with a small stack, as a host with {@code -Xss512k} would. */
    private <T> T onSmallStack(Supplier<T> work) {
      AtomicReference<T> result = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread thread = new Thread(null, () -> {
        try {
          result.set(work.get());
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "small-stack", SMALL_STACK);
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
  }

  @Nested
  class NullArguments {
    @Test
    void should_name_the_argument_when_an_array_of_values_or_one_of_its_elements_is_null() {
      assertNull(() -> stage(s -> s.steps((Step[]) null)), "steps");
      assertNull(() -> stage(s -> s.steps(sh("x"), null)), "step 2 of steps");
      assertNull(() -> stage(s -> s.onSuccess((Step[]) null)), "steps");
      assertNull(() -> stage(s -> s.onFailure(sh("x"), null)), "step 2 of steps");
      assertNull(() -> stage(s -> s.always((Step[]) null)), "steps");
      assertNull(() -> stage(s -> s.restores((CacheRef[]) null)), "caches");
      assertNull(() -> stage(s -> s.saves((CacheRef) null)), "cache 1 of caches");
      assertNull(() -> stage(s -> s.enter((Gate[]) null)), "gates");
      assertNull(() -> stage(s -> s.exit((Gate) null)), "gate 1 of gates");
      assertNull(() -> stage(s -> s.after((StageRef[]) null)), "stages");
      assertNull(() -> stage(s -> s.matrix().axis("os", "linux", null)), "value 2 of values of axis os");
      assertNull(() -> Otto.pipeline("p", p -> p.cache("c", (String) null)), "path 1 of paths");
      assertNull(() -> Otto.pipeline("p", p -> p.cache("c", (String[]) null)), "paths");
      assertNull(() -> Otto.pipeline("p", p -> p.cache("c", List.of("a/"), null)), "keyFiles");
      assertNull(() -> Otto.pipeline("p", p -> p.choiceParam("c", Arrays.asList("a", null), "d")), "choice 2 of choices");
      assertNull(() -> Otto.pipeline("p", p -> p.environment("e", e -> e.allowBranches((String[]) null))), "globs");
      assertNull(() -> Otto.pipeline("p", p -> p.ref("A", (String[]) null)), "more");
      assertNull(() -> sh("x").with((SecretBinding) null), "binding 1 of bindings");
      assertNull(() -> sh("x").with((SecretBinding[]) null), "bindings");
      assertNull(() -> sh("x").env("K", null), "value of variable K");
      assertNull(() -> approval("ok?").approvers("ann", null), "approver 2 of approvers");
      assertNull(() -> approval("ok?").timeout(null), "timeout");
      assertThatThrownBy(() -> approval("ok?").timeout(null)).satisfies(e ->
          assertThat(e.getStackTrace()[1].getClassName()).isEqualTo(ApprovalGate.class.getName()));
      assertNull(() -> Stdlib.library().handle().archive("dist", (String) null), "path 1 of paths");
      assertNull(() -> allOf((Condition[]) null), "conditions");
      assertNull(() -> not(null), "condition");
    }

    private Pipeline stage(Customizer<StageSpec> customizer) {
      return Otto.pipeline("p", p -> p.stage("A", customizer));
    }

    private void assertNull(ThrowingCallable call, String message) {
      assertThatThrownBy(call).isInstanceOf(NullPointerException.class).hasMessage(message);
    }
  }

  @Test
  void should_show_control_characters_of_the_pipeline_name_as_escapes_in_the_exception() {
    // when
    ThrowingCallable build = () -> Otto.pipeline("web\u0000app\u001b[2J", p -> {});

    // then
    assertThatThrownBy(build).isInstanceOf(PipelineValidationException.class)
        .hasMessageStartingWith("pipeline 'web\\u0000app\\u001B[2J' has 2 problems")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0000", "\u001b"));
  }

  @Nested
  class Blueprints {
    @Test
    void should_report_a_wrong_blueprint_value_alone_not_what_follows_from_leaving_the_blueprint_out() {
      // when
      ThrowingCallable build = () -> Otto.pipeline("svc", p -> {
        p.from(BlueprintTest.SERVICE_BLUEPRINT, Map.of("service", "api", "shards", "many"));
        p.stage("Docs", s -> s.runtime(sameAs(p.ref("Build api"))).after(p.ref("Build api")).steps(sh("make docs")));
      });

      // then
      assertThatThrownBy(build).isInstanceOfSatisfying(PipelineValidationException.class, e ->
          assertThat(e.problems()).extracting(Problem::code).containsExactly("OTTO-100"));
    }

    @Test
    void should_still_report_problems_that_do_not_follow_from_a_blueprint_left_out() {
      // when
      ThrowingCallable build = () -> Otto.pipeline("svc", p -> {
        p.from(BlueprintTest.SERVICE_BLUEPRINT, Map.of("service", "api", "shards", "many"));
        p.stage("Ship", s -> s.enter(approval("Ship it?")).steps(sh("./ship")));
      });

      // then
      assertThatThrownBy(build).isInstanceOfSatisfying(PipelineValidationException.class, e ->
          assertThat(e.problems()).extracting(Problem::code).containsExactly("OTTO-100", "OTTO-060"));
    }
  }

  @Test
  void should_reject_allow_branches_without_a_glob_instead_of_allowing_every_branch() {
    // when
    ThrowingCallable build = () -> Otto.pipeline("p", p -> p.environment("production", e -> e.allowBranches()));

    // then
    assertThatThrownBy(build).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowBranches() needs at least one branch glob, e.g. allowBranches(\"main\", \"release/*\"); "
            + "to let every branch deploy, leave the call out");
  }

  @Test
  void should_reject_a_condition_as_an_exit_gate() {
    // when
    ThrowingCallable build = () -> Otto.pipeline("p", p ->
        p.stage("Deploy", s -> s.exit(when(branch().is("main"))).steps(sh("./deploy"))));

    // then
    assertThatThrownBy(build).isInstanceOfSatisfying(PipelineValidationException.class, e ->
        assertThat(e.problems()).extracting(Problem::code).containsExactly("OTTO-062"));
  }
  @Test
  void should_refuse_to_change_a_stage_after_the_lambda_that_declares_it_returned() {
    // given a stage whose spec was kept past its lambda
    AtomicReference<StageSpec> kept = new AtomicReference<>();

    // when it is changed inside another stage's lambda, or after the pipeline is built
    ThrowingCallable cycle = () -> Otto.pipeline("p", p -> p.parallel("G", g -> {
      g.stage("X", s -> kept.set(s.steps(sh("true"))));
      StageRef y = g.stage("Y", s -> s.after(kept.get().ref()).steps(sh("true")));
      kept.get().after(y);
    }));
    ThrowingCallable later = () -> kept.get().steps(sh("make"));

    // then
    String refusal = "stage 'G > X' is already built, so this change would be lost: configure a stage inside the "
        + "lambda that declares it, before that lambda returns";
    assertThatThrownBy(cycle).isInstanceOf(IllegalStateException.class).hasMessage(refusal);
    assertThatThrownBy(later).isInstanceOf(IllegalStateException.class).hasMessage(refusal);
  }

  @Test
  void should_refuse_a_stage_declared_with_the_outer_builder_inside_another_stages_lambda() {
    // when a stage's lambda declares a stage with the pipeline's builder, or a child's with its parent's
    ThrowingCallable top = () -> Otto.pipeline("p", p -> {
      p.stage("Build", b -> b.steps(sh("make")));
      p.stage("Checks", s -> {
        p.stage("Lint", l -> l.steps(sh("make lint")));
        s.steps(sh("make check"));
      });
    });
    ThrowingCallable nested = () -> Otto.pipeline("p", p -> p.parallel("G", g ->
        g.stage("X", x -> g.stage("Y", y -> y.steps(sh("true"))))));

    // then it is refused, instead of becoming a sibling that runs first
    assertThatThrownBy(top).isInstanceOf(IllegalStateException.class).hasMessage("stage 'Lint' is declared with the "
        + "pipeline's builder (p.stage) while stage 'Checks' is being configured, so it would run before 'Checks' as "
        + "its sibling, not inside it: declare a child with the builder the lambda of 'Checks' is given "
        + "(s.stage(\"Lint\", ...)), or declare it after the lambda of 'Checks' returns");
    assertThatThrownBy(nested).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("stage 'G > Y' is declared with the builder of 'G' while stage 'G > X' is being "
            + "configured");
  }

  @Test
  void should_refuse_to_change_a_pipeline_after_it_is_built() {
    // given
    AtomicReference<PipelineSpec> kept = new AtomicReference<>();
    Pipeline pipeline = Otto.pipeline("p", p -> {
      kept.set(p);
      p.stage("Build", s -> s.steps(sh("make")));
    });

    // when
    ThrowingCallable stage = () -> kept.get().stage("Test", s -> s.steps(sh("make test")));
    ThrowingCallable cache = () -> kept.get().cache("deps", "vendor/");

    // then
    assertThat(pipeline.stages()).hasSize(1);
    assertThatThrownBy(stage).isInstanceOf(IllegalStateException.class).hasMessage("pipeline 'p' is already built, "
        + "so this change would be lost: declare its stages, caches, environments, secrets and parameters inside the "
        + "lambda given to Otto.pipeline, before it returns");
    assertThatThrownBy(cache).isInstanceOf(IllegalStateException.class);
    assertThat(kept.get().ref("Build").path().toString()).isEqualTo("Build");
  }
}

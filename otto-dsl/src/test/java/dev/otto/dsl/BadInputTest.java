package dev.otto.dsl;

import static dev.otto.dsl.Otto.allOf;
import static dev.otto.dsl.Otto.approval;
import static dev.otto.dsl.Otto.branch;
import static dev.otto.dsl.Otto.not;
import static dev.otto.dsl.Otto.sh;
import static dev.otto.dsl.Otto.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.model.Condition;
import dev.otto.core.model.Gate;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.Step;
import dev.otto.core.validate.PipelineValidationException;
import dev.otto.core.validate.Problem;
import dev.otto.dsl.library.Stdlib;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BadInputTest {

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

  @Test
  void should_reject_a_condition_as_an_exit_gate() {
    // when
    ThrowingCallable build = () -> Otto.pipeline("p", p ->
        p.stage("Deploy", s -> s.exit(when(branch().is("main"))).steps(sh("./deploy"))));

    // then
    assertThatThrownBy(build).isInstanceOfSatisfying(PipelineValidationException.class, e ->
        assertThat(e.problems()).extracting(Problem::code).containsExactly("OTTO-062"));
  }
}

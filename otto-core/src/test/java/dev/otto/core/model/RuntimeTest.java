package dev.otto.core.model;

import static dev.otto.core.Fixtures.leaf;
import static dev.otto.core.Fixtures.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.explain.Explain;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.plan.RunnablePlan;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeTest {

  @Test
  void should_keep_the_tools_a_runtime_requires_in_order_without_repeats() {
    // when
    Runtime.Container build = Runtime.container("maven:3").requires("mvn", "java").requires("mvn", "git");

    // then
    assertThat(build.tools()).containsExactly("mvn", "java", "git");
    assertThat(build.network()).isFalse();
    assertThat(build.withNetwork().network()).isTrue();
    assertThat(Runtime.local()).isEqualTo(new Runtime.Local(List.of(), false));
  }

  @Test
  void should_refuse_a_tool_that_is_a_path_or_a_command_line_when_it_is_required() {
    assertThatThrownBy(() -> Runtime.local().requires("./mvnw"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'./mvnw' is not a tool name: name a command the steps find on the PATH, such as mvn or "
            + "python3, without a folder, options or spaces, and, if they need one, the oldest version they work "
            + "with, as in java>=21 or go>=1.22, and the first too new for them, if there is one, as in java>=6,<12");
    assertThatThrownBy(() -> Runtime.agent("linux").requires("go version")).hasMessageStartingWith("'go version'");
    assertThatThrownBy(() -> Runtime.local().requires("java>=")).hasMessageStartingWith("'java>='");
    assertThatThrownBy(() -> Runtime.local().requires("java>=21-ea")).hasMessageStartingWith("'java>=21-ea'");
    assertThatThrownBy(() -> Runtime.local().requires(">=21")).hasMessageStartingWith("'>=21'");
    assertThatThrownBy(() -> Runtime.local().requires("java<12")).hasMessageStartingWith("'java<12'");
    assertThatThrownBy(() -> Runtime.local().requires("java>=6,<")).hasMessageStartingWith("'java>=6,<'");
  }

  @Test
  void should_keep_the_first_version_too_new_for_a_tool_after_its_oldest() {
    Runtime.Local runtime = Runtime.local().requires("mvn", "java>=6,<12", "go>=1.22");

    assertThat(runtime.tools()).extracting(Runtime::toolName).containsExactly("mvn", "java", "go");
    assertThat(runtime.tools()).extracting(Runtime::minimumVersion)
        .containsExactly(java.util.Optional.empty(), java.util.Optional.of("6"), java.util.Optional.of("1.22"));
    assertThat(runtime.tools()).extracting(Runtime::tooNewVersion)
        .containsExactly(java.util.Optional.empty(), java.util.Optional.of("12"), java.util.Optional.empty());
  }

  @Test
  void should_keep_the_oldest_version_a_tool_is_asked_for_in_its_name() {
    // when
    Runtime.Local runtime = Runtime.local().requires("mvn", "java>=21", "go>=1.22.3");

    // then
    assertThat(runtime.tools()).containsExactly("mvn", "java>=21", "go>=1.22.3");
    assertThat(runtime.tools()).extracting(Runtime::toolName).containsExactly("mvn", "java", "go");
    assertThat(runtime.tools()).extracting(Runtime::minimumVersion)
        .containsExactly(java.util.Optional.empty(), java.util.Optional.of("21"), java.util.Optional.of("1.22.3"));
    assertThat(Explain.text(Planner.plan(pipeline(leaf("Build").runtime(runtime).build()).build(),
        RunContext.branch("main")))).contains("  Build  [runs]  local; uses mvn, java>=21, go>=1.22.3\n");
  }

  @Test
  void should_give_a_same_as_stage_the_tools_and_network_of_the_stage_it_names_when_planned() {
    // given
    Pipeline pipeline = pipeline(leaf("Build").runtime(Runtime.container("golang:1.22").requires("go").withNetwork())
        .build(), leaf("Test").runtime(Runtime.sameAs(StagePath.of("Build"))).build()).build();

    // when
    Plan plan = Planner.plan(pipeline, RunContext.branch("main"));

    // then
    assertThat(plan.stage("Test").orElseThrow().runtime()).isEqualTo(plan.stage("Build").orElseThrow().runtime());
    assertThat(Explain.text(plan)).contains("  Build  [runs]  container golang:1.22; uses go; needs the network\n",
        "  Test  [runs]  container golang:1.22 (same as 'Build'); uses go; needs the network\n");
    assertThat(RunnablePlan.fromJson(RunnablePlan.toJson(plan)).stages()).isEqualTo(plan.stages());
  }

  @Test
  void should_say_which_tool_is_wrong_when_reading_a_plan_that_names_a_bad_one() {
    assertThatThrownBy(() -> RunnablePlan.fromJson("{\"schema\": \"otto-plan/1\", \"pipeline\": \"p\", "
        + "\"fingerprint\": \"f\", \"stages\": [{\"id\": \"Build\", \"status\": \"run\", "
        + "\"runtime\": {\"kind\": \"local\", \"tools\": [\"rm -rf\"]}, \"ops\": []}]}"))
        .hasMessageStartingWith("not an otto-plan/1 document: 'runtime' of stage 'Build' has 'tools' with 'rm -rf' "
            + "is not a tool name");
  }
}

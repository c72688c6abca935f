package dev.otto.examples;

import static dev.otto.testkit.OttoAssertions.assertThat;
import static dev.otto.testkit.OttoAssertions.plan;

import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import dev.otto.testkit.junit.OttoExtension;
import dev.otto.testkit.simulation.SimulatedRun;
import dev.otto.testkit.simulation.Simulator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The matrix and the Rubygem blueprint, tested with the testkit. */
@ExtendWith(OttoExtension.class)
class MatrixAndGemTest {
  static final List<String> PLATFORMS = List.of("win10", "macos", "linux-jdk12", "linux-jdk8");

  @Test
  void the_matrix_runs_one_build_stage_per_platform_on_its_agent_all_at_once() {
    Pipeline matrix = Matrix.pipeline();
    for (String platform : PLATFORMS) {
      assertThat(matrix).stage("Build > " + platform).runsOn("agent " + platform)
          .runsScriptContaining("./gradlew check");
    }
    assertThat(matrix).stage("Build > win10").runsInParallelWith("Build > linux-jdk8");
  }

  @Test
  void the_matrix_runs_every_platform_in_a_simulation(Simulator otto) {
    SimulatedRun run = otto.simulate(Matrix.pipeline()).run(RunContext.branch("main"));

    assertThat(run.result()).succeeded().ranStages("Build", "Build > win10", "Build > macos", "Build > linux-jdk12",
        "Build > linux-jdk8");
  }

  @Test
  void the_gem_publishes_only_from_master_with_its_api_key() {
    Pipeline gem = MyGem.pipeline();
    assertThat(gem).stage("Build").cameFrom("blueprint rubygem").runsOn("container ruby:3.3");
    assertThat(gem).stage("Publish").cameFrom("blueprint rubygem").receivesSecret("rubygems-api-key")
        .runsAfter("Test");
    assertThat(gem).stage("Docs").doesNotReceiveSecret("rubygems-api-key");
    assertThat(plan(gem, RunContext.branch("feature/x"))).skips("Publish", "branch is 'master'").runs("Docs");
    assertThat(plan(gem, RunContext.branch("master"))).runs("Build", "Test", "Publish", "Docs");
  }

  @Test
  void the_rubygem_blueprint_is_found_by_name_as_a_shared_jar_would_provide_it() {
    Pipeline internal = Otto.pipeline("internal-gem",
        p -> p.from(dev.otto.dsl.Blueprints.find("rubygem"), java.util.Map.of("deploy", false)));

    assertThat(internal).stage("Build").cameFrom("blueprint rubygem");
    assertThat(internal).doesNotHaveStage("Publish");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.otto.dsl.Blueprints.find("rubygems"))
        .hasMessageContaining("no blueprint named 'rubygems'").hasMessageContaining("[rubygem]");
  }

  @Test
  void the_rubygem_blueprint_without_deploy_has_no_publish_stage() {
    Pipeline internal = Otto.pipeline("internal-gem", p -> p.from(new RubyGem(), v -> v.set(RubyGem.DEPLOY, false)));

    assertThat(internal).isValid().hasStage("Build").hasStage("Test").doesNotHaveStage("Publish");
    assertThat(plan(internal, RunContext.branch("master"))).runs("Build", "Test");
  }
}

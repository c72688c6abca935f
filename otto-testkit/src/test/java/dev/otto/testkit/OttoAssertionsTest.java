package dev.otto.testkit;

import static dev.otto.dsl.Otto.approval;
import static dev.otto.dsl.Otto.branch;
import static dev.otto.dsl.Otto.docker;
import static dev.otto.dsl.Otto.sameAs;
import static dev.otto.dsl.Otto.sh;
import static dev.otto.dsl.Otto.webhook;
import static dev.otto.dsl.Otto.when;
import static dev.otto.testkit.OttoAssertions.assertThat;
import static dev.otto.testkit.OttoAssertions.plan;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import dev.otto.testkit.simulation.SimulatedRun;
import dev.otto.testkit.simulation.Simulation;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OttoAssertionsTest {
  static final Pipeline SHOP = Otto.pipeline("shop", p -> {
    var key = p.secret("deploy-key");
    var staging = p.environment("staging", e -> e.setting("HOST", "staging.example.com"));
    var production = p.environment("production", e -> e.setting("HOST", "example.com").allowBranches("main"));
    var deps = p.cache("deps", "vendor/");
    var build = p.stage("Build", s -> s.runtime(docker("ruby")).saves(deps).steps(sh("make")));
    p.parallel("Checks", checks -> {
      checks.stage("Lint", s -> s.runtime(sameAs(build)).steps(sh("make lint")));
      checks.stage("Unit", s -> s.runtime(sameAs(build)).restores(deps).steps(sh("make test")));
    });
    p.stage("Deploy", deploy -> {
      var pre = deploy.stage("Staging", s -> s.environment(staging).enter(when(branch().is("main")))
          .steps(sh("deploy staging").with(key.asEnv("KEY"))));
      deploy.stage("Production", s -> s.environment(production).after(pre)
          .enter(approval("Ship it?").timeout(Duration.ofHours(1)))
          .exit(webhook("health").timeout(Duration.ofMinutes(5)))
          .steps(sh("deploy production").with(key.asEnv("KEY"))));
    });
  });

  @Nested
  class Structure {
    @Test
    void should_pass_for_what_the_pipeline_says() {
      assertThat(SHOP).isValid().hasStage("Deploy > Production").doesNotHaveStage("Deploy > Canary");
      assertThat(SHOP).stage("Checks > Unit").runsAfter("Build").restoresCache("deps").runsOn("container ruby")
          .runsInParallelWith("Checks > Lint");
      assertThat(SHOP).stage("Build").savesCache("deps").runsBefore("Deploy > Production");
      assertThat(SHOP).stage("Deploy > Production").runsAfter("Deploy > Staging").runsAfter("Checks > Lint")
          .usesEnvironment("production").isGatedByApproval("Ship it?").isGatedByWebhook()
          .receivesSecret("deploy-key").runsScriptContaining("deploy production");
      assertThat(SHOP).stage("Deploy > Staging").isGatedByCondition("branch is 'main'").isNotGatedByApproval();
      assertThat(SHOP).stage("Build").doesNotReceiveSecret("deploy-key");
    }

    @Test
    void should_show_every_warning_when_a_pipeline_expected_to_have_none_has_some() {
      // given
      Pipeline unrestored = Otto.pipeline("unrestored", p -> {
        var deps = p.cache("deps", "vendor/");
        p.stage("Build", s -> s.saves(deps).steps(sh("make")));
      });

      // when
      ThrowingCallable expectingNone = () -> assertThat(unrestored).isValid().hasNoWarnings();

      // then
      assertThat(SHOP).hasNoWarnings();
      assertThatThrownBy(expectingNone).isInstanceOf(AssertionError.class)
          .hasMessage("\nExpecting pipeline 'unrestored' to have no warnings\nbut it has 1:\n  [OTTO-044] warning at "
              + "pipeline 'unrestored' > cache 'deps': the cache 'deps' is saved, but no stage restores it, so saving it "
              + "only takes time. Fix: restore it in the stages that need its files, e.g. restores(deps), or remove it.");
    }

    @Test
    void should_name_the_stage_and_show_expected_and_actual_when_it_fails() {
      assertThatThrownBy(() -> assertThat(SHOP).stage("Checks > Lint").runsAfter("Checks > Unit"))
          .hasMessageContaining("Expecting stage 'Checks > Lint' of pipeline 'shop' (unknown context)")
          .hasMessageContaining("to run after:\n  \"Checks > Unit\"")
          .hasMessageContaining("it waits for:\n  [Build]");
      assertThatThrownBy(() -> assertThat(SHOP).stage("Build").receivesSecret("deploy-key"))
          .hasMessageContaining("to receive the secret:\n  \"deploy-key\"\nbut its processes receive:\n  []");
      assertThatThrownBy(() -> assertThat(SHOP).stage("Deploy > Staging").usesEnvironment("production"))
          .hasMessageContaining("but it uses:\n  \"staging\"");
      assertThatThrownBy(() -> assertThat(SHOP).stage("Nope"))
          .hasMessageContaining("to have the stage:\n  \"Nope\"");
      assertThatThrownBy(() -> assertThat(SHOP).as("the shop").hasStage("Nope"))
          .hasMessageStartingWith("[the shop] ");
    }
  }

  @Nested
  class Plans {
    @Test
    void should_check_what_a_context_decides() {
      assertThat(plan(SHOP, RunContext.branch("feature/x")))
          .runs("Build", "Checks > Lint", "Checks > Unit")
          .skips("Deploy > Staging", "branch is 'main'")
          .skips("Deploy > Production", "'Deploy > Staging' was skipped")
          .ordersStages("Build", "Checks", "Deploy");
      assertThat(plan(SHOP, RunContext.branch("main"))).runs("Deploy > Staging", "Deploy > Production");
      assertThat(plan(SHOP, RunContext.unknown())).leavesUndecided("Deploy > Staging");
    }

    @Test
    void should_say_what_the_plan_decided_instead() {
      assertThatThrownBy(() -> assertThat(plan(SHOP, RunContext.branch("feature/x"))).runs("Deploy > Production"))
          .hasMessageContaining("Expecting the plan of pipeline 'shop' (branch 'feature/x')")
          .hasMessageContaining("stage:\n  \"Deploy > Production\"\nruns\nbut it skipped");
      assertThatThrownBy(() -> assertThat(plan(SHOP, RunContext.branch("feature/x")))
          .skips("Deploy > Staging", "the moon"))
          .hasMessageContaining("because of:\n  \"the moon\"\nbut the reason is:");
    }
  }

  @Nested
  class Soft {
    @Test
    void should_report_every_failure_at_once_numbered() {
      assertThatThrownBy(() -> SoftOttoAssertions.assertSoftly(softly -> {
        softly.assertThat(SHOP).stage("Build").receivesSecret("deploy-key").savesCache("nothing");
        softly.assertThat(plan(SHOP, RunContext.branch("main"))).skips("Build");
        softly.assertThat(SHOP).hasStage("Build");
      }))
          .hasMessageStartingWith("\n3 assertions failed:")
          .hasMessageContaining("1)")
          .hasMessageContaining("2)")
          .hasMessageContaining("3)")
          .hasMessageContaining("\"deploy-key\"")
          .hasMessageContaining("\"nothing\"")
          .hasMessageContaining("\"Build\"\n   skipped");
    }

    @Test
    void should_pass_quietly_when_everything_holds() {
      SoftOttoAssertions.assertSoftly(softly -> softly.assertThat(SHOP).isValid().hasStage("Build"));
    }
  }

  @Nested
  class Runs {
    @TempDir
    Path root;

    @Test
    void should_assert_on_a_simulated_run_and_its_result() {
      Simulation simulation = Simulation.of(SHOP, root).secret("deploy-key", "fake-deploy-key");
      simulation.step("Deploy > Staging", "deploy*").fails();
      SimulatedRun run = simulation.run(RunContext.branch("main"));

      assertThat(run.result()).failed().ranStages("Build", "Checks", "Checks > Lint", "Checks > Unit", "Deploy",
          "Deploy > Staging");
      assertThat(run.result()).stage("Deploy > Staging").failedBecause("exited with status 1");
      assertThat(run.result()).stage("Deploy > Production").wasSkippedBecause("'Deploy > Staging' failed");
      assertThat(run).startedStages("Build", "Checks", "Checks > Lint", "Checks > Unit", "Deploy", "Deploy > Staging")
          .ranStepReceivingSecret("Deploy > Staging", "deploy staging", "deploy-key")
          .ranStepWithVariable("Deploy > Staging", "deploy staging", "HOST", "staging.example.com")
          .didNotRunStep("Deploy > Production", "deploy*")
          .didNotFireNotification("anything");
      assertThatThrownBy(() -> assertThat(run.result()).succeeded())
          .hasMessageContaining("to have SUCCEEDED\nbut it FAILED:")
          .hasMessageContaining("Deploy > Staging FAILED: step 1 'deploy staging' exited with status 1");
    }

    @Test
    void should_match_steps_in_run_assertions_by_the_globs_that_script_them() {
      // given a run that deployed to staging
      SimulatedRun run = Simulation.of(SHOP, root).secret("deploy-key", "fake-deploy-key")
          .run(RunContext.branch("main"));

      // then a glob that matches the step, in any stage of the group, catches it
      assertThat(run).ranStep("Deploy > *", "deploy*").ranStep("Deploy > Staging", "deploy staging");
      assertThatThrownBy(() -> assertThat(run).didNotRunStep("Deploy > *", "deploy sta*"))
          .hasMessageContaining("Expecting no stage matching \"Deploy > *\" to run a step matching:\n  \"deploy sta*\"")
          .hasMessageContaining("but it ran:\n  [deploy staging]");
      // and a part of a script without * matches nothing, and the failure says how to match it
      assertThatThrownBy(() -> assertThat(run).ranStep("Deploy > Staging", "deploy"))
          .hasMessageContaining("use \"deploy*\" for steps that begin with it");
    }
  }
}

package dev.otto.examples;

import static dev.otto.testkit.OttoAssertions.assertThat;
import static dev.otto.testkit.OttoAssertions.plan;

import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.RunContext;
import dev.otto.testkit.SoftOttoAssertions;
import dev.otto.testkit.junit.OttoExtension;
import dev.otto.testkit.simulation.SimulatedRun;
import dev.otto.testkit.simulation.Simulation;
import dev.otto.testkit.simulation.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The web app's delivery process, tested with the testkit: its structure, its plans, and simulated runs. */
@ExtendWith(OttoExtension.class)
class WebAppTest {
  static final Pipeline WEBAPP = WebApp.pipeline();

  static Simulation simulate(Simulator otto) {
    return otto.simulate(WEBAPP).secret("heroku-api-key", "fake-heroku-key")
        .secret("slack-webhook-url", "https://hooks.example.com/fake");
  }

  @ParameterizedTest
  @ValueSource(strings = {"feature/login", "develop", "release/2.0", "main"})
  void never_deploys_to_production_from_a_branch_other_than_master(String branch) {
    assertThat(plan(WEBAPP, RunContext.branch(branch)))
        .runs("Build", "Test")
        .skips("Deploy > Pre-production", "branch is 'master'")
        .skips("Deploy > Production", "production");
  }

  @Test
  void as_written_it_skips_production_on_a_feature_branch_because_pre_production_was_skipped(Simulator otto) {
    // given the web app as the original example writes it: the only branch gate is Pre-production's
    Pipeline asWritten = WebApp.asWritten();
    String chain = "'Deploy > Pre-production' was skipped: [branch is 'master'] is false";
    assertThat(plan(asWritten, RunContext.branch("feature/login"))).runs("Build", "Test")
        .skips("Deploy > Production", chain);

    // when it runs on a feature branch
    SimulatedRun run = otto.simulate(asWritten).secret("heroku-api-key", "fake-heroku-key")
        .secret("slack-webhook-url", "https://hooks.example.com/fake").run(RunContext.branch("feature/login"));

    // then production is skipped with the chain as its reason, and nobody is asked to approve it
    assertThat(run.result()).succeeded().stage("Deploy > Production").wasSkippedBecause(chain);
    org.assertj.core.api.Assertions.assertThat(run.events(dev.otto.core.engine.RunEvent.WaitStarted.class)).isEmpty();
    org.assertj.core.api.Assertions.assertThat(run.startedStages()).containsExactly("Build", "Test", "Deploy");
  }

  @Test
  void builds_tests_and_deploys_in_order_with_its_caches_secrets_and_environments() {
    SoftOttoAssertions.assertSoftly(softly -> {
      softly.assertThat(WEBAPP).isValid().hasNoWarnings();
      softly.assertThat(WEBAPP).stage("Build").runsOn("container ruby").savesCache("gems").savesCache("assets")
          .doesNotReceiveSecret("heroku-api-key");
      softly.assertThat(WEBAPP).stage("Test").runsAfter("Build").restoresCache("gems");
      softly.assertThat(WEBAPP).stage("Deploy > Pre-production").runsAfter("Test").usesEnvironment("preprod")
          .receivesSecret("heroku-api-key").restoresCache("assets");
      softly.assertThat(WEBAPP).stage("Deploy > Production").runsAfter("Deploy > Pre-production")
          .usesEnvironment("production").receivesSecret("heroku-api-key").isGatedByWebhook();
    });
  }

  @Test
  void production_requires_both_approvals(Simulator otto) {
    assertThat(WEBAPP).stage("Deploy > Pre-production").isGatedByApproval("Does staging look good to you?");
    assertThat(WEBAPP).stage("Deploy > Production")
        .isGatedByApproval("Are you extra sure that staging looks good to you?");

    SimulatedRun run = simulate(otto).run(RunContext.branch("master"));
    run.approve("Deploy > Pre-production", "alice");
    assertThat(run).didNotRunStep("Deploy > Production", "git push heroku production");

    run.approve("Deploy > Production", "bob").deliverWebhook("Deploy > Production", "{\"status\":\"up\"}");

    assertThat(run.result()).succeeded().stage("Deploy > Production").succeeded();
    assertThat(run).ranStepReceivingSecret("Deploy > Production", "git push heroku production", "heroku-api-key")
        .ranStepWithVariable("Deploy > Production", "git push heroku production", "RAILS_ENV", "production")
        .firedNotification("Successfully pushed to preprod");
  }

  @Test
  void a_rejected_production_approval_stops_before_the_push(Simulator otto) {
    SimulatedRun run = simulate(otto).run(RunContext.branch("master"))
        .approve("Deploy > Pre-production", "alice")
        .reject("Deploy > Production", "bob", "not on a Friday");

    assertThat(run.result()).failed().stage("Deploy > Production").failedBecause("rejected by bob: not on a Friday");
    assertThat(run).didNotRunStep("Deploy > Production", "git push*");
  }

  @Test
  void a_failed_pre_production_push_notifies_slack_and_skips_production(Simulator otto) {
    Simulation simulation = simulate(otto);
    simulation.step("Deploy > Pre-production", "git push heroku staging").printing("rejected: non-fast-forward")
        .exitsWith(1);

    SimulatedRun run = simulation.run(RunContext.branch("master"));

    assertThat(run.result()).failed();
    assertThat(run.result()).stage("Deploy > Pre-production").failedBecause("exited with status 1");
    assertThat(run.result()).stage("Deploy > Production").wasSkippedBecause("'Deploy > Pre-production' failed");
    assertThat(run).firedNotification("Fire on warlock mountain!")
        .didNotFireNotification("Successfully pushed to preprod")
        .startedStages("Build", "Test", "Deploy", "Deploy > Pre-production");
  }

  @Test
  void an_unanswered_health_check_fails_production_after_thirty_minutes(Simulator otto) {
    SimulatedRun run = simulate(otto).run(RunContext.branch("master"))
        .approve("Deploy > Pre-production").approve("Deploy > Production")
        .expire("Deploy > Production");

    assertThat(run.result()).stage("Deploy > Production")
        .failedBecause("the webhook 'Pingdom health check' timed out after PT30M");
  }
}

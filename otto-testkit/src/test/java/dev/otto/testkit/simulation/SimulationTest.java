package dev.otto.testkit.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.engine.Deployment;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Lock;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.WebhookGate;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import dev.otto.dsl.library.Stdlib;
import dev.otto.testkit.OttoAssertions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationTest {
  @TempDir
  Path root;

  static final Pipeline SHIP = Pipeline.builder("ship").addSecrets(new SecretRef("token")).addStages(
      Stage.builder("Build").addSteps(ShStep.of("make build"), ShStep.of("make test").retry(2, Duration.ofMinutes(1)))
          .build(),
      Stage.builder("Deploy")
          .addEnter(ApprovalGate.of("Ship it?").approvers("alice").timeout(Duration.ofHours(4)))
          .addSteps(ShStep.of("deploy --token-file \"$TOKEN_FILE\"").with(SecretBinding.asFile("token", "TOKEN_FILE")))
          .addExit(PollGate.of("healthy", ShStep.of("curl -f https://example.com/health"))
              .every(Duration.ofMinutes(1)).timeout(Duration.ofMinutes(30)))
          .addOnFailure(ShStep.of("notify failure"))
          .build(),
      Stage.builder("Announce").addEnter(WebhookGate.of("release notes published").timeout(Duration.ofDays(1)))
          .addSteps(ShStep.of("announce")).build())
      .build();

  Simulation simulation() {
    return Simulation.of(SHIP, root).secret("token", "s3cret-value");
  }

  @Test
  void should_refuse_a_script_that_names_no_stage_or_matches_no_step_of_the_stages_it_names() {
    Simulation misspeltStage = simulation();
    misspeltStage.step("Deplyo", "*").fails();
    Simulation misspeltStep = simulation();
    misspeltStep.step("Build", "make biuld").fails();
    Simulation misspeltProbe = simulation();
    misspeltProbe.probe("Deploy", "curl -f https://example.org/*").fails();
    Simulation fine = simulation();
    fine.step("Build", "make b*").fails();
    fine.probe("*", "curl*").failsTimes(1);
    fine.notification("Deploy", "notify *");

    assertThatThrownBy(() -> misspeltStage.run(RunContext.branch("main"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the simulation's step(\"Deplyo\", \"*\") names no stage of the plan of 'ship', whose stages are "
            + "['Build', 'Deploy', 'Announce']; check the stage's name (a stage in a group is 'Group > Stage')");
    assertThatThrownBy(() -> misspeltStep.run(RunContext.branch("main")))
        .hasMessage("the simulation's step(\"Build\", \"make biuld\") matches no step of the stages it names: their "
            + "scripts are ['make build', 'make test']; check the script ('*' stands for any text)");
    assertThatThrownBy(() -> misspeltProbe.run(RunContext.branch("main")))
        .hasMessageStartingWith("the simulation's probe(\"Deploy\", \"curl -f https://example.org/*\") matches no "
            + "probe of the stages it names: their scripts are ['curl -f https://example.com/health'");
    // 'make b*' matched 'make build', which failed: the run failed in Build.
    assertThat(fine.run(RunContext.branch("main")).result().status()).isEqualTo(RunResult.Status.FAILED);
  }

  @Test
  void should_race_two_runs_for_a_lock_in_one_simulated_engine_and_deploy_one_after_the_other() {
    // given
    Pipeline locked = Pipeline.builder("locked").addStages(Stage.builder("Deploy")
        .addLocks(Lock.queue("production")).addSteps(ShStep.of("deploy")).build()).build();
    Simulation simulation = Simulation.of(locked, root);
    simulation.step("Deploy", "deploy").takes(Duration.ofMinutes(5));
    SimulatedEngine simulated = simulation.engine();
    Plan plan = Planner.plan(locked, RunContext.branch("main"));
    java.time.Instant start = simulated.now();

    // when
    RunHandle first = simulated.engine().start(plan);
    RunHandle second = simulated.engine().start(plan);
    simulated.settle();

    // then
    assertThat(first.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(second.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(simulated.executions()).extracting(e -> Duration.between(start, e.at()))
        .containsExactly(Duration.ZERO, Duration.ofMinutes(5));
    assertThat(simulated.events()).filteredOn(RunEvent.WaitEnded.class::isInstance)
        .extracting(e -> e.run() + " " + ((RunEvent.WaitEnded) e).outcome())
        .containsExactly(first.id() + " granted", second.id() + " granted");
  }

  @Test
  void should_run_until_a_wait_and_go_on_when_the_test_resolves_it() {
    Simulation simulation = simulation();
    simulation.probe("Deploy", "curl*").succeedsOnAttempt(3);
    SimulatedRun run = simulation.run(RunContext.branch("main"));

    assertThat(run.isFinished()).isFalse();
    assertThat(run.waits()).singleElement().satisfies(w -> assertThat(w.stage()).isEqualTo("Deploy"));
    run.approve("Deploy", "alice");
    assertThat(run.events(RunEvent.PollAttempt.class)).hasSize(1);
    run.advance(Duration.ofMinutes(2));
    assertThat(run.events(RunEvent.PollAttempt.class)).extracting(RunEvent.PollAttempt::succeeded)
        .containsExactly(false, false, true);
    run.deliverWebhook("Announce", "{}");

    RunResult result = run.result();
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(run.startedStages()).containsExactly("Build", "Deploy", "Announce");
    assertThat(run.now()).isEqualTo(java.time.Instant.parse("2026-01-01T00:02:00Z"));
    assertThat(run.executions()).extracting(Execution::label)
        .containsExactly("make build", "make test", "deploy --token-file \"$TOKEN_FILE\"",
            "curl -f https://example.com/health", "curl -f https://example.com/health",
            "curl -f https://example.com/health", "announce");
    assertThat(run.executions("Deploy").get(0).secrets()).containsExactly("token");
    assertThat(run.notifications()).isEmpty();
  }

  @Test
  void should_retry_in_virtual_time_and_mask_what_steps_print() {
    Simulation simulation = simulation();
    simulation.step("Build", "make test").failsTimes(2).printing("flaky");
    simulation.step("Deploy", "deploy*").printing("using s3cret-value");
    SimulatedRun run = simulation.run(RunContext.branch("main"));
    assertThat(run.waits()).isEmpty();
    run.runFor(Duration.ofHours(1)).approve("Deploy", "alice");

    assertThat(run.executions("Build")).extracting(Execution::exitCode).containsExactly(0, 1, 1, 0);
    assertThat(run.now()).isEqualTo(java.time.Instant.parse("2026-01-01T00:03:00Z"));
    assertThat(run.output()).contains("Deploy: using ***").doesNotContain("Deploy: using s3cret-value");
    assertThat(run.events().toString()).doesNotContain("s3cret-value");
    assertThat(run.journal()).noneMatch(entry -> entry.contains("s3cret-value"));
  }

  @Test
  void should_fail_a_rejected_stage_fire_its_failure_notification_and_skip_what_follows() {
    SimulatedRun run = simulation().run(RunContext.branch("main")).reject("Deploy", "alice", "not today");

    RunResult result = run.result();
    assertThat(result.stage("Deploy").orElseThrow().reason()).contains("the approval 'Ship it?' was rejected by "
        + "alice: not today");
    assertThat(result.stage("Announce").orElseThrow().status()).isEqualTo(RunResult.Status.SKIPPED);
    assertThat(run.notifications()).containsExactly("Deploy: notify failure");
  }

  @Test
  void should_match_notifications_apart_from_steps() {
    Simulation simulation = simulation();
    simulation.notification("*", "*").printing("notified");
    SimulatedRun run = simulation.run(RunContext.branch("main")).reject("Deploy", "alice", "no");

    assertThat(run.output()).containsExactly("Deploy: notified");
    assertThat(run.executions()).filteredOn(e -> e.kind() == Execution.Kind.NOTIFICATION).extracting(Execution::label)
        .containsExactly("notify failure");
  }

  @Test
  void should_let_a_timeout_expire_and_a_step_take_virtual_time() {
    Simulation simulation = simulation();
    simulation.step("Build", "make build").takes(Duration.ofMinutes(20));
    SimulatedRun run = simulation.run(RunContext.branch("main"));
    assertThat(run.now()).isEqualTo(java.time.Instant.parse("2026-01-01T00:20:00Z"));

    run.expire("Deploy");

    assertThat(run.result().stage("Deploy").orElseThrow().reason())
        .contains("the approval 'Ship it?' timed out after PT4H");
    assertThat(run.now()).isEqualTo(java.time.Instant.parse("2026-01-01T04:20:00Z"));
  }

  @Test
  void should_say_what_the_run_waits_on_when_a_test_asks_too_early_or_for_the_wrong_wait() {
    SimulatedRun run = simulation().run(RunContext.branch("main"));

    assertThatThrownBy(run::result).isInstanceOf(AssertionError.class)
        .hasMessageContaining("it waits on [approval 'Ship it?' of stage 'Deploy']");
    assertThatThrownBy(() -> run.deliverWebhook("Deploy", "{}")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("stage 'Deploy' waits on no webhook now");
    assertThatThrownBy(() -> run.approve("Deploy", "mallory"))
        .hasMessageContaining("'mallory' may not decide approval 'Ship it?'");
  }

  @Test
  void should_be_deterministic() {
    SimulatedRun first = simulation().run(RunContext.branch("main")).approve("Deploy", "alice")
        .runFor(Duration.ofHours(1));
    SimulatedRun second = simulation().run(RunContext.branch("main")).approve("Deploy", "alice")
        .runFor(Duration.ofHours(1));

    assertThat(first.events().stream().map(e -> e.getClass().getSimpleName() + " " + e.at()).toList())
        .isEqualTo(second.events().stream().map(e -> e.getClass().getSimpleName() + " " + e.at()).toList());
    assertThat(first.waits()).extracting(w -> w.stage()).containsExactly("Announce");
  }

  @Test
  void should_keep_a_record_of_what_each_run_deployed_with_the_artifacts_digest_and_approver() {
    // given
    Pipeline shop = Otto.pipeline("shop", p -> {
      var std = p.use(Stdlib.library());
      var production = p.environment("production", e -> e.requireApproval(Duration.ofHours(1)));
      p.stage("Build", s -> s.steps(Otto.sh("make dist"), std.archive("app", "dist/")));
      p.stage("Production", s -> s.environment(production).steps(std.unarchive("app"), Otto.sh("./deploy")));
    });
    Simulation simulation = Simulation.of(shop, root);
    simulation.step("Build", "make dist").creating("dist/app.jar");

    // when
    SimulatedRun run = simulation.run(RunContext.branch("main")).approve("Production", "alice");

    // then
    OttoAssertions.assertThat(run).deployed("production").didNotDeploy("staging");
    Deployment deployment = simulation.deployments("production").get(0);
    assertThat(deployment.run()).isEqualTo(run.result().run());
    assertThat(deployment.stage()).isEqualTo("Production");
    assertThat(deployment.approvedBy()).contains("alice");
    assertThat(deployment.digest("app")).hasValueSatisfying(digest -> assertThat(digest).startsWith("sha256:"));
  }

  @Test
  void should_say_how_to_script_the_files_of_an_artifact_that_no_simulated_step_made() {
    // given a step that would make the artifact's files, not scripted to
    Simulation simulation = Simulation.of(delivery(false), root);

    // when
    SimulatedRun run = simulation.run(RunContext.branch("main"));

    // then
    assertThatThrownBy(() -> OttoAssertions.assertThat(run.result()).succeeded()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("Build FAILED: ")
        .hasMessageContaining("the artifact 'app' has no path 'dist/' in the workspace")
        .hasMessageEndingWith("(in a simulation, steps make no files: script the step of 'Build' or before it that "
            + "makes them, e.g. simulation.step(\"Build\", \"<its script>\").creating(\"dist/...\"))");
  }

  /** A pipeline that builds the artifact 'app' and deploys it to staging, or promotes it from staging to production. */
  static Pipeline delivery(boolean toProduction) {
    return Otto.pipeline(toProduction ? "release" : "ship", p -> {
      var std = p.use(Stdlib.library());
      var staging = p.environment("staging", e -> e.setting("REGION", "eu"));
      var production = p.environment("production", e -> e.setting("REGION", "eu"));
      p.stage("Build", s -> s.steps(Otto.sh("make dist"), std.archive("app", "dist/")));
      if (toProduction) {
        p.stage("Production", s -> s.environment(production).steps(std.promote("app", staging), Otto.sh("./deploy")));
      } else {
        p.stage("Staging", s -> s.environment(staging).steps(std.unarchive("app"), Otto.sh("./deploy")));
      }
    });
  }

  @Test
  void should_promote_to_production_what_staging_last_deployed_rather_than_what_the_run_built() {
    // given staging runs what a first run built
    Simulation simulation = Simulation.of(delivery(false), root);
    simulation.step("Build", "make dist").creating("dist/app-1.jar");
    SimulatedRun toStaging = simulation.run(RunContext.branch("main"));
    simulation.step("Build", "make dist").creating("dist/app-2.jar");

    // when a later run, which builds something else, promotes from staging
    SimulatedRun release = simulation.run(Planner.plan(delivery(true), RunContext.branch("main")));

    // then production takes what staging took, by its digest
    assertThat(release.result().stage("Production").orElseThrow().reason()).isEmpty();
    OttoAssertions.assertThat(release).deployed("production");
    String staged = simulation.deployments("staging").get(0).digest("app").orElseThrow();
    assertThat(toStaging.deployments("staging")).isNotEmpty();
    assertThat(release.deployments("production").get(0).digest("app")).contains(staged);
    assertThat(release.notifications()).anyMatch(n -> n.contains("restored app: 1 files, " + staged + " from run "
        + toStaging.result().run()));
  }

  @Test
  void should_fail_a_promotion_when_the_environment_it_promotes_from_has_no_successful_deployment() {
    // given
    Simulation simulation = Simulation.of(delivery(true), root);
    simulation.step("Build", "make dist").creating("dist/app-1.jar");

    // when
    SimulatedRun release = simulation.run(RunContext.branch("main"));

    // then
    assertThat(release.result().stage("Production").orElseThrow().reason()).contains("no deployment of the "
        + "artifact 'app' to 'staging' has succeeded yet; deploy it there first");
    OttoAssertions.assertThat(release).didNotDeploy("production");
  }
  @Test
  void should_say_how_to_give_a_secret_the_simulation_was_not_given() {
    // given a simulation given no secret
    Simulation simulation = Simulation.of(SHIP, root);

    // when
    org.assertj.core.api.ThrowableAssert.ThrowingCallable run = () -> simulation.run(RunContext.branch("main"));

    // then
    assertThatThrownBy(run).hasMessageContaining("the secret 'token' was not given to the simulation; give it a "
        + "value with secret(\"token\", ...) before the run (given: [])");
  }
}

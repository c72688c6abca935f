package dev.otto.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.engine.Deployment;
import dev.otto.core.engine.DeploymentStore;
import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunResult;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.examples.Failing;
import dev.otto.examples.HarmlessVariant;
import dev.otto.examples.MyGem;
import dev.otto.examples.WebApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunOnTemporalTest {
  @TempDir
  Path root;

  private Cluster cluster;

  @BeforeEach
  void start() {
    cluster = new Cluster(root);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** Each stage's status and reason, and each step's label, status and exit code. */
  static List<String> outline(RunResult result) {
    List<String> lines = new ArrayList<>();
    lines.add("run " + result.status());
    for (RunResult.StageResult stage : result.stages()) {
      lines.add(stage.id() + " " + stage.status() + stage.reason().map(r -> " (" + r + ")").orElse(""));
      for (RunResult.StepResult step : stage.steps()) {
        lines.add("  " + step.label() + " " + step.status() + " " + step.exitCode() + " " + step.detail());
      }
    }
    return lines;
  }

  @Test
  void cancelling_a_run_stops_its_running_step_with_the_default_heartbeat_timeout() throws Exception {
    // given a step that would write a file after 20 s, and an engine with the default 30 s heartbeat timeout
    List<dev.otto.core.engine.RunEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    cluster.worker("one", heard, "otto");
    Path marker = root.resolve("finished");
    Plan plan = Planner.plan(dev.otto.dsl.Otto.pipeline("long", p -> p.stage("Long", s -> s.steps(
        dev.otto.dsl.Otto.sh("echo started; sleep 20; touch '" + marker + "'")))), RunContext.branch("main"));
    dev.otto.core.engine.RunHandle run = cluster.engine(b -> b.heartbeatTimeout(java.time.Duration.ofSeconds(30)))
        .start(plan);
    Cluster.eventually("the step's first line", () -> heard.stream()
        .filter(e -> e instanceof dev.otto.core.engine.RunEvent.OutputLine line && line.line().equals("started"))
        .findFirst());

    // when
    run.cancel();
    RunResult result = run.result().join();

    // then the step was stopped, not left to run to its end
    assertThat(result.status()).isEqualTo(RunResult.Status.CANCELLED);
    assertThat(marker).doesNotExist();
    assertThat(outline(result)).contains("Long CANCELLED (the run was cancelled)");
  }

  @Test
  void listeners_have_every_event_of_a_run_when_its_result_completes() {
    // given an engine that reads events at its default pace
    cluster.worker("one", new ArrayList<>(), "otto");
    List<dev.otto.core.engine.RunEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    TemporalEngine engine = cluster.engine(b -> b.eventPollInterval(java.time.Duration.ofMillis(250))
        .listener(events::add));

    // when
    RunResult result = engine.run(Planner.plan(dev.otto.dsl.Otto.pipeline("quick", p -> p.stage("Build",
        s -> s.steps(dev.otto.dsl.Otto.sh("echo a")))), RunContext.branch("main")));

    // then
    assertThat(events).last().isInstanceOf(dev.otto.core.engine.RunEvent.RunFinished.class);
    assertThat(engine.run(result.run())).isEmpty();
  }

  @Test
  void the_failing_example_ends_as_on_the_local_engine() {
    cluster.worker("one", new ArrayList<>(), "otto");
    Plan plan = Planner.plan(Failing.pipeline(), RunContext.branch("main"));

    RunResult onTemporal = cluster.engine(FailurePolicy.CONTINUE).run(plan);

    assertThat(outline(onTemporal)).containsExactlyElementsOf(outline(cluster.runLocally(plan,
        FailurePolicy.CONTINUE)));
    assertThat(onTemporal.status()).isEqualTo(RunResult.Status.FAILED);
  }

  @Test
  void a_worker_records_a_deployment_as_the_local_engine_does_with_the_same_artifact_digest() {
    // given a worker keeping the record, and a pipeline deploying an artifact to production
    cluster.worker("one", new ArrayList<>(), "otto");
    Plan plan = Planner.plan(dev.otto.dsl.Otto.pipeline("release", p -> {
      var std = p.use(dev.otto.dsl.library.Stdlib.library());
      var production = p.environment("production", e -> e.setting("REGION", "eu"));
      p.stage("Build", s -> s.steps(dev.otto.dsl.Otto.sh("mkdir -p dist && echo v1 > dist/app.txt"),
          std.archive("app", "dist/")));
      p.stage("Production", s -> s.environment(production).steps(std.unarchive("app"),
          dev.otto.dsl.Otto.sh("cat dist/app.txt")));
    }), RunContext.branch("main"));

    // when it runs on Temporal, through an engine that reads the worker's record, and on the local engine
    TemporalEngine engine = cluster.engine(builder -> builder
        .deployments(DeploymentStore.inFolder(root.resolve("workers").resolve("one"))));
    RunResult onTemporal = engine.run(plan);
    cluster.runLocally(plan, FailurePolicy.FAIL_FAST);

    // then both records hold an entry of the stage, with the same digest
    Deployment temporal = engine.deployments("production").get(0);
    Deployment local = DeploymentStore.inFolder(root.resolve("local")).deployments("production").get(0);
    assertThat(temporal.run()).isEqualTo(onTemporal.run());
    assertThat(temporal.stage()).isEqualTo(local.stage()).isEqualTo("Production");
    assertThat(temporal.status()).isEqualTo(local.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(temporal.digest("app")).isPresent().isEqualTo(local.digest("app"));
  }

  @Test
  void an_engine_given_no_record_says_which_store_to_give_it_when_asked_what_was_deployed() {
    // given an engine on Temporal built without a record of deployments
    TemporalEngine engine = cluster.engine(FailurePolicy.FAIL_FAST);

    // when a host asks it what production runs, then it says what to give it
    assertThatThrownBy(() -> engine.deployments("production")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TemporalEngine.builder(client).deployments(store)");
  }

  /** Builds {@code version} of the artifact 'app'; deploys it to staging, or promotes staging's to production. */
  static Plan delivery(String version, boolean promote) {
    return Planner.plan(dev.otto.dsl.Otto.pipeline("release", p -> {
      var std = p.use(dev.otto.dsl.library.Stdlib.library());
      var staging = p.environment("staging", e -> e.setting("REGION", "eu"));
      var production = p.environment("production", e -> e.setting("REGION", "eu"));
      p.stage("Build", s -> s.steps(dev.otto.dsl.Otto.sh("mkdir -p dist && echo " + version + " > dist/app.txt"),
          std.archive("app", "dist/")));
      if (promote) {
        p.stage("Production", s -> s.environment(production).steps(dev.otto.dsl.Otto.sh("rm -rf dist"),
            std.promote("app", staging), dev.otto.dsl.Otto.sh("cat dist/app.txt")));
      } else {
        p.stage("Staging", s -> s.environment(staging).steps(std.unarchive("app")));
      }
    }), RunContext.branch("main"));
  }

  @Test
  void a_promotion_on_temporal_deploys_what_staging_ran_rather_than_what_the_run_built() {
    // given staging runs v1
    List<dev.otto.core.engine.RunEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    cluster.worker("one", heard, "otto");
    TemporalEngine engine = cluster.engine(FailurePolicy.FAIL_FAST);
    engine.run(delivery("v1", false));

    // when a run that builds v2 promotes staging's artifact to production
    RunResult released = engine.run(delivery("v2", true));

    // then production runs v1, by the digest staging's record holds
    DeploymentStore record = DeploymentStore.inFolder(root.resolve("workers").resolve("one"));
    assertThat(released.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(record.deployments("production").get(0).digest("app")).isPresent()
        .isEqualTo(record.deployments("staging").get(0).digest("app"));
    assertThat(heard).filteredOn(dev.otto.core.engine.RunEvent.OutputLine.class::isInstance)
        .extracting(e -> ((dev.otto.core.engine.RunEvent.OutputLine) e).line()).contains("v1").doesNotContain("v2");
  }

  @Test
  void the_web_app_on_a_feature_branch_ends_as_on_the_local_engine() {
    cluster.worker("one", new ArrayList<>(), "otto");
    Plan plan = Planner.plan(HarmlessVariant.of(WebApp.pipeline()), RunContext.branch("feature/login"));

    RunResult onTemporal = cluster.engine().run(plan);

    assertThat(outline(onTemporal)).containsExactlyElementsOf(outline(cluster.runLocally(plan,
        FailurePolicy.FAIL_FAST)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"master", "docs"})
  void the_gem_ends_as_on_the_local_engine(String branch) {
    cluster.worker("one", new ArrayList<>(), "otto");
    Plan plan = Planner.plan(HarmlessVariant.of(MyGem.pipeline()), RunContext.branch(branch));

    RunResult onTemporal = cluster.engine().run(plan);

    assertThat(outline(onTemporal)).containsExactlyElementsOf(outline(cluster.runLocally(plan,
        FailurePolicy.FAIL_FAST)));
    assertThat(onTemporal.status()).isEqualTo(RunResult.Status.SUCCEEDED);
  }
}

package dev.otto.temporal;

import static dev.otto.dsl.Otto.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.OttoException;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's settings and the plans it refuses, before anything reaches the cluster. */
class EngineSetupTest {
  private final TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance();

  @AfterEach
  void stop() {
    environment.close();
  }

  @Test
  void refuses_a_plan_made_without_a_run_context() {
    Pipeline pipeline = Otto.pipeline("p", p -> p.stage("Build", s -> s.steps(sh("make"))));
    TemporalEngine engine = TemporalEngine.builder(environment.getWorkflowClient()).build();

    assertThatThrownBy(() -> engine.start(Planner.plan(pipeline, RunContext.unknown())))
        .isInstanceOf(OttoException.class).hasMessageContaining("made without a run context");
  }

  @Test
  void refuses_a_plan_whose_stages_have_services() {
    // given
    Pipeline pipeline = Otto.pipeline("p", p -> p.stage("Test", s -> s.runtime(Otto.docker("ruby:3.3"))
        .service("db", "postgres:16").steps(sh("rake"))));
    TemporalEngine engine = TemporalEngine.builder(environment.getWorkflowClient()).build();

    // then
    assertThatThrownBy(() -> engine.start(Planner.plan(pipeline, RunContext.branch("main"))))
        .isInstanceOf(OttoException.class).hasMessage("the plan of pipeline 'p' cannot run on Temporal: stage 'Test' "
            + "has services, which the Temporal engine does not start; run the pipeline on the local engine");
  }

  @Test
  void refuses_a_plan_too_large_for_a_workflows_input() {
    String big = "x".repeat(4096);
    Pipeline pipeline = Otto.pipeline("huge", p -> {
      for (int i = 0; i < 500; i++) {
        p.stage("Stage " + i, s -> s.steps(sh("echo " + big)));
      }
    });
    TemporalEngine engine = TemporalEngine.builder(environment.getWorkflowClient()).build();

    assertThatThrownBy(() -> engine.start(Planner.plan(pipeline, RunContext.branch("main"))))
        .isInstanceOf(OttoException.class).hasMessageContaining("KiB as JSON, more than the 1536 KiB");
  }

  @Test
  void says_what_is_wrong_with_bad_settings() {
    TemporalEngine.Builder builder = TemporalEngine.builder(environment.getWorkflowClient());
    assertThatThrownBy(() -> builder.tokenKey(new byte[8])).hasMessage("the token key must be at least 32 bytes, not 8");
    assertThatThrownBy(() -> builder.heartbeatTimeout(Duration.ofMillis(10)))
        .hasMessage("the heartbeat timeout must be at least a second, not PT0.01S");
    assertThatThrownBy(() -> builder.workerAttempts(0)).hasMessage("worker attempts must be at least 1, not 0");
    assertThatThrownBy(() -> builder.taskQueue(" ")).hasMessageStartingWith("a task queue name is 1 to 200");
    assertThatThrownBy(() -> builder.eventPollInterval(Duration.ZERO))
        .hasMessage("the event poll interval must be positive, not PT0S");
    assertThat(builder.pollProbesPerHistory(50)).isSameAs(builder);
  }

  @Test
  void a_worker_refuses_a_root_that_cannot_hold_workspaces_and_a_null_list_of_queues(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("afile"), "x");

    assertThatThrownBy(() -> OttoWorker.builder(environment.getWorkflowClient(), file).taskQueues("q").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the worker's root " + file + " cannot hold run workspaces (it is a file); give a folder the "
            + "worker can make and write to");
    assertThatThrownBy(() -> OttoWorker.builder(environment.getWorkflowClient(), dir).taskQueues((String[]) null))
        .isInstanceOf(NullPointerException.class).hasMessage("queues");
  }

  @Test
  void a_run_it_does_not_know_is_not_found() {
    TemporalEngine engine = TemporalEngine.builder(environment.getWorkflowClient()).build();
    assertThat(engine.run("20260101-000000-deadbeef")).isEmpty();
    assertThat(engine.waits()).isEmpty();
  }
}

package dev.otto.temporal;

import static dev.otto.dsl.Otto.sh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.secret.SecretProviders;
import dev.otto.dsl.Otto;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first try that site/temporal.md shows: a cluster in this JVM, a worker and an engine on it, one run. */
class FirstTryTest {
  @TempDir
  Path root;

  @Test
  void a_pipeline_runs_on_temporal_s_in_process_test_server() throws Exception {
    Pipeline pipeline = Otto.pipeline("hello", p -> p.stage("Build", s -> s.steps(sh("echo hello"))));

    RunResult result;
    try (TestWorkflowEnvironment cluster = TestWorkflowEnvironment.newInstance()) {   // Temporal in this JVM
      WorkflowClient client = cluster.getWorkflowClient();
      try (OttoWorker worker = OttoWorker.builder(client, root.resolve("worker"))
              .taskQueues(TemporalEngine.DEFAULT_QUEUE)
              .secrets(SecretProviders.environment(System.getenv()))
              .start();
          TemporalEngine engine = TemporalEngine.builder(client).build()) {
        result = engine.run(Planner.plan(pipeline, RunContext.branch("main")));
      }
    }

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
  }
}

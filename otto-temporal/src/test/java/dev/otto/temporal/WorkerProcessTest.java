package dev.otto.temporal;

import static dev.otto.dsl.Otto.agent;
import static dev.otto.dsl.Otto.sh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker entry point, as a team starts it on an agent: a separate process that connects to
 * the cluster over the network, runs a run's stages, and stops its work when the process is
 * stopped.
 */
class WorkerProcessTest {
  @TempDir
  Path root;

  @Test
  void a_worker_process_runs_the_stages_of_its_queues_and_stops_on_sigterm() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, false)) {
      Path log = root.resolve("worker.log");
      Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
          "--address", "127.0.0.1:" + port, "--root", root.resolve("worker").toString(), "--label", "linux",
          "--parallelism", "2")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
          .setTarget("127.0.0.1:" + port).build());
      try {
        Pipeline pipeline = Otto.pipeline("remote", p -> {
          p.stage("Build", s -> s.steps(sh("echo built > out.txt")));
          p.stage("Test", s -> s.runtime(agent("linux")).steps(sh("test -f out.txt && echo tested")));
        });
        TemporalEngine engine = TemporalEngine.builder(WorkflowClient.newInstance(service)).build();

        RunResult result = engine.run(Planner.plan(pipeline, RunContext.branch("main")));

        assertThat(result.status()).as(result + "\n" + Files.readString(log)).isEqualTo(RunResult.Status.SUCCEEDED);
        assertThat(result.stages()).extracting(s -> s.id() + " " + s.status())
            .containsExactly("Build SUCCEEDED", "Test SUCCEEDED");
        assertThat(root.resolve("worker").resolve(result.run()).resolve("workspace/out.txt")).hasContent("built");
      } finally {
        service.shutdownNow();
        worker.destroy();
        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("the worker stops on SIGTERM").isTrue();
      }
    }
  }
}

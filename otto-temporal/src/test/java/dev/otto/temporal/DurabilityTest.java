package dev.otto.temporal;

import static dev.otto.dsl.Otto.agent;
import static dev.otto.dsl.Otto.sh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker stops in the middle of a stage; another takes the stage over. */
class DurabilityTest {
  @TempDir
  Path root;

  @Test
  void another_worker_finishes_the_stage_and_no_completed_step_runs_again() throws Exception {
    Path marks = Files.createDirectories(root.resolve("marks"));
    Pipeline pipeline = Otto.pipeline("durable", p -> p.stage("Build", s -> s.runtime(agent("builder")).steps(
        sh("echo one >> " + marks + "/log"),
        sh("echo started >> " + marks + "/starts; while [ ! -f " + marks + "/go ]; do sleep 0.05; done; echo two >> "
            + marks + "/log"),
        sh("echo three >> " + marks + "/log"))));
    // The run's workflow runs on an orchestrating worker that stays up; the stage runs on two agents
    // of the same label that see the same disk, as agents with a shared workspace volume would.
    // (Temporal's test server can hand a task to a poll of a worker that has just stopped; a real
    // cluster does not. A lost activity task comes back at its heartbeat timeout, hence the
    // generous worker attempts; a lost workflow task would not come back, hence the orchestrator.)
    Path shared = root.resolve("agents");
    try (Cluster cluster = new Cluster(root)) {
      cluster.worker("orchestrator", new ArrayList<>(), "otto");
      OttoWorker first = cluster.worker(shared, new ArrayList<>(), "builder");
      RunHandle run = cluster.engine(builder -> builder.workerAttempts(20)).start(
          Planner.plan(pipeline, RunContext.branch("main")));
      awaitLines(marks.resolve("starts"), 1);

      cluster.worker(shared, new ArrayList<>(), "builder");
      first.close();
      awaitLines(marks.resolve("starts"), 2);
      Files.writeString(marks.resolve("go"), "");

      RunResult result = run.result().join();
      assertThat(result.status()).as(result.toString()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(Files.readAllLines(marks.resolve("log"))).as("every completed step ran once")
          .containsExactly("one", "two", "three");
      assertThat(Files.readAllLines(marks.resolve("starts"))).as("the step in flight ran again")
          .containsExactly("started", "started");
      assertThat(result.stage("Build").orElseThrow().steps()).extracting(RunResult.StepResult::status)
          .containsOnly(RunResult.Status.SUCCEEDED);
    }
  }

  private static void awaitLines(Path file, int lines) {
    Cluster.eventually(lines + " lines in " + file, () -> java.util.Optional.of(file).filter(f -> count(f) >= lines));
  }

  private static long count(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package dev.otto.temporal;

import static dev.otto.dsl.Otto.sh;
import static dev.otto.dsl.Otto.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret values stay on the workers: steps that print them, write them and fail with them leave
 * none in the run's history (which {@link Cluster#close()} scans), its events or its result; the
 * worker's own listener hears the lines masked.
 */
class SecretsTest {
  @TempDir
  Path root;

  @Test
  void no_secret_value_reaches_the_history_the_events_or_the_result() {
    Pipeline pipeline = Otto.pipeline("secretive", p -> {
      var token = p.secret("heroku-api-key");
      p.stage("Deploy", s -> s
          .steps(sh("echo \"deploying with $TOKEN\"; echo \"$TOKEN\" > token.txt").with(token.asEnv("TOKEN")))
          .exit(webhook("the release is live").timeout(Duration.ofHours(1))));
      p.stage("Leak", s -> s.steps(sh("echo \"the token is $TOKEN\" >&2; exit 7").with(token.asEnv("TOKEN"))));
    });
    List<RunEvent> heard = new CopyOnWriteArrayList<>();
    try (Cluster cluster = new Cluster(root)) {
      cluster.worker("one", heard, "otto");
      TemporalEngine engine = cluster.engine(FailurePolicy.CONTINUE);
      RunHandle run = engine.start(Planner.plan(pipeline, RunContext.branch("main")));
      var wait = Cluster.awaitWait(run, "Deploy");
      String token = Cluster.tokenOf(cluster.events, wait);
      engine.callback(token, "{\"live\": true, \"note\": \"" + Cluster.CANARY.substring(0, 8) + "\"}");

      RunResult result = run.result().join();

      assertThat(result.stage("Leak").orElseThrow().reason().orElseThrow()).endsWith("exited with status 7");
      assertThat(result.toString()).doesNotContain(Cluster.CANARY);
      Cluster.awaitEvent(cluster.events, RunEvent.RunFinished.class);
      assertThat(cluster.events.toString()).doesNotContain(Cluster.CANARY).doesNotContain(token);
      assertThat(heard).filteredOn(RunEvent.OutputLine.class::isInstance)
          .extracting(e -> ((RunEvent.OutputLine) e).line())
          .contains("deploying with ***", "the token is ***")
          .noneMatch(line -> line.contains(Cluster.CANARY));
    }
  }
}

package dev.otto.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.executor.Cancellation;
import dev.otto.core.executor.Executor;
import dev.otto.core.executor.ProcessOutcome;
import dev.otto.core.executor.ProcessRequest;
import dev.otto.core.model.Runtime;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.secret.SecretProviders;
import dev.otto.examples.WebApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage after a skipped stage is skipped on Temporal as on the local engine: the plan decides it. */
class SkipsOnTemporalTest {
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

  /** Runs every process at once, successfully, wherever it is to run: the test is about which stages run. */
  static final class Succeeding implements Executor {
    @Override
    public String name() {
      return "succeeding";
    }

    @Override
    public Optional<String> whyNot(Runtime runtime) {
      return Optional.empty();
    }

    @Override
    public ProcessOutcome run(ProcessRequest request, Consumer<String> lines, Cancellation cancellation) {
      lines.accept("ran " + request.op().label());
      return new ProcessOutcome(ProcessOutcome.Status.SUCCEEDED, OptionalInt.of(0), Duration.ZERO, "exited with status 0");
    }
  }

  @Test
  void the_web_app_as_written_skips_production_on_a_feature_branch_on_both_engines() {
    // given the web app as the original example writes it, planned for a feature branch
    Plan plan = Planner.plan(WebApp.asWritten(), RunContext.branch("feature/login"));
    List<RunEvent> heard = new ArrayList<>();
    cluster.worker(root.resolve("workers").resolve("one"), heard, builder -> builder.executor(new Succeeding()), "otto");

    // when it runs on Temporal and on the local engine
    RunResult onTemporal = cluster.engine().run(plan);
    RunResult locally = LocalEngine.builder(root.resolve("local")).executor(new Succeeding())
        .secrets(SecretProviders.inMemory(Map.of("heroku-api-key", "fake-heroku-key",
            "slack-webhook-url", "https://hooks.example.com/fake")))
        .build().run(plan);

    // then both skip Production because Pre-production was skipped, and ask for no approval
    List<String> expected = List.of(
        "run SUCCEEDED",
        "Build SUCCEEDED",
        "  bundle install --path=vendor SUCCEEDED OptionalInt[0] exited with status 0",
        "  bundle exec rake assets:prepare SUCCEEDED OptionalInt[0] exited with status 0",
        "Test SUCCEEDED",
        "  bundle exec rake spec SUCCEEDED OptionalInt[0] exited with status 0",
        "Deploy SUCCEEDED",
        "Deploy > Pre-production SKIPPED ([branch is 'master'] is false)",
        "Deploy > Production SKIPPED ('Deploy > Pre-production' was skipped: [branch is 'master'] is false)");
    assertThat(RunOnTemporalTest.outline(onTemporal)).containsExactlyElementsOf(expected);
    assertThat(RunOnTemporalTest.outline(locally)).containsExactlyElementsOf(expected);
    assertThat(cluster.events).noneMatch(RunEvent.WaitStarted.class::isInstance);
  }
}

package dev.otto.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.Engine;
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
  void the_failing_example_ends_as_on_the_local_engine() {
    cluster.worker("one", new ArrayList<>(), "otto");
    Plan plan = Planner.plan(Failing.pipeline(), RunContext.branch("main"));

    RunResult onTemporal = cluster.engine(Engine.FailurePolicy.CONTINUE).run(plan);

    assertThat(outline(onTemporal)).containsExactlyElementsOf(outline(cluster.runLocally(plan,
        Engine.FailurePolicy.CONTINUE)));
    assertThat(onTemporal.status()).isEqualTo(RunResult.Status.FAILED);
  }

  @Test
  void the_web_app_on_a_feature_branch_ends_as_on_the_local_engine() {
    cluster.worker("one", new ArrayList<>(), "otto");
    Plan plan = Planner.plan(HarmlessVariant.of(WebApp.pipeline()), RunContext.branch("feature/login"));

    RunResult onTemporal = cluster.engine().run(plan);

    assertThat(outline(onTemporal)).containsExactlyElementsOf(outline(cluster.runLocally(plan,
        Engine.FailurePolicy.FAIL_FAST)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"master", "docs"})
  void the_gem_ends_as_on_the_local_engine(String branch) {
    cluster.worker("one", new ArrayList<>(), "otto");
    Plan plan = Planner.plan(HarmlessVariant.of(MyGem.pipeline()), RunContext.branch(branch));

    RunResult onTemporal = cluster.engine().run(plan);

    assertThat(outline(onTemporal)).containsExactlyElementsOf(outline(cluster.runLocally(plan,
        Engine.FailurePolicy.FAIL_FAST)));
    assertThat(onTemporal.status()).isEqualTo(RunResult.Status.SUCCEEDED);
  }
}

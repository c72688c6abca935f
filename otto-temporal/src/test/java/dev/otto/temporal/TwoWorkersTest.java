package dev.otto.temporal;

import static dev.otto.dsl.Otto.agent;
import static dev.otto.dsl.Otto.sh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import dev.otto.dsl.library.Stdlib;
import dev.otto.examples.HarmlessVariant;
import dev.otto.examples.Matrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stages run on the workers whose task queues their runtimes name, and hand files over through the shared store. */
class TwoWorkersTest {
  @TempDir
  Path root;

  private Cluster cluster;
  private final List<RunEvent> windowsAndMac = new CopyOnWriteArrayList<>();
  private final List<RunEvent> linux = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    cluster = new Cluster(root);
    cluster.worker("desktops", windowsAndMac, "otto", "win10", "macos");
    cluster.worker("servers", linux, "linux-jdk12", "linux-jdk8");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void the_matrix_runs_each_platform_on_the_worker_polling_its_label() {
    Plan plan = Planner.plan(HarmlessVariant.of(Matrix.pipeline()), RunContext.branch("main"));

    RunResult result = cluster.engine().run(plan);

    assertThat(RunOnTemporalTest.outline(result)).containsExactlyElementsOf(RunOnTemporalTest.outline(
        cluster.runLocally(plan, FailurePolicy.FAIL_FAST)));
    assertThat(stagesHeard(windowsAndMac)).containsExactlyInAnyOrder("Build > win10", "Build > macos");
    assertThat(stagesHeard(linux)).containsExactlyInAnyOrder("Build > linux-jdk12",
        "Build > linux-jdk8");
  }

  @Test
  void an_artifact_built_on_one_machine_is_restored_on_another() throws Exception {
    Pipeline pipeline = Otto.pipeline("handover", p -> {
      var std = p.use(Stdlib.library());
      p.stage("Build", s -> s.runtime(agent("macos"))
          .steps(sh("mkdir -p dist && echo 'built on the mac' > dist/app.txt"), std.archive("app", "dist/")));
      p.stage("Ship", s -> s.runtime(agent("linux-jdk8"))
          .steps(std.unarchive("app"), sh("cat dist/app.txt")));
    });

    RunResult result = cluster.engine().run(Planner.plan(pipeline, RunContext.branch("main")));

    assertThat(result.status()).as(result.toString()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(linux).filteredOn(RunEvent.OutputLine.class::isInstance)
        .extracting(e -> ((RunEvent.OutputLine) e).line()).containsExactly("built on the mac");
    assertThat(root.resolve("workers/desktops").resolve(result.run()).resolve("workspace/dist/app.txt")).exists();
    assertThat(Files.readString(root.resolve("workers/servers").resolve(result.run())
        .resolve("workspace/dist/app.txt"))).isEqualTo("built on the mac\n");
  }

  /** A pipeline on {@code label}'s worker whose lock file names the one package its Fetch stage adds to a cache. */
  private static Plan fetching(String label, String lock) {
    return Planner.plan(Otto.pipeline("deps", p -> {
      var deps = p.cache("deps", List.of("vendor/"), List.of("deps.lock"));
      p.stage("Lock", s -> s.runtime(agent(label)).steps(sh("echo " + lock + " > deps.lock")));
      p.stage("Fetch", s -> s.runtime(agent(label)).restores(deps).saves(deps)
          .steps(sh("mkdir -p vendor && touch vendor/" + lock + " && ls vendor | tr '\\n' ' '")));
    }), RunContext.branch("main"));
  }

  @Test
  void a_changed_lock_file_starts_from_the_newest_entry_another_machine_saved() {
    // given: the cache saved on the mac
    RunResult first = cluster.engine().run(fetching("macos", "left-pad"));

    // when: the lock file changed, on the linux machine
    RunResult changed = cluster.engine().run(fetching("linux-jdk8", "right-pad"));

    // then
    assertThat(List.of(first.status(), changed.status())).containsOnly(RunResult.Status.SUCCEEDED);
    assertThat(linux).filteredOn(RunEvent.OutputLine.class::isInstance)
        .extracting(e -> ((RunEvent.OutputLine) e).line()).containsExactly("left-pad right-pad ");
    List<String> cacheEvents = Cluster.eventually("the cache events of the second run", () -> {
      List<String> heard = cluster.events.stream().filter(RunEvent.CacheEvent.class::isInstance)
          .map(RunEvent.CacheEvent.class::cast).filter(e -> e.run().equals(changed.run()))
          .map(RunEvent.CacheEvent::what).toList();
      return heard.size() < 2 ? Optional.empty() : Optional.of(heard);
    });
    assertThat(cacheEvents).containsExactly("fallback_hit", "saved");
  }

  private static List<String> stagesHeard(List<RunEvent> events) {
    return events.stream().filter(RunEvent.OutputLine.class::isInstance).map(e -> ((RunEvent.OutputLine) e).stage())
        .distinct().toList();
  }
}

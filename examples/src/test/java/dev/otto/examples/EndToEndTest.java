package dev.otto.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.cache.DirectoryCacheStore;
import dev.otto.core.engine.ContainerPolicy;
import dev.otto.core.engine.Decision;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.secret.SecretProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The examples run end to end on the local engine, waits included, in their harmless variant. */
@EnabledOnOs(OS.LINUX)
class EndToEndTest {
  private static final String CANARY = "canary-" + UUID.randomUUID();

  @TempDir
  Path root;

  private final List<RunEvent> events = new CopyOnWriteArrayList<>();

  private LocalEngine engine() {
    return LocalEngine.builder(root.resolve("runs"))
        .executor(LocalProcessExecutor.builder().agentLabels("win10", "macos", "linux-jdk12", "linux-jdk8").build())
        .containerPolicy(ContainerPolicy.LOCAL_FALLBACK)
        .caches(new DirectoryCacheStore(root.resolve("caches")))
        .secrets(SecretProviders.inMemory(Map.of("heroku-api-key", CANARY, "slack-webhook-url", CANARY,
            "rubygems-api-key", CANARY)))
        .listener(events::add)
        .build();
  }

  @Test
  void the_web_app_builds_and_tests_on_a_feature_branch_and_skips_its_deployments() {
    RunResult result = engine().run(Planner.plan(HarmlessVariant.of(WebApp.pipeline()),
        RunContext.branch("feature/login")));

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(result.stages()).extracting(s -> s.id() + " " + s.status()).containsExactly(
        "Build SUCCEEDED", "Test SUCCEEDED", "Deploy SUCCEEDED", "Deploy > Pre-production SKIPPED",
        "Deploy > Production SKIPPED");
    assertThat(events).filteredOn(RunEvent.Warning.class::isInstance).hasSize(2);
    assertThat(events).filteredOn(RunEvent.CacheEvent.class::isInstance)
        .extracting(e -> ((RunEvent.CacheEvent) e).cache() + " " + ((RunEvent.CacheEvent) e).what())
        .containsExactly("gems saved", "assets saved", "gems hit");
  }

  @Test
  void the_web_app_on_master_deploys_after_two_approvals_and_the_health_check_callback() throws Exception {
    LocalEngine engine = engine();
    RunHandle run = engine.start(Planner.plan(HarmlessVariant.of(WebApp.pipeline()), RunContext.branch("master")));

    PendingWait staging = awaitWait(run, "Deploy > Pre-production");
    assertThat(staging.description()).isEqualTo("Does staging look good to you?");
    assertThat(run.snapshot().stages()).containsEntry("Build", "succeeded").containsEntry("Test", "succeeded")
        .containsEntry("Deploy > Pre-production", "waiting").containsEntry("Deploy > Production", "pending");
    engine.decide(run.id(), staging.id(), Decision.approve("alice").withComment("staging looks good"));

    PendingWait production = awaitWait(run, "Deploy > Production");
    assertThat(production.kind()).isEqualTo("await-approval");
    run.decide(production.id(), Decision.approve("bob"));

    PendingWait health = awaitWait(run, "Deploy > Production");
    assertThat(health.kind()).isEqualTo("await-webhook");
    String token = tokenOf(health);
    engine.callback(token, "{\"check\":\"up\"}");

    RunResult result = run.result().join();
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(result.stages()).extracting(s -> s.id() + " " + s.status()).containsExactly(
        "Build SUCCEEDED", "Test SUCCEEDED", "Deploy SUCCEEDED", "Deploy > Pre-production SUCCEEDED",
        "Deploy > Production SUCCEEDED");
    assertThat(events).filteredOn(RunEvent.WaitEnded.class::isInstance)
        .extracting(e -> ((RunEvent.WaitEnded) e).outcome()).containsExactly("approved", "approved", "called");
    assertThat(events.toString()).doesNotContain(CANARY).doesNotContain(token);
  }

  /** The next wait of a stage, once the run reaches it. */
  /**
   * The callback token of {@code wait}, from its {@code WaitStarted} event: a wait is visible as
   * soon as it can be decided, and its event reaches listeners just after.
   */
  private String tokenOf(PendingWait wait) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      var started = events.stream().filter(RunEvent.WaitStarted.class::isInstance).map(RunEvent.WaitStarted.class::cast)
          .filter(e -> e.waitId().equals(wait.id())).findFirst();
      if (started.isPresent()) {
        return started.get().token().orElseThrow();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no WaitStarted event for " + wait.id() + " within 30 s");
  }

  private static PendingWait awaitWait(RunHandle run, String stage) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      var waits = run.waits().stream().filter(w -> w.stage().equals(stage)).toList();
      if (!waits.isEmpty()) {
        return waits.get(0);
      }
      if (run.result().isDone()) {
        throw new AssertionError("the run ended before stage '" + stage + "' waited: " + run.result().join());
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("stage '" + stage + "' did not wait");
  }

  @Test
  void the_matrix_runs_every_platform_on_a_machine_carrying_their_labels() {
    RunResult result = engine().run(Planner.plan(HarmlessVariant.of(Matrix.pipeline()), RunContext.branch("main")));

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(result.stage("Build").orElseThrow().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(events).filteredOn(RunEvent.OutputLine.class::isInstance).hasSize(4);
  }

  @Test
  void the_gem_builds_tests_and_documents_and_publishes_only_from_master() throws Exception {
    RunResult onBranch = engine().run(Planner.plan(HarmlessVariant.of(MyGem.pipeline()), RunContext.branch("docs")));
    assertThat(onBranch.stages()).extracting(s -> s.id() + " " + s.status())
        .containsExactly("Build SUCCEEDED", "Test SUCCEEDED", "Publish SKIPPED", "Docs SUCCEEDED");

    var plan = Planner.plan(HarmlessVariant.of(MyGem.pipeline()), RunContext.branch("master"));
    RunResult onMaster = engine().run(plan);
    assertThat(onMaster.stage("Publish").orElseThrow().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(onMaster.toString()).doesNotContain(CANARY);
    assertThat(dev.otto.core.explain.Explain.json(plan)).doesNotContain(CANARY);

    assertThat(events.toString()).doesNotContain(CANARY);
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(CANARY);
      }
    }
  }
}

package dev.otto.temporal;

import dev.otto.core.cache.DirectoryCacheStore;
import dev.otto.core.engine.ContainerPolicy;
import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.plan.Plan;
import dev.otto.core.secret.SecretProviders;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Temporal cluster in this JVM (Temporal's own test server, with time skipping), workers on
 * it, and an engine that starts runs on it; and, to compare, a local engine set up alike.
 */
final class Cluster implements AutoCloseable {
  static final String CANARY = "canary-" + java.util.UUID.randomUUID();
  static final Map<String, String> SECRETS = Map.of("heroku-api-key", CANARY, "slack-webhook-url", CANARY,
      "rubygems-api-key", CANARY, dev.otto.testkit.conformance.EngineConformance.Scripts.TOKEN_SECRET,
      dev.otto.testkit.conformance.EngineConformance.Scripts.TOKEN);
  static final String[] LABELS = {"win10", "macos", "linux-jdk12", "linux-jdk8", "builder"};

  final TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance();
  final Path root;
  final List<RunEvent> events = new CopyOnWriteArrayList<>();
  private final List<OttoWorker> workers = new ArrayList<>();
  private final List<TemporalEngine> engines = new ArrayList<>();

  Cluster(Path root) {
    this.root = root;
  }

  WorkflowClient client() {
    return environment.getWorkflowClient();
  }

  /** A worker with its own root, polling {@code queues}, hearing its processes' lines in {@code heard}. */
  OttoWorker worker(String name, List<RunEvent> heard, String... queues) {
    return worker(root.resolve("workers").resolve(name), heard, queues);
  }

  OttoWorker worker(Path workerRoot, List<RunEvent> heard, String... queues) {
    return worker(workerRoot, heard, builder -> builder, queues);
  }

  OttoWorker worker(Path workerRoot, List<RunEvent> heard, java.util.function.UnaryOperator<OttoWorker.Builder> tune,
      String... queues) {
    OttoWorker worker = tune.apply(OttoWorker.builder(client(), workerRoot))
        .taskQueues(queues)
        .executor(LocalProcessExecutor.builder().agentLabels(LABELS).build())
        .containerPolicy(ContainerPolicy.LOCAL_FALLBACK)
        .caches(new DirectoryCacheStore(root.resolve("shared-store")))
        .secrets(SecretProviders.inMemory(SECRETS))
        .listener(heard::add)
        .start();
    workers.add(worker);
    return worker;
  }

  /**
   * An engine on the cluster. Tests whose parallel stages fail use {@link
   * FailurePolicy#CONTINUE}: with fail-fast, a stage that fails while another's step ends
   * makes the workflow cancel an activity that has just completed, which a real cluster ignores
   * but Temporal's test server refuses, failing the workflow task again and again.
   */
  TemporalEngine engine(FailurePolicy policy) {
    return engine(builder -> builder.failurePolicy(policy));
  }

  /** An engine on the cluster, fail-fast, tuned by {@code tune}. */
  TemporalEngine engine(java.util.function.UnaryOperator<TemporalEngine.Builder> tune) {
    TemporalEngine engine = tune.apply(TemporalEngine.builder(client())
        .listener(events::add)
        .eventPollInterval(java.time.Duration.ofMillis(20))
        .heartbeatTimeout(java.time.Duration.ofSeconds(5)))
        .build();
    engines.add(engine);
    return engine;
  }

  TemporalEngine engine() {
    return engine(FailurePolicy.FAIL_FAST);
  }

  /** What {@code probe} finds, once it finds something, within a minute; {@code what} names it if it never does. */
  static <T> T eventually(String what, java.util.function.Supplier<java.util.Optional<T>> probe) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      java.util.Optional<T> found = probe.get();
      if (found.isPresent()) {
        return found.get();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError(what + " did not come within a minute");
  }

  /** The next wait of {@code stage}, once the run reaches it. */
  static dev.otto.core.engine.PendingWait awaitWait(dev.otto.core.engine.RunHandle run, String stage) {
    return eventually("a wait of stage '" + stage + "'", () -> {
      if (run.result().isDone()) {
        throw new AssertionError("the run ended before stage '" + stage + "' waited: " + run.result().join());
      }
      return run.waits().stream().filter(w -> w.stage().equals(stage)).findFirst();
    });
  }

  /** The token handed out with {@code wait}'s {@code WaitStarted} event, once the event arrives. */
  static String tokenOf(List<RunEvent> events, dev.otto.core.engine.PendingWait wait) {
    return eventually("the WaitStarted event of " + wait.id(), () -> List.copyOf(events).stream()
        .filter(RunEvent.WaitStarted.class::isInstance).map(RunEvent.WaitStarted.class::cast)
        .filter(started -> started.waitId().equals(wait.id())).findFirst())
        .token().orElseThrow();
  }

  /** Waits until an event of {@code type} has arrived, as events come a little after what they tell. */
  static void awaitEvent(List<RunEvent> events, Class<? extends RunEvent> type) {
    eventually("a " + type.getSimpleName() + " event", () -> events.stream().filter(type::isInstance).findFirst());
  }

  /** The same plan on the local engine, set up as the workers are. */
  RunResult runLocally(Plan plan, FailurePolicy policy) {
    return LocalEngine.builder(root.resolve("local"))
        .failurePolicy(policy)
        .executor(LocalProcessExecutor.builder().agentLabels(LABELS).build())
        .containerPolicy(ContainerPolicy.LOCAL_FALLBACK)
        .caches(new DirectoryCacheStore(root.resolve("local-store")))
        .secrets(SecretProviders.inMemory(SECRETS))
        .build()
        .run(plan);
  }

  /**
   * Checks the history of every workflow this cluster ran, then stops it: each history replays
   * with the workflow code as it is now, and holds no secret value and no webhook token. With
   * {@code -Dotto.temporal.record=DIR}, the histories are also written to DIR, for {@code
   * ReplayTest} to keep.
   */
  @Override
  public void close() {
    try {
      for (var history : histories().entrySet()) {
        String json = history.getValue().toJson(true);
        org.assertj.core.api.Assertions.assertThat(json).as("the history of " + history.getKey())
            .doesNotContain(CANARY);
        for (String token : tokens()) {
          org.assertj.core.api.Assertions.assertThat(json).as("the history of " + history.getKey())
              .doesNotContain(token);
        }
        try {
          io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(history.getValue(),
              dev.otto.temporal.internal.RunWorkflowImpl.class, dev.otto.temporal.internal.PollWorkflowImpl.class);
        } catch (Exception e) {
          throw new AssertionError("the history of " + history.getKey() + " does not replay", e);
        }
        String record = System.getProperty("otto.temporal.record");
        if (record != null) {
          java.nio.file.Files.createDirectories(Path.of(record));
          java.nio.file.Files.writeString(Path.of(record).resolve(names.get(history.getKey()) + ".json"), json);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      engines.forEach(TemporalEngine::close);
      workers.forEach(OttoWorker::close);
      environment.close();
    }
  }

  /** The histories of the runs seen in events, and of their polls, by workflow id. */
  private Map<String, io.temporal.common.WorkflowExecutionHistory> histories() {
    Map<String, io.temporal.common.WorkflowExecutionHistory> histories = new java.util.LinkedHashMap<>();
    Map<String, String> pipelines = new java.util.HashMap<>();
    for (RunEvent event : events) {
      String id = null;
      if (event instanceof RunEvent.RunStarted started) {
        id = started.run();
        pipelines.put(id, started.pipeline());
        names.put(id, started.pipeline() + "-run");
      } else if (event instanceof RunEvent.WaitStarted wait && wait.kind().equals("poll")) {
        id = wait.run() + "/" + wait.waitId();
        names.put(id, pipelines.get(wait.run()) + "-poll");
      }
      if (id != null && !histories.containsKey(id)) {
        histories.put(id, client().fetchHistory(id));
      }
    }
    return histories;
  }

  /** The names recorded histories are kept under, by workflow id. */
  private final Map<String, String> names = new java.util.HashMap<>();

  private List<String> tokens() {
    return events.stream().filter(RunEvent.WaitStarted.class::isInstance)
        .flatMap(e -> ((RunEvent.WaitStarted) e).token().stream()).toList();
  }
}

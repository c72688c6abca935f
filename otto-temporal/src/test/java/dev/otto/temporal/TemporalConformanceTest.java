package dev.otto.temporal;

import dev.otto.core.engine.DeploymentStore;
import dev.otto.core.engine.Engine;
import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.plan.Plan;
import dev.otto.testkit.conformance.EngineConformance;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Temporal's test server, with a worker running real processes, passes the conformance suite. */
class TemporalConformanceTest extends EngineConformance {
  @TempDir
  Path root;

  private Cluster cluster;

  @BeforeEach
  void start() {
    cluster = new Cluster(root);
    // A worker's listener hears its steps' output, which stays on the worker: it counts among the events.
    cluster.worker("one", cluster.events, TemporalEngine.DEFAULT_QUEUE);
  }

  /**
   * The run lives in the cluster, not in the host that started it: that host's engine stops, and
   * another host's engine finds the run by its id and follows it, hearing its events from the
   * start. (The workers are the cluster's; {@code DurabilityTest} stops one while a stage runs.)
   */
  @Override
  protected TakenOver takeOver(Engine engine, RunHandle run, Plan plan) {
    ((TemporalEngine) engine).close();
    Engine next = engine(FailurePolicy.FAIL_FAST);
    return new TakenOver(next, next.run(run.id()).orElseThrow());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Override
  protected Engine engine(FailurePolicy policy) {
    // The engine reads the record the worker keeps.
    return cluster.engine(builder -> builder.failurePolicy(policy)
        .deployments(DeploymentStore.inFolder(root.resolve("workers").resolve("one"))));
  }

  @Override
  protected List<RunEvent> events() {
    return cluster.events;
  }

  @Override
  protected void until(String what, BooleanSupplier condition) {
    Cluster.eventually(what, () -> condition.getAsBoolean() ? java.util.Optional.of(true) : java.util.Optional.empty());
  }
}

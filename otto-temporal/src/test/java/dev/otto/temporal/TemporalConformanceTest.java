package dev.otto.temporal;

import dev.otto.core.engine.DeploymentStore;
import dev.otto.core.engine.Engine;
import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.testkit.conformance.EngineConformance;
import java.nio.file.Path;
import java.util.ArrayList;
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
    cluster.worker("one", new ArrayList<>(), TemporalEngine.DEFAULT_QUEUE);
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

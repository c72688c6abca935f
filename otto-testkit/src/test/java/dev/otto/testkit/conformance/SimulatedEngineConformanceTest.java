package dev.otto.testkit.conformance;

import dev.otto.core.cache.DirectoryCacheStore;
import dev.otto.core.engine.Engine;
import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Plan;
import dev.otto.testkit.simulation.SimulatedEngine;
import dev.otto.testkit.simulation.Simulation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;

/** A simulation, with scripted processes and virtual time, passes the conformance suite. */
class SimulatedEngineConformanceTest extends EngineConformance {
  /** How far virtual time may move while the suite waits for something: longer than any of its waits. */
  private static final Duration HORIZON = Duration.ofHours(2);

  @TempDir
  Path root;

  private final List<SimulatedEngine> engines = new ArrayList<>();

  @Override
  protected Engine engine(FailurePolicy policy) {
    Simulation simulation = Scripts.simulate(Simulation.of(Pipeline.builder("unused").build(),
        root.resolve("engine-" + engines.size()))).failurePolicy(policy)
        .caches(new DirectoryCacheStore(root.resolve("caches")));
    SimulatedEngine engine = simulation.engine();
    engines.add(engine);
    return engine.engine();
  }

  /** The engine's successor resumes the run from the journal and workspace the engine leaves. */
  @Override
  protected TakenOver takeOver(Engine engine, RunHandle run, Plan plan) {
    SimulatedEngine gone = engines.stream().filter(e -> e.engine() == engine).findFirst().orElseThrow();
    SimulatedEngine successor = gone.successor();
    engines.add(successor);
    return new TakenOver(successor.engine(), successor.engine().resume(run.id(), plan));
  }

  @Override
  protected List<RunEvent> events() {
    return engines.stream().flatMap(engine -> engine.events().stream()).toList();
  }

  @Override
  protected void until(String what, BooleanSupplier condition) {
    Duration moved = Duration.ZERO;
    Duration step = Duration.ofMillis(100);
    engines.forEach(SimulatedEngine::settleNow);
    while (!condition.getAsBoolean()) {
      if (moved.compareTo(HORIZON) > 0) {
        throw new AssertionError(what + " did not come within " + HORIZON + " of virtual time");
      }
      engines.forEach(engine -> engine.advance(step));
      moved = moved.plus(step);
    }
  }
}

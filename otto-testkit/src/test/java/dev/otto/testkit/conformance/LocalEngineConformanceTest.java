package dev.otto.testkit.conformance;

import dev.otto.core.engine.Engine;
import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.executor.LocalProcessExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The local engine, with real processes, passes the conformance suite. */
@EnabledOnOs(OS.LINUX)
class LocalEngineConformanceTest extends EngineConformance {
  @TempDir
  Path root;

  private final List<RunEvent> events = new CopyOnWriteArrayList<>();
  private int engines;

  @Override
  protected Engine engine(FailurePolicy policy) {
    return LocalEngine.builder(root.resolve("engine-" + ++engines)).failurePolicy(policy).listener(events::add)
        .executor(LocalProcessExecutor.builder().grace(Duration.ofMillis(300)).build()).build();
  }

  @Override
  protected List<RunEvent> events() {
    return events;
  }

  @Override
  protected void until(String what, BooleanSupplier condition) {
    Waiting.until(what, condition);
  }
}

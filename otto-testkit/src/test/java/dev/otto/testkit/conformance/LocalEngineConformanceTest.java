package dev.otto.testkit.conformance;

import dev.otto.core.cache.DirectoryCacheStore;
import dev.otto.core.engine.Engine;
import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.plan.Plan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The local engine, with real processes, passes the conformance suite. */
@EnabledOnOs(OS.LINUX)
class LocalEngineConformanceTest extends EngineConformance {
  @TempDir
  Path root;

  private final List<RunEvent> events = new CopyOnWriteArrayList<>();
  private final Map<Engine, Path> roots = new HashMap<>();
  private final Map<Engine, FailurePolicy> policies = new HashMap<>();

  @Override
  protected Engine engine(FailurePolicy policy) {
    Path folder = root.resolve("engine-" + (roots.size() + 1));
    LocalEngine engine = LocalEngine.builder(folder).failurePolicy(policy).listener(events::add)
        .caches(new DirectoryCacheStore(root.resolve("caches")))
        .secrets(dev.otto.core.secret.SecretProviders.inMemory(EngineConformance.Scripts.secrets()))
        .executor(LocalProcessExecutor.builder().grace(Duration.ofMillis(300)).build()).build();
    roots.put(engine, folder);
    policies.put(engine, policy);
    return engine;
  }

  /** What a host that went away leaves: the run's folder, copied while the run waits, resumed by a new engine. */
  @Override
  protected TakenOver takeOver(Engine engine, RunHandle run, Plan plan) {
    LocalEngine next = (LocalEngine) engine(policies.get(engine));
    Path from = roots.get(engine).resolve(run.id());
    Path to = roots.get(next).resolve(run.id());
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else if (!file.getFileName().toString().equals("journal.lock")) {
          Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TakenOver(next, next.resume(run.id(), plan));
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

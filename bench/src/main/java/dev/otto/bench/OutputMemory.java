package dev.otto.bench;

import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.secret.SecretProviders;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much heap step output costs: a step printing 1 GiB without a line end, and a step
 * printing 10 million short lines, each through the engine with a secret masked, to a listener
 * that only counts. While the step runs, a sampler collects garbage every 100 ms and reads the
 * heap still in use: the largest reading above the heap in use before is what the output kept
 * alive (the target: at most 64 MiB). Run it with a heap large enough not to hide growth, e.g.
 * {@code -Xmx2g}.
 *
 * <p>Usage: {@code java -Xmx2g -cp bench/target/otto-bench.jar dev.otto.bench.OutputMemory}.
 */
public final class OutputMemory {
  private OutputMemory() {}

  public static void main(String[] args) throws Exception {
    measure("1 GiB without a line end", "head -c 1073741824 /dev/zero | tr '\\\\0' x");
    measure("10 million short lines", "seq 1 10000000 | sed 's/^/line /'");
  }

  private static void measure(String what, String script) throws Exception {
    LocalEngine.Builder builder = LocalEngine.builder(Files.createTempDirectory("otto-output-bench")).parallelism(1)
        .secrets(SecretProviders.inMemory(Map.of("token", "s3cr3t-t0ken-value")));
    AtomicLong lines = new AtomicLong();
    AtomicLong chars = new AtomicLong();
    builder.listener(event -> {
      if (event instanceof RunEvent.OutputLine line) {
        lines.incrementAndGet();
        chars.addAndGet(line.line().length());
      }
    });
    Stage stage = Stage.builder("Print").addSteps(ShStep.of(script).with(SecretBinding.asEnv("token", "TOKEN"))).build();
    var plan = Planner.plan(Pipeline.builder("output").addSecrets(new SecretRef("token")).addStages(stage).build(),
        RunContext.branch("main"));
    System.gc();
    long before = used();
    AtomicLong peak = new AtomicLong(before);
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        System.gc();
        peak.accumulateAndGet(used(), Math::max);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    long start = System.nanoTime();
    sampler.start();
    RunResult result = builder.build().run(plan);
    sampler.interrupt();
    sampler.join();
    System.out.printf("%-26s %s in %.1f s: %,d lines, %,d characters; live heap growth %.1f MiB "
        + "(target <= 64 MiB)%n", what, result.status(), (System.nanoTime() - start) / 1e9, lines.get(), chars.get(),
        (peak.get() - before) / 1048576.0);
  }

  private static long used() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}

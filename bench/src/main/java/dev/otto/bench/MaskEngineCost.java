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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What masking costs a run, end to end: a step that prints {@link MaskBenchmark}'s 256 MiB log
 * with {@code cat}, through a stage's shell, into lines for a listener, once with the
 * benchmark's 100 secrets bound to the step (and so masked) and once with none, in turns (ABBA)
 * after a warm-up of each. Prints the medians and their ratio. {@link MaskCost} measures the
 * masker and the line splitter alone, the figure the target is set for; this one says what a
 * user's run pays, reading the process's pipe and handing lines over included.
 *
 * <p>Usage: {@code java -cp bench/target/otto-bench.jar dev.otto.bench.MaskEngineCost [rounds]}
 * (6 unless told otherwise).
 */
public final class MaskEngineCost {
  private MaskEngineCost() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    MaskBenchmark benchmark = new MaskBenchmark();
    benchmark.generate();
    Path folder = Files.createTempDirectory("otto-mask-engine");
    Path log = folder.resolve("build.log");
    try (OutputStream out = Files.newOutputStream(log)) {
      for (int i = 0; i < MaskBenchmark.TOTAL_MIB; i++) {
        out.write(benchmark.chunk());
      }
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    for (int i = 0; i < benchmark.secrets().size(); i++) {
      secrets.put("secret-" + i, benchmark.secrets().get(i));
    }
    double[] plain = new double[rounds];
    double[] masked = new double[rounds];
    try {
      for (int round = -2; round < rounds; round++) {
        boolean maskedFirst = round % 2 != 0;
        double first = run(folder, log, secrets, maskedFirst);
        double second = run(folder, log, secrets, !maskedFirst);
        if (round >= 0) {
          masked[round] = maskedFirst ? first : second;
          plain[round] = maskedFirst ? second : first;
        }
      }
    } finally {
      try (var paths = Files.walk(folder)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
    double p = MaskCost.median(plain);
    double m = MaskCost.median(masked);
    System.out.printf("a run's step printing 256 MiB, no secrets:         %8.1f ms%n", p);
    System.out.printf("a run's step printing 256 MiB, 100 secrets masked: %8.1f ms%n", m);
    System.out.printf("masked / unmasked through the engine = %.2f (medians of %d rounds)%n", m / p, rounds);
  }

  private static double run(Path folder, Path log, Map<String, String> secrets, boolean mask) throws Exception {
    AtomicLong characters = new AtomicLong();
    LocalEngine engine = LocalEngine.builder(Files.createTempDirectory(folder, "runs")).parallelism(1)
        .secrets(SecretProviders.inMemory(secrets))
        .listener(event -> {
          if (event instanceof RunEvent.OutputLine line) {
            characters.addAndGet(line.line().length());
          }
        })
        .build();
    ShStep step = ShStep.of("cat '" + log + "'");
    Pipeline.Builder pipeline = Pipeline.builder("print");
    if (mask) {
      for (String name : secrets.keySet()) {
        step = step.with(SecretBinding.asEnv(name, name.toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
        pipeline.addSecrets(new SecretRef(name));
      }
    }
    var plan = Planner.plan(pipeline.addStages(Stage.builder("Print").addSteps(step).build()).build(),
        RunContext.branch("main"));
    long start = System.nanoTime();
    RunResult result = engine.run(plan);
    double millis = (System.nanoTime() - start) / 1e6;
    if (result.status() != RunResult.Status.SUCCEEDED || characters.get() == 0) {
      throw new IllegalStateException("the benchmark's run ended " + result.status() + " after "
          + characters.get() + " characters of output");
    }
    return millis;
  }
}

package dev.otto.bench;

import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link MaskBenchmark} and prints the time of 256 MiB of output with and without masking
 * and their ratio (the target: masking costs at most 30% more, a ratio of at most 1.30; the goal:
 * 1.10).
 *
 * <p>Usage: {@code java -cp bench/target/otto-bench.jar dev.otto.bench.MaskCost [forks] [iterations]}.
 */
public final class MaskCost {
  /** Masking costs at most 30% more than no masking; the goal is 10%. */
  private static final double TARGET = 1.30;
  private static final double GOAL = 1.10;
  private MaskCost() {}

  public static void main(String[] args) throws Exception {
    int forks = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Map<String, Double> ms = new HashMap<>();
    for (RunResult result : new Runner(new OptionsBuilder()
        .include(MaskBenchmark.class.getSimpleName())
        .forks(forks)
        .warmupIterations(3)
        .measurementIterations(iterations)
        .jvmArgsAppend("-Xms1g", "-Xmx1g")
        .build()).run()) {
      ms.put(result.getParams().getBenchmark().replaceAll(".*\\.", ""), result.getPrimaryResult().getScore());
    }
    double plain = ms.get("lines");
    double masked = ms.get("maskedLines");
    System.out.println();
    System.out.printf("256 MiB into lines, no masking:        %8.1f ms (%.0f MiB/s)%n", plain, 256 / (plain / 1000));
    System.out.printf("256 MiB into lines, 100 secrets masked: %8.1f ms (%.0f MiB/s)%n", masked, 256 / (masked / 1000));
    System.out.printf("masked / unmasked = %.2f (target <= %.2f, goal %.2f)%n", masked / plain, TARGET, GOAL);
  }
}

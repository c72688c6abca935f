package dev.otto.bench;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link MaskBenchmark} and prints the time of 256 MiB of output with and without masking
 * and their ratio (the target: masking costs at most 30% more, a ratio of at most 1.30; the goal:
 * 1.10).
 *
 * <p>Each fork of one benchmark runs next to a fork of the other, in the order ABBA (unmasked,
 * masked, then masked, unmasked, and so on), rather than all forks of one before all of the
 * other: on a shared machine whose speed drifts over a minute, a ratio of two halves measured
 * apart says more about the drift than about masking. Every fork is still a JVM of its own.
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
    List<double[]> pairs = new ArrayList<>();
    for (int fork = 0; fork < forks; fork++) {
      double plain;
      double masked;
      if (fork % 2 == 0) {
        plain = measure("lines", iterations);
        masked = measure("maskedLines", iterations);
      } else {
        masked = measure("maskedLines", iterations);
        plain = measure("lines", iterations);
      }
      pairs.add(new double[] {plain, masked});
    }
    System.out.println();
    double plainSum = 0;
    double maskedSum = 0;
    for (int fork = 0; fork < pairs.size(); fork++) {
      double[] pair = pairs.get(fork);
      plainSum += pair[0];
      maskedSum += pair[1];
      System.out.printf("fork %d: %8.1f ms unmasked, %8.1f ms masked, ratio %.2f%n",
          fork + 1, pair[0], pair[1], pair[1] / pair[0]);
    }
    double plain = plainSum / pairs.size();
    double masked = maskedSum / pairs.size();
    System.out.printf("256 MiB into lines, no masking:        %8.1f ms (%.0f MiB/s)%n", plain, 256 / (plain / 1000));
    System.out.printf("256 MiB into lines, 100 secrets masked: %8.1f ms (%.0f MiB/s)%n", masked, 256 / (masked / 1000));
    System.out.printf("masked / unmasked = %.2f (target <= %.2f, goal %.2f)%n", masked / plain, TARGET, GOAL);
  }

  /** The mean time of one fork of {@code benchmark}, in milliseconds. */
  private static double measure(String benchmark, int iterations) throws RunnerException {
    RunResult result = new Runner(new OptionsBuilder()
        .include(MaskBenchmark.class.getSimpleName() + "\\." + benchmark + "$")
        .forks(1)
        .warmupIterations(3)
        .measurementIterations(iterations)
        .jvmArgsAppend("-Xms1g", "-Xmx1g")
        .build()).runSingle();
    return result.getPrimaryResult().getScore();
  }
}

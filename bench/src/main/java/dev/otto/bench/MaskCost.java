package dev.otto.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Prints what masking costs: the time of 256 MiB of build-log output turned into lines through a
 * masker holding 100 secrets, against the same output turned into lines without masking, and
 * their ratio (the target: at most 1.30; the goal: 1.10). The workload is {@link MaskBenchmark}'s.
 *
 * <p>Each fork is a JVM of its own that measures both streams, in turns: after a warm-up of both,
 * each round times one pass of each, in the order ABBA (unmasked then masked, then masked then
 * unmasked), and the fork reports the median of the rounds' ratios. A ratio of two passes a
 * fraction of a second apart holds on a shared machine whose speed changes from one minute to
 * the next, and between forks by half; the ratio of two benchmarks run in separate JVMs, or one
 * after the other, measures that change as much as it measures masking. The overall figure is
 * the mean of the forks' ratios.
 *
 * <p>Usage: {@code java -cp bench/target/otto-bench.jar dev.otto.bench.MaskCost [forks] [rounds]}
 * (3 forks of 10 rounds unless told otherwise).
 */
public final class MaskCost {
  /** Masking costs at most 30% more than no masking; the goal is 10%. */
  private static final double TARGET = 1.30;
  private static final double GOAL = 1.10;
  private static final int WARM_UP_ROUNDS = 5;
  private static final String FORK = "--fork";

  private MaskCost() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals(FORK)) {
      fork(Integer.parseInt(args[1]));
      return;
    }
    int forks = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    List<double[]> results = new ArrayList<>();
    for (int fork = 1; fork <= forks; fork++) {
      double[] result = runFork(rounds);
      results.add(result);
      System.out.printf("fork %d: %8.1f ms unmasked, %8.1f ms masked (medians), ratio %.2f (median of %d rounds)%n",
          fork, result[1], result[2], result[0], rounds);
    }
    double ratio = results.stream().mapToDouble(r -> r[0]).average().orElseThrow();
    double plain = results.stream().mapToDouble(r -> r[1]).average().orElseThrow();
    double masked = results.stream().mapToDouble(r -> r[2]).average().orElseThrow();
    System.out.printf("256 MiB into lines, no masking:         %8.1f ms (%.0f MiB/s)%n", plain, 256 / (plain / 1000));
    System.out.printf("256 MiB into lines, 100 secrets masked: %8.1f ms (%.0f MiB/s)%n", masked, 256 / (masked / 1000));
    System.out.printf("masked / unmasked = %.2f, the mean of %d forks (target <= %.2f, goal %.2f)%n",
        ratio, forks, TARGET, GOAL);
  }

  /** Runs one fork in a JVM of its own; returns its median ratio and median times. */
  private static double[] runFork(int rounds) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xms1g", "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), MaskCost.class.getName(), FORK, Integer.toString(rounds))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String last = null;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        last = line;
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || last == null) {
      throw new IllegalStateException("a fork of MaskCost failed with exit code " + exit
          + "; its errors are above");
    }
    return Arrays.stream(last.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
  }

  /**
   * In a fork: warms both streams up, times them in ABBA rounds, prints the median ratio, the
   * median times unmasked and masked, and the characters handed over.
   */
  private static void fork(int rounds) throws IOException {
    MaskBenchmark benchmark = new MaskBenchmark();
    benchmark.generate();
    long sink = 0;
    for (int round = 0; round < WARM_UP_ROUNDS; round++) {
      sink += benchmark.lines();
      sink += benchmark.maskedLines();
    }
    double[] plain = new double[rounds];
    double[] masked = new double[rounds];
    double[] ratios = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      long start = System.nanoTime();
      sink += round % 2 == 0 ? benchmark.lines() : benchmark.maskedLines();
      long middle = System.nanoTime();
      sink += round % 2 == 0 ? benchmark.maskedLines() : benchmark.lines();
      long end = System.nanoTime();
      double first = (middle - start) / 1e6;
      double second = (end - middle) / 1e6;
      plain[round] = round % 2 == 0 ? first : second;
      masked[round] = round % 2 == 0 ? second : first;
      ratios[round] = masked[round] / plain[round];
    }
    // Both streams hand every character to a listener; printing their sum keeps the work from
    // being skipped.
    System.out.printf(Locale.ROOT, "%.4f %.2f %.2f %d%n", median(ratios), median(plain), median(masked), sink);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}

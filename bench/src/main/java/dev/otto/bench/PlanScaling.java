package dev.otto.bench;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link PlanBenchmark} and prints the cost per step at each size, the ratio of the cost
 * per step at 100,000 steps to that at 10,000 (the target: at most 1.20) and at 300,000 to that
 * at 100,000, and the time to plan 100,000 steps (the target: well under a second).
 *
 * <p>Usage: {@code java -jar bench/target/otto-bench.jar [forks] [iterations]}.
 */
public final class PlanScaling {
  private PlanScaling() {}

  public static void main(String[] args) throws Exception {
    int forks = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Options options = new OptionsBuilder()
        .include(PlanBenchmark.class.getSimpleName())
        .forks(forks)
        .warmupIterations(5)
        .warmupTime(TimeValue.seconds(2))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(2))
        .jvmArgsAppend("-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch")
        .build();
    Collection<RunResult> results = new Runner(options).run();

    Map<String, Map<Integer, double[]>> byBenchmark = new TreeMap<>();
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark().replaceAll(".*\\.", "");
      int steps = Integer.parseInt(result.getParams().getParam("steps"));
      double ms = result.getPrimaryResult().getScore();
      double error = result.getPrimaryResult().getScoreError();
      byBenchmark.computeIfAbsent(name, k -> new TreeMap<>()).put(steps, new double[] {ms, error});
    }
    System.out.println();
    System.out.println("benchmark               steps      ms/op (±99.9%)     µs/step");
    byBenchmark.forEach((name, sizes) -> sizes.forEach((steps, score) -> System.out.printf(
        "%-22s %7d %10.2f (±%.2f) %11.3f%n", name, steps, score[0], score[1], score[0] * 1000 / steps)));
    System.out.println();
    byBenchmark.forEach((name, sizes) -> {
      double small = sizes.get(10_000)[0] / 10_000;
      double large = sizes.get(100_000)[0] / 100_000;
      double larger = sizes.get(300_000)[0] / 300_000;
      System.out.printf("%s: cost per step at 100,000 / at 10,000 steps = %.2f (target <= 1.20)%n", name,
          large / small);
      System.out.printf("%s: cost per step at 300,000 / at 100,000 steps = %.2f%n", name, larger / large);
    });
    double plan100k = byBenchmark.get("plan").get(100_000)[0];
    System.out.printf("plan: 100,000 steps in %.0f ms (target: well under 1000 ms)%n", plan100k);
  }
}

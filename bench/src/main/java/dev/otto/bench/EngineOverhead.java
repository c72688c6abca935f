package dev.otto.bench;

import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunResult;
import dev.otto.core.journal.FileJournal;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The engine's overhead against tools built for cheap command scheduling: 2,000 trivial
 * {@code true} steps, as 200 chains of 10 dependent steps, two at a time, run by Otto's engine
 * in this JVM, by {@code ninja -j2} and by {@code make -j2} on the equivalent build files, side by
 * side in one run, in rounds that run each once. Prints the median of each and the ratios (the
 * target: Otto, with its default journal, at most as slow as ninja; the goal: 0.7 of ninja's time).
 *
 * <p>The ratios are of the engine warmed up, as it runs in a host that has run a few pipelines:
 * before the rounds, Otto runs the benchmark's pipeline {@code warm-up} times with each journal
 * (6 by default), while the JIT compiles the engine's paths. On a 2-core machine the compiler
 * threads take a core away from the steps for the first several thousand steps, so a run measured
 * before that measures the compiler. The time of the first run in the fresh JVM is printed too.
 * Otto runs twice: with its default journal, which syncs to the disk by group commit in the
 * background, beginning a flush at most every 2 ms (a flush covers every outcome appended before
 * it began; neither ninja nor make flush anything), and with a journal that begins the next flush
 * as soon as the last ends ({@code FileJournal.batched(Duration.ZERO)}).
 *
 * <p>Usage: {@code java -cp bench/target/otto-bench.jar dev.otto.bench.EngineOverhead [runs] [warm-up]}.
 */
public final class EngineOverhead {
  private static final int CHAINS = 200;
  private static final int LENGTH = 10;
  /** Otto with its default journal at most as slow as ninja; the goal is 0.7 of its time. */
  private static final double TARGET = 1.0;
  private static final double GOAL = 0.7;

  private EngineOverhead() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    Path dir = Files.createTempDirectory("otto-engine-bench");
    writeBuildFiles(dir);
    Plan plan = plan();
    LocalEngine engine = LocalEngine.builder(dir.resolve("runs")).parallelism(2).build();
    LocalEngine eager = LocalEngine.builder(dir.resolve("runs"))
        .journal(FileJournal.in(dir.resolve("runs")).batched(Duration.ZERO)).parallelism(2).build();
    long coldStart = System.nanoTime();
    RunResult cold = engine.run(plan);
    double first = (System.nanoTime() - coldStart) / 1e6;
    if (cold.status() != RunResult.Status.SUCCEEDED) {
      throw new IllegalStateException("the benchmark's run failed: " + cold.status());
    }
    for (int i = 0; i < warmUp; i++) {
      run(engine, plan);
      run(eager, plan);
    }
    // One round runs each contender once, so that a machine whose load changes slows them alike.
    List<Runnable> contenders = List.of(() -> run(engine, plan), () -> run(eager, plan),
        () -> command(dir, "ninja", "-j2", "-f", "build.ninja", "-C", dir.toString()),
        () -> command(dir, "make", "-j2", "-s", "-B", "-f", "Makefile", "all"));
    double[] medians = medians(runs, contenders);
    double otto = medians[0];
    double ottoEager = medians[1];
    double ninja = medians[2];
    double make = medians[3];
    System.out.printf("2,000 trivial steps, 200 chains of 10, two at a time (median of %d rounds, after %d warm-up "
        + "runs of each journal)%n", runs, warmUp);
    System.out.printf("  otto engine (in-process): %7.0f ms   journal flushed by group commit, at most every 2 ms "
        + "(the default)%n", otto);
    System.out.printf("  otto engine (in-process): %7.0f ms   journal flushed by group commit, each flush as soon as "
        + "the last ends%n", ottoEager);
    System.out.printf("  otto engine, first run:   %7.0f ms   in the fresh JVM, while the JIT compiles the engine "
        + "(%.2f of ninja's time)%n", first, first / ninja);
    System.out.printf("  ninja -j2:                %7.0f ms%n", ninja);
    System.out.printf("  make -j2:                 %7.0f ms%n", make);
    System.out.printf("otto / ninja = %.2f (target <= %.2f, goal %.2f); otto / make = %.2f; flushing as soon as the "
        + "last flush ends: otto / ninja = %.2f, otto / make = %.2f%n", otto / ninja, TARGET, GOAL, otto / make,
        ottoEager / ninja, ottoEager / make);
  }

  private static void run(LocalEngine engine, Plan plan) {
    RunResult result = engine.run(plan);
    if (result.status() != RunResult.Status.SUCCEEDED) {
      throw new IllegalStateException("a run failed");
    }
  }

  static Plan plan() {
    Stage.Builder chains = Stage.builder("Chains").parallel(true);
    for (int c = 0; c < CHAINS; c++) {
      Stage.Builder chain = Stage.builder("Chain " + c);
      for (int s = 0; s < LENGTH; s++) {
        chain.addSteps(ShStep.of("true"));
      }
      chains.addStages(chain.build());
    }
    return Planner.plan(Pipeline.builder("overhead").addStages(chains.build()).build(), RunContext.branch("main"));
  }

  private static void writeBuildFiles(Path dir) throws IOException {
    // The same command as Otto's steps, with nothing written: each tool runs each command once.
    StringBuilder ninja = new StringBuilder("rule run\n  command = true\n\n");
    StringBuilder make = new StringBuilder(".PHONY: all\n");
    List<String> ends = new ArrayList<>();
    for (int c = 0; c < CHAINS; c++) {
      for (int s = 0; s < LENGTH; s++) {
        String target = "out/c" + c + "s" + s;
        String previous = s == 0 ? "" : "out/c" + c + "s" + (s - 1);
        ninja.append("build ").append(target).append(": run").append(previous.isEmpty() ? "" : " " + previous)
            .append('\n');
        make.append(target).append(":").append(previous.isEmpty() ? "" : " " + previous)
            .append("\n\t@true\n");
      }
      ends.add("out/c" + c + "s" + (LENGTH - 1));
    }
    make.insert(0, "all: " + String.join(" ", ends) + "\n");
    Files.createDirectories(dir.resolve("out"));
    Files.writeString(dir.resolve("build.ninja"), ninja);
    Files.writeString(dir.resolve("Makefile"), make);
  }

  private static void command(Path dir, String... command) {
    try {
      // Start from nothing built, as Otto's runs do.
      try (var files = Files.list(dir.resolve("out"))) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.delete(file);
        }
      }
      Files.deleteIfExists(dir.resolve(".ninja_log"));
      Files.deleteIfExists(dir.resolve(".ninja_deps"));
      Process process = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      if (process.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command[0] + "; is it installed?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The median time of each task over {@code runs} rounds, each round running every task once, in order. */
  private static double[] medians(int runs, List<Runnable> tasks) {
    double[][] times = new double[tasks.size()][runs];
    for (int i = 0; i < runs; i++) {
      for (int t = 0; t < tasks.size(); t++) {
        long start = System.nanoTime();
        tasks.get(t).run();
        times[t][i] = (System.nanoTime() - start) / 1e6;
      }
    }
    double[] medians = new double[tasks.size()];
    for (int t = 0; t < tasks.size(); t++) {
      Arrays.sort(times[t]);
      medians[t] = times[t][runs / 2];
    }
    return medians;
  }
}

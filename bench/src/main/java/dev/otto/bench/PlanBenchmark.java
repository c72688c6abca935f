package dev.otto.bench;

import dev.otto.core.explain.Explain;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of turning a definition into a plan: build with the DSL (which validates), plan for a
 * branch (which validates again, expands and lowers), and write the plan's JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PlanBenchmark {
  @Param({"1000", "10000", "100000", "300000"})
  public int steps;

  private Pipeline pipeline;
  private final RunContext context = RunContext.builder().branch("release/1.0").build();

  @Setup(Level.Trial)
  public void generate() {
    pipeline = Generated.pipeline(steps);
  }

  /** DSL build and validation, planning, and JSON: the whole path from code to a plan file. */
  @Benchmark
  public long buildPlanAndWriteJson() {
    Plan plan = Planner.plan(Generated.pipeline(steps), context);
    CountingStream out = new CountingStream();
    Explain.writeJson(plan, out);
    return out.count;
  }

  /** Where the JSON goes: counted, then dropped, so that no disk is measured. */
  static final class CountingStream extends java.io.OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      count += length;
    }
  }

  /** Planning alone (validation included) of an already built pipeline. */
  @Benchmark
  public Plan plan() {
    return Planner.plan(pipeline, context);
  }
}

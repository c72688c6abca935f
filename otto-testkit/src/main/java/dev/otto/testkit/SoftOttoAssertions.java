package dev.otto.testkit;

import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Plan;
import dev.otto.testkit.simulation.SimulatedRun;
import java.util.List;
import java.util.function.Consumer;

/**
 * Otto's assertions, collecting every failure instead of stopping at the first; {@link
 * #assertAll()} (or closing) reports them together, numbered.
 *
 * <pre>{@code
 * SoftOttoAssertions.assertSoftly(softly -> {
 *   softly.assertThat(plan).skips("Deploy > Production");
 *   softly.assertThat(plan).stage("Test").restoresCache("gems");
 * });
 * }</pre>
 */
public final class SoftOttoAssertions implements AutoCloseable {
  private final Failures failures = new Failures();

  /** Runs {@code assertions} softly and reports every failure at the end. */
  public static void assertSoftly(Consumer<SoftOttoAssertions> assertions) {
    try (SoftOttoAssertions softly = new SoftOttoAssertions()) {
      assertions.accept(softly);
    }
  }

  public PipelineAssert assertThat(Pipeline pipeline) {
    return new PipelineAssert(pipeline, failures);
  }

  public PlanAssert assertThat(Plan plan) {
    return new PlanAssert(plan, failures);
  }

  public RunResultAssert assertThat(RunResult result) {
    return new RunResultAssert(result, failures);
  }

  public SimulatedRunAssert assertThat(SimulatedRun run) {
    return new SimulatedRunAssert(run, failures);
  }

  /** The failures so far. */
  public List<AssertionError> errors() {
    return failures.errors();
  }

  /** Fails with every failure collected, numbered, if there is any. */
  public void assertAll() {
    List<AssertionError> errors = failures.errors();
    if (errors.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder("\n" + errors.size() + (errors.size() == 1 ? " assertion" : " assertions")
        + " failed:\n");
    for (int i = 0; i < errors.size(); i++) {
      message.append("\n").append(i + 1).append(")").append(errors.get(i).getMessage().replace("\n", "\n   "))
          .append("\n");
    }
    AssertionError all = new AssertionError(message.toString());
    errors.forEach(all::addSuppressed);
    throw all;
  }

  @Override
  public void close() {
    assertAll();
  }
}

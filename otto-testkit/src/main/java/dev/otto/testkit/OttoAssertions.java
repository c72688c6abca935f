package dev.otto.testkit;

import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.testkit.simulation.SimulatedRun;

/**
 * The entry point to Otto's assertions, in AssertJ's style: {@code assertThat} a pipeline (its
 * structure, whatever the context), a plan (what a context decides), a run's result, or a
 * simulated run.
 *
 * <pre>{@code
 * import static dev.otto.testkit.OttoAssertions.assertThat;
 * import static dev.otto.testkit.OttoAssertions.plan;
 *
 * assertThat(webapp).stage("Deploy > Production").runsAfter("Deploy > Pre-production").isGatedByApproval();
 * assertThat(plan(webapp, RunContext.branch("feature/login"))).skips("Deploy > Production", "branch");
 * }</pre>
 *
 * <p>It extends AssertJ's {@link org.assertj.core.api.Assertions}, so that one static import
 * gives AssertJ's assertions too: {@code assertThat(run.waits()).hasSize(1)} beside Otto's. To see
 * every failure of a test at once, use {@link SoftOttoAssertions}.
 */
public class OttoAssertions extends org.assertj.core.api.Assertions {
  /** For a test suite's own entry point that adds its assertions to these. */
  protected OttoAssertions() {}

  public static PipelineAssert assertThat(Pipeline pipeline) {
    return new PipelineAssert(pipeline, null);
  }

  public static PlanAssert assertThat(Plan plan) {
    return new PlanAssert(plan, null);
  }

  public static RunResultAssert assertThat(RunResult result) {
    return new RunResultAssert(result, null);
  }

  public static SimulatedRunAssert assertThat(SimulatedRun run) {
    return new SimulatedRunAssert(run, null);
  }

  /** The plan of {@code pipeline} for {@code context}: a shorthand for {@link Planner#plan(Pipeline, RunContext)}. */
  public static Plan plan(Pipeline pipeline, RunContext context) {
    return Planner.plan(pipeline, context);
  }
}

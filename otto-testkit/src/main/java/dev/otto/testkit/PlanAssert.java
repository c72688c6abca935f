package dev.otto.testkit;

import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.StageStatus;
import java.util.List;

/**
 * Assertions on what a plan decided for its context: which stages run, which are skipped and
 * why, which the context leaves undecided.
 *
 * <pre>{@code
 * assertThat(plan(webapp, RunContext.branch("feature/x"))).skips("Deploy > Production").runs("Build", "Test");
 * }</pre>
 */
public final class PlanAssert extends OttoAssert<PlanAssert, Plan> {

  PlanAssert(Plan plan, Failures failures) {
    super(plan, PlanAssert.class, failures);
  }

  private String name() {
    return "the plan of pipeline '" + actual.pipeline() + "' (" + actual.context() + ")";
  }

  /** Each of these stages runs. */
  public PlanAssert runs(String... stages) {
    for (String id : stages) {
      status(id, StageStatus.RUN, null);
    }
    return myself;
  }

  /** The stage is skipped. */
  public PlanAssert skips(String stage) {
    return status(stage, StageStatus.SKIP, null);
  }

  /** The stage is skipped, for a reason containing {@code because}. */
  public PlanAssert skips(String stage, String because) {
    return status(stage, StageStatus.SKIP, because);
  }

  /** The context does not decide whether the stage runs. */
  public PlanAssert leavesUndecided(String stage) {
    return status(stage, StageStatus.UNDECIDED, null);
  }

  /** The stages start in this order (other stages may come between). */
  public PlanAssert ordersStages(String... stages) {
    List<String> ids = actual.stages().stream().map(PlannedStage::id).toList();
    boolean ordered = true;
    int last = -1;
    for (String id : stages) {
      int at = ids.indexOf(id);
      ordered &= at > last;
      last = Math.max(last, at);
    }
    return check(ordered, "\nExpecting " + name() + "\nto order the stages:\n  " + List.of(stages)
        + "\nbut its order is:\n  " + ids);
  }

  /** Assertions on the stage {@code id}. */
  public StageAssert stage(String id) {
    PlannedStage stage = actual.stage(id).orElse(null);
    if (stage == null) {
      throw new AssertionError("\nExpecting " + name() + " to have the stage:\n  " + quote(id)
          + "\nbut its stages are:\n  " + actual.stages().stream().map(PlannedStage::id).toList());
    }
    return new StageAssert(actual, stage, failures);
  }

  private PlanAssert status(String id, StageStatus expected, String because) {
    isNotNull();
    PlannedStage stage = actual.stage(id).orElse(null);
    if (stage == null) {
      return check(false, "\nExpecting " + name() + "\nto have the stage:\n  " + quote(id)
          + "\nbut its stages are:\n  " + actual.stages().stream().map(PlannedStage::id).toList());
    }
    String was = stage.status().word() + stage.reason().map(r -> " (" + r + ")").orElse("");
    check(stage.status() == expected, "\nExpecting " + name() + "\nto say that stage:\n  " + quote(id) + "\n"
        + expected.word() + "\nbut it " + (stage.status() == StageStatus.UNDECIDED ? "is " : "") + was);
    if (because != null && stage.status() == expected) {
      check(stage.reason().filter(r -> r.contains(because)).isPresent(), "\nExpecting " + name()
          + "\nto skip stage:\n  " + quote(id) + "\nbecause of:\n  " + quote(because) + "\nbut the reason is:\n  "
          + stage.reason().map(OttoAssert::quote).orElse("none"));
    }
    return myself;
  }
}

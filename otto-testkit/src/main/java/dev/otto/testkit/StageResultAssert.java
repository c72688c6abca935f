package dev.otto.testkit;

import dev.otto.core.engine.RunResult;

/** Assertions on how one stage of a run ended. */
public final class StageResultAssert extends OttoAssert<StageResultAssert, RunResult.StageResult> {
  private final String pipeline;

  StageResultAssert(String pipeline, RunResult.StageResult stage, Failures failures) {
    super(stage, StageResultAssert.class, failures);
    this.pipeline = pipeline;
  }

  public StageResultAssert succeeded() {
    return status(RunResult.Status.SUCCEEDED, null);
  }

  public StageResultAssert failed() {
    return status(RunResult.Status.FAILED, null);
  }

  /** The stage failed, for a reason containing {@code because}. */
  public StageResultAssert failedBecause(String because) {
    return status(RunResult.Status.FAILED, because);
  }

  public StageResultAssert wasSkipped() {
    return status(RunResult.Status.SKIPPED, null);
  }

  /** The stage was skipped, for a reason containing {@code because}. */
  public StageResultAssert wasSkippedBecause(String because) {
    return status(RunResult.Status.SKIPPED, because);
  }

  public StageResultAssert wasCancelled() {
    return status(RunResult.Status.CANCELLED, null);
  }

  private StageResultAssert status(RunResult.Status expected, String because) {
    String was = actual.status() + actual.reason().map(r -> " (" + r + ")").orElse("");
    check(actual.status() == expected, "\nExpecting stage '" + actual.id() + "' of the run of pipeline '" + pipeline
        + "' to have " + expected + "\nbut it " + was);
    if (because != null && actual.status() == expected) {
      check(actual.reason().filter(r -> r.contains(because)).isPresent(), "\nExpecting stage '" + actual.id()
          + "' of the run of pipeline '" + pipeline + "' to have " + expected + " because of:\n  " + quote(because)
          + "\nbut the reason is:\n  " + actual.reason().map(OttoAssert::quote).orElse("none"));
    }
    return myself;
  }
}

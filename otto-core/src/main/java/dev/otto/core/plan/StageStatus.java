package dev.otto.core.plan;

/** What the plan decided about a stage, given the run context. */
public enum StageStatus {
  /** The stage runs. */
  RUN,
  /** The context decided the stage does not run; the plan says why. */
  SKIP,
  /** The stage runs or not depending on what the context does not say yet. */
  UNDECIDED;

  public String word() {
    return switch (this) {
      case RUN -> "runs";
      case SKIP -> "skipped";
      case UNDECIDED -> "conditional";
    };
  }
}

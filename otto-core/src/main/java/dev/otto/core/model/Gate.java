package dev.otto.core.model;

/**
 * What must hold before a stage starts (an enter gate) or before it counts as done (an exit
 * gate). A {@link ConditionGate} is decided from the run context when the run is planned; the
 * others are waits on the outside world, each with a timeout.
 */
public sealed interface Gate permits ConditionGate, ApprovalGate, WebhookGate, PollGate {

  /** What happens when a wait's timeout passes. */
  enum OnTimeout {
    /** The stage fails (the default). */
    FAIL,
    /** The gate counts as passed and the stage goes on. */
    CONTINUE
  }

  /** A short text for explain output. */
  String describe();
}

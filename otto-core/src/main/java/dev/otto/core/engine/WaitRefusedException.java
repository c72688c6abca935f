package dev.otto.core.engine;

import dev.otto.core.OttoException;

/**
 * A decision or callback the engine refused. Nothing changed: the wait, if there is one, is
 * still pending.
 */
public final class WaitRefusedException extends OttoException {
  private static final long serialVersionUID = 1L;

  /** Why it was refused. */
  public enum Reason {
    /** No run of this engine has that id. */
    UNKNOWN_RUN,
    /** The run has no pending wait of that id. */
    UNKNOWN_WAIT,
    /** No wait of a run of this engine was given that token. */
    UNKNOWN_TOKEN,
    /** The wait was resolved already; a token works once. */
    ALREADY_RESOLVED,
    /** The wait timed out or was cancelled. */
    EXPIRED,
    /** The decider is not among the approval's approvers. */
    NOT_ALLOWED,
    /** The wait is of another kind: an approval is decided, a webhook is called, a poll resolves itself. */
    WRONG_KIND
  }

  private final Reason reason;

  public WaitRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

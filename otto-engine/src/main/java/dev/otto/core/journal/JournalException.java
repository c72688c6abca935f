package dev.otto.core.journal;

import dev.otto.core.OttoException;

/** A journal cannot be created, read, written or leased; the message says which run and why. */
public final class JournalException extends OttoException {
  private static final long serialVersionUID = 1L;

  /** Why a journal operation failed. */
  public enum Reason {
    /** The run has no journal. */
    NOT_FOUND,
    /** A new run's journal already exists. */
    EXISTS,
    /** Another holder (another engine, here or in another process) has the run. */
    LEASED,
    /** An entry before the last is damaged: the run's state cannot be rebuilt safely. */
    CORRUPT,
    /** Storage failed. */
    IO
  }

  private final Reason reason;

  public JournalException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public JournalException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

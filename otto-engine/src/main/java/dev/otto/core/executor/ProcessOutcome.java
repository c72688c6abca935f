package dev.otto.core.executor;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * How a process ended.
 *
 * @param status why it ended
 * @param exitCode its exit status, when it exited by itself
 * @param duration from start to the end of its output
 * @param detail a sentence for events and logs, masked
 */
public record ProcessOutcome(Status status, OptionalInt exitCode, Duration duration, String detail) {

  /** Why a process ended. */
  public enum Status {
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    CANCELLED,
    /** It could not be started. */
    NOT_STARTED
  }

  public ProcessOutcome {
    requireNonNull(status, "status");
    requireNonNull(exitCode, "exitCode");
    requireNonNull(duration, "duration");
    requireNonNull(detail, "detail");
  }

  public boolean succeeded() {
    return status == Status.SUCCEEDED;
  }
}

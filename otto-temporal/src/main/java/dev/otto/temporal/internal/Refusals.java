package dev.otto.temporal.internal;

import dev.otto.core.engine.WaitRefusedException;
import io.temporal.failure.ApplicationFailure;

/** Refusals of updates travel as application failures whose type is the refusal's reason. */
public final class Refusals {
  private Refusals() {}

  static final String PREFIX = "OttoRefused.";

  static ApplicationFailure refuse(WaitRefusedException.Reason reason, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, PREFIX + reason.name());
  }

  /** The refusal an update failure stands for, if it is one. */
  public static java.util.Optional<WaitRefusedException> of(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ApplicationFailure application && application.getType() != null
          && application.getType().startsWith(PREFIX)) {
        WaitRefusedException.Reason reason = WaitRefusedException.Reason.valueOf(
            application.getType().substring(PREFIX.length()));
        return java.util.Optional.of(new WaitRefusedException(reason, application.getOriginalMessage()));
      }
    }
    return java.util.Optional.empty();
  }
}

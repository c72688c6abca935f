package dev.otto.temporal.internal;

import dev.otto.core.engine.WaitRefusedException;
import io.temporal.failure.ApplicationFailure;
import java.util.Optional;

/**
 * Refusals of updates travel as application failures whose message starts with the refusal's
 * reason, in brackets: the SDK hands a validator's failure to the caller with its message intact,
 * but not always with its type.
 */
public final class Refusals {
  private Refusals() {}

  private static final String PREFIX = "[refused: ";

  static ApplicationFailure refuse(WaitRefusedException.Reason reason, String message) {
    return ApplicationFailure.newNonRetryableFailure(PREFIX + reason.name() + "] " + message, "OttoRefused");
  }

  /** A refusal worded by one of {@link WaitRefusedException}'s factories, which every engine shares. */
  static ApplicationFailure refuse(WaitRefusedException refusal) {
    return refuse(refusal.reason(), refusal.getMessage());
  }

  /** The refusal an update failure stands for, if it is one. */
  public static Optional<WaitRefusedException> of(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ApplicationFailure application) {
        String message = application.getOriginalMessage();
        int end = message == null ? -1 : message.indexOf("] ");
        if (end > 0 && message.startsWith(PREFIX)) {
          try {
            WaitRefusedException.Reason reason = WaitRefusedException.Reason.valueOf(
                message.substring(PREFIX.length(), end));
            return Optional.of(new WaitRefusedException(reason, message.substring(end + 2)));
          } catch (IllegalArgumentException e) {
            return Optional.empty();
          }
        }
      }
    }
    return Optional.empty();
  }
}

package dev.otto.core;

/**
 * The root of every domain failure Otto reports: an invalid pipeline, a run context that does
 * not fit the pipeline, a plan that cannot be made. Misuse of the API (a {@code null} argument,
 * a call in the wrong state) is reported with the JDK's {@link NullPointerException},
 * {@link IllegalArgumentException} and {@link IllegalStateException} instead.
 */
public class OttoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OttoException(String message) {
    super(message);
  }

  public OttoException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.otto.core.secret;

import dev.otto.core.OttoException;

/** A secret could not be resolved. The message names the secret and says why, never a value. */
public final class SecretResolutionException extends OttoException {
  private static final long serialVersionUID = 1L;
  private final String secret;

  public SecretResolutionException(String secret, String message) {
    super(message);
    this.secret = secret;
  }

  public SecretResolutionException(String secret, String message, Throwable cause) {
    super(message, cause);
    this.secret = secret;
  }

  /** The name of the secret that could not be resolved. */
  public String secret() {
    return secret;
  }
}

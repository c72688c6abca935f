package dev.otto.core.model;

import static java.util.Objects.requireNonNull;

/**
 * How one step receives one secret: by name only, never by value. The value is fetched by the
 * executor when the step starts and delivered either as an environment variable or as a private
 * temporary file whose path is in the environment variable.
 */
public record SecretBinding(String secret, Delivery delivery, String variable) {

  /** How a secret reaches a step. */
  public enum Delivery {
    /** The value itself in the environment variable. */
    ENV,
    /** The path of a file readable only by the step's user, holding the value. */
    FILE
  }

  public SecretBinding {
    requireNonNull(secret, "secret");
    requireNonNull(delivery, "delivery");
    requireNonNull(variable, "variable");
  }

  public static SecretBinding asEnv(String secret, String variable) {
    return new SecretBinding(secret, Delivery.ENV, variable);
  }

  public static SecretBinding asFile(String secret, String variable) {
    return new SecretBinding(secret, Delivery.FILE, variable);
  }

  @Override
  public String toString() {
    return "secret " + secret + (delivery == Delivery.ENV ? " as $" : " as file $") + variable;
  }
}

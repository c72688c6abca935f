package dev.otto.core.secret;

import static java.util.Objects.requireNonNull;

/**
 * A secret's value, as a secret provider returns it. It never shows its value by accident:
 * {@code toString()} gives only the secret's name, and there is no {@code equals} by value. The
 * value comes out only through {@link #reveal()}, which an executor calls at the moment a step
 * that binds the secret starts.
 */
public final class SecretValue {
  private final String name;
  private final String value;

  private SecretValue(String name, String value) {
    this.name = name;
    this.value = value;
  }

  /** Wraps {@code value} of the secret {@code name}. */
  public static SecretValue of(String name, String value) {
    return new SecretValue(requireNonNull(name, "secret name"), requireNonNull(value, "value of secret " + name));
  }

  public String name() {
    return name;
  }

  /** The value itself. Pass it only to the process that needs it, and to the masker. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "SecretValue[" + name + ", " + SecretMasker.MASK + "]";
  }
}

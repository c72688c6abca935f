package dev.otto.core.model;

import static java.util.Objects.requireNonNull;

/**
 * A declared secret, by name. There is no way to get a secret's value from the model: values
 * exist only inside an executor while a step that binds the secret runs.
 */
public record SecretRef(String name) {
  public SecretRef {
    requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return "secret(" + name + ")";
  }
}

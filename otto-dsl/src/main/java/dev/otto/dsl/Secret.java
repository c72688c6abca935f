package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;

/**
 * A typed handle on a declared secret. It holds the secret's name and nothing else: there is no
 * way to read a value from it, and its {@code toString()} shows only the name. A step receives
 * the value by binding it:
 *
 * <pre>{@code
 * var key = p.secret("heroku-api-key");
 * sh("git push heroku production").with(key.asEnv("HEROKU_API_KEY"));
 * }</pre>
 */
public final class Secret {
  private final String name;

  Secret(String name) {
    this.name = requireNonNull(name, "name");
  }

  public String name() {
    return name;
  }

  /** The step receives the value in environment variable {@code variable}. */
  public SecretBinding asEnv(String variable) {
    return SecretBinding.asEnv(name, requireNonNull(variable, "variable"));
  }

  /** The step receives a private file holding the value; {@code variable} holds its path. */
  public SecretBinding asFile(String variable) {
    return SecretBinding.asFile(name, requireNonNull(variable, "variable"));
  }

  /** The model's reference, for library configuration and arguments. */
  public SecretRef ref() {
    return new SecretRef(name);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "secret(" + name + ")";
  }
}

package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

/** A typed handle on a declared environment, for {@code StageSpec.environment(...)}. */
public final class EnvironmentRef {
  private final String name;

  EnvironmentRef(String name) {
    this.name = requireNonNull(name, "name");
  }

  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnvironmentRef other && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "environment '" + name + "'";
  }
}

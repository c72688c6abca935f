package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

/** A typed handle on a declared cache, for {@code saves(...)} and {@code restores(...)}. */
public final class CacheRef {
  private final String name;

  CacheRef(String name) {
    this.name = requireNonNull(name, "name");
  }

  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheRef other && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "cache '" + name + "'";
  }
}

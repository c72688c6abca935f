package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.StagePath;

/** A typed handle on a declared stage, for {@code after(...)} and {@code sameAs(...)}. */
public final class StageRef {
  private final StagePath path;

  StageRef(StagePath path) {
    this.path = requireNonNull(path, "path");
  }

  public StagePath path() {
    return path;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StageRef other && path.equals(other.path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return "stage '" + path + "'";
  }
}

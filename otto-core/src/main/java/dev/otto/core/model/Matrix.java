package dev.otto.core.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Runs a stage once for every combination of axis values, in parallel. Planning expands a stage
 * with a matrix into a group of the same name with one child per combination; the child's name
 * is the combination's values joined by {@code ", "} (for example {@code linux, jdk17}), or the
 * {@link #nameTemplate()} with its placeholders replaced.
 *
 * <p>In the stage's scripts, environment values, runtime image and label, and the name template,
 * {@code ${matrix.AXIS}} stands for the cell's value of {@code AXIS}.
 */
@Value.Immutable
public abstract class Matrix {

  /** Axis names to their values, in declaration order; the first axis varies slowest. */
  public abstract Map<String, List<String>> axes();

  public abstract Optional<String> nameTemplate();

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Matrix}. */
  public static final class Builder extends ImmutableMatrix.Builder {}
}

package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Matrix;
import dev.otto.dsl.internal.Args;
import java.util.Arrays;

/**
 * Configures a stage's matrix: the stage runs once per combination of axis values, in parallel.
 *
 * <pre>{@code
 * p.stage("Build", s -> {
 *   var platform = s.matrix().axis("platform", "win10", "macos", "linux-jdk12", "linux-jdk8");
 *   s.runtime(agent(platform.value())).steps(sh("./gradlew check"));
 * });
 * }</pre>
 */
public final class MatrixSpec {
  private final Matrix.Builder builder = Matrix.builder();

  MatrixSpec() {}

  /** Adds an axis; the returned handle's {@link Axis#value()} stands for the cell's value. */
  public Axis axis(String name, String... values) {
    requireNonNull(name, "axis name");
    builder.putAxes(name, Arrays.asList(Args.each("value", "values of axis " + name, values)));
    return new Axis(name);
  }

  /**
   * Names each combination's stage, e.g. {@code "${matrix.os} on ${matrix.jdk}"}; by default
   * the values are joined by {@code ", "}.
   */
  public MatrixSpec nameTemplate(String template) {
    builder.nameTemplate(requireNonNull(template, "template"));
    return this;
  }

  Matrix build() {
    return builder.build();
  }

  /** One axis of a matrix. */
  public static final class Axis {
    private final String name;

    Axis(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }

    /** The placeholder {@code ${matrix.NAME}}, replaced by each combination's value when planned. */
    public String value() {
      return "${matrix." + name + "}";
    }

    @Override
    public String toString() {
      return value();
    }
  }
}

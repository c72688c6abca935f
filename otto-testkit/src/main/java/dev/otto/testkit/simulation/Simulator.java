package dev.otto.testkit.simulation;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Pipeline;
import java.nio.file.Path;

/**
 * Makes {@link Simulation}s whose runs keep their workspaces under one directory; the JUnit
 * extension ({@link dev.otto.testkit.junit.OttoExtension}) gives each test one and removes the
 * directory afterwards.
 */
public final class Simulator {
  private final Path root;

  private Simulator(Path root) {
    this.root = root;
  }

  /** A simulator keeping its runs' workspaces under {@code root}. */
  public static Simulator in(Path root) {
    return new Simulator(requireNonNull(root, "root"));
  }

  /** A new simulation of {@code pipeline}. */
  public Simulation simulate(Pipeline pipeline) {
    return Simulation.of(pipeline, root);
  }

  /** Where the runs' workspaces are. */
  public Path root() {
    return root;
  }
}

package dev.otto.core.model;

import static java.util.Objects.requireNonNull;

/**
 * Where a stage's steps run. A runtime is matched to an executor when a run starts; explain shows
 * the runtime of every stage. A stage without a runtime uses its parent's, and a top-level
 * stage without one runs as a local process.
 */
public sealed interface Runtime {

  /** A process on the machine of the engine, in the run's workspace. */
  static Runtime local() {
    return Local.INSTANCE;
  }

  /** A container started from {@code image}, with the workspace mounted. */
  static Runtime container(String image) {
    return new Container(requireNonNull(image, "image"));
  }

  /** Any agent that carries {@code label}. */
  static Runtime agent(String label) {
    return new Agent(requireNonNull(label, "label"));
  }

  /** The runtime of another stage, which must run before this one. */
  static Runtime sameAs(StagePath stage) {
    return new SameAs(requireNonNull(stage, "stage"));
  }

  /** A short text for explain output, e.g. {@code container ruby}. */
  String describe();

  /** A process on the engine's own machine. */
  enum Local implements Runtime {
    INSTANCE;

    @Override
    public String describe() {
      return "local";
    }
  }

  /** A container image. */
  record Container(String image) implements Runtime {
    public Container {
      requireNonNull(image, "image");
    }

    @Override
    public String describe() {
      return "container " + image;
    }
  }

  /** An agent selected by label. */
  record Agent(String label) implements Runtime {
    public Agent {
      requireNonNull(label, "label");
    }

    @Override
    public String describe() {
      return "agent " + label;
    }
  }

  /** The same runtime as another stage. */
  record SameAs(StagePath stage) implements Runtime {
    public SameAs {
      requireNonNull(stage, "stage");
    }

    @Override
    public String describe() {
      return "same as '" + stage + "'";
    }
  }
}

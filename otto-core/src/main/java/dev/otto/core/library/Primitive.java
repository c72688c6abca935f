package dev.otto.core.library;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Map;

/**
 * What one call of a library action does, as data: a process to run, an event to emit, an
 * artifact to store or to restore. {@link StepLibrary#expand} returns them and planning turns
 * each into one op of the plan, with the guard of the step that made the call, so a library
 * speaks only this small vocabulary and never the plan's own.
 */
public sealed interface Primitive {

  /**
   * Runs {@code script} as a separate process, with no timeout and no retries.
   *
   * @param label what explain and the run's events call the process
   * @param env plain environment variables, in order
   * @param secrets environment variable to the name of the declared secret whose value it holds,
   *     in order; values are never part of a plan
   */
  record Run(String label, String script, Map<String, String> env, Map<String, String> secrets)
      implements Primitive {
    public Run {
      requireNonNull(label, "label");
      requireNonNull(script, "script");
      env = ImmutableMap.copyOf(env);
      secrets = ImmutableMap.copyOf(secrets);
    }
  }

  /** Hands an event to the host, a notification it delivers itself, for example. */
  record Emit(String event, String message) implements Primitive {
    public Emit {
      requireNonNull(event, "event");
      requireNonNull(message, "message");
    }
  }

  /** Keeps workspace paths as a named artifact of the run. */
  record StoreArtifact(String name, List<String> paths) implements Primitive {
    public StoreArtifact {
      requireNonNull(name, "name");
      paths = List.copyOf(paths);
    }
  }

  /**
   * Puts the files of an artifact back in the workspace: one stored earlier in the run, or, with
   * {@code deployedTo}, the one last deployed with success to that environment (a promotion).
   */
  record RestoreArtifact(String name, java.util.Optional<String> deployedTo) implements Primitive {
    public RestoreArtifact {
      requireNonNull(name, "name");
      requireNonNull(deployedTo, "deployedTo");
    }

    /** Restores the artifact stored earlier in the run. */
    public RestoreArtifact(String name) {
      this(name, java.util.Optional.empty());
    }
  }
}

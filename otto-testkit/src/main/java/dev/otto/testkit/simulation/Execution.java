package dev.otto.testkit.simulation;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One process the simulated engine asked for: what it was, what it received, how it ended. It
 * holds the names of the secrets the process received, never their values.
 *
 * @param stage the stage's path, e.g. {@code Deploy > Production}
 * @param kind a step, a notification (a step guarded by the stage's outcome), or a poll's probe
 * @param label the step's label
 * @param script the script
 * @param env the plain variables Otto gave it: environment settings and the step's own
 * @param secrets the names of the secrets it received, in binding order
 * @param at when it started, in virtual time
 * @param exitCode the exit code the simulation scripted
 */
public record Execution(String stage, Kind kind, String label, String script, Map<String, String> env,
    List<String> secrets, Instant at, int exitCode) {

  /** What a process was to its stage. */
  public enum Kind {
    STEP,
    NOTIFICATION,
    PROBE
  }

  public Execution {
    requireNonNull(stage, "stage");
    requireNonNull(kind, "kind");
    requireNonNull(label, "label");
    requireNonNull(script, "script");
    env = Map.copyOf(env);
    secrets = List.copyOf(secrets);
    requireNonNull(at, "at");
  }
}

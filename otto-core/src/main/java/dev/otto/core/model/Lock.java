package dev.otto.core.model;

import static java.util.Objects.requireNonNull;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * A named lock a stage holds from its start until it ends, however it ends, so that one run at
 * a time deploys somewhere: every run that asks for {@code production} waits for the one that
 * holds it, as {@link #mode()} says. A lock declared on an environment is taken by every stage
 * that deploys to it; a group's lock is held while its children run, and they do not take it again.
 *
 * <p>A stage waits for its lock at most {@link #MAX_WAIT}, or its own timeout when shorter, then
 * fails.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Lock(String name, LockMode mode) {
  /** The longest a stage waits for a lock before it fails. */
  public static final Duration MAX_WAIT = Duration.ofHours(24);

  public Lock {
    requireNonNull(name, "name");
    requireNonNull(mode, "mode");
  }

  /** A lock whose waiting runs queue. */
  public static Lock queue(String name) {
    return new Lock(name, LockMode.QUEUE);
  }

  @Override
  public String toString() {
    return "lock(" + name + ", " + mode + ")";
  }
}

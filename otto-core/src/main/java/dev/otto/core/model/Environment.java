package dev.otto.core.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.immutables.value.Value;

/**
 * A place a stage deploys to, such as {@code preprod} or {@code production}: plain settings
 * every step of the stage sees as environment variables, the secrets it needs, and its
 * protection.
 *
 * <p>Protection is decided when a run is planned: a stage deploying to an environment whose
 * {@link #allowedBranches()} do not match the run's branch is skipped with that reason, and an
 * environment that {@link #requiresApproval()} puts an approval in front of every stage that
 * deploys to it.
 */
@Value.Immutable
public abstract class Environment {

  public abstract String name();

  /** Plain (not secret) values, exported to the stage's steps, in insertion order. */
  public abstract Map<String, String> settings();

  /** Secrets every step deploying here receives as environment variables. */
  public abstract List<SecretBinding> secrets();

  /** Globs of the branches allowed to deploy here; every branch when empty. */
  public abstract List<String> allowedBranches();

  /** The locks every stage deploying here holds while it runs: one deployment at a time. */
  public abstract List<Lock> locks();

  /** Whether a person must approve each deployment. */
  @Value.Default
  public boolean requiresApproval() {
    return false;
  }

  /** How long a deployment approval stays open. */
  @Value.Default
  public Duration approvalTimeout() {
    return Duration.ofHours(24);
  }

  public static Builder builder(String name) {
    return new Builder().name(name);
  }

  /** Builds an {@link Environment}. */
  public static final class Builder extends ImmutableEnvironment.Builder {}
}

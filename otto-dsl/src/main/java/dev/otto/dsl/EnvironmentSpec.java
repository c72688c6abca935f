package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Environment;
import dev.otto.core.model.Lock;
import dev.otto.core.model.LockMode;
import dev.otto.core.model.SecretBinding;
import dev.otto.dsl.internal.Args;
import java.time.Duration;

/**
 * Configures an environment: its settings, the secrets every deploying step receives, and its
 * protection.
 *
 * <pre>{@code
 * var production = p.environment("production", e -> e
 *     .setting("RAILS_ENV", "production")
 *     .secret(key.asEnv("HEROKU_API_KEY"))
 *     .allowBranches("master")
 *     .requireApproval(Duration.ofHours(4)));
 * }</pre>
 */
public final class EnvironmentSpec {
  private final Environment.Builder builder;

  EnvironmentSpec(String name) {
    this.builder = Environment.builder(name);
  }

  /** A plain (not secret) value exported to the steps of stages deploying here. */
  public EnvironmentSpec setting(String variable, String value) {
    builder.putSettings(requireNonNull(variable, "setting name"), requireNonNull(value, "value of setting " + variable));
    return this;
  }

  /** A secret every step of stages deploying here receives. */
  public EnvironmentSpec secret(SecretBinding binding) {
    builder.addSecrets(requireNonNull(binding, "binding"));
    return this;
  }

  /**
   * Only runs on branches matching one of {@code globs} may deploy here; others skip the stage.
   *
   * @throws IllegalArgumentException when no glob is given: an environment without this call
   *     allows every branch, so an empty list cannot mean "none" and would silently mean "all"
   */
  public EnvironmentSpec allowBranches(String... globs) {
    if (Args.each("branch glob", "globs", globs).length == 0) {
      throw new IllegalArgumentException("allowBranches() needs at least one branch glob, e.g. allowBranches(\"main\", "
          + "\"release/*\"); to let every branch deploy, leave the call out");
    }
    for (String glob : globs) {
      builder.addAllowedBranches(glob);
    }
    return this;
  }

  /** A person must approve each deployment within {@code timeout}. */
  public EnvironmentSpec requireApproval(Duration timeout) {
    builder.requiresApproval(true).approvalTimeout(requireNonNull(timeout, "timeout"));
    return this;
  }

  /**
   * Every stage deploying here holds lock {@code name} while it runs, as {@link
   * StageSpec#lock(String, LockMode)} would: one deployment at a time, in {@code mode}.
   */
  public EnvironmentSpec lock(String name, LockMode mode) {
    builder.addLocks(new Lock(requireNonNull(name, "lock name"), requireNonNull(mode, "mode")));
    return this;
  }

  /** Every stage deploying here holds lock {@code name} while it runs, runs waiting in line. */
  public EnvironmentSpec lock(String name) {
    return lock(name, LockMode.QUEUE);
  }

  Environment build() {
    return builder.build();
  }
}

package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Condition;

/**
 * A typed handle on a declared parameter, whose conditions can only compare it with values of
 * its own type.
 *
 * <pre>{@code
 * Param<Boolean> deploy = p.booleanParam("deploy", true, "Deploy after a green build");
 * p.stage("Deploy", s -> s.when(deploy.isTrue()).steps(sh("./deploy.sh")));
 * }</pre>
 *
 * @param <T> the Java type of the parameter's values
 */
public final class Param<T> {
  private final String name;

  Param(String name) {
    this.name = requireNonNull(name, "name");
  }

  public String name() {
    return name;
  }

  /** True when the run's value equals {@code value}. */
  public Condition is(T value) {
    return Condition.param(name).is(String.valueOf(requireNonNull(value, "value")));
  }

  /** True when a boolean parameter is true. */
  public Condition isTrue() {
    return Condition.param(name).isTrue();
  }

  /** True when a boolean parameter is false. */
  public Condition isFalse() {
    return Condition.param(name).isFalse();
  }

  @Override
  public String toString() {
    return "param(" + name + ")";
  }
}

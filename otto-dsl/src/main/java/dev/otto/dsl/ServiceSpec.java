package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Service;
import java.time.Duration;

/**
 * Configures a service of a stage: a container that runs beside the stage's steps, which reach
 * it by its name.
 *
 * <pre>{@code
 * s.service("db", "postgres:16", db -> db
 *     .env("POSTGRES_HOST_AUTH_METHOD", "trust")
 *     .healthCheck("pg_isready -h 127.0.0.1 -U postgres")
 *     .startTimeout(Duration.ofMinutes(3)));
 * }</pre>
 */
public final class ServiceSpec {
  private final Service.Builder builder;

  ServiceSpec(String name, String image) {
    this.builder = Service.builder(name, image);
  }

  /** A plain (not secret) variable of the service's container, e.g. the database's settings. */
  public ServiceSpec env(String variable, String value) {
    builder.putEnv(requireNonNull(variable, "variable name"), requireNonNull(value, "value of variable " + variable));
    return this;
  }

  /** Arguments that replace the image's command, e.g. {@code command("redis-server", "--save", "")}. */
  public ServiceSpec command(String... arguments) {
    for (String argument : arguments) {
      builder.addCommand(requireNonNull(argument, "command argument"));
    }
    return this;
  }

  /**
   * A shell command run in the service's container until it succeeds: the steps start only once
   * it has. Without one, the service counts as ready as soon as its container runs.
   */
  public ServiceSpec healthCheck(String command) {
    builder.healthCheck(requireNonNull(command, "health check"));
    return this;
  }

  /** The longest the service may take to be ready, pulling its image included; 2 minutes by default. */
  public ServiceSpec startTimeout(Duration timeout) {
    builder.startTimeout(requireNonNull(timeout, "start timeout"));
    return this;
  }

  Service build() {
    return builder.build();
  }
}

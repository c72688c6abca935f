package dev.otto.core.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A container that runs beside a stage's steps for the stage's duration: a database for the
 * tests, a cache, a fake HTTP API. Steps reach it by its {@link #name()} as a host name. It
 * starts before the stage's first step, counts as ready once its {@link #healthCheck()}
 * succeeds, and is removed when the stage ends.
 *
 * <p>A service publishes no ports: the stage's container and its services share a network of
 * their own, where every port of a service is open to the steps and to nothing else.
 *
 * <pre>{@code
 * Service db = Service.builder("db", "postgres:16")
 *     .putEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
 *     .healthCheck("pg_isready -h 127.0.0.1 -U postgres")
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class Service {

  /** How long a service may take to start by default, pulling its image included. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(2);

  /** The host name steps reach the service by: a DNS label, e.g. {@code db}. */
  public abstract String name();

  /** The container image, pulled as any image is. */
  public abstract String image();

  /** Plain variables the service's container gets, in insertion order; never secrets. */
  public abstract Map<String, String> env();

  /** Arguments that replace the image's command; the image's own when empty. */
  public abstract List<String> command();

  /**
   * A shell command run in the service's container ({@code /bin/sh -c}) until it succeeds; without
   * one, the service is ready as soon as its container runs.
   */
  public abstract Optional<String> healthCheck();

  /** The longest the service may take to be ready, pulling its image included. */
  @Value.Default
  public Duration startTimeout() {
    return DEFAULT_START_TIMEOUT;
  }

  /** A service named {@code name} from {@code image}, with nothing else set. */
  public static Service of(String name, String image) {
    return builder(name, image).build();
  }

  public static Builder builder(String name, String image) {
    return new Builder().name(name).image(image);
  }

  /** Builds a {@link Service}. */
  public static final class Builder extends ImmutableService.Builder {}
}

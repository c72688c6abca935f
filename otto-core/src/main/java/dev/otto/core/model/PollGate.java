package dev.otto.core.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A probe repeated until it succeeds: the probe step runs every {@link #interval()}, the
 * interval growing by {@link #backoff()} up to {@link #maxInterval()}, until it exits with 0 or
 * the timeout passes.
 */
@Value.Immutable
public abstract non-sealed class PollGate implements Gate {

  public abstract String description();

  /** The check; it succeeds when its script exits with status 0. */
  public abstract ShStep probe();

  @Value.Default
  public Duration interval() {
    return Duration.ofSeconds(30);
  }

  /** The factor the interval grows by after each failed attempt; 1 for a fixed interval. */
  @Value.Default
  public double backoff() {
    return 1.0;
  }

  /** The longest interval backoff may reach; the interval itself when absent. */
  public abstract Optional<Duration> maxInterval();

  /** Required by validation: every wait is bounded. */
  public abstract Optional<Duration> timeout();

  @Value.Default
  public OnTimeout onTimeout() {
    return OnTimeout.FAIL;
  }

  public static PollGate of(String description, ShStep probe) {
    return ImmutablePollGate.builder().description(description).probe(probe).build();
  }

  public PollGate every(Duration interval) {
    requireNonNull(interval, "interval");
    return ((ImmutablePollGate) ImmutablePollGate.copyOf(this)).withInterval(interval);
  }

  public PollGate backoff(double factor, Duration maxInterval) {
    return ((ImmutablePollGate) ImmutablePollGate.copyOf(this)).withBackoff(factor).withMaxInterval(maxInterval);
  }

  public PollGate timeout(Duration timeout) {
    requireNonNull(timeout, "timeout");
    return ((ImmutablePollGate) ImmutablePollGate.copyOf(this)).withTimeout(timeout);
  }

  public PollGate onTimeout(OnTimeout outcome) {
    requireNonNull(outcome, "outcome");
    return ((ImmutablePollGate) ImmutablePollGate.copyOf(this)).withOnTimeout(outcome);
  }

  @Override
  public String describe() {
    return "poll '" + description() + "'";
  }
}

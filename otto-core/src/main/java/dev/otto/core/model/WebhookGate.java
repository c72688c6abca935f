package dev.otto.core.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A callback from an external system: the run waits until a call carrying the wait's
 * unguessable token arrives, or the timeout passes.
 */
@Value.Immutable
public abstract non-sealed class WebhookGate implements Gate {

  /** What the callback stands for, e.g. {@code Pingdom health check}. */
  public abstract String description();

  /** Required by validation: every wait is bounded. */
  public abstract Optional<Duration> timeout();

  @Value.Default
  public OnTimeout onTimeout() {
    return OnTimeout.FAIL;
  }

  public static WebhookGate of(String description) {
    return ImmutableWebhookGate.builder().description(description).build();
  }

  public WebhookGate timeout(Duration timeout) {
    requireNonNull(timeout, "timeout");
    return ((ImmutableWebhookGate) ImmutableWebhookGate.copyOf(this)).withTimeout(timeout);
  }

  public WebhookGate onTimeout(OnTimeout outcome) {
    requireNonNull(outcome, "outcome");
    return ((ImmutableWebhookGate) ImmutableWebhookGate.copyOf(this)).withOnTimeout(outcome);
  }

  @Override
  public String describe() {
    return "webhook '" + description() + "'";
  }
}

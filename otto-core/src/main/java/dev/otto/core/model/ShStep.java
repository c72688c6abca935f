package dev.otto.core.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A shell script, run with {@code /bin/sh -c} in the stage's workspace. It sees a clean
 * environment: the environment's settings, its own {@link #env()}, and the secrets it binds.
 *
 * <pre>{@code
 * ShStep push = ShStep.of("git push heroku production")
 *     .with(SecretBinding.asEnv("heroku-api-key", "HEROKU_API_KEY"))
 *     .timeout(Duration.ofMinutes(10));
 * }</pre>
 */
@Value.Immutable
public abstract non-sealed class ShStep implements Step {

  /** The script text, passed to the shell unchanged. */
  public abstract String script();

  /** An optional name; explain shows the first line of the script when there is none. */
  public abstract Optional<String> name();

  /** The longest the script may run before it is stopped and the step fails. */
  public abstract Optional<Duration> timeout();

  /** Variables the step declares, in insertion order. */
  public abstract Map<String, String> env();

  /** The secrets the step receives, by name. */
  public abstract List<SecretBinding> secrets();

  /** How many times the step runs again after failing or timing out; 0 by default. */
  @Value.Default
  public int retries() {
    return 0;
  }

  /** The wait before the first retry; each later wait is twice the one before. */
  @Value.Default
  public Duration retryBackoff() {
    return Duration.ofSeconds(1);
  }

  public static ShStep of(String script) {
    return builder().script(script).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A copy with a name. */
  public ShStep named(String name) {
    return ((ImmutableShStep) ImmutableShStep.copyOf(this)).withName(name);
  }

  /** A copy with a timeout. */
  public ShStep timeout(Duration timeout) {
    return ((ImmutableShStep) ImmutableShStep.copyOf(this)).withTimeout(timeout);
  }

  /**
   * A copy that runs again up to {@code times} times after failing or timing out, waiting
   * {@code backoff} before the first retry and twice as long before each later one.
   */
  public ShStep retry(int times, Duration backoff) {
    return builder().from(this).retries(times).retryBackoff(requireNonNull(backoff, "backoff")).build();
  }

  /** A copy with one more environment variable. */
  public ShStep env(String variable, String value) {
    requireNonNull(variable, "variable");
    return builder().from(this).putEnv(variable, requireNonNull(value, "value of variable " + variable)).build();
  }

  /** A copy that also receives {@code bindings}. */
  public ShStep with(SecretBinding... bindings) {
    requireNonNull(bindings, "bindings");
    for (int i = 0; i < bindings.length; i++) {
      requireNonNull(bindings[i], "binding " + (i + 1) + " of bindings");
    }
    return builder().from(this).addSecrets(bindings).build();
  }

  /** The most characters of a label taken from a script; a longer first line is cut. */
  public static final int MAX_LABEL = 120;

  /**
   * The step's name, or else the first line of its script, cut to {@link #MAX_LABEL} characters:
   * labels travel in every event, journal entry and report, where a script of megabytes must not.
   */
  @Override
  public String label() {
    if (name().isPresent()) {
      return name().get();
    }
    String script = script().strip();
    int newline = script.indexOf('\n');
    String first = newline < 0 ? script : script.substring(0, newline);
    boolean cut = newline >= 0;
    if (first.codePointCount(0, first.length()) > MAX_LABEL) {
      first = first.substring(0, first.offsetByCodePoints(0, MAX_LABEL - 2));
      cut = true;
    }
    return cut ? first + " …" : first;
  }

  /** Builds an {@link ShStep}. */
  public static final class Builder extends ImmutableShStep.Builder {}
}

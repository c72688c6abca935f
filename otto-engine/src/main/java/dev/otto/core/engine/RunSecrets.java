package dev.otto.core.engine;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.otto.core.secret.SecretMasker;
import dev.otto.core.secret.SecretValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * The secrets a run has handed to its processes on this machine, with the values they were given:
 * each later process's output is masked with them too, since a step may leave a secret in a file
 * that a later one prints. The values are the ones handed out, kept in memory for the run, so
 * that a provider that gives a new value each time (short-lived tokens) or fails later cannot
 * let an earlier value through. Safe to use from several threads.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class RunSecrets {
  /** Each secret's values, in the order given: a secret given again (a short-lived token) may have a new one. */
  private final Map<String, List<SecretValue>> given = new ConcurrentHashMap<>();
  /** Counts the values added; read before {@link #values()} by a step that masks with those added later. */
  private final AtomicInteger version = new AtomicInteger();

  private RunSecrets() {}

  /** None given yet. */
  public static RunSecrets create() {
    return new RunSecrets();
  }

  /** Whether a secret of this name was given. */
  public boolean has(String name) {
    return given.containsKey(name);
  }

  /**
   * Counts {@code value} as given. A value too short to mask is left out: the step it was meant
   * for is refused it, and it must not make other steps fail.
   */
  void add(SecretValue value) {
    try {
      SecretMasker.builder().add(value.name(), value.reveal());
    } catch (IllegalArgumentException tooShort) {
      return;
    }
    boolean[] added = {false};
    given.compute(value.name(), (name, values) -> {
      List<SecretValue> kept = values == null ? new ArrayList<>() : new ArrayList<>(values);
      if (kept.stream().noneMatch(v -> v.reveal().equals(value.reveal()))) {
        kept.add(value);
        added[0] = true;
      }
      return List.copyOf(kept);
    });
    // Counted once the value is in: whoever sees the new count finds the value.
    if (added[0]) {
      version.incrementAndGet();
    }
  }

  /**
   * A count that changes each time a new value is given: a step that started before compares it
   * to learn that a value it was not masked with may now show in its output.
   */
  int version() {
    return version.get();
  }

  /**
   * Every value given, in name order: the newest of each secret under its name, earlier values
   * of a secret given again under the name and their place ({@code token#1}).
   */
  Map<String, SecretValue> values() {
    Map<String, SecretValue> all = new TreeMap<>();
    given.forEach((name, values) -> {
      for (int i = 0; i < values.size(); i++) {
        all.put(i == values.size() - 1 ? name : name + "#" + (i + 1), values.get(i));
      }
    });
    return all;
  }

  /** Drops the values, once the run has ended: nothing is masked for it any more. */
  void clear() {
    given.clear();
  }
}

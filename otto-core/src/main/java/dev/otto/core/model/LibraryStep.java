package dev.otto.core.model;

import java.util.Map;
import org.immutables.value.Value;

/**
 * A call of an action of a step library, such as {@code slack.send("Deployed")}. The library
 * expands it into primitive operations when the pipeline is planned, so explain shows exactly
 * what it will do; no library code runs during execution.
 *
 * <p>Argument values are {@link String}, {@link Boolean}, {@link Long}, a {@link java.util.List}
 * of strings, or a {@link SecretRef}; the library's action spec says which.
 */
@Value.Immutable
public abstract non-sealed class LibraryStep implements Step {

  /** The id of the library, as declared with {@link Pipeline#libraries()}. */
  public abstract String library();

  /** The action's name. */
  public abstract String action();

  /** Arguments by parameter name, in insertion order. */
  public abstract Map<String, Object> arguments();

  public static LibraryStep of(String library, String action, Map<String, ?> arguments) {
    return ImmutableLibraryStep.builder().library(library).action(action).putAllArguments(arguments).build();
  }

  @Override
  public String label() {
    return library() + "." + action() + arguments().values();
  }
}

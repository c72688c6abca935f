package dev.otto.dsl;

import dev.otto.core.library.StepLibrary;
import java.util.Map;

/**
 * How a step library appears in the DSL: a typed configuration scope {@code C} and a typed handle
 * {@code H} whose methods make the library's steps.
 *
 * <pre>{@code
 * var slack = p.use(Slack.library(), cfg -> cfg.channel("#otto").webhook(hook));
 * ... .onSuccess(slack.send("Deployed"))
 * }</pre>
 *
 * @param <C> the configuration scope
 * @param <H> the handle that makes steps
 */
public interface LibraryDefinition<C, H> {

  /** The plan-time library itself. */
  StepLibrary library();

  /** A fresh configuration scope. */
  C newConfig();

  /** The configuration values a scope collected, by parameter name. */
  Map<String, Object> configValues(C config);

  /** The handle that makes the library's steps. */
  H handle();

  /**
   * A definition from its parts: the library, a factory of configuration scopes, how a scope's
   * values are read, and a factory of handles.
   */
  static <C, H> LibraryDefinition<C, H> of(StepLibrary library, java.util.function.Supplier<C> newConfig,
      java.util.function.Function<C, Map<String, Object>> configValues, java.util.function.Supplier<H> handle) {
    java.util.Objects.requireNonNull(library, "library");
    java.util.Objects.requireNonNull(newConfig, "newConfig");
    java.util.Objects.requireNonNull(configValues, "configValues");
    java.util.Objects.requireNonNull(handle, "handle");
    return new LibraryDefinition<>() {
      @Override
      public StepLibrary library() {
        return library;
      }

      @Override
      public C newConfig() {
        return newConfig.get();
      }

      @Override
      public Map<String, Object> configValues(C config) {
        return configValues.apply(config);
      }

      @Override
      public H handle() {
        return handle.get();
      }
    };
  }
}

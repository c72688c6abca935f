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
}

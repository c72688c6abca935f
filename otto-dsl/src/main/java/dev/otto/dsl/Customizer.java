package dev.otto.dsl;

/**
 * Configures a nested scope of the DSL. Scopes nest as lambdas, so the shape of a pipeline shows
 * in the indentation of its code:
 *
 * <pre>{@code
 * p.stage("Deploy", deploy -> {
 *   deploy.stage("Production", s -> s.steps(sh("./deploy.sh")));
 * });
 * }</pre>
 *
 * @param <T> the scope being configured
 */
@FunctionalInterface
public interface Customizer<T> {
  void customize(T scope);

  /** A customizer that changes nothing. */
  static <T> Customizer<T> none() {
    return scope -> {};
  }
}

package dev.otto.core.secret;

/**
 * Where secret values come from: an in-memory map for tests and embedding, the host's
 * environment, a directory of mounted files, or a helper command. The engine asks for a value
 * when a step that binds the secret starts, and drops it when the step ends.
 *
 * <p>Implementations must be safe to call from several threads, and must never put a value in
 * an exception message or a log line.
 *
 * <pre>{@code
 * SecretProvider secrets = SecretProviders.environment(System.getenv());   // heroku-api-key -> $HEROKU_API_KEY
 * SecretValue key = secrets.resolve("heroku-api-key");
 * }</pre>
 */
@FunctionalInterface
public interface SecretProvider {

  /**
   * The value of the secret {@code name}.
   *
   * @throws SecretResolutionException when the secret is unknown or cannot be read; the message
   *     names the secret and the provider, never a value
   */
  SecretValue resolve(String name);

  /**
   * Empty when this provider may have the secret {@code name}; otherwise why it has not, in a
   * sentence that names the secret and where it was looked for, never a value. The engine asks
   * before a run, for every secret a stage that runs binds, so that a missing secret stops the
   * run before its first step rather than in the middle. By default a provider cannot tell
   * without resolving the value, and answers empty.
   */
  default java.util.Optional<String> whyNot(String name) {
    return java.util.Optional.empty();
  }
}

package dev.otto.core.executor;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Runtime;
import dev.otto.core.model.Service;
import dev.otto.core.plan.Op;
import dev.otto.core.secret.SecretValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One process to run: a planned {@link Op.RunProcess}, the workspace it runs in, the values of
 * the secrets it binds, and variables the engine adds (run and step ids, an idempotency key).
 *
 * @param op the planned process
 * @param runtime where the process runs: the runtime of its stage
 * @param workspace the directory the process starts in
 * @param secrets the values of the secrets {@code op} binds, by secret name
 * @param extraEnv variables the engine adds, after the op's own
 * @param session when present, processes of requests with the same session may leave background
 *     processes running (a database a later step uses, say) until {@link Executor#endSession} is
 *     called; when absent, whatever the process leaves running is stopped when it ends
 * @param services the containers that run beside the processes of the session (the stage's
 *     services), started before its first process; only a container executor runs them
 * @param masked the values of the secrets the run gave its other processes before this one, by
 *     secret name: the process is not given them, but its output must not show them either (a
 *     token one stage wrote into a file that a later stage prints); never delivered
 */
public record ProcessRequest(Op.RunProcess op, Runtime runtime, Path workspace, Map<String, SecretValue> secrets,
    Map<String, String> extraEnv, Optional<String> session, List<Service> services, Map<String, SecretValue> masked) {
  public ProcessRequest {
    requireNonNull(op, "op");
    requireNonNull(runtime, "runtime");
    requireNonNull(workspace, "workspace");
    secrets = Map.copyOf(secrets);
    masked = Map.copyOf(masked);
    extraEnv = Map.copyOf(extraEnv);
    requireNonNull(session, "session");
    services = List.copyOf(services);
    for (var binding : op.secrets()) {
      if (!secrets.containsKey(binding.secret())) {
        throw new IllegalArgumentException("the process '" + op.label() + "' binds the secret '" + binding.secret()
            + "', but no value for it was given");
      }
    }
  }

  /** A request that masks no secret but those {@code op} binds. */
  public ProcessRequest(Op.RunProcess op, Runtime runtime, Path workspace, Map<String, SecretValue> secrets,
      Map<String, String> extraEnv, Optional<String> session, List<Service> services) {
    this(op, runtime, workspace, secrets, extraEnv, session, services, Map.of());
  }

  /**
   * Every secret the process's output must not show, by name: those it binds and those the run
   * gave before ({@link #masked}).
   */
  public Map<String, SecretValue> allMasked() {
    Map<String, SecretValue> all = new java.util.LinkedHashMap<>(masked);
    all.putAll(secrets);
    return all;
  }

  /** A request to run {@code op} as a local process in {@code workspace}. */
  public static ProcessRequest of(Op.RunProcess op, Path workspace, List<SecretValue> secrets) {
    return of(op, Runtime.local(), workspace, secrets);
  }

  /** A request to run {@code op} in {@code runtime}, with {@code workspace} as its working directory. */
  public static ProcessRequest of(Op.RunProcess op, Runtime runtime, Path workspace, List<SecretValue> secrets) {
    Map<String, SecretValue> byName = new java.util.LinkedHashMap<>();
    for (SecretValue secret : secrets) {
      byName.put(secret.name(), secret);
    }
    return new ProcessRequest(op, runtime, workspace, byName, Map.of(), Optional.empty(), List.of());
  }
}

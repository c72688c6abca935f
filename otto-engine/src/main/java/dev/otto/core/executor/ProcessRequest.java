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
 */
public record ProcessRequest(Op.RunProcess op, Runtime runtime, Path workspace, Map<String, SecretValue> secrets,
    Map<String, String> extraEnv, Optional<String> session, List<Service> services) {
  public ProcessRequest {
    requireNonNull(op, "op");
    requireNonNull(runtime, "runtime");
    requireNonNull(workspace, "workspace");
    secrets = Map.copyOf(secrets);
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

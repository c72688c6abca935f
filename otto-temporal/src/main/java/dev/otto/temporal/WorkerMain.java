package dev.otto.temporal;

import static java.util.Objects.requireNonNull;

import dev.otto.core.cache.DirectoryCacheStore;
import dev.otto.core.engine.ContainerPolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.secret.SecretProviders;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an {@link OttoWorker} on this machine until the process is stopped: what a team starts on
 * each agent machine, directly or as {@code otto worker}.
 *
 * <pre>
 * java -cp otto-temporal.jar:... dev.otto.temporal.WorkerMain \
 *     --address temporal.internal:7233 --task-queue otto --task-queue linux-jdk17 \
 *     --root /var/lib/otto/worker --caches /mnt/shared/otto-cache --secrets-dir /etc/otto/secrets
 * </pre>
 */
public final class WorkerMain {
  private WorkerMain() {}

  static final String HELP = """
      Runs an Otto worker: run workflows and the stages of the task queues it polls.

        --address HOST:PORT   the Temporal frontend (default 127.0.0.1:7233)
        --namespace NAME      the Temporal namespace (default default)
        --task-queue QUEUE    a task queue to poll; repeat for several (default otto)
        --label LABEL         an agent label of this machine: its stages run here; repeat for several
        --root DIR            where run workspaces live (default ./otto-worker)
        --caches DIR          the cache and artifact store every worker shares (default: none)
        --secrets-dir DIR     read each secret from a file of this folder (default: the environment)
        --parallelism N       how many activities run at once (default: the number of processors)
        --container-fallback  run container stages as local processes when no executor runs containers
      """;

  /**
   * What a worker is started with.
   *
   * @param caches the shared store, or null for none
   * @param secretsDir the secrets folder, or null for the environment
   */
  public record Options(String address, String namespace, List<String> taskQueues, List<String> labels, Path root,
      Path caches, Path secretsDir, int parallelism, boolean containerFallback) {
    public Options {
      requireNonNull(address, "address");
      requireNonNull(namespace, "namespace");
      taskQueues = List.copyOf(taskQueues);
      labels = List.copyOf(labels);
      requireNonNull(root, "root");
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
      }
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("otto worker: " + e.getMessage() + "\n\n" + HELP);
      System.exit(2);
      return;
    }
    if (options == null) {
      System.out.print(HELP);
      return;
    }
    try {
      run(options);
    } catch (Unreachable e) {
      System.err.println("otto worker: " + e.getMessage());
      System.exit(4);
    }
  }

  /** Starts a worker and blocks until the process is stopped, stopping the worker on the way out. */
  public static void run(Options options) throws InterruptedException {
    OttoWorker worker = start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "otto-worker-stop"));
    worker.awaitTermination();
  }

  /**
   * Connects to the cluster and starts polling; the caller closes the worker.
   *
   * @throws Unreachable when the cluster's frontend does not answer at the address
   */
  public static OttoWorker start(Options options) {
    try {
      return connectAndStart(options);
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE
          && e.getStatus().getCode() != io.grpc.Status.Code.DEADLINE_EXCEEDED) {
        throw e;
      }
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String message = root.getMessage() != null ? root.getMessage() : "";
      // Netty says 'finishConnect(..) failed: Connection refused'; the part after the call is the reason.
      String why = message.contains("Connection refused") ? "connection refused"
          : root instanceof java.net.UnknownHostException ? "unknown host"
          : !message.isEmpty() ? message : e.getStatus().getCode().name().toLowerCase(java.util.Locale.ROOT);
      throw new Unreachable("cannot reach the Temporal frontend at " + options.address() + " (" + why + "): start a "
          + "server there (temporal server start-dev, for a try), or give its address with --address HOST:PORT", e);
    }
  }

  /** The cluster's frontend did not answer: its address, and why, in the message. */
  public static final class Unreachable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static OttoWorker connectAndStart(Options options) {
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(options.address()).build());
    WorkflowClient client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
        .setNamespace(options.namespace()).build());
    List<String> queues = new ArrayList<>(options.taskQueues());
    if (queues.isEmpty()) {
      queues.add(TemporalEngine.DEFAULT_QUEUE);
    }
    queues.addAll(options.labels());
    OttoWorker.Builder builder = OttoWorker.builder(client, options.root())
        .taskQueues(queues.stream().distinct().toArray(String[]::new))
        .executor(LocalProcessExecutor.builder().agentLabels(options.labels().toArray(String[]::new)).build())
        .secrets(options.secretsDir() != null ? SecretProviders.directory(options.secretsDir())
            : SecretProviders.environment(System.getenv()))
        .parallelism(options.parallelism());
    if (options.caches() != null) {
      builder.caches(new DirectoryCacheStore(options.caches()));
    }
    if (options.containerFallback()) {
      builder.containerPolicy(ContainerPolicy.LOCAL_FALLBACK);
    }
    return builder.start();
  }

  /** The options of {@code args}, or null when they ask for help. */
  static Options parse(String[] args) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    boolean fallback = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--help", "-h" -> {
          return null;
        }
        case "--container-fallback" -> fallback = true;
        case "--address", "--namespace", "--task-queue", "--label", "--root", "--caches", "--secrets-dir",
            "--parallelism" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
          }
          values.computeIfAbsent(flag, k -> new ArrayList<>()).add(args[++i]);
        }
        default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
      }
    }
    for (String single : List.of("--address", "--namespace", "--root", "--caches", "--secrets-dir", "--parallelism")) {
      if (values.getOrDefault(single, List.of()).size() > 1) {
        throw new IllegalArgumentException(single + " is given more than once");
      }
    }
    int parallelism;
    try {
      parallelism = Integer.parseInt(first(values, "--parallelism",
          String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors()))));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--parallelism must be a whole number, not '" + values.get("--parallelism")
          .get(0) + "'");
    }
    String caches = first(values, "--caches", null);
    String secrets = first(values, "--secrets-dir", null);
    return new Options(first(values, "--address", "127.0.0.1:7233"), first(values, "--namespace", "default"),
        values.getOrDefault("--task-queue", List.of()), values.getOrDefault("--label", List.of()),
        Path.of(first(values, "--root", "otto-worker")), caches == null ? null : Path.of(caches),
        secrets == null ? null : Path.of(secrets), parallelism, fallback);
  }

  private static String first(Map<String, List<String>> values, String flag, String otherwise) {
    List<String> given = values.get(flag);
    return given == null ? otherwise : given.get(0);
  }
}

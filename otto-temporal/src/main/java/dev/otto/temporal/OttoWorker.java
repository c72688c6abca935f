package dev.otto.temporal;

import static java.util.Objects.requireNonNull;

import dev.otto.core.cache.CacheStore;
import dev.otto.core.cache.DirectoryCacheStore;
import dev.otto.core.engine.ContainerPolicy;
import dev.otto.core.engine.DeploymentStore;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunListener;
import dev.otto.core.engine.StepHost;
import dev.otto.core.executor.Executor;
import dev.otto.core.secret.SecretProvider;
import dev.otto.temporal.internal.LockActivitiesImpl;
import dev.otto.temporal.internal.LockWorkflowImpl;
import dev.otto.temporal.internal.PollWorkflowImpl;
import dev.otto.temporal.internal.RunWorkflowImpl;
import dev.otto.temporal.internal.StageActivitiesImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker that runs Otto's part of runs on a Temporal cluster: run workflows, and the activities
 * of the stages whose task queues it polls. A team runs one on each agent machine, polling the
 * queues named after the machine's labels (and the default queue, {@code otto}, on machines that
 * run unlabelled stages and the workflows themselves).
 *
 * <pre>{@code
 * try (OttoWorker worker = OttoWorker.builder(client, Path.of("/var/lib/otto/worker"))
 *     .taskQueues("otto", "linux-jdk17")
 *     .secrets(SecretProviders.directory(Path.of("/etc/otto/secrets")))
 *     .caches(new DirectoryCacheStore(Path.of("/mnt/shared/otto-cache")))
 *     .start()) {
 *   worker.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Each run has a workspace under the worker's root. Stages that run on different machines hand
 * files to each other through caches and artifacts, kept in a store every worker reaches: a shared
 * directory with {@link DirectoryCacheStore}, or an object store behind the {@link CacheStore} SPI.
 * Closing the worker stops the processes it runs; the cluster gives their activities to another
 * worker of the same queue.
 */
public final class OttoWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OttoWorker.class);
  /** How often a running step's activity heartbeats, and how often its heartbeats reach the cluster. */
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(1);

  private final WorkerFactory factory;
  private final StageActivitiesImpl activities;
  private final ScheduledExecutorService ticker;
  private final List<String> queues;

  private OttoWorker(Builder builder) {
    this.queues = List.copyOf(builder.queues.isEmpty() ? Set.of(TemporalEngine.DEFAULT_QUEUE) : builder.queues);
    this.ticker = Executors.newScheduledThreadPool(1, task -> {
      Thread thread = new Thread(task, "otto-worker-heartbeats");
      thread.setDaemon(true);
      return thread;
    });
    Path root = builder.root.toAbsolutePath().normalize();
    StepHost host = builder.host.build();
    CacheStore artifacts = builder.artifacts != null ? builder.artifacts
        : host.caches().orElseGet(() -> new DirectoryCacheStore(root.resolve(".store")));
    DeploymentStore deployments = builder.deployments != null ? builder.deployments
        : DeploymentStore.inFolder(root);
    this.activities = new StageActivitiesImpl(new StageActivitiesImpl.Setup(root, host, artifacts, deployments,
        List.copyOf(builder.listeners), HEARTBEAT_EVERY), ticker);
    this.factory = builder.workflowCacheSize < 0 ? WorkerFactory.newInstance(builder.client)
        : WorkerFactory.newInstance(builder.client, io.temporal.worker.WorkerFactoryOptions.newBuilder()
            .setWorkflowCacheSize(builder.workflowCacheSize).build());
    // The SDK sends an activity's heartbeats at most every 0.8 heartbeat timeouts (24 s of the default 30), and a
    // cancellation reaches the activity only in a heartbeat's reply: sent each second, a cancelled run stops its
    // running steps within a second or two, as on the local engine.
    WorkerOptions options = WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(builder.parallelism)
        .setMaxHeartbeatThrottleInterval(HEARTBEAT_EVERY)
        .setDefaultHeartbeatThrottleInterval(HEARTBEAT_EVERY)
        .build();
    for (String queue : queues) {
      Worker worker = factory.newWorker(queue, options);
      worker.registerWorkflowImplementationTypes(RunWorkflowImpl.class, PollWorkflowImpl.class,
          LockWorkflowImpl.class);
      worker.registerActivitiesImplementations(activities, new LockActivitiesImpl(builder.client));
    }
  }

  /** A worker that keeps run workspaces under {@code root} and reaches the cluster through {@code client}. */
  public static Builder builder(WorkflowClient client, Path root) {
    return new Builder(requireNonNull(client, "client"), requireNonNull(root, "root"));
  }

  /** The task queues this worker polls. */
  public List<String> taskQueues() {
    return queues;
  }

  /** Blocks until the worker is closed, from another thread or a shutdown hook. */
  public void awaitTermination() throws InterruptedException {
    while (!factory.isTerminated()) {
      factory.awaitTermination(1, TimeUnit.HOURS);
    }
  }

  /**
   * Stops polling and stops the processes this worker runs; their activities fail here and run
   * again on another worker.
   */
  @Override
  public void close() {
    LOG.info("worker of task queues {} stopping", queues);
    activities.stop();
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    ticker.shutdownNow();
  }

  /** Configures an {@link OttoWorker}. */
  public static final class Builder {
    private final WorkflowClient client;
    private final Path root;
    private final Set<String> queues = new LinkedHashSet<>();
    private final StepHost.Builder host = StepHost.builder()
        .containerFallbackHint("OttoWorker.Builder.containerPolicy(ContainerPolicy.LOCAL_FALLBACK)");
    private CacheStore artifacts;
    private DeploymentStore deployments;
    private final List<RunListener> listeners = new ArrayList<>();
    private int parallelism = Math.max(1, java.lang.Runtime.getRuntime().availableProcessors());
    private int workflowCacheSize = -1;

    private Builder(WorkflowClient client, Path root) {
      this.client = client;
      this.root = root;
    }

    /** Adds task queues to poll; {@code otto} alone when none is given. */
    public Builder taskQueues(String... queues) {
      requireNonNull(queues, "queues");
      for (String queue : queues) {
        this.queues.add(TemporalEngine.requireQueue(queue));
      }
      return this;
    }

    /** Adds an executor; the first that can run a stage's runtime runs it. The local executor by default. */
    public Builder executor(Executor executor) {
      host.executor(executor);
      return this;
    }

    public Builder containerPolicy(ContainerPolicy policy) {
      host.containerPolicy(policy);
      return this;
    }

    /** Where the secrets of this worker's steps come from; their values never leave this machine. */
    public Builder secrets(SecretProvider provider) {
      host.secrets(provider);
      return this;
    }

    /** Where caches are kept; share it between workers. Without a store, caches are neither restored nor saved. */
    public Builder caches(CacheStore store) {
      host.caches(store);
      return this;
    }

    /**
     * Where artifacts are handed between stages; the cache store by default, else a folder under
     * the root, which only works when every stage of a run runs on this machine.
     */
    public Builder artifacts(CacheStore store) {
      this.artifacts = requireNonNull(store, "store");
      return this;
    }

    /**
     * Where the record of what was deployed where is kept; a file under the root by default
     * ({@link DeploymentStore#inFolder}). Give every worker the same store (a shared folder, or a
     * host's own), so that the record is whole whichever worker ran a stage.
     */
    public Builder deployments(DeploymentStore store) {
      this.deployments = requireNonNull(store, "store");
      return this;
    }

    /** Hears the lines this worker's processes print, masked. */
    public Builder listener(RunListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /** How many activities this worker runs at once; the number of processors by default. */
    public Builder parallelism(int activities) {
      if (activities < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, not " + activities);
      }
      this.parallelism = activities;
      return this;
    }

    /**
     * How many run workflows this worker keeps in memory between their tasks; the SDK's default
     * (600) unless set. A cached run's next task goes to this worker first, and to the others only
     * once the cluster gives up waiting for it. 0 keeps none: every task replays the run's history,
     * and any worker takes a run's next task at once.
     */
    public Builder workflowCacheSize(int runs) {
      if (runs < 0) {
        throw new IllegalArgumentException("the workflow cache size must not be negative, not " + runs);
      }
      this.workflowCacheSize = runs;
      return this;
    }

    /** Starts polling. */
    /**
     * Starts polling, once its root is a folder it can make and write to.
     *
     * @throws IllegalArgumentException when the root cannot hold run workspaces, saying why
     */
    public OttoWorker start() {
      Path folder = root.toAbsolutePath().normalize();
      try {
        java.nio.file.Files.createDirectories(folder);
        java.nio.file.Files.delete(java.nio.file.Files.createTempFile(folder, ".otto-worker-", ".tmp"));
      } catch (java.io.IOException | SecurityException e) {
        throw new IllegalArgumentException("the worker's root " + folder + " cannot hold run workspaces ("
            + (java.nio.file.Files.exists(folder) && !java.nio.file.Files.isDirectory(folder) ? "it is a file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage())
            + "); give a folder the worker can make and write to", e);
      }
      OttoWorker worker = new OttoWorker(this);
      worker.factory.start();
      LOG.info("worker polling task queues {}", worker.queues);
      return worker;
    }
  }
}

package dev.otto.temporal.internal;

import com.google.common.hash.Hashing;
import dev.otto.core.cache.CacheKey;
import dev.otto.core.cache.CacheResult;
import dev.otto.core.cache.CacheStore;
import dev.otto.core.engine.ArtifactDigest;
import dev.otto.core.engine.CacheOps;
import dev.otto.core.engine.Deployment;
import dev.otto.core.engine.DeploymentStore;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunListener;
import dev.otto.core.engine.RunSecrets;
import dev.otto.core.engine.StepEnvironment;
import dev.otto.core.engine.StepHost;
import dev.otto.core.executor.Cancellation;
import dev.otto.core.executor.Executor;
import dev.otto.core.executor.ProcessOutcome;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's side of a stage: runs processes with the worker's executors, resolving secrets from
 * the worker's provider (their values stay on this machine), and moves caches and artifacts
 * between the run's workspace here and the shared store. While an activity runs it heartbeats,
 * so that the cluster notices a lost worker and gives the activity to another; a heartbeat also
 * brings news of a cancellation, which stops the process.
 */
public final class StageActivitiesImpl implements StageActivities {
  private static final Logger LOG = LoggerFactory.getLogger(StageActivitiesImpl.class);

  /** What a worker runs with. */
  public record Setup(Path root, StepHost host, CacheStore artifacts, DeploymentStore deployments,
      List<RunListener> listeners, Duration heartbeat) {}

  private final Setup setup;
  private final ScheduledExecutorService ticker;
  private final Set<Cancellation> inFlight = ConcurrentHashMap.newKeySet();
  /**
   * The secrets each run has given its processes on this worker, with their values: a later step
   * of the run is masked with them. Runs end without telling the worker: a run's are dropped a day
   * after its last step here.
   */
  private final com.google.common.cache.Cache<String, RunSecrets> given = com.google.common.cache.CacheBuilder
      .newBuilder().expireAfterAccess(java.time.Duration.ofDays(1)).maximumSize(10_000).build();
  private volatile boolean stopping;

  public StageActivitiesImpl(Setup setup, ScheduledExecutorService ticker) {
    this.setup = setup;
    this.ticker = ticker;
  }

  /** Stops the processes in flight; their activities fail, so that another worker runs them again. */
  public void stop() {
    stopping = true;
    inFlight.forEach(Cancellation::cancel);
  }

  @Override
  public Messages.StepRecord runProcess(Messages.ProcessTask task) {
    Runtime runtime = runtime(task.runtime());
    Optional<Executor> executor = setup.host().executorFor(runtime);
    if (executor.isEmpty()) {
      return notStarted("this worker cannot run " + runtime.describe() + " ("
          + String.join("; ", setup.host().executors().stream().map(e -> e.name() + ": " + e.whyNot(runtime)
              .orElse("")).toList()) + "); run it on a worker whose executors can");
    }
    List<SecretBinding> bindings = new ArrayList<>();
    for (List<String> binding : task.secrets()) {
      bindings.add(new SecretBinding(binding.get(0), SecretBinding.Delivery.valueOf(binding.get(1)
          .toUpperCase(Locale.ROOT)), binding.get(2)));
    }
    Op.RunProcess op = new Op.RunProcess(task.label(), task.script(), task.env(), bindings,
        Optional.ofNullable(task.timeoutMillis()).map(Duration::ofMillis), Op.Guard.NORMAL);
    Path workspace = workspace(task.runId());
    Cancellation cancellation = Cancellation.create();
    ProcessOutcome outcome = heartbeating(cancellation, () -> setup.host().start(executor.get(), op, runtime,
        workspace, StepEnvironment.of(task.runId(), task.stage(), task.step(), task.op()), Optional.empty(), List.of(),
        given(task), line -> emit(new RunEvent.OutputLine(task.runId(), Clock.systemUTC().instant(), task.stage(), task.step(),
            line)), cancellation).toCompletableFuture().join());
    return new Messages.StepRecord(task.label(), outcome.status().name(),
        outcome.exitCode().isPresent() ? outcome.exitCode().getAsInt() : null, outcome.duration().toMillis(),
        outcome.detail());
  }

  /**
   * What the run has given on this worker, and the values, read once, of the secrets the task
   * says it gave elsewhere; one this worker cannot read was given on a worker whose workspace
   * this one does not share.
   */
  private RunSecrets given(Messages.ProcessTask task) {
    RunSecrets secrets;
    try {
      secrets = given.get(task.runId(), RunSecrets::create);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    if (task.givenBefore() != null) {
      setup.host().readAgain(secrets, task.givenBefore());
    }
    return secrets;
  }

  @Override
  public Messages.StoreRecord cache(Messages.CacheTask task) {
    Path workspace = workspace(task.runId());
    List<Cache.Fallback> fallbacks = task.fallbacks() == null || task.cachePaths() == null ? List.of()
        : task.fallbacks().stream().map(Cache.Fallback::new).toList();
    List<String> cachePaths = task.cachePaths() == null ? List.of() : task.cachePaths();
    return heartbeating(Cancellation.create(), () -> {
      CacheOps.Outcome done = task.paths() == null
          ? setup.host().restore(workspace, new Op.RestoreCache(task.cache(), cachePaths, task.keyFiles(), fallbacks))
          : setup.host().save(workspace, new Op.SaveCache(task.cache(), task.paths(), task.keyFiles(), fallbacks));
      return new Messages.StoreRecord(done.what(), done.detail(), null);
    });
  }

  /** The key of an artifact a run stored ({@code artifacts}) or promoted ({@code promoted}) in the shared store. */
  private static CacheKey artifactKey(String kind, String runId, String name) {
    return new CacheKey(kind, Hashing.sha256().hashString(runId + '\u0000' + name, StandardCharsets.UTF_8).toString());
  }

  @Override
  public Messages.StoreRecord artifact(Messages.ArtifactTask task) {
    Path workspace = workspace(task.runId());
    CacheKey key = artifactKey("artifacts", task.runId(), task.name());
    if (task.from() != null) {
      return heartbeating(Cancellation.create(), () -> promote(task, workspace));
    }
    return heartbeating(Cancellation.create(), () -> {
      if (task.paths() != null) {
        for (String path : task.paths()) {
          Path source = workspace.resolve(path).normalize();
          if (!source.startsWith(workspace) || !Files.exists(source)) {
            return new Messages.StoreRecord("failed", null, "the artifact '" + task.name() + "' has no path '" + path
                + "' in the workspace");
          }
        }
        CacheResult done = setup.artifacts().save(key, workspace, task.paths());
        return done.status() == CacheResult.Status.SAVED || done.status() == CacheResult.Status.ALREADY_SAVED
            ? new Messages.StoreRecord("stored", "stored " + task.name() + ": " + done.detail(), null,
                digest(key, task.runId()))
            : new Messages.StoreRecord("failed", null, "the artifact '" + task.name() + "' could not be stored: "
                + done.detail());
      }
      CacheResult done = setup.artifacts().restore(key, workspace);
      return done.status() == CacheResult.Status.HIT
          ? new Messages.StoreRecord("restored", "restored " + task.name() + ": " + done.detail(), null,
              digest(key, task.runId()))
          : new Messages.StoreRecord("failed", null, done.status() == CacheResult.Status.MISS
              ? "no artifact '" + task.name() + "' was stored earlier in this run; archive it in a stage that runs "
                  + "before this one"
              : "the artifact '" + task.name() + "' could not be restored: " + done.detail());
    });
  }

  /**
   * The digest of the artifact the shared store keeps under {@code key}, read back from the store
   * into a folder of the run's own, so that it is the digest of what the store holds, the same as
   * the local engine computes of the same files.
   */
  private String digest(CacheKey key, String runId) {
    Path folder = readBack(key, runId);
    if (folder == null) {
      throw new IllegalStateException("the store lost the artifact it just held under " + key);
    }
    return digestOf(folder);
  }

  private static String digestOf(Path folder) {
    try {
      return ArtifactDigest.of(folder);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Reads what the store holds under {@code key} back into a fresh folder of the run's; null when
   * the store holds nothing there.
   */
  private Path readBack(CacheKey key, String runId) {
    Path folder = setup.root().resolve(runId).resolve("read-back").resolve(key.cache() + "-" + key.hash());
    try {
      if (Files.exists(folder)) {
        com.google.common.io.MoreFiles.deleteRecursively(folder,
            com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE);
      }
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return setup.artifacts().restore(key, folder).status() == CacheResult.Status.HIT ? folder : null;
  }

  /**
   * Restores the artifact an environment's record names: from what the run that made the entry
   * stored, or promoted in turn, whichever has the recorded digest. A copy is kept under this
   * run's own key, so that a later promotion from the environment this run deploys to finds it.
   */
  private Messages.StoreRecord promote(Messages.ArtifactTask task, Path workspace) {
    Op.Deployed from = new Op.Deployed(task.from(), task.previous());
    Optional<Deployment> entry = setup.deployments().source(from.environment(), task.name(), from.previous());
    if (entry.isEmpty()) {
      return new Messages.StoreRecord("failed", null, from.missing(task.name()));
    }
    String expected = entry.get().digest(task.name()).orElseThrow();
    CacheKey own = artifactKey("promoted", task.runId(), task.name());
    String found = null;
    for (String kind : List.of("artifacts", "promoted")) {
      Path folder = readBack(artifactKey(kind, entry.get().run(), task.name()), task.runId());
      String digest = folder == null ? null : digestOf(folder);
      if (expected.equals(digest)) {
        CacheResult kept = setup.artifacts().save(own, folder, topLevel(folder));
        CacheResult done = setup.artifacts().restore(own, workspace);
        if (done.status() != CacheResult.Status.HIT) {
          return new Messages.StoreRecord("failed", null, "the artifact '" + task.name() + "' could not be restored: "
              + done.detail() + " (" + kept.detail() + ")");
        }
        return new Messages.StoreRecord("restored", "restored " + task.name() + ": " + done.detail() + ", " + expected
            + " from run " + entry.get().run() + " (deployed to '" + from.environment() + "' at " + entry.get().ended()
            + ")", null, expected);
      }
      found = digest != null ? digest : found;
    }
    return new Messages.StoreRecord("failed", null, found == null
        ? "the artifact '" + task.name() + "' of run " + entry.get().run() + ", which '" + from.environment()
            + "' deployed, is no longer kept in the shared store; it cannot be promoted"
        : "the files of the artifact '" + task.name() + "' of run " + entry.get().run() + " have the digest " + found
            + ", not " + expected + " as '" + from.environment() + "' recorded when it deployed them; they changed "
            + "since, so they are not promoted");
  }

  private static List<String> topLevel(Path folder) {
    try (java.util.stream.Stream<Path> entries = Files.list(folder)) {
      return entries.map(path -> path.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void recordDeployment(Messages.DeploymentRecord deployment) {
    setup.deployments().record(deployment.deployment());
  }

  /**
   * Runs {@code work} while heartbeating. A cancellation that a heartbeat brings stops the work
   * and is rethrown; a worker that stops fails the activity, so that the cluster gives it to
   * another worker.
   */
  private <T> T heartbeating(Cancellation cancellation, Supplier<T> work) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    AtomicReference<ActivityCompletionException> cancelled = new AtomicReference<>();
    long every = Math.max(100, setup.heartbeat().toMillis());
    ScheduledFuture<?> beat = ticker.scheduleAtFixedRate(() -> {
      try {
        context.heartbeat(null);
      } catch (ActivityCompletionException e) {
        cancelled.compareAndSet(null, e);
        cancellation.cancel();
      } catch (RuntimeException e) {
        LOG.debug("a heartbeat failed: {}", e.toString());
      }
    }, 0, every, TimeUnit.MILLISECONDS);
    inFlight.add(cancellation);
    try {
      if (stopping) {
        cancellation.cancel();
      }
      T result = work.get();
      if (stopping) {
        throw ApplicationFailure.newFailure("the worker stopped while this ran; it runs again on another worker",
            "OttoWorkerStopped");
      }
      if (cancelled.get() != null) {
        throw cancelled.get();
      }
      return result;
    } finally {
      inFlight.remove(cancellation);
      beat.cancel(false);
    }
  }

  private Path workspace(String runId) {
    if (!runId.matches("[A-Za-z0-9._-]{1,200}")) {
      throw ApplicationFailure.newNonRetryableFailure("the run id '" + runId + "' is not a plain folder name",
          "OttoBadRunId");
    }
    Path workspace = setup.root().resolve(runId).resolve("workspace");
    try {
      Files.createDirectories(workspace);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("could not create the workspace " + workspace + ": " + e.getMessage(),
          "OttoWorkspace");
    }
    return workspace;
  }

  static Runtime runtime(String text) {
    if (text.startsWith("container:")) {
      return Runtime.container(text.substring("container:".length()));
    }
    return text.startsWith("agent:") ? Runtime.agent(text.substring("agent:".length())) : Runtime.local();
  }

  private static Messages.StepRecord notStarted(String why) {
    return new Messages.StepRecord("", ProcessOutcome.Status.NOT_STARTED.name(), null, 0, why);
  }

  private void emit(RunEvent event) {
    for (RunListener listener : setup.listeners()) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("a worker listener failed on {}: {}", event.getClass().getSimpleName(), e.toString());
      }
    }
  }
}

package dev.otto.core.engine;

import dev.otto.core.cache.CacheKey;
import dev.otto.core.cache.CacheResult;
import dev.otto.core.executor.Cancellation;
import dev.otto.core.executor.Executor;
import dev.otto.core.executor.ProcessOutcome;
import dev.otto.core.executor.ProcessRequest;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.StageStatus;
import dev.otto.core.secret.SecretResolutionException;
import dev.otto.core.secret.SecretValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a plan. Scheduling state is guarded by the run's lock; stages execute on a pool of
 * {@code parallelism} threads, and a group waiting for its children holds no thread.
 */
final class Run implements RunHandle {
  private static final Logger LOG = LoggerFactory.getLogger(Run.class);

  private final Engine engine;
  private final Plan plan;
  private final Map<String, Executor> executors;
  private final String id;
  private final Path workspace;
  private final Path artifacts;
  private final ExecutorService pool;
  private final Cancellation cancellation = Cancellation.create();
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private final Instant started;

  private final Object lock = new Object();
  private final Map<String, PlannedStage> stages = new LinkedHashMap<>();
  private final Map<String, List<String>> dependents = new HashMap<>();
  private final Map<String, Integer> waitingOn = new HashMap<>();
  private final Map<String, Boolean> parentOpen = new HashMap<>();
  private final Map<String, Integer> childrenLeft = new HashMap<>();
  private final Map<String, Boolean> childFailed = new HashMap<>();
  private final Map<String, String> blockedBy = new HashMap<>();
  private final Map<String, RunResult.StageResult> results = new HashMap<>();
  private final Map<String, Instant> stageStarts = new HashMap<>();
  private final Map<String, List<RunResult.StepResult>> steps = new HashMap<>();
  private boolean stopping;
  private String stopReason;
  private boolean cancelled;
  private boolean finished;
  private final Map<String, Scheduler.Cancellable> timeouts = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> timedOut = new java.util.concurrent.ConcurrentHashMap<>();

  Run(Engine engine, Plan plan, Map<String, Executor> executors) {
    this.engine = engine;
    this.plan = plan;
    this.executors = executors;
    this.started = engine.clock.instant();
    this.id = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC).format(started)
        + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path dir = engine.root.resolve(id);
    this.workspace = dir.resolve("workspace");
    this.artifacts = dir.resolve("artifacts");
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(engine.parallelism, task -> {
      Thread thread = new Thread(task, "otto-run-" + id + "-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public CompletableFuture<RunResult> result() {
    return result;
  }

  @Override
  public void cancel() {
    synchronized (lock) {
      if (!stopping) {
        stopping = true;
        stopReason = "the run was cancelled";
      }
      cancelled = true;
    }
    cancellation.cancel();
  }

  void begin(List<Engine.StageWarning> warnings) {
    try {
      Files.createDirectories(workspace);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the workspace " + workspace, e);
    }
    LOG.info("run {} of pipeline '{}' started: {} stages", id, plan.pipeline(), plan.stages().size());
    emit(new RunEvent.RunStarted(id, now(), plan.pipeline(), plan.stages().size()));
    for (Engine.StageWarning warning : warnings) {
      emit(new RunEvent.Warning(id, now(), warning.stage(), warning.message()));
    }
    synchronized (lock) {
      for (PlannedStage stage : plan.stages()) {
        stages.put(stage.id(), stage);
        waitingOn.put(stage.id(), stage.dependsOn().size());
        parentOpen.put(stage.id(), stage.parent().isEmpty());
        childrenLeft.put(stage.id(), stage.children().size());
        for (String dependency : stage.dependsOn()) {
          dependents.computeIfAbsent(dependency, k -> new ArrayList<>()).add(stage.id());
        }
      }
      if (stages.isEmpty()) {
        finish();
        return;
      }
      for (PlannedStage stage : plan.stages()) {
        considerLocked(stage.id());
      }
    }
  }

  /** Starts or skips a stage whose turn has come. Caller holds the lock. */
  private void considerLocked(String stageId) {
    if (results.containsKey(stageId) || stageStarts.containsKey(stageId)) {
      return;
    }
    if (!parentOpen.get(stageId) || waitingOn.get(stageId) > 0) {
      return;
    }
    PlannedStage stage = stages.get(stageId);
    if (stage.status() == StageStatus.SKIP) {
      skipLocked(stage, stage.reason().orElse("the plan skips it"), false);
    } else if (blockedBy.containsKey(stageId)) {
      skipLocked(stage, blockedBy.get(stageId), true);
    } else if (stopping) {
      skipLocked(stage, stopReason, true);
    } else {
      stageStarts.put(stageId, now());
      steps.put(stageId, new ArrayList<>());
      Executor executor = executors.get(stageId);
      LOG.debug("run {}: stage '{}' started", id, stageId);
      emit(new RunEvent.StageStarted(id, now(), stageId, executor == null ? "none" : executor.name()));
      stage.timeout().ifPresent(limit -> timeouts.put(stageId, engine.scheduler.schedule(limit,
          () -> timeOut(stage, limit))));
      pool.execute(() -> execute(stage, 0, false));
    }
  }

  /** Stops a stage that ran past its timeout: its processes end, and it fails with that reason. */
  private void timeOut(PlannedStage stage, Duration limit) {
    timedOut.put(stage.id(), "the stage timed out after " + limit);
    Executor executor = executors.get(stage.id());
    if (executor != null) {
      executor.endSession(session(stage));
    }
  }

  /** Skips a stage and everything inside it. Caller holds the lock. */
  private void skipLocked(PlannedStage stage, String reason, boolean becauseOfFailure) {
    for (String child : stage.children()) {
      if (!results.containsKey(child)) {
        skipLocked(stages.get(child), "its group '" + stage.id() + "' did not run", becauseOfFailure);
      }
    }
    LOG.debug("run {}: stage '{}' skipped: {}", id, stage.id(), reason);
    emit(new RunEvent.StageSkipped(id, now(), stage.id(), reason));
    settleLocked(stage.id(), new RunResult.StageResult(stage.id(), RunResult.Status.SKIPPED, Optional.of(reason),
        Duration.ZERO, List.of()), becauseOfFailure);
  }

  /** Records a stage's end and lets what waited on it go on. Caller holds the lock. */
  private void settleLocked(String stageId, RunResult.StageResult stageResult, boolean failedOrBlocked) {
    results.put(stageId, stageResult);
    PlannedStage stage = stages.get(stageId);
    for (String child : stage.children()) {
      if (!results.containsKey(child) && !stageStarts.containsKey(child)) {
        skipLocked(stages.get(child), "its group '" + stageId + "' ended before it started", true);
      }
    }
    boolean failed = stageResult.status() == RunResult.Status.FAILED
        || stageResult.status() == RunResult.Status.CANCELLED;
    if (failed && engine.failurePolicy == Engine.FailurePolicy.FAIL_FAST && !stopping) {
      stopping = true;
      stopReason = "the run stopped after stage '" + stageId + "' failed";
      cancellation.cancel();
    }
    for (String dependent : dependents.getOrDefault(stageId, List.of())) {
      if (failed || failedOrBlocked) {
        blockedBy.putIfAbsent(dependent, "its dependency '" + stageId + "' "
            + (failed ? "failed" : "did not run because of a failure"));
      }
      waitingOn.merge(dependent, -1, Integer::sum);
      considerLocked(dependent);
    }
    stage.parent().ifPresent(parent -> {
      if (failed || failedOrBlocked) {
        childFailed.put(parent, true);
      }
      int left = childrenLeft.merge(parent, -1, Integer::sum);
      if (left == 0 && stageStarts.containsKey(parent) && !results.containsKey(parent)) {
        PlannedStage group = stages.get(parent);
        int resume = indexAfterChildren(group);
        boolean groupFailed = childFailed.getOrDefault(parent, false);
        pool.execute(() -> execute(group, resume, groupFailed));
      }
    });
    if (results.size() == stages.size() && !finished) {
      finish();
    }
  }

  private static int indexAfterChildren(PlannedStage group) {
    for (int i = 0; i < group.ops().size(); i++) {
      if (group.ops().get(i) instanceof Op.AwaitChildren) {
        return i + 1;
      }
    }
    return group.ops().size();
  }

  /** Runs a stage's ops from {@code from}; returns early at a group's children. */
  private void execute(PlannedStage stage, int from, boolean childFailed) {
    boolean failed = childFailed;
    boolean interrupted = false;
    String reason = childFailed ? "a child stage failed" : null;
    int step = (int) stage.ops().subList(0, from).stream().filter(Op.RunProcess.class::isInstance).count();
    try {
      for (int i = from; i < stage.ops().size(); i++) {
        Op op = stage.ops().get(i);
        if (op instanceof Op.AwaitChildren children) {
          openChildren(stage, children);
          return;
        }
        boolean stop = cancellation.future().isDone();
        boolean runs = switch (op.guard()) {
          case NORMAL, ON_SUCCESS -> !failed && !stop;
          case ON_FAILURE -> failed || stop;
          case ALWAYS -> true;
        };
        if (!runs && stop && !failed && op.guard() == Op.Guard.NORMAL) {
          interrupted = true;
        }
        if (op instanceof Op.RunProcess process) {
          step++;
          if (!runs) {
            if (op.guard() == Op.Guard.NORMAL) {
              emit(new RunEvent.StepSkipped(id, now(), stage.id(), step, process.label(),
                  stop && !failed ? "the run was stopped" : "an earlier step of the stage failed"));
            }
            continue;
          }
          RunResult.StepResult stepResult = runProcess(stage, step, process);
          synchronized (lock) {
            steps.get(stage.id()).add(stepResult);
          }
          if (op.guard() != Op.Guard.NORMAL) {
            continue;
          }
          if (stepResult.status() == RunResult.Status.CANCELLED) {
            interrupted = true;
          } else if (stepResult.status() != RunResult.Status.SUCCEEDED && !failed) {
            failed = true;
            reason = "step " + step + " '" + process.label() + "' " + stepResult.detail();
          }
        } else if (runs) {
          String problem = runOther(stage, op);
          if (problem != null && !failed) {
            failed = true;
            reason = problem;
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.error("stage '{}' of run {} failed unexpectedly", stage.id(), id, e);
      failed = true;
      reason = "the engine failed: " + e.getClass().getSimpleName();
    }
    Scheduler.Cancellable limit = timeouts.remove(stage.id());
    if (limit != null) {
      limit.cancel();
    }
    String timeoutReason = timedOut.get(stage.id());
    if (timeoutReason != null) {
      failed = true;
      reason = timeoutReason;
    }
    Executor executor = executors.get(stage.id());
    if (executor != null) {
      int stopped = executor.endSession(session(stage));
      if (stopped > 0) {
        emit(new RunEvent.Warning(id, now(), stage.id(), stopped + " processes the stage left running were stopped"));
      }
    }
    RunResult.Status status = failed ? RunResult.Status.FAILED
        : interrupted ? RunResult.Status.CANCELLED : RunResult.Status.SUCCEEDED;
    synchronized (lock) {
      if (status == RunResult.Status.CANCELLED) {
        reason = cancelled ? "cancelled" : "stopped: " + stopReason;
      }
      Duration duration = Duration.between(stageStarts.get(stage.id()), now());
      LOG.debug("run {}: stage '{}' {}{}", id, stage.id(), status, reason == null ? "" : ": " + reason);
      emit(new RunEvent.StageFinished(id, now(), stage.id(), status, duration));
      settleLocked(stage.id(), new RunResult.StageResult(stage.id(), status, Optional.ofNullable(reason), duration,
          steps.get(stage.id())), false);
    }
  }

  /** The session of a stage's processes: background processes live until the stage ends. */
  private String session(PlannedStage stage) {
    return id + ":" + stage.id();
  }

  private void openChildren(PlannedStage group, Op.AwaitChildren children) {
    synchronized (lock) {
      for (String child : children.children()) {
        parentOpen.put(child, true);
      }
      if (children.children().isEmpty() || childrenLeft.get(group.id()) == 0) {
        int resume = indexAfterChildren(group);
        boolean groupFailed = childFailed.getOrDefault(group.id(), false);
        pool.execute(() -> execute(group, resume, groupFailed));
        return;
      }
      for (String child : children.children()) {
        considerLocked(child);
      }
    }
  }

  private RunResult.StepResult runProcess(PlannedStage stage, int step, Op.RunProcess process) {
    Instant start = now();
    emit(new RunEvent.StepStarted(id, start, stage.id(), step, process.label()));
    ProcessOutcome outcome = attempt(stage, step, process);
    Duration backoff = process.retryBackoff();
    for (int retry = 1; retry <= process.retries() && retriable(outcome); retry++) {
      emit(new RunEvent.Warning(id, now(), stage.id(), "step " + step + " '" + process.label() + "' "
          + outcome.detail() + "; retry " + retry + " of " + process.retries() + " in " + backoff));
      if (waitOrStop(backoff)) {
        break;
      }
      outcome = attempt(stage, step, process);
      backoff = backoff.multipliedBy(2);
    }
    RunResult.Status status = switch (outcome.status()) {
      case SUCCEEDED -> RunResult.Status.SUCCEEDED;
      case CANCELLED -> RunResult.Status.CANCELLED;
      default -> RunResult.Status.FAILED;
    };
    Duration duration = Duration.between(start, now());
    emit(new RunEvent.StepFinished(id, now(), stage.id(), step, process.label(), status, outcome.exitCode(), duration,
        outcome.detail()));
    return new RunResult.StepResult(process.label(), status, outcome.exitCode(), duration, outcome.detail());
  }

  private boolean retriable(ProcessOutcome outcome) {
    return !outcome.succeeded() && outcome.status() != ProcessOutcome.Status.CANCELLED
        && !cancellation.future().isDone();
  }

  /** Waits {@code duration} on the engine's scheduler; returns true when the run is stopped meanwhile. */
  private boolean waitOrStop(Duration duration) {
    CompletableFuture<Void> elapsed = new CompletableFuture<>();
    Scheduler.Cancellable timer = engine.scheduler.schedule(duration, () -> elapsed.complete(null));
    try {
      CompletableFuture.anyOf(elapsed, cancellation.future()).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.debug("waiting for a retry was interrupted: {}", e.getMessage());
    }
    timer.cancel();
    return !elapsed.isDone();
  }

  private ProcessOutcome attempt(PlannedStage stage, int step, Op.RunProcess process) {
    Map<String, SecretValue> values = new LinkedHashMap<>();
    try {
      for (SecretBinding binding : process.secrets()) {
        values.putIfAbsent(binding.secret(), engine.secrets.resolve(binding.secret()));
      }
      Map<String, String> extra = Map.of("OTTO_RUN_ID", id, "OTTO_STAGE", stage.id(), "OTTO_STEP", String.valueOf(step));
      return executors.get(stage.id()).run(new ProcessRequest(process, stage.runtime(), workspace, values, extra,
          Optional.of(session(stage))), line -> emit(new RunEvent.OutputLine(id, now(), stage.id(), step, line)),
          cancellation);
    } catch (SecretResolutionException e) {
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO, e.getMessage());
    }
  }

  /** Runs an op other than a process; returns why it failed the stage, or null. */
  private String runOther(PlannedStage stage, Op op) {
    if (op instanceof Op.BeginStage || op instanceof Op.EndStage) {
      return null;
    }
    if (op instanceof Op.RestoreCache restore) {
      cache(stage, restore.cache(), "restore", restore.keyFiles(), null);
      return null;
    }
    if (op instanceof Op.SaveCache save) {
      cache(stage, save.cache(), "save", save.keyFiles(), save.paths());
      return null;
    }
    if (op instanceof Op.Emit emitted) {
      emit(new RunEvent.Emitted(id, now(), stage.id(), emitted.event(), emitted.message()));
      return null;
    }
    if (op instanceof Op.StoreArtifact artifact) {
      return store(stage, artifact);
    }
    return "the engine cannot run '" + op.kind() + "' ops";
  }

  private void cache(PlannedStage stage, String name, String what, List<String> keyFiles, List<String> paths) {
    if (engine.caches == null) {
      emit(new RunEvent.CacheEvent(id, now(), stage.id(), name, what, "no cache store is configured"));
      return;
    }
    try {
      CacheKey key = CacheKey.of(name, workspace, keyFiles);
      CacheResult done = paths == null ? engine.caches.restore(key, workspace)
          : engine.caches.save(key, workspace, paths);
      emit(new RunEvent.CacheEvent(id, now(), stage.id(), name, done.status().name().toLowerCase(java.util.Locale.ROOT),
          done.detail()));
    } catch (UncheckedIOException e) {
      emit(new RunEvent.CacheEvent(id, now(), stage.id(), name, "failed", e.getMessage()));
    }
  }

  private String store(PlannedStage stage, Op.StoreArtifact artifact) {
    Path target = artifacts.resolve(artifact.name());
    int[] files = {0};
    try {
      for (String path : artifact.paths()) {
        Path source = workspace.resolve(path).normalize();
        if (!source.startsWith(workspace) || !Files.exists(source)) {
          return "the artifact '" + artifact.name() + "' has no path '" + path + "' in the workspace";
        }
        try (Stream<Path> walk = Files.walk(source)) {
          for (Path file : (Iterable<Path>) walk::iterator) {
            if (Files.isRegularFile(file)) {
              Path copy = target.resolve(workspace.relativize(file).toString());
              Files.createDirectories(copy.getParent());
              Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
              files[0]++;
            }
          }
        }
      }
    } catch (IOException e) {
      return "the artifact '" + artifact.name() + "' could not be stored: " + e.getMessage();
    }
    emit(new RunEvent.Emitted(id, now(), stage.id(), "artifact",
        "stored " + artifact.name() + ": " + files[0] + " files"));
    return null;
  }

  /** Caller holds the lock. */
  private void finish() {
    finished = true;
    RunResult.Status status = cancelled ? RunResult.Status.CANCELLED
        : results.values().stream().anyMatch(r -> r.status() == RunResult.Status.FAILED
            || r.status() == RunResult.Status.CANCELLED) ? RunResult.Status.FAILED : RunResult.Status.SUCCEEDED;
    Duration duration = Duration.between(started, now());
    List<RunResult.StageResult> ordered = plan.stages().stream().map(s -> results.get(s.id())).toList();
    LOG.info("run {} of pipeline '{}' {} in {}", id, plan.pipeline(), status, duration);
    emit(new RunEvent.RunFinished(id, now(), status, duration));
    pool.shutdown();
    result.complete(new RunResult(id, plan.pipeline(), status, duration, ordered));
  }

  private Instant now() {
    return engine.clock.instant();
  }

  private final Object events = new Object();

  private void emit(RunEvent event) {
    synchronized (events) {
      for (RunListener listener : engine.listeners) {
        try {
          listener.onEvent(event);
        } catch (RuntimeException e) {
          LOG.warn("a run listener failed on {}: {}", event.getClass().getSimpleName(), e.toString());
        }
      }
    }
  }
}

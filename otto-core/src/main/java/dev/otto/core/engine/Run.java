package dev.otto.core.engine;

import dev.otto.core.executor.Cancellation;
import dev.otto.core.executor.Executor;
import dev.otto.core.journal.RunLog;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.StageStatus;
import dev.otto.core.workspace.WorkspaceSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a plan. Scheduling state is guarded by the run's lock. Stages execute on the
 * engine's shared pool; a stage that waits (for an approval, a callback, a poll's next attempt,
 * a retry's backoff, or its child stages) holds no thread, only a cursor and perhaps a timer.
 * Every op's outcome is journaled, and the journal synced, before the run acts on it.
 */
final class Run implements RunHandle {
  private static final Logger LOG = LoggerFactory.getLogger(Run.class);

  final Engine engine;
  final Plan plan;
  private final Map<String, Executor> executors;
  private final EventFeed feed;
  private RunEvent.WorkspacePrepared prepared;
  private final String id;
  final Path workspace;
  final Path artifacts;
  private final RunLog log;
  private final Cancellation cancellation = Cancellation.create();
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private final Instant started;
  private final RunWaits waits;
  final StageRunner runner = new StageRunner(this);

  final Object lock = new Object();
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
  private final Map<String, Cursor> cursors = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Scheduler.Cancellable> timeouts = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> timedOut = new java.util.concurrent.ConcurrentHashMap<>();
  private Map<String, RunResult.StageResult> reused = Map.of();
  private String reusedFrom;
  private boolean stopping;
  private String stopReason;
  private boolean cancelled;
  private boolean finished;

  Run(Engine engine, Plan plan, Map<String, Executor> executors, String id, Instant started, RunLog log) {
    this.engine = engine;
    this.plan = plan;
    this.executors = executors;
    this.id = id;
    this.started = started;
    this.log = log;
    Path dir = engine.root.resolve(id);
    this.feed = new EventFeed(engine.listeners, dir.resolve("output.spool"));
    this.workspace = dir.resolve("workspace");
    this.artifacts = dir.resolve("artifacts");
    this.waits = new RunWaits(this);
    cancellation.future().thenRun(this::wakeAll);
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
        stopReason = Reasons.RUN_CANCELLED;
      }
      cancelled = true;
    }
    cancellation.cancel();
  }

  @Override
  public List<PendingWait> waits() {
    return waits.pending();
  }

  @Override
  public void decide(String waitId, Decision decision) {
    waits.decide(waitId, decision);
  }

  PendingWait callback(String tokenHash, String payload) {
    return waits.callback(tokenHash, payload);
  }

  @Override
  public RunSnapshot snapshot() {
    synchronized (lock) {
      Map<String, String> states = new LinkedHashMap<>();
      for (PlannedStage stage : plan.stages()) {
        RunResult.StageResult done = results.get(stage.id());
        Cursor cursor = cursors.get(stage.id());
        states.put(stage.id(), done != null ? done.status().name().toLowerCase(java.util.Locale.ROOT)
            : cursor == null ? "pending" : waits.isWaiting(stage.id()) ? "waiting" : "running");
      }
      return new RunSnapshot(id, plan.pipeline(), finished ? result.join().status().name().toLowerCase(
          java.util.Locale.ROOT) : "running", states, waits.pending());
    }
  }

  RunWaits waitTable() {
    return waits;
  }

  RunLog log() {
    return log;
  }

  Cancellation cancellation() {
    return cancellation;
  }

  Executor executorOf(String stageId) {
    return executors.get(stageId);
  }

  boolean isTimedOut(String stageId) {
    return timedOut.containsKey(stageId);
  }

  void addStep(String stageId, RunResult.StepResult step) {
    synchronized (lock) {
      steps.get(stageId).add(step);
    }
  }

  boolean isStopped(String stageId) {
    return cancellation.future().isDone() || timedOut.containsKey(stageId);
  }

  /** Lets a restart reuse the recorded results of these stages. */
  void reuse(Map<String, RunResult.StageResult> results, String fromRun) {
    this.reused = Map.copyOf(results);
    this.reusedFrom = fromRun;
  }

  /**
   * Fills the new run's workspace from {@code source}. On failure the run is undone: its journal
   * closed, its folder removed, and the caller told why.
   */
  void fill(WorkspaceSource source) {
    long begun = System.nanoTime();
    try {
      createWorkspace();
      WorkspaceSource.Filled filled = source.fill(workspace);
      prepared = new RunEvent.WorkspacePrepared(id, now(), source.description(), filled.files(), filled.bytes(),
          filled.revision(), Duration.ofNanos(System.nanoTime() - begun));
    } catch (IOException | RuntimeException e) {
      log.close();
      try {
        com.google.common.io.MoreFiles.deleteRecursively(workspace.getParent(),
            com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE);
      } catch (IOException cleanup) {
        LOG.warn("the folder of run {} could not be removed: {}", id, cleanup.toString());
      }
      throw new dev.otto.core.OttoException("the workspace of a run of '" + plan.pipeline() + "' could not be made "
          + "from " + source.description() + ": " + e.getMessage(), e);
    }
  }

  /** Starts a new run: journals it, then starts what is ready. */
  void begin(List<Engine.StageWarning> warnings) {
    createWorkspace();
    journal(true, Entries.encode("run", "run", id, "pipeline", plan.pipeline(), "fingerprint", plan.fingerprint(),
        "started", started.toString(), "from", reusedFrom));
    LOG.info("run {} of pipeline '{}' started: {} stages", id, plan.pipeline(), plan.stages().size());
    emit(new RunEvent.RunStarted(id, now(), plan.pipeline(), plan.stages().size()));
    if (prepared != null) {
      emit(prepared);
    }
    warnings.forEach(w -> emit(new RunEvent.Warning(id, now(), w.stage(), w.message())));
    synchronized (lock) {
      index();
      if (stages.isEmpty()) {
        finishLocked();
        return;
      }
      plan.stages().forEach(stage -> considerLocked(stage.id()));
    }
  }

  /** Takes a run over from its journal: settles what ended, goes on with what was running. */
  void resume(Recovery recovery, List<Engine.StageWarning> warnings) {
    createWorkspace();
    Map<String, Integer> orphans = stopOrphans(recovery);
    journal(true, Entries.encode("resumed", "at", now().toString()));
    LOG.info("run {} of pipeline '{}' resumed from {} journal entries", id, plan.pipeline(), recovery.entries);
    emit(new RunEvent.RunResumed(id, now(), recovery.entries));
    warnings.forEach(w -> emit(new RunEvent.Warning(id, now(), w.stage(), w.message())));
    orphans.forEach((stage, stopped) -> emit(new RunEvent.Warning(id, now(), stage, stopped
        + " processes the run's previous engine had started were still running and were stopped before the stage "
        + "went on")));
    waits.retire(recovery.endedWaits);
    List<Cursor> going = new ArrayList<>();
    synchronized (lock) {
      index();
      for (PlannedStage stage : plan.stages()) {
        Recovery.StageRecord record = recovery.stages.get(stage.id());
        if (record != null && record.result == null) {
          stageStarts.put(stage.id(), record.started);
          steps.put(stage.id(), new ArrayList<>(record.steps));
          parentOpen.put(stage.id(), true);
          Cursor cursor = Cursor.restored(stage, record);
          cursors.put(stage.id(), cursor);
          going.add(cursor);
        }
      }
      for (PlannedStage stage : plan.stages()) {
        Recovery.StageRecord record = recovery.stages.get(stage.id());
        if (record != null && record.result != null) {
          parentOpen.put(stage.id(), true);
          settleLocked(stage.id(), record.result, false, false);
        }
      }
      if (finished) {
        return;
      }
      for (Cursor cursor : going) {
        cursor.stage.timeout().ifPresent(limit -> timeouts.put(cursor.stage.id(), engine.scheduler.schedule(
            Duration.between(now(), stageStarts.get(cursor.stage.id()).plus(limit)), () -> timeOut(cursor, limit))));
        engine.workers.execute(() -> runner.execute(cursor));
      }
      plan.stages().forEach(stage -> considerLocked(stage.id()));
    }
  }

  /**
   * Stops, and waits for, every process that the previous engine started for a stage it had not
   * finished: a host that dies leaves its steps running, and an op in flight runs again, which
   * must not overlap the first execution. The previous engine's processes are found by their
   * stage's session, which is the same in every engine that holds the run. Returns how many were
   * stopped for each stage.
   */
  private Map<String, Integer> stopOrphans(Recovery recovery) {
    Map<String, Integer> stopped = new LinkedHashMap<>();
    for (PlannedStage stage : plan.stages()) {
      Recovery.StageRecord record = recovery.stages.get(stage.id());
      Executor executor = executors.get(stage.id());
      if (record != null && record.result == null && executor != null) {
        int count = executor.endSession(session(stage));
        if (count > 0) {
          stopped.put(stage.id(), count);
        }
      }
    }
    return stopped;
  }

  private void createWorkspace() {
    try {
      Files.createDirectories(workspace);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the workspace " + workspace, e);
    }
  }

  /** Caller holds the lock. */
  private void index() {
    for (PlannedStage stage : plan.stages()) {
      stages.put(stage.id(), stage);
      waitingOn.put(stage.id(), stage.dependsOn().size());
      parentOpen.putIfAbsent(stage.id(), stage.parent().isEmpty());
      childrenLeft.put(stage.id(), stage.children().size());
      for (String dependency : stage.dependsOn()) {
        dependents.computeIfAbsent(dependency, k -> new ArrayList<>()).add(stage.id());
      }
    }
  }

  /** Starts, reuses or skips a stage whose turn has come. Caller holds the lock. */
  private void considerLocked(String stageId) {
    if (results.containsKey(stageId) || stageStarts.containsKey(stageId)) {
      return;
    }
    if (!parentOpen.get(stageId) || waitingOn.get(stageId) > 0) {
      return;
    }
    PlannedStage stage = stages.get(stageId);
    if (stage.status() == StageStatus.SKIP) {
      skipLocked(stage, stage.reason().orElse(Reasons.PLAN_SKIPS), false);
    } else if (blockedBy.containsKey(stageId)) {
      skipLocked(stage, blockedBy.get(stageId), true);
    } else if (stopping) {
      skipLocked(stage, stopReason, true);
    } else if (reused.containsKey(stageId)) {
      reuseLocked(stage);
    } else {
      Instant at = now();
      stageStarts.put(stageId, at);
      steps.put(stageId, new ArrayList<>());
      Executor executor = executors.get(stageId);
      journal(false, Entries.encode("stage", "stage", stageId, "at", at.toString()));
      LOG.debug("run {}: stage '{}' started", id, stageId);
      emit(new RunEvent.StageStarted(id, at, stageId, executor == null ? "none" : executor.name()));
      Cursor cursor = new Cursor(stage);
      cursors.put(stageId, cursor);
      stage.timeout().ifPresent(limit -> timeouts.put(stageId, engine.scheduler.schedule(limit,
          () -> timeOut(cursor, limit))));
      engine.workers.execute(() -> runner.execute(cursor));
    }
  }

  /** Settles a stage and everything inside it with the results a restart reuses. Caller holds the lock. */
  private void reuseLocked(PlannedStage stage) {
    for (String child : stage.children()) {
      parentOpen.put(child, true);
      if (!results.containsKey(child)) {
        reuseLocked(stages.get(child));
      }
    }
    RunResult.StageResult before = reused.get(stage.id());
    emit(new RunEvent.StageReused(id, now(), stage.id(), reusedFrom, before.status()));
    journal(true, Entries.encode("stage-end", "stage", stage.id(), "status", before.status().name(), "reason",
        before.reason().orElse(null), "ms", "0", "digest", StageDigest.of(stage)));
    settleLocked(stage.id(), before, false, true);
  }

  /** Stops a stage that ran past its timeout: its processes and waits end, and it fails with that reason. */
  private void timeOut(Cursor cursor, Duration limit) {
    timedOut.put(cursor.stage.id(), Reasons.stageTimedOut(limit));
    Executor executor = executors.get(cursor.stage.id());
    if (executor != null) {
      executor.endSession(session(cursor.stage));
    }
    Runnable wake = cursor.wake;
    if (wake != null) {
      wake.run();
    }
  }

  private void wakeAll() {
    for (Cursor cursor : cursors.values()) {
      Runnable wake = cursor.wake;
      if (wake != null) {
        wake.run();
      }
    }
  }

  /** Skips a stage and everything inside it. Caller holds the lock. */
  private void skipLocked(PlannedStage stage, String reason, boolean becauseOfFailure) {
    for (String child : stage.children()) {
      if (!results.containsKey(child)) {
        skipLocked(stages.get(child), Reasons.groupDidNotRun(stage.id()), becauseOfFailure);
      }
    }
    LOG.debug("run {}: stage '{}' skipped: {}", id, stage.id(), reason);
    emit(new RunEvent.StageSkipped(id, now(), stage.id(), reason));
    RunResult.StageResult skipped = new RunResult.StageResult(stage.id(), RunResult.Status.SKIPPED, Optional.of(reason),
        Duration.ZERO, List.of());
    journal(false, Entries.encode("stage-end", "stage", stage.id(), "status", "SKIPPED", "reason", reason, "ms", "0",
        "digest", StageDigest.of(stage)));
    settleLocked(stage.id(), skipped, becauseOfFailure, true);
  }

  /** Records a stage's end and lets what waited on it go on. Caller holds the lock. */
  private void settleLocked(String stageId, RunResult.StageResult stageResult, boolean failedOrBlocked,
      boolean live) {
    results.put(stageId, stageResult);
    cursors.remove(stageId);
    PlannedStage stage = stages.get(stageId);
    for (String child : stage.children()) {
      if (live && !results.containsKey(child) && !stageStarts.containsKey(child)) {
        skipLocked(stages.get(child), Reasons.groupEndedFirst(stageId), true);
      }
    }
    boolean failed = stageResult.status() == RunResult.Status.FAILED
        || stageResult.status() == RunResult.Status.CANCELLED;
    if (failed && engine.failurePolicy == Engine.FailurePolicy.FAIL_FAST && !stopping) {
      stopping = true;
      stopReason = Reasons.stoppedAfter(stageId);
      cancellation.cancel();
    }
    for (String dependent : dependents.getOrDefault(stageId, List.of())) {
      if (failed || failedOrBlocked) {
        blockedBy.putIfAbsent(dependent, Reasons.dependency(stageId, failed));
      }
      waitingOn.merge(dependent, -1, Integer::sum);
      if (live) {
        considerLocked(dependent);
      }
    }
    stage.parent().ifPresent(parent -> {
      if (failed || failedOrBlocked) {
        childFailed.put(parent, true);
      }
      int left = childrenLeft.merge(parent, -1, Integer::sum);
      Cursor group = cursors.get(parent);
      if (left == 0 && group != null && group.atChildren) {
        continueGroup(group);
      }
    });
    if (results.size() == stages.size() && !finished) {
      finishLocked();
    }
  }

  /** A group's children have all ended: the group goes on after them. Caller holds the lock. */
  private void continueGroup(Cursor group) {
    group.atChildren = false;
    boolean failedChild = childFailed.getOrDefault(group.stage.id(), false);
    engine.workers.execute(() -> {
      if (failedChild && !group.failed) {
        group.failed = true;
        group.reason = Reasons.CHILD_FAILED;
      }
      runner.recordOp(group, null);
      runner.execute(group);
    });
  }

  /** Hands the cursor to the pool again, after a wait ended. */
  void proceed(Cursor c) {
    engine.workers.execute(() -> runner.execute(c));
  }

  void finishStage(Cursor c) {
    PlannedStage stage = c.stage;
    Scheduler.Cancellable limit = timeouts.remove(stage.id());
    if (limit != null) {
      limit.cancel();
    }
    String timeoutReason = timedOut.get(stage.id());
    if (timeoutReason != null) {
      c.failed = true;
      c.reason = timeoutReason;
    }
    Executor executor = executors.get(stage.id());
    if (executor != null) {
      int stopped = executor.endSession(session(stage));
      if (stopped > 0) {
        emit(new RunEvent.Warning(id, now(), stage.id(), stopped + " processes the stage left running were stopped"));
      }
    }
    RunResult.Status status = c.failed ? RunResult.Status.FAILED
        : c.interrupted ? RunResult.Status.CANCELLED : RunResult.Status.SUCCEEDED;
    synchronized (lock) {
      String reason = c.reason;
      if (status == RunResult.Status.CANCELLED) {
        reason = Reasons.cancelledStage(cancelled, stopReason);
      }
      Duration duration = Duration.between(stageStarts.get(stage.id()), now());
      LOG.debug("run {}: stage '{}' {}{}", id, stage.id(), status, reason == null ? "" : ": " + reason);
      journal(false, Entries.encode("stage-end", "stage", stage.id(), "status", status.name(), "reason", reason,
          "ms", String.valueOf(duration.toMillis()), "digest", StageDigest.of(stage)));
      emit(new RunEvent.StageFinished(id, now(), stage.id(), status, duration));
      settleLocked(stage.id(), new RunResult.StageResult(stage.id(), status, Optional.ofNullable(reason), duration,
          steps.get(stage.id())), false, true);
    }
  }

  /** The session of a stage's processes: background processes live until the stage ends. */
  String session(PlannedStage stage) {
    return id + ":" + stage.id();
  }

  void openChildren(Cursor group, Op.AwaitChildren children) {
    synchronized (lock) {
      group.atChildren = true;
      for (String child : children.children()) {
        parentOpen.put(child, true);
      }
      if (children.children().isEmpty() || childrenLeft.get(group.stage.id()) == 0) {
        continueGroup(group);
        return;
      }
      for (String child : children.children()) {
        considerLocked(child);
      }
    }
  }

  /** Caller holds the lock. */
  private void finishLocked() {
    finished = true;
    RunResult.Status status = cancelled ? RunResult.Status.CANCELLED
        : results.values().stream().anyMatch(r -> r.status() == RunResult.Status.FAILED
            || r.status() == RunResult.Status.CANCELLED) ? RunResult.Status.FAILED : RunResult.Status.SUCCEEDED;
    Duration duration = Duration.between(started, now());
    List<RunResult.StageResult> ordered = plan.stages().stream().map(s -> results.get(s.id())).toList();
    journal(true, Entries.encode("run-end", "status", status.name(), "ms", String.valueOf(duration.toMillis())));
    log.close();
    waits.forget();
    engine.forget(this);
    LOG.info("run {} of pipeline '{}' {} in {}", id, plan.pipeline(), status, duration);
    emit(new RunEvent.RunFinished(id, now(), status, duration));
    result.complete(new RunResult(id, plan.pipeline(), status, duration, ordered));
  }

  /**
   * Appends an entry to the run's journal. Appended entries survive the death of the host
   * process; {@code sync} also makes this one, and all before it, survive the machine's before the
   * caller acts on it. Entries that only follow from earlier ones (a stage's start and end) need
   * no sync: if the machine loses them, resuming makes them again.
   */
  void journal(boolean sync, String entry) {
    log.append(entry);
    if (sync) {
      log.sync();
    }
  }

  Instant now() {
    return engine.clock.instant();
  }

  void emit(RunEvent event) {
    feed.emit(event);
  }
}

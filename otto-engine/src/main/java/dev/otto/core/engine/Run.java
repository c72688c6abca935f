package dev.otto.core.engine;

import dev.otto.core.executor.Cancellation;
import dev.otto.core.executor.Executor;
import dev.otto.core.journal.JournalException;
import dev.otto.core.journal.RunLog;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.RunnablePlan;
import dev.otto.core.workspace.WorkspaceSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a plan on this engine: a driver of the run's {@link RunMachine}. Every input is
 * journaled, then applied under the run's lock; the machine's actions are carried out in order:
 * ops go to the engine's pool (no thread waits on a stage: a wait or a retry's backoff is only a
 * timer), events are delivered once the lock is released, in the order the machine made them.
 * Resuming a run feeds its journaled inputs to a new machine.
 */
final class Run implements RunHandle {
  private static final Logger LOG = LoggerFactory.getLogger(Run.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  final LocalEngine engine;
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
  /** For a restart: the secrets the earlier run's plan declared, and those it handed out. */
  private java.util.Set<String> declaredBefore = java.util.Set.of();
  private java.util.Set<String> givenBefore = java.util.Set.of();
  /** The secrets of probes' failed attempts journaled so far, once each: a poll may try many times. */
  private final java.util.Set<String> handedJournaled = new java.util.HashSet<>();
  private final LocalOps ops;
  private RunMachine machine;
  private Map<String, RunResult.StageResult> reused = Map.of();
  private String reusedFrom;
  /** The commit the workspace was made from, if known, for the record of the run's deployments. */
  private Optional<String> commit = Optional.empty();

  private final Object lock = new Object();
  /** Why the run stopped: its journal failed; guarded by {@link #lock}. */
  private JournalException broken;
  /**
   * Entries made under the lock and not yet written: the lock's holder writes them before it
   * releases the lock, so that the journal has them before the run acts on them; but a step's
   * start, which only tells that the step began, waits for the next write, which comes before its
   * outcome's.
   */
  private final List<String> unwritten = new ArrayList<>();
  /** Events the machine made, delivered in order once the lock is released. */
  private final ArrayDeque<RunEvent> outbox = new ArrayDeque<>();
  private final Object delivering = new Object();
  private final Map<String, Scheduler.Cancellable> timers = new HashMap<>();
  /**
   * Each stage's cancellation, under the lock: an op is handed the one of its stage when the
   * machine asks for it, so that a stop of the stage reaches the op wherever it is on its way to
   * the executor. A stopped stage gets a new one for the ops it still runs (those that run
   * always).
   */
  private final Map<String, Cancellation> stageCancellations = new HashMap<>();
  /**
   * What each stage's next op waits for, under the lock: the end of a stop of the stage (its
   * processes stopped and its session ended) and of a probe whose wait ended while it ran, so
   * that nothing of the stage runs beside them in its session, and no stop ends the session of an
   * op that came after it. Absent or done: nothing.
   */
  private final Map<String, CompletableFuture<Void>> settling = new HashMap<>();
  /** Each stage's last probe, under the lock: its own cancellation, and its end. */
  private final Map<String, Probing> probes = new HashMap<>();

  private record Probing(Cancellation cancellation, CompletableFuture<Void> ended) {}
  /** Webhook waits' token hashes, by wait id, and the waits, by hash. */
  private final Map<String, String> tokens = new LinkedHashMap<>();
  private final Map<String, String> waitsByToken = new HashMap<>();
  /** Tokens to hand out with the next {@link RunEvent.WaitStarted} of their wait. */
  private final Map<String, String> handOut = new HashMap<>();
  /** The next check of a lock's line, by stage and lock, while the stage holds or waits for it. */
  private final Map<String, Scheduler.Cancellable> lockChecks = new HashMap<>();

  /**
   * @param given the secrets the run has given its processes: none for a new run; for a resumed or
   *     restarted one, those its earlier stages were given, read again
   */
  Run(LocalEngine engine, Plan plan, Map<String, Executor> executors, String id, Instant started, RunLog log,
      RunSecrets given) {
    this.engine = engine;
    this.plan = plan;
    this.executors = executors;
    this.id = id;
    this.started = started;
    this.log = log;
    Path dir = engine.root.resolve(id);
    this.feed = new EventFeed(engine.listeners, dir.resolve("output.spool"));
    this.workspace = dir.resolve("workspace");
    this.artifacts = dir.resolve(WorkspaceOps.ARTIFACTS);
    this.ops = new LocalOps(this, given);
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
    feed(new RunMachine.Cancel(now()));
  }

  @Override
  public List<PendingWait> waits() {
    synchronized (lock) {
      return machine == null ? List.of() : machine.pendingWaits();
    }
  }

  @Override
  public void decide(String waitId, Decision decision) {
    java.util.Objects.requireNonNull(waitId, "waitId");
    java.util.Objects.requireNonNull(decision, "decision");
    feed(new RunMachine.Decide(now(), waitId, decision));
  }

  /** Resolves the webhook wait whose token hashes to {@code hash}. */
  PendingWait callback(String hash, String payload) {
    PendingWait described;
    synchronized (lock) {
      String waitId = waitsByToken.get(hash);
      if (waitId == null) {
        throw new WaitRefusedException(WaitRefusedException.Reason.UNKNOWN_TOKEN, "no pending wait has this token");
      }
      RunMachine.Callback callback = new RunMachine.Callback(now(), waitId, payload);
      machine.refusal(callback).ifPresent(refused -> {
        throw refused;
      });
      described = machine.pendingWait(waitId).orElseThrow();
    }
    feed(new RunMachine.Callback(now(), described.id(), payload));
    return described;
  }

  @Override
  public RunSnapshot snapshot() {
    synchronized (lock) {
      String state = machine.result().map(r -> r.status().name().toLowerCase(Locale.ROOT)).orElse("running");
      return new RunSnapshot(id, plan.pipeline(), state, machine.states(), machine.pendingWaits());
    }
  }

  RunLog log() {
    return log;
  }

  Executor executorOf(String stageId) {
    return executors.get(stageId);
  }

  /**
   * Lets a restart reuse the recorded results of these stages, of the run {@code fromRun}, whose
   * workspace it copies: that run's plan declared {@code declaredBefore}, and it (or the runs it
   * restarted) handed out {@code givenBefore}, which this run's journal keeps for a restart of it.
   */
  void reuse(Map<String, RunResult.StageResult> results, String fromRun, java.util.Set<String> declaredBefore,
      java.util.Set<String> givenBefore) {
    this.reused = Map.copyOf(results);
    this.reusedFrom = fromRun;
    this.declaredBefore = java.util.Set.copyOf(declaredBefore);
    this.givenBefore = java.util.Set.copyOf(givenBefore);
  }

  /** The names of the secrets the process of op {@code op} of stage {@code stageId} (or its poll's probe) is handed. */
  private java.util.Set<String> handedOut(String stageId, int op) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    plan.stage(stageId).ifPresent(stage -> {
      if (op < 0 || op >= stage.ops().size()) {
        return;
      }
      dev.otto.core.plan.Op what = stage.ops().get(op);
      if (what instanceof dev.otto.core.plan.Op.RunProcess process) {
        process.secrets().forEach(binding -> names.add(binding.secret()));
      } else if (what instanceof dev.otto.core.plan.Op.Poll poll) {
        poll.probe().secrets().forEach(binding -> names.add(binding.secret()));
      }
    });
    return names;
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
      // Stamped with the run's start, when filling began, as the run's first events are: events'
      // times never go back.
      prepared = new RunEvent.WorkspacePrepared(id, started, source.description(), filled.files(), filled.bytes(),
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

  /**
   * Records that the new run's workspace was copied from another's ({@code source}, for a
   * restart): the run starts by saying so, and keeps that run's commit as its own.
   */
  void copied(String source, long files, long bytes, Optional<String> commit, Duration took) {
    prepared = new RunEvent.WorkspacePrepared(id, started, source, files, bytes, commit, took);
  }

  private RunMachine newMachine(boolean startsWhenReady) {
    Map<String, String> names = new LinkedHashMap<>();
    executors.forEach((stage, executor) -> names.put(stage, executor.name()));
    return RunMachine.builder(id, RunnablePlan.of(plan))
        .failurePolicy(engine.failurePolicy)
        .executors(names)
        .reuse(reused, reusedFrom)
        .commit(commit)
        .startsWhenReady(startsWhenReady)
        .build();
  }

  /** Starts a new run: journals it, then starts what is ready. */
  void begin(List<LocalEngine.StageWarning> warnings) {
    createWorkspace();
    commit = prepared == null ? Optional.empty() : prepared.revision();
    synchronized (lock) {
      java.util.Set<String> declared = new java.util.TreeSet<>(plan.secrets());
      declared.addAll(declaredBefore);
      journal(true, Recovery.header(id, plan.pipeline(), plan.fingerprint(), started, reusedFrom, commit,
          plan.context(), declared, givenBefore));
    }
    LOG.info("run {} of pipeline '{}' started: {} stages", id, plan.pipeline(), plan.stages().size());
    List<RunEvent> preamble = new ArrayList<>();
    if (prepared != null) {
      preamble.add(prepared);
    }
    warnings.forEach(w -> preamble.add(new RunEvent.Warning(id, started, w.stage(), w.message())));
    synchronized (lock) {
      machine = newMachine(false);
    }
    feed(new RunMachine.Start(started, preamble));
  }

  /**
   * Takes a run over from its journal: replays its inputs, stops what the previous host left
   * running, and asks again for what was in flight.
   */
  void resume(Recovery recovery, List<LocalEngine.StageWarning> warnings) {
    createWorkspace();
    commit = recovery.commit;
    List<Runnable> after = new ArrayList<>();
    synchronized (lock) {
      machine = newMachine(recovery.startsWhenReady);
      List<RunMachine.Action> replayed = new ArrayList<>(machine.apply(new RunMachine.Start(started, List.of())));
      for (RunMachine.Input input : recovery.inputs) {
        replayed.addAll(machine.apply(input));
      }
      recordMissing(recovery, replayed);
      recovery.tokens.forEach(this::registerToken);
      if (!machine.finished()) {
        loseLocksGoneElsewhere(after);
      }
      if (machine.finished()) {
        complete(after);
      } else {
        Map<String, Integer> orphans = stopOrphans();
        LOG.info("run {} of pipeline '{}' resumed from {} journal entries", id, plan.pipeline(), recovery.entries);
        outbox.add(new RunEvent.RunResumed(id, now(), recovery.entries));
        warnings.forEach(w -> outbox.add(new RunEvent.Warning(id, now(), w.stage(), w.message())));
        orphans.forEach((stage, stopped) -> outbox.add(new RunEvent.Warning(id, now(), stage, stopped
            + " processes the run's previous engine had started were still running and were stopped before the "
            + "stage went on")));
        RunMachine.Resume resume = new RunMachine.Resume(now());
        journal(true, Recovery.encode(resume));
        perform(resume, machine.apply(resume), after);
      }
    }
    deliver();
    after.forEach(Runnable::run);
  }

  /**
   * Tells the machine, before it resumes, of the locks it held that went to other runs while the
   * run was not running: the stages that held them are cancelled, and their ops in flight are not
   * asked for again. Only what those inputs record and emit is carried out; what is in flight is
   * asked for by the resume that follows.
   */
  private void loseLocksGoneElsewhere(List<Runnable> after) {
    machine.heldLocks().forEach((stage, locks) -> {
      for (String held : locks) {
        if (!engine.locks.holds(held, id, stage)) {
          RunMachine.LockLost lost = new RunMachine.LockLost(now(), stage, held, Optional.empty());
          journal(true, Recovery.encode(lost));
          List<RunMachine.Action> kept = machine.apply(lost).stream().filter(a -> a instanceof RunMachine.Emit
              || a instanceof RunMachine.StepRecorded || a instanceof RunMachine.StageRecorded
              || a instanceof RunMachine.Release).toList();
          perform(lost, kept, after);
        }
      }
    });
  }

  /**
   * Journals the records of results the replay made that the journal lacks: a machine that died
   * may have kept an input and lost the records that followed from it. Deployments are recorded
   * again, as the journal does not say whether the store had them; the store keeps the first.
   */
  private void recordMissing(Recovery recovery, List<RunMachine.Action> replayed) {
    Map<String, Integer> steps = new HashMap<>();
    for (RunMachine.Action action : replayed) {
      if (action instanceof RunMachine.StepRecorded step) {
        Recovery.StageRecord known = recovery.stages.get(step.stage());
        int seen = steps.merge(step.stage(), 1, Integer::sum);
        if (known == null || known.steps.size() < seen) {
          append(Recovery.step(step.stage(), step.step()));
        }
      } else if (action instanceof RunMachine.StageRecorded stage) {
        Recovery.StageRecord known = recovery.stages.get(stage.result().id());
        if (known == null || known.result == null) {
          append(Recovery.stageEnd(stage.result(), stage.digest()));
        }
      } else if (action instanceof RunMachine.Deployed deployed) {
        write();
        engine.deployments.record(deployed.deployment());
      }
    }
  }

  /**
   * Stops, and waits for, every process that the previous engine started for a stage it had not
   * finished: a host that dies leaves its steps running, and an op in flight runs again, which
   * must not overlap the first execution. The previous engine's processes are found by their
   * stage's session, which is the same in every engine that holds the run. Returns how many were
   * stopped for each stage.
   */
  private Map<String, Integer> stopOrphans() {
    Map<String, Integer> stopped = new LinkedHashMap<>();
    for (String stageId : machine.running()) {
      Executor executor = executors.get(stageId);
      if (executor != null) {
        int count = executor.endSession(session(stageId));
        if (count > 0) {
          stopped.put(stageId, count);
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

  /**
   * Journals an input, applies it and carries out what the machine answers. A decision or
   * callback the machine refuses is thrown before anything is journaled.
   */
  void feed(RunMachine.Input input) {
    List<Runnable> after = new ArrayList<>();
    // Encoded before the lock is taken: the lock is held by one stage's thread at a time.
    String entry = unrecorded(input) ? null : input instanceof RunMachine.OpStarted started
        ? Recovery.encodeStarted(started, handedOut(started.stage(), started.op()))
        : input instanceof RunMachine.ProbeDone probed ? Recovery.encodeProbe(probed,
            handedOut(probed.stage(), probed.op())) : Recovery.encode(input);
    // A probe's failed attempt is not journaled, but the secrets it was handed are.
    java.util.Set<String> failedProbeSecrets = entry == null && input instanceof RunMachine.ProbeDone failed
        ? handedOut(failed.stage(), failed.op()) : java.util.Set.of();
    String handed = failedProbeSecrets.isEmpty() ? null
        : Recovery.encodeHanded(((RunMachine.ProbeDone) input).stage(), failedProbeSecrets);
    boolean breaks = false;
    synchronized (lock) {
      if (machine == null) {
        return;
      }
      if (machine.finished()) {
        if (input instanceof RunMachine.Decide || input instanceof RunMachine.Callback) {
          machine.refusal(input).ifPresent(refused -> {
            throw refused;
          });
        }
        return;
      }
      if (broken != null) {
        if (input instanceof RunMachine.Decide || input instanceof RunMachine.Callback) {
          throw stopped();
        }
        return;
      }
      machine.refusal(input).ifPresent(refused -> {
        throw refused;
      });
      try {
        boolean outcome = entry != null && record(input, entry);
        if (handed != null && handedJournaled.add(handed)) {
          append(handed);
        }
        perform(input, machine.apply(input), after);
        if (!(input instanceof RunMachine.OpStarted)) {
          write();
        }
        if (outcome && !machine.finished()) {
          log.syncAsync();
        }
      } catch (JournalException e) {
        broken = e;
        breaks = true;
        unwritten.clear();
        after.clear();
      }
    }
    if (breaks) {
      stopUnjournaled();
      throw stopped();
    }
    deliver();
    after.forEach(Runnable::run);
  }

  /**
   * Stops a run whose journal failed: what it does from then on could not be told on resume, so
   * it does nothing more. Its processes are stopped, its timers dropped, its journal closed (which
   * lets another engine, or this one, resume it), and its result fails with the journal's error;
   * the journal keeps what was written, and the run can be resumed from it once the journal's
   * disk works again.
   */
  private void stopUnjournaled() {
    List<String> running;
    synchronized (lock) {
      LOG.error("the journal of run {} failed, so the run stops: {}", id, broken.getMessage());
      letGo();
      try {
        log.close();
      } catch (RuntimeException e) {
        LOG.warn("the journal of run {} could not be closed: {}", id, e.toString());
      }
      running = List.copyOf(machine.running());
    }
    cancellation.cancel();
    // What the running stages left in their sessions goes too: nothing of the run outlives it.
    for (String stage : running) {
      try {
        endSession(stage);
      } catch (RuntimeException e) {
        LOG.warn("the session of stage '{}' of run {} could not be ended: {}", stage, id, e.toString());
      }
    }
    result.completeExceptionally(stopped());
  }

  /** The error a stopped run gives; under the lock, or on the thread that stopped it. */
  private JournalException stopped() {
    return new JournalException(JournalException.Reason.IO, "run " + id + " stopped: its journal failed ("
        + broken.getMessage() + "); resume it once the journal can be written", broken);
  }

  /**
   * Whether an input is left out of the journal: an unsuccessful attempt of a poll's probe and the
   * timer before the next, so that a poll that probes every minute for a month keeps the journal
   * small. A resumed run probes again from the first attempt.
   */
  private static boolean unrecorded(RunMachine.Input input) {
    return input instanceof RunMachine.ProbeDone done && !done.outcome().succeeded()
        || input instanceof RunMachine.TimerFired fired && fired.timer().startsWith("probe:");
  }

  /**
   * Appends an input to the journal. It is synced before the run acts on it when it came from
   * outside or had an effect outside the workspace (a decision, a callback, a cancel, a saved cache
   * or artifact): once the journal says it happened, it will not happen again. A process's outcome
   * is written before the run acts on it, with what it made the machine record, and synced in the
   * background while the stage goes on, by the journal's next group commit (the caller asks for
   * it; this returns true): should the machine die before that sync ends, the process runs again
   * on resume, as an op in flight does, and so does every process whose outcome was journaled
   * after it. What only follows from earlier entries (a timer, a restored cache, an ended session)
   * is not synced: resuming makes it again. A step's start is written with the next entry, as the
   * start of a process whose outcome is lost is told again when it runs again.
   */
  private boolean record(RunMachine.Input input, String entry) {
    if (input instanceof RunMachine.OpDone done && opAt(done.stage(), done.op()) instanceof Op.RunProcess
        || input instanceof RunMachine.ProbeDone) {
      append(entry);
      return true;
    } else if (input instanceof RunMachine.OpStarted) {
      append(entry);
    } else {
      boolean sync = !(input instanceof RunMachine.TimerFired) && !(input instanceof RunMachine.SessionEnded)
          && !(input instanceof RunMachine.OpStarted)
          && !(input instanceof RunMachine.OpDone done
          && (opAt(done.stage(), done.op()) instanceof Op.RestoreCache
              || opAt(done.stage(), done.op()) instanceof Op.RestoreArtifact));
      journal(sync, entry);
    }
    return false;
  }

  private Op opAt(String stageId, int index) {
    PlannedStage stage = ops.stage(stageId);
    return stage != null && index < stage.ops().size() ? stage.ops().get(index) : null;
  }

  /** The tasks a thread of the pool goes on with after the one it runs, in order. */
  private static final ThreadLocal<ArrayDeque<Runnable>> CONTINUATIONS = new ThreadLocal<>();

  /**
   * Runs an op on the engine's pool. A stage's next op, asked for by the outcome of its last on
   * the thread that ran it, goes on on that thread, as a stage keeps its thread while it runs
   * ops; the thread takes it when the current task ends, so a stage of many steps does not
   * nest calls. Everything else waits for a thread of the pool.
   */
  private void work(boolean sameStage, Runnable task) {
    ArrayDeque<Runnable> continuations = CONTINUATIONS.get();
    if (sameStage && continuations != null) {
      continuations.add(task);
      return;
    }
    engine.workers.execute(() -> {
      ArrayDeque<Runnable> mine = new ArrayDeque<>();
      CONTINUATIONS.set(mine);
      try {
        for (Runnable next = task; next != null; next = mine.poll()) {
          next.run();
        }
      } finally {
        CONTINUATIONS.remove();
      }
    });
  }

  private static String stageOf(RunMachine.Input input) {
    return input instanceof RunMachine.OpDone done ? done.stage() : null;
  }

  /**
   * Carries out the machine's answer to {@code input}, in order; what must wait for the lock's
   * release goes to {@code after}.
   */
  private void perform(RunMachine.Input input, List<RunMachine.Action> actions, List<Runnable> after) {
    for (RunMachine.Action action : actions) {
      if (action instanceof RunMachine.Emit emit) {
        outbox.add(handOutToken(emit.event()));
        logEvent(emit.event());
      } else if (action instanceof RunMachine.Execute execute) {
        Cancellation stage = stageCancellation(execute.stage());
        boolean sameStage = execute.stage().equals(stageOf(input));
        whenSettled(after, execute.stage(), () -> work(sameStage, () -> ops.execute(execute, stage)));
      } else if (action instanceof RunMachine.Probe probe) {
        Probing probing = new Probing(stageCancellation(probe.stage()).child(), new CompletableFuture<>());
        probes.put(probe.stage(), probing);
        whenSettled(after, probe.stage(), () -> work(false, () -> ops.probe(probe, probing.cancellation(),
            probing.ended())));
      } else if (action instanceof RunMachine.OpenWait open) {
        openWait(open);
      } else if (action instanceof RunMachine.CloseWait close) {
        // A poll that ended while its probe ran: the probe is stopped, and the stage goes on after it.
        Probing probing = close.gate() instanceof Op.Poll ? probes.remove(close.stage()) : null;
        if (probing != null && !probing.ended().isDone()) {
          settleFirst(close.stage(), probing.ended());
          after.add(probing.cancellation()::cancel);
        }
      } else if (action instanceof RunMachine.SetTimer set) {
        setTimer(set);
      } else if (action instanceof RunMachine.CancelTimer cancel) {
        Scheduler.Cancellable timer = timers.remove(cancel.id());
        if (timer != null) {
          timer.cancel();
        }
      } else if (action instanceof RunMachine.Stop stop) {
        stop.stage().ifPresentOrElse(stage -> {
          // The stage's ops so far are cancelled, those still on their way to the executor too; the
          // ops it runs after the stop (notifications) get a new cancellation, and wait for the stop.
          Cancellation stopped = stageCancellations.remove(stage);
          CompletableFuture<Void> ended = new CompletableFuture<>();
          settleFirst(stage, ended);
          Probing probing = probes.get(stage);
          if (probing != null && !probing.ended().isDone()) {
            // A probe in flight is cancelled with the stage: its stop must not reach what comes after.
            settleFirst(stage, probing.ended());
          }
          after.add(() -> {
            try {
              if (stopped != null) {
                stopped.cancel();
              }
              endSession(stage);
            } finally {
              ended.complete(null);
            }
          });
        }, () -> after.add(cancellation::cancel));
      } else if (action instanceof RunMachine.EndSession end) {
        // Looking for what a stage left running takes a while: not under the lock.
        whenSettled(after, end.stage(),
            () -> feed(new RunMachine.SessionEnded(now(), end.stage(), endSession(end.stage()))));
      } else if (action instanceof RunMachine.StepRecorded step) {
        append(Recovery.step(step.stage(), step.step()));
      } else if (action instanceof RunMachine.StageRecorded stage) {
        append(Recovery.stageEnd(stage.result(), stage.digest()));
      } else if (action instanceof RunMachine.Deployed deployed) {
        write();
        engine.deployments.record(deployed.deployment());
      } else if (action instanceof RunMachine.Acquire acquire) {
        after.add(() -> checkLock(acquire.stage(), acquire.lock()));
      } else if (action instanceof RunMachine.Release release) {
        cancelLockCheck(release.stage(), release.lock());
        after.add(() -> engine.tell(engine.locks.release(release.lock(), id, release.stage())));
      } else if (action instanceof RunMachine.Finish) {
        complete(after);
      }
    }
  }

  /**
   * Asks the lock table for a lock the stage waits for or holds, and tells the runs it decided
   * for. The machine is asked under the run's lock, and the table too, so that a stage that gave
   * the lock up meanwhile is never put back in line. Runs of other engines sharing the runs
   * folder hear of the table's decisions only when they ask, so the stage asks again every
   * {@link LocalEngine.Builder#lockCheck check interval} until it gives the lock up.
   */
  private void checkLock(String stageId, Op.AcquireLock lock) {
    List<LockTable.Notice> notices;
    synchronized (this.lock) {
      lockChecks.remove(stageId + "#" + lock.lock());
      boolean holds = machine.heldLocks().getOrDefault(stageId, List.of()).contains(lock.lock());
      boolean waits = machine.pendingWaits().stream().anyMatch(w -> w.stage().equals(stageId)
          && w.id().equals(lock.id()));
      if (machine.finished() || !holds && !waits) {
        return;
      }
      notices = engine.locks.request(lock.lock(), lock.mode(), id, stageId, holds);
      if (!engine.lockCheck.isZero()) {
        scheduleLockCheck(stageId, lock);
      }
    }
    engine.tell(notices);
  }

  private void scheduleLockCheck(String stageId, Op.AcquireLock lock) {
    Scheduler.Cancellable earlier = lockChecks.put(stageId + "#" + lock.lock(),
        engine.scheduler.schedule(engine.lockCheck, () -> checkLock(stageId, lock)));
    if (earlier != null) {
      earlier.cancel();
    }
  }

  private void cancelLockCheck(String stageId, String lock) {
    Scheduler.Cancellable check = lockChecks.remove(stageId + "#" + lock);
    if (check != null) {
      check.cancel();
    }
  }

  /** Makes the next ops of {@code stageId} wait for {@code until} too; under the lock. */
  private void settleFirst(String stageId, CompletableFuture<Void> until) {
    CompletableFuture<Void> before = settling.get(stageId);
    settling.put(stageId, before == null || before.isDone() ? until : CompletableFuture.allOf(before, until));
  }

  /** Runs {@code task} after the lock's release, once what the ops of {@code stageId} wait for has ended; under the lock. */
  private void whenSettled(List<Runnable> after, String stageId, Runnable task) {
    CompletableFuture<Void> until = settling.get(stageId);
    if (until == null || until.isDone()) {
      settling.remove(stageId);
      after.add(task);
      return;
    }
    after.add(() -> until.thenRun(task).exceptionally(error -> {
      LOG.error("an op of stage '{}' of run {} could not be started", stageId, id, error);
      return null;
    }));
  }

  /** The cancellation of {@code stageId}'s ops; under the lock. */
  private Cancellation stageCancellation(String stageId) {
    return stageCancellations.computeIfAbsent(stageId, stage -> cancellation.child());
  }

  private int endSession(String stageId) {
    Executor executor = executors.get(stageId);
    return executor == null ? 0 : executor.endSession(session(stageId));
  }

  private void logEvent(RunEvent event) {
    if (event instanceof RunEvent.StageFinished finished) {
      LOG.debug("run {}: stage '{}' {}", id, finished.stage(), finished.status());
    } else if (event instanceof RunEvent.StageSkipped skipped) {
      LOG.debug("run {}: stage '{}' skipped: {}", id, skipped.stage(), skipped.reason());
    }
  }

  /** A webhook's token is made when its wait opens, journaled as a hash, and handed out once. */
  private void openWait(RunMachine.OpenWait open) {
    if (!(open.gate() instanceof Op.AwaitWebhook) || tokens.containsKey(open.gate().id())) {
      return;
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String hash = StageDigest.token(token);
    journal(true, Recovery.token(open.gate().id(), hash));
    registerToken(open.gate().id(), hash);
    handOut.put(open.gate().id(), token);
  }

  private void registerToken(String waitId, String hash) {
    tokens.put(waitId, hash);
    waitsByToken.put(hash, waitId);
    engine.registerToken(hash, this);
  }

  private RunEvent handOutToken(RunEvent event) {
    if (event instanceof RunEvent.WaitStarted started && handOut.containsKey(started.waitId())) {
      return new RunEvent.WaitStarted(started.run(), started.at(), started.stage(), started.waitId(), started.kind(),
          started.description(), started.approvers(), started.deadline(),
          Optional.of(handOut.remove(started.waitId())));
    }
    return event;
  }

  private void setTimer(RunMachine.SetTimer set) {
    Scheduler.Cancellable earlier = timers.remove(set.id());
    if (earlier != null) {
      earlier.cancel();
    }
    Duration left = Duration.between(now(), set.at());
    timers.put(set.id(), engine.scheduler.schedule(left.isNegative() ? Duration.ZERO : left,
        () -> feed(new RunMachine.TimerFired(now(), set.id()))));
  }

  /** The run ended: its journal closes and its result completes once listeners have had every event. */
  private void complete(List<Runnable> after) {
    RunResult done = machine.result().orElseThrow();
    journal(true, Recovery.runEnd(done));
    log.close();
    letGo();
    ops.forgetSecrets();
    LOG.info("run {} of pipeline '{}' {} in {}", id, plan.pipeline(), done.status(), done.duration());
    after.add(() -> result.complete(done));
  }

  /** Drops what a run that ends holds in its engine: its timers, lock checks and tokens; under the lock. */
  private void letGo() {
    timers.values().forEach(Scheduler.Cancellable::cancel);
    timers.clear();
    lockChecks.values().forEach(Scheduler.Cancellable::cancel);
    lockChecks.clear();
    tokens.values().forEach(engine::forgetToken);
    engine.forget(this);
  }

  /** Delivers the events made so far, in order; whoever holds the delivery delivers everyone's. */
  private void deliver() {
    synchronized (delivering) {
      while (true) {
        List<RunEvent> events;
        synchronized (lock) {
          if (outbox.isEmpty()) {
            return;
          }
          events = new ArrayList<>(outbox);
          outbox.clear();
        }
        events.forEach(feed::emit);
      }
    }
  }

  /** The session of a stage's processes: background processes live until the stage ends. */
  String session(String stageId) {
    return id + ":" + stageId;
  }

  /**
   * Appends an entry to the run's journal and writes what is unwritten, under the run's lock.
   * Written entries survive the death of the host process; {@code sync} also makes this one, and
   * all before it, survive the machine's before the caller acts on it.
   */
  private void journal(boolean sync, String entry) {
    append(entry);
    write();
    if (sync) {
      log.sync();
    }
  }

  /** Adds an entry to those the run writes before it releases its lock; under the lock. */
  private void append(String entry) {
    unwritten.add(entry);
  }

  /** Writes the entries made so far, in order, with one call to the journal; under the lock. */
  private void write() {
    if (!unwritten.isEmpty()) {
      log.append(List.copyOf(unwritten));
      unwritten.clear();
    }
  }

  Instant now() {
    return engine.clock.instant();
  }

  void emitNow(RunEvent event) {
    feed.emit(event);
  }
}

package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.otto.core.model.Gate;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.RunnablePlan;
import dev.otto.core.plan.StageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * The one interpreter of a plan: what a run does next, decided from what has happened. Every
 * engine drives it. It is deterministic, single-threaded and does no I/O: it takes {@link Input
 * inputs} (the run started, an op finished, a timer fired, a decision came, ...) and answers each
 * with {@link Action actions} (run an op, start a timer, stop a stage's processes, emit an event,
 * record a result, finish). Readiness, skip cascades, failing fast, op guards, group children,
 * retries, timeouts, waits and their refusals, reasons and results live here and nowhere else.
 *
 * <p>A driver carries out the actions and feeds back what came of them, each input with the time
 * it happened. Because the machine reads no clock and no randomness, the same inputs always give
 * the same actions: a driver that records the inputs can rebuild a run by feeding them to a new
 * machine, which is how the local engine resumes a run from its journal and
 * how a Temporal workflow replays its history.
 *
 * <p>A stage's locks are waits too: the machine asks for each ({@link Acquire}) before the
 * stage's first op, goes on when the driver grants it ({@link LockGranted}), and gives it up
 * ({@link Release}) when the stage ends, however it ends; the driver's lock table decides
 * between runs, and a stage that loses its lock or its place ({@link LockLost}) is cancelled.
 *
 * <p>Timer ids are {@code timeout:<stage>}, {@code retry:<stage>}, {@code wait:<wait id>} and
 * {@code probe:<wait id>}; a timer that fires after it stopped mattering is ignored.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class RunMachine {

  /** The largest callback payload a driver accepts, in characters; a larger one is a caller's mistake. */
  public static final int MAX_PAYLOAD = 64 * 1024;

  /** Something that happened to the run, at {@link #at()}. */
  public sealed interface Input {
    Instant at();
  }

  /** The run starts; {@code preamble} are events to emit right after {@link RunEvent.RunStarted}. */
  public record Start(Instant at, List<RunEvent> preamble) implements Input {
    public Start {
      requireNonNull(at, "at");
      preamble = List.copyOf(preamble);
    }
  }

  /**
   * A driver took the run over after its previous host stopped; everything that was in flight is
   * asked for again.
   */
  public record Resume(Instant at) implements Input {}

  /**
   * Op {@code op} of {@code stage} started, when the driver starts it, which may be later than it
   * was asked for when the driver runs only so many at once. A stage whose first op is run by the
   * driver starts here (its start event, duration and timeout count from here), and so does a
   * process's step; a driver that does not tell has them start when the op ends. An op that
   * ends cancelled after a stop, not told started, did not start: a stage it was the first op of
   * is skipped.
   */
  public record OpStarted(Instant at, String stage, int op) implements Input {}

  /**
   * Op {@code op} of {@code stage} finished. For a process, {@code outcome} is the process's;
   * for a cache or artifact op it is {@link Outcome#ok()} or a failure saying why.
   */
  public record OpDone(Instant at, String stage, int op, Outcome outcome) implements Input {}

  /**
   * Attempt {@code attempt} of a poll's probe finished. Only one probe of a wait is in flight at a
   * time, so a driver may leave unsuccessful attempts (and the timers between them) out of what it
   * records: a replay without them probes again from the first attempt.
   */
  public record ProbeDone(Instant at, String stage, int op, int attempt, Outcome outcome) implements Input {}

  /** The timer {@code timer} fired. */
  public record TimerFired(Instant at, String timer) implements Input {}

  /** A decision on approval {@code waitId}; check it with {@link #refusal} first. */
  public record Decide(Instant at, String waitId, Decision decision) implements Input {}

  /** A callback for webhook {@code waitId}; check it with {@link #refusal} first. */
  public record Callback(Instant at, String waitId, String payload) implements Input {}

  /** The host cancels the run. */
  public record Cancel(Instant at) implements Input {}

  /** The session of {@code stage} ended ({@link EndSession}); {@code stopped} processes were still running. */
  public record SessionEnded(Instant at, String stage, int stopped) implements Input {}

  /** The stage holds lock {@code lock} it asked for with {@link Acquire}. */
  public record LockGranted(Instant at, String stage, String lock) implements Input {}

  /**
   * The stage lost lock {@code lock}, or its place in line for it. While it waits: a newer run,
   * {@code byRun}, superseded it. While it holds it: {@code byRun} asked for it in {@link
   * dev.otto.core.model.LockMode#CANCEL_IN_PROGRESS cancel-in-progress} mode, so the stage is
   * cancelled and gives the lock up when it ends; with no {@code byRun}, the lock went to another
   * run while this one was not running (its host had died), and the stage is cancelled too.
   */
  public record LockLost(Instant at, String stage, String lock, Optional<String> byRun) implements Input {
    public LockLost {
      requireNonNull(byRun, "byRun");
    }
  }

  /**
   * How a process or another op ended. An artifact op that succeeded tells the {@code digest} of
   * the artifact's files, which a deployment's record keeps.
   */
  public record Outcome(RunResult.Status status, OptionalInt exitCode, String detail, Optional<String> digest) {
    public Outcome {
      requireNonNull(status, "status");
      requireNonNull(exitCode, "exitCode");
      requireNonNull(detail, "detail");
      requireNonNull(digest, "digest");
    }

    /** An outcome that tells no digest. */
    public Outcome(RunResult.Status status, OptionalInt exitCode, String detail) {
      this(status, exitCode, detail, Optional.empty());
    }

    public static Outcome ok() {
      return new Outcome(RunResult.Status.SUCCEEDED, OptionalInt.empty(), "");
    }

    /** An artifact op that succeeded, with the digest of the artifact's files, {@code sha256:<hex>}. */
    public static Outcome artifact(String digest) {
      return new Outcome(RunResult.Status.SUCCEEDED, OptionalInt.empty(), "", Optional.of(digest));
    }

    /** An op that failed the stage, and why. */
    public static Outcome failed(String why) {
      return new Outcome(RunResult.Status.FAILED, OptionalInt.empty(), why);
    }

    public boolean succeeded() {
      return status == RunResult.Status.SUCCEEDED;
    }
  }

  /** What the driver must do, in order. */
  public sealed interface Action {}

  /**
   * Run op {@code op} of {@code stage}: a process (step {@code step}, counted from 1) or a cache
   * or artifact op. Answer with {@link OpStarted} when it starts, then {@link OpDone}.
   */
  public record Execute(String stage, int op, int step, Op what) implements Action {}

  /** Run attempt {@code attempt} of a poll's probe; answer with {@link ProbeDone}. */
  public record Probe(String stage, int op, Op.Poll poll, int attempt) implements Action {}

  /** A wait begins (or, on {@link Resume}, is there again): a webhook's driver hands out its token. */
  public record OpenWait(String stage, int op, Op.Wait gate, Instant deadline) implements Action {}

  /** A wait ended with {@code outcome}: its token, if any, no longer works. */
  public record CloseWait(String stage, Op.Wait gate, String outcome) implements Action {}

  /**
   * Ask for lock {@code lock.lock()} for {@code stage}, in {@code lock.mode()}; answer with {@link
   * LockGranted} when the stage holds it, or {@link LockLost}. Asking again for a request in line
   * keeps its place. On {@link Resume}, {@code held} tells that the run held the lock when its
   * previous host stopped: a driver whose lock table no longer gives it to the stage answers
   * with {@link LockLost}.
   */
  public record Acquire(String stage, Op.AcquireLock lock, boolean held) implements Action {}

  /** The stage no longer holds, or waits for, lock {@code lock}: give it to the next in line. */
  public record Release(String stage, String lock) implements Action {}

  /** Fire {@code id} at {@code at} with {@link TimerFired}; a timer set again replaces the earlier one. */
  public record SetTimer(String id, Instant at) implements Action {}

  public record CancelTimer(String id) implements Action {}

  /** Stop the running processes of {@code stage}, or of every stage when it is empty. */
  public record Stop(Optional<String> stage) implements Action {}

  /**
   * The stage's ops are done: end its session (stop background processes its steps left), then
   * answer with {@link SessionEnded}. The stage finishes after that. Only for stages that run
   * processes.
   */
  public record EndSession(String stage) implements Action {}

  public record Emit(RunEvent event) implements Action {}

  /** A step's result, for a record of the run that needs no plan to read. */
  public record StepRecorded(String stage, RunResult.StepResult step) implements Action {}

  /** A stage's result and its definition's digest, for the same record. */
  public record StageRecorded(RunResult.StageResult result, String digest) implements Action {}

  /**
   * A stage that deploys to an environment ended, whatever its result: add the entry to the
   * environment's record ({@link DeploymentStore}). A replay makes it again; stores keep the first.
   */
  public record Deployed(Deployment deployment) implements Action {}

  /** The run ended. */
  public record Finish(RunResult result) implements Action {}

  private enum Phase { AT_OPS, IN_FLIGHT, RETRYING, WAITING, AT_CHILDREN, ENDING }

  /** Where a started stage is. */
  private static final class Cursor {
    final PlannedStage stage;
    /**
     * When the stage started: when its first op that the driver runs started, as a stage that
     * waits for a thread of the driver has not started, or when it first did anything else.
     */
    Instant started;
    boolean begun;
    final List<RunResult.StepResult> steps = new ArrayList<>();
    Phase phase = Phase.AT_OPS;
    int index;
    int step;
    boolean failed;
    boolean interrupted;
    String reason;
    /** The artifacts the stage stored or restored, with their digests, for its deployment's record. */
    final List<Deployment.Artifact> artifacts = new ArrayList<>();
    int attempt;
    Outcome lastOutcome;
    Instant stepStart;
    /** Whether the current step's start was told ({@link OpStarted}), which its first attempt does. */
    boolean stepStarted;
    boolean timedOut;
    String timeoutReason;
    Waiting wait;
    /** The locks the stage holds, given up when it ends. */
    final List<String> locks = new ArrayList<>();
    /** Why the stage was made to give its lock up, which cancels it. */
    String yielded;

    Cursor(PlannedStage stage, Instant started) {
      this.stage = stage;
      this.started = started;
    }

    Op op() {
      return stage.ops().get(index);
    }

    void advance() {
      if (op() instanceof Op.RunProcess) {
        step++;
      }
      index++;
      phase = Phase.AT_OPS;
    }
  }

  /** A wait in progress. */
  private static final class Waiting {
    final Cursor cursor;
    final Op.Wait op;
    final int index;
    final Instant deadline;
    int attempts;
    Duration interval;
    boolean probing;

    Waiting(Cursor cursor, Op.Wait op, Instant deadline) {
      this.cursor = cursor;
      this.op = op;
      this.index = cursor.index;
      this.deadline = deadline;
      this.interval = op instanceof Op.Poll poll ? poll.interval() : null;
    }
  }

  private final String runId;
  private final RunnablePlan plan;
  private final FailurePolicy policy;
  /** The stages that run processes, whose sessions end before they finish. */
  private final java.util.Set<String> processStages = new java.util.HashSet<>();
  /** The groups that keep going when a child fails. */
  private final java.util.Set<String> keepGoing = new java.util.HashSet<>();
  private final Map<String, String> executors;
  private final Map<String, RunResult.StageResult> reused;
  private final String reusedFrom;
  private final String commit;
  /** Whether a stage starts as soon as its turn comes, as machines did before stages started with their first op. */
  private final boolean startsWhenReady;
  /** Who approved each stage's approvals, by stage id: the last decision counts. */
  private final Map<String, String> approvedBy = new HashMap<>();

  private final Map<String, PlannedStage> stages = new LinkedHashMap<>();
  private final Map<String, List<String>> dependents = new HashMap<>();
  private final Map<String, Integer> waitingOn = new HashMap<>();
  private final Map<String, Boolean> parentOpen = new HashMap<>();
  private final Map<String, Integer> childrenLeft = new HashMap<>();
  private final Map<String, Boolean> childFailed = new HashMap<>();
  private final Map<String, String> blockedBy = new HashMap<>();
  private final Map<String, RunResult.StageResult> results = new HashMap<>();
  private final Map<String, Cursor> cursors = new LinkedHashMap<>();
  private final Map<String, Waiting> pending = new LinkedHashMap<>();
  /** Waits that ended, by id, with their outcome: a late decision or callback hears why it is refused. */
  private final Map<String, String> ended = new LinkedHashMap<>();
  private final Map<String, Op.Wait> waitOps = new HashMap<>();
  private final Map<String, Instant> timers = new LinkedHashMap<>();
  private final Deque<Runnable> work = new ArrayDeque<>();
  private List<Action> out = new ArrayList<>();
  private Instant now;
  private Instant started;
  private boolean stopping;
  private String stopReason;
  private boolean cancelled;
  private RunResult result;

  private RunMachine(Builder builder) {
    this.runId = builder.runId;
    this.plan = builder.plan;
    this.policy = builder.policy;
    this.executors = Map.copyOf(builder.executors);
    this.reused = Map.copyOf(builder.reused);
    this.reusedFrom = builder.reusedFrom;
    this.commit = builder.commit;
    this.startsWhenReady = builder.startsWhenReady;
    for (PlannedStage stage : plan.stages()) {
      stages.put(stage.id(), stage);
      waitingOn.put(stage.id(), stage.dependsOn().size());
      parentOpen.put(stage.id(), stage.parent().isEmpty());
      childrenLeft.put(stage.id(), stage.children().size());
      for (String dependency : stage.dependsOn()) {
        dependents.computeIfAbsent(dependency, k -> new ArrayList<>()).add(stage.id());
      }
      for (Op op : stage.ops()) {
        if (op instanceof Op.Wait wait) {
          waitOps.put(wait.id(), wait);
        } else if (op instanceof Op.AwaitChildren children && children.keepsGoing()) {
          keepGoing.add(stage.id());
        }
        if (op instanceof Op.RunProcess || op instanceof Op.Poll) {
          processStages.add(stage.id());
        }
      }
    }
  }

  /** A machine for one run of {@code plan}. */
  public static Builder builder(String runId, RunnablePlan plan) {
    return new Builder(runId, plan);
  }

  /** How a machine is set up. */
  public static final class Builder {
    private final String runId;
    private final RunnablePlan plan;
    private FailurePolicy policy = FailurePolicy.FAIL_FAST;
    private Map<String, String> executors = Map.of();
    private Map<String, RunResult.StageResult> reused = Map.of();
    private String reusedFrom;
    private String commit;
    private boolean startsWhenReady;

    private Builder(String runId, RunnablePlan plan) {
      this.runId = requireNonNull(runId, "runId");
      this.plan = requireNonNull(plan, "plan");
    }

    /** What a failed stage does to the rest of the run; {@link FailurePolicy#FAIL_FAST} by default. */
    public Builder failurePolicy(FailurePolicy policy) {
      this.policy = requireNonNull(policy, "policy");
      return this;
    }

    /** What each stage runs on, as its {@link RunEvent.StageStarted} names it; "none" when absent. */
    public Builder executors(Map<String, String> executors) {
      this.executors = requireNonNull(executors, "executors");
      return this;
    }

    /** The commit the run's workspace was made from, for the record of its deployments; unknown by default. */
    public Builder commit(Optional<String> commit) {
      this.commit = requireNonNull(commit, "commit").orElse(null);
      return this;
    }

    /** Results of an earlier run {@code fromRun} that stand for these stages instead of running them. */
    public Builder reuse(Map<String, RunResult.StageResult> results, String fromRun) {
      this.reused = requireNonNull(results, "results");
      this.reusedFrom = fromRun;
      return this;
    }

    /**
     * Starts each stage as soon as its turn comes, even while its first op waits for the driver,
     * as machines did before stages started with their first op; for a run whose inputs such a
     * machine recorded (a Temporal history, a journal), so that replaying them decides the same.
     * Off by default.
     */
    public Builder startsWhenReady(boolean startsWhenReady) {
      this.startsWhenReady = startsWhenReady;
      return this;
    }

    public RunMachine build() {
      return new RunMachine(this);
    }
  }

  /**
   * Takes an input and answers with what to do. Inputs the machine cannot act on (a timer that no
   * longer matters, an op that is not in flight) change nothing.
   *
   * @throws WaitRefusedException for a decision or callback that {@link #refusal} refuses
   * @throws IllegalStateException for a first input other than {@link Start} or {@link Resume}
   */
  public List<Action> apply(Input input) {
    requireNonNull(input, "input");
    if (started == null && !(input instanceof Start)) {
      throw new IllegalStateException("a run begins with its start, not " + input.getClass().getSimpleName());
    }
    if (input instanceof Decide || input instanceof Callback) {
      refusal(input).ifPresent(refused -> {
        throw refused;
      });
    }
    now = input.at();
    out = new ArrayList<>();
    if (result == null) {
      dispatch(input);
      drain();
    }
    return out;
  }

  private void dispatch(Input input) {
    if (input instanceof Start start) {
      begin(start);
    } else if (input instanceof Resume) {
      resume();
    } else if (input instanceof OpStarted started) {
      opStarted(started.stage(), started.op());
    } else if (input instanceof OpDone done) {
      opDone(done);
    } else if (input instanceof ProbeDone done) {
      probeDone(done);
    } else if (input instanceof TimerFired fired) {
      fired(fired.timer());
    } else if (input instanceof Decide decide) {
      end(pending.get(decide.waitId()), decide.decision().approved() ? "approved" : "rejected", decide.decision());
    } else if (input instanceof Callback callback) {
      end(pending.get(callback.waitId()), "called", null);
    } else if (input instanceof SessionEnded ended) {
      sessionEnded(ended);
    } else if (input instanceof LockGranted granted) {
      lockGranted(granted);
    } else if (input instanceof LockLost lost) {
      lockLost(lost);
    } else if (input instanceof Cancel) {
      if (!stopping) {
        stop(Reasons.RUN_CANCELLED);
      }
      cancelled = true;
    }
  }

  /**
   * Why a decision or callback would be refused, if it would. A driver asks before it records
   * the input, so that what it records is always accepted.
   */
  public Optional<WaitRefusedException> refusal(Input input) {
    if (input instanceof Decide decide) {
      return refuseDecision(decide.waitId(), decide.decision());
    }
    if (input instanceof Callback callback) {
      return refuseCallback(callback.waitId());
    }
    return Optional.empty();
  }

  private Optional<WaitRefusedException> refuseDecision(String waitId, Decision decision) {
    Waiting w = pending.get(waitId);
    Op.Wait op = w != null ? w.op : ended.containsKey(waitId) ? waitOps.get(waitId) : null;
    if (op == null) {
      return Optional.of(new WaitRefusedException(WaitRefusedException.Reason.UNKNOWN_WAIT, "run '" + runId
          + "' has no pending wait '" + waitId + "'; its pending waits are "
          + pending.keySet().stream().map(id -> "'" + id + "'").toList()));
    }
    if (!(op instanceof Op.AwaitApproval approval)) {
      return Optional.of(WaitRefusedException.notAnApproval(runId, op));
    }
    if (!approval.approvers().isEmpty() && !approval.approvers().contains(decision.by())) {
      return Optional.of(new WaitRefusedException(WaitRefusedException.Reason.NOT_ALLOWED, "'" + decision.by()
          + "' may not decide approval '" + approval.prompt() + "' of run '" + runId + "'; it is for "
          + String.join(", ", approval.approvers())));
    }
    if (w == null) {
      return Optional.of(WaitRefusedException.approvalEnded(runId, waitId, ended.get(waitId)));
    }
    return Optional.empty();
  }

  private Optional<WaitRefusedException> refuseCallback(String waitId) {
    Waiting w = pending.get(waitId);
    if (w == null) {
      String outcome = ended.get(waitId);
      if (outcome == null) {
        return Optional.of(new WaitRefusedException(WaitRefusedException.Reason.UNKNOWN_TOKEN,
            "no pending wait has this token"));
      }
      boolean expired = outcome.equals("timed-out") || outcome.equals("cancelled");
      return Optional.of(new WaitRefusedException(expired ? WaitRefusedException.Reason.EXPIRED
          : WaitRefusedException.Reason.ALREADY_RESOLVED, expired
          ? "the token's wait timed out or was cancelled; a late callback changes nothing"
          : "the token was used already; a token works once"));
    }
    if (!(w.op instanceof Op.AwaitWebhook)) {
      return Optional.of(WaitRefusedException.notAWebhook(runId, w.op));
    }
    return Optional.empty();
  }

  /** The run's result, once it finished. */
  public Optional<RunResult> result() {
    return Optional.ofNullable(result);
  }

  /** Whether the run has finished. */
  public boolean finished() {
    return result != null;
  }

  /** The waits the run is blocked on, in plan order. */
  public List<PendingWait> pendingWaits() {
    List<PendingWait> waits = new ArrayList<>();
    for (PlannedStage stage : plan.stages()) {
      Cursor c = cursors.get(stage.id());
      if (c != null && c.wait != null && pending.containsKey(c.wait.op.id())) {
        waits.add(describe(c.wait));
      }
    }
    return waits;
  }

  /** The pending wait with this id, if there is one. */
  public Optional<PendingWait> pendingWait(String waitId) {
    Waiting w = pending.get(waitId);
    return w == null ? Optional.empty() : Optional.of(describe(w));
  }

  /** How a wait that ended ended, if it did. */
  public Optional<String> endedWait(String waitId) {
    return Optional.ofNullable(ended.get(waitId));
  }

  /**
   * Each stage's state: pending (not started: its turn has not come, or its first op waits for
   * the driver), running, waiting, or its result's status, in lower case.
   */
  public Map<String, String> states() {
    Map<String, String> states = new LinkedHashMap<>();
    for (PlannedStage stage : plan.stages()) {
      RunResult.StageResult done = results.get(stage.id());
      Cursor c = cursors.get(stage.id());
      states.put(stage.id(), done != null ? done.status().name().toLowerCase(Locale.ROOT)
          : c == null || !c.begun ? "pending" : c.phase == Phase.WAITING ? "waiting" : "running");
    }
    return states;
  }

  /** The locks each stage holds, by stage, for stages that hold any. */
  public Map<String, List<String>> heldLocks() {
    Map<String, List<String>> held = new LinkedHashMap<>();
    cursors.forEach((id, c) -> {
      if (!c.locks.isEmpty()) {
        held.put(id, List.copyOf(c.locks));
      }
    });
    return held;
  }

  /**
   * The stages whose turn came and that have not ended: those that started, and those whose first
   * op the driver has not started yet.
   */
  public List<String> running() {
    return List.copyOf(cursors.keySet());
  }

  private PendingWait describe(Waiting w) {
    return new PendingWait(runId, w.cursor.stage.id(), w.op.id(), w.op.kind(), Reasons.about(w.op),
        w.op instanceof Op.AwaitApproval a ? a.approvers() : List.of(), w.deadline);
  }

  // ---------------------------------------------------------------- scheduling

  private void begin(Start start) {
    started = start.at();
    emit(new RunEvent.RunStarted(runId, now, plan.pipeline(), plan.stages().size()));
    start.preamble().forEach(this::emit);
    if (stages.isEmpty()) {
      finish();
      return;
    }
    plan.stages().forEach(stage -> later(() -> consider(stage.id())));
  }

  /** Asks again for what was in flight when the previous host stopped, and for the locks it held. */
  private void resume() {
    timers.forEach((id, at) -> out.add(new SetTimer(id, at)));
    for (Cursor c : List.copyOf(cursors.values())) {
      for (String held : c.locks) {
        out.add(new Acquire(c.stage.id(), lockOp(c.stage, held), true));
      }
      if (c.phase == Phase.IN_FLIGHT && stopped(c) && !c.op().guard().runs(c.failed, true)) {
        // The stage was being stopped when its host stopped: an op a stopped stage would not start is not run
        // again (a notification of the stop is).
        abandon(c);
      } else if (c.phase == Phase.IN_FLIGHT) {
        Op op = c.op();
        c.stepStarted = false;
        out.add(new Execute(c.stage.id(), c.index, c.step + 1, op));
      } else if (c.phase == Phase.ENDING) {
        out.add(new EndSession(c.stage.id()));
      } else if (c.phase == Phase.WAITING) {
        Waiting w = c.wait;
        out.add(new OpenWait(c.stage.id(), w.index, w.op, w.deadline));
        emitWaitStarted(w);
        if (w.op instanceof Op.AcquireLock lock) {
          out.add(new Acquire(c.stage.id(), lock, false));
        }
        if (w.probing) {
          out.add(new Probe(c.stage.id(), w.index, (Op.Poll) w.op, w.attempts));
        }
      }
    }
  }

  private void later(Runnable task) {
    work.add(task);
  }

  private void drain() {
    Runnable task;
    while ((task = work.poll()) != null) {
      task.run();
    }
  }

  /** Starts, reuses or skips a stage whose turn has come. */
  private void consider(String stageId) {
    if (results.containsKey(stageId) || cursors.containsKey(stageId)) {
      return;
    }
    if (!parentOpen.get(stageId) || waitingOn.get(stageId) > 0) {
      return;
    }
    PlannedStage stage = stages.get(stageId);
    if (stage.status() == StageStatus.SKIP) {
      skip(stage, stage.reason().orElse(Reasons.PLAN_SKIPS), false);
    } else if (cancelled) {
      skip(stage, Reasons.RUN_CANCELLED, true);
    } else if (blockedBy.containsKey(stageId)) {
      skip(stage, blockedBy.get(stageId), true);
    } else if (stopping) {
      skip(stage, stopReason, true);
    } else if (yieldedAround(stage).isPresent()) {
      skip(stage, yieldedAround(stage).get(), true);
    } else if (reused.containsKey(stageId)) {
      reuse(stage);
    } else {
      Cursor c = new Cursor(stage, now);
      cursors.put(stageId, c);
      if (startsWhenReady) {
        begin(c);
      }
      later(() -> run(c));
    }
  }

  /**
   * Starts a stage, once, after its group: its start event, and its timeout from now. A stage
   * starts when the driver starts its first op, when its first child starts, or when it first
   * does anything else.
   */
  private void begin(Cursor c) {
    if (c.begun) {
      return;
    }
    c.stage.parent().map(cursors::get).ifPresent(this::begin);
    c.begun = true;
    c.started = now;
    String stageId = c.stage.id();
    emit(new RunEvent.StageStarted(runId, now, stageId, executors.getOrDefault(stageId, "none")));
    c.stage.timeout().ifPresent(limit -> setTimer("timeout:" + stageId, now.plus(limit)));
  }

  /**
   * Skips a stage the run stopped before it started, as one whose turn came after the stop: its
   * first op was asked for, and the driver, stopped too, did not start it.
   */
  private void skipBeforeStart(Cursor c) {
    cursors.remove(c.stage.id());
    // A stage stopped alone gave up a lock (its own or its group's); the run goes on.
    skip(c.stage, c.yielded != null ? c.yielded : cancelled ? Reasons.RUN_CANCELLED : stopReason, true);
  }

  private void reuse(PlannedStage stage) {
    for (String child : stage.children()) {
      parentOpen.put(child, true);
      if (!results.containsKey(child)) {
        reuse(stages.get(child));
      }
    }
    RunResult.StageResult before = reused.get(stage.id());
    emit(new RunEvent.StageReused(runId, now, stage.id(), reusedFrom, before.status()));
    out.add(new StageRecorded(before, StageDigest.of(stage)));
    settle(stage.id(), before, false);
  }

  /** Skips a stage and everything inside it. */
  private void skip(PlannedStage stage, String reason, boolean becauseOfFailure) {
    for (String child : stage.children()) {
      if (!results.containsKey(child)) {
        skip(stages.get(child), Reasons.groupDidNotRun(stage.id()), becauseOfFailure);
      }
    }
    emit(new RunEvent.StageSkipped(runId, now, stage.id(), reason));
    RunResult.StageResult skipped = new RunResult.StageResult(stage.id(), RunResult.Status.SKIPPED,
        Optional.of(reason), Duration.ZERO, List.of());
    out.add(new StageRecorded(skipped, StageDigest.of(stage)));
    settle(stage.id(), skipped, becauseOfFailure);
  }

  /** Records a stage's end and lets what waited on it go on. */
  private void settle(String stageId, RunResult.StageResult stageResult, boolean failedOrBlocked) {
    results.put(stageId, stageResult);
    cursors.remove(stageId);
    PlannedStage stage = stages.get(stageId);
    for (String child : stage.children()) {
      if (!results.containsKey(child) && !cursors.containsKey(child)) {
        skip(stages.get(child), Reasons.groupEndedFirst(stageId), true);
      }
    }
    boolean failed = stageResult.status() == RunResult.Status.FAILED
        || stageResult.status() == RunResult.Status.CANCELLED;
    if (failed && policy != FailurePolicy.CONTINUE && !stopping && !contained(stage)) {
      stop(Reasons.stoppedAfter(stageId));
    }
    for (String dependent : dependents.getOrDefault(stageId, List.of())) {
      if (failed || failedOrBlocked) {
        blockedBy.putIfAbsent(dependent, Reasons.dependency(stageId, failed));
      }
      waitingOn.merge(dependent, -1, Integer::sum);
      later(() -> consider(dependent));
    }
    stage.parent().ifPresent(parent -> {
      if (failed || failedOrBlocked) {
        childFailed.put(parent, true);
      }
      int left = childrenLeft.merge(parent, -1, Integer::sum);
      Cursor group = cursors.get(parent);
      if (left == 0 && group != null && group.phase == Phase.AT_CHILDREN) {
        continueGroup(group);
      }
    });
    if (results.size() == stages.size() && result == null) {
      finish();
    }
  }

  /** Whether a failure of {@code stage} stays inside a group that keeps going, as the policy allows. */
  private boolean contained(PlannedStage stage) {
    if (policy != FailurePolicy.FAIL_FAST) {
      return false;
    }
    for (Optional<String> up = stage.parent(); up.isPresent(); up = stages.get(up.get()).parent()) {
      if (keepGoing.contains(up.get())) {
        return true;
      }
    }
    return false;
  }

  private void continueGroup(Cursor group) {
    if (group.yielded != null) {
      group.interrupted = true;
    } else if (childFailed.getOrDefault(group.stage.id(), false) && !group.failed) {
      if (cancelled && group.stage.children().stream().map(results::get).filter(java.util.Objects::nonNull)
          .noneMatch(child -> child.status() == RunResult.Status.FAILED)) {
        // The run was cancelled and no child failed: the group was cancelled with them, it did not fail.
        group.interrupted = true;
      } else {
        group.failed = true;
        group.reason = keepGoing.contains(group.stage.id())
            ? Reasons.childrenFailed(group.stage.children().stream().filter(child -> {
              RunResult.Status status = results.get(child).status();
              return status == RunResult.Status.FAILED || status == RunResult.Status.CANCELLED;
            }).toList())
            : Reasons.CHILD_FAILED;
      }
    }
    group.advance();
    later(() -> run(group));
  }

  /** Stops the run: running processes end, waits are cancelled, nothing new starts. */
  private void stop(String reason) {
    stopping = true;
    stopReason = reason;
    out.add(new Stop(Optional.empty()));
    for (Cursor c : List.copyOf(cursors.values())) {
      wake(c);
    }
  }

  /** Ends what a stopped stage waits on: its wait, or the backoff before a retry. */
  private void wake(Cursor c) {
    if (c.phase == Phase.WAITING && c.wait != null) {
      Waiting w = c.wait;
      later(() -> end(pending.get(w.op.id()), "cancelled", null));
    } else if (c.phase == Phase.RETRYING) {
      cancelTimer("retry:" + c.stage.id());
      c.phase = Phase.AT_OPS;
      later(() -> run(c));
    }
  }

  private boolean stopped(Cursor c) {
    return stopping || c.timedOut || c.yielded != null;
  }

  private void finish() {
    RunResult.Status status = cancelled ? RunResult.Status.CANCELLED
        : results.values().stream().anyMatch(r -> r.status() == RunResult.Status.FAILED
            || r.status() == RunResult.Status.CANCELLED) ? RunResult.Status.FAILED : RunResult.Status.SUCCEEDED;
    Duration duration = Duration.between(started, now);
    List<RunResult.StageResult> ordered = plan.stages().stream().map(s -> results.get(s.id())).toList();
    new ArrayList<>(timers.keySet()).forEach(this::cancelTimer);
    emit(new RunEvent.RunFinished(runId, now, status, duration));
    result = new RunResult(runId, plan.pipeline(), status, duration, ordered);
    work.clear();
    out.add(new Finish(result));
  }

  // ---------------------------------------------------------------- a stage's ops

  /** Moves a stage through its ops until one needs the driver, a wait begins, or the stage ends. */
  private void run(Cursor c) {
    if (c.phase != Phase.AT_OPS || !cursors.containsKey(c.stage.id())) {
      return;
    }
    if (!c.begun && stopped(c)) {
      skipBeforeStart(c);
      return;
    }
    PlannedStage stage = c.stage;
    while (c.index < stage.ops().size()) {
      Op op = c.op();
      if (!c.begun && !startsLater(c, op)) {
        begin(c);
      }
      if (op instanceof Op.AwaitChildren children) {
        openChildren(c, children);
        return;
      }
      boolean stop = stopped(c);
      boolean runs = op.guard().runs(c.failed, stop);
      if (!runs && stop && !c.failed && op.guard() == Op.Guard.NORMAL) {
        c.interrupted = true;
      }
      if (op instanceof Op.RunProcess process && (runs || c.attempt > 0)) {
        if (c.attempt > 0 && stop) {
          stepEnded(c, process, c.lastOutcome);
          continue;
        }
        c.phase = Phase.IN_FLIGHT;
        out.add(new Execute(stage.id(), c.index, c.step + 1, op));
        return;
      } else if (op instanceof Op.RunProcess process) {
        if (op.guard() == Op.Guard.NORMAL) {
          emit(new RunEvent.StepSkipped(runId, now, stage.id(), c.step + 1, process.label(),
              Reasons.stepSkipped(c.failed, c.timedOut)));
        }
        c.advance();
      } else if (!runs || op instanceof Op.BeginStage || op instanceof Op.EndStage) {
        c.advance();
      } else if (op instanceof Op.Wait wait) {
        open(c, wait);
        return;
      } else if (op instanceof Op.Emit emitted) {
        emit(new RunEvent.Emitted(runId, now, stage.id(), emitted.event(), emitted.message()));
        c.advance();
      } else if (op instanceof Op.RestoreCache || op instanceof Op.SaveCache || op instanceof Op.StoreArtifact
          || op instanceof Op.RestoreArtifact) {
        c.phase = Phase.IN_FLIGHT;
        out.add(new Execute(stage.id(), c.index, c.step + 1, op));
        return;
      } else {
        fail(c, "the engine cannot run '" + op.kind() + "' ops");
        c.advance();
      }
    }
    begin(c);
    finishStage(c);
  }

  /**
   * Whether the stage starts later than at {@code op}, its next: at an op the driver runs (a
   * process, a cache or an artifact op), when the driver starts it; at a group's children, when
   * the first of them starts. {@link Op.BeginStage} only passes.
   */
  private boolean startsLater(Cursor c, Op op) {
    if (op instanceof Op.BeginStage || op instanceof Op.AwaitChildren) {
      return true;
    }
    boolean runs = op.guard().runs(c.failed, stopped(c));
    return runs && (op instanceof Op.RunProcess || op instanceof Op.RestoreCache || op instanceof Op.SaveCache
        || op instanceof Op.StoreArtifact || op instanceof Op.RestoreArtifact);
  }

  private void openChildren(Cursor group, Op.AwaitChildren children) {
    group.phase = Phase.AT_CHILDREN;
    for (String child : children.children()) {
      parentOpen.put(child, true);
    }
    if (children.children().isEmpty() || childrenLeft.get(group.stage.id()) == 0) {
      continueGroup(group);
      return;
    }
    for (String child : children.children()) {
      later(() -> consider(child));
    }
  }

  private void opStarted(String stageId, int op) {
    Cursor c = cursors.get(stageId);
    if (c != null && c.phase == Phase.IN_FLIGHT && c.index == op) {
      begin(c);
    }
    if (c != null && c.phase == Phase.IN_FLIGHT && c.index == op && c.op() instanceof Op.RunProcess process
        && !c.stepStarted) {
      c.stepStarted = true;
      c.stepStart = now;
      emit(new RunEvent.StepStarted(runId, now, c.stage.id(), c.step + 1, process.label()));
    }
  }

  private void opDone(OpDone done) {
    Cursor c = cursors.get(done.stage());
    if (c == null || c.phase != Phase.IN_FLIGHT || c.index != done.op()) {
      return;
    }
    if (!c.begun && stopped(c) && done.outcome().status() == RunResult.Status.CANCELLED) {
      skipBeforeStart(c);
      return;
    }
    opStarted(done.stage(), done.op());
    if (c.op() instanceof Op.RunProcess process) {
      Outcome outcome = done.outcome();
      if (!outcome.succeeded() && outcome.status() != RunResult.Status.CANCELLED && !stopped(c)
          && c.attempt < process.retries()) {
        c.attempt++;
        c.lastOutcome = outcome;
        c.phase = Phase.RETRYING;
        Duration backoff = process.retryBackoff().multipliedBy(1L << Math.min(c.attempt - 1, 20));
        emit(new RunEvent.Warning(runId, now, c.stage.id(), "step " + (c.step + 1) + " '" + process.label() + "' "
            + outcome.detail() + "; retry " + c.attempt + " of " + process.retries() + " in " + backoff));
        setTimer("retry:" + c.stage.id(), now.plus(backoff));
        return;
      }
      stepEnded(c, process, outcome);
    } else {
      if (!done.outcome().succeeded()) {
        fail(c, done.outcome().detail());
      } else if (done.outcome().digest().isPresent()) {
        c.artifacts.add(new Deployment.Artifact(artifactName(c.op()), done.outcome().digest().get()));
      }
      c.advance();
    }
    later(() -> run(c));
  }

  private static String artifactName(Op op) {
    return op instanceof Op.StoreArtifact store ? store.name() : ((Op.RestoreArtifact) op).name();
  }

  private void stepEnded(Cursor c, Op.RunProcess process, Outcome outcome) {
    c.stepStarted = false;
    c.attempt = 0;
    c.lastOutcome = null;
    RunResult.Status status = switch (outcome.status()) {
      case SUCCEEDED -> RunResult.Status.SUCCEEDED;
      case CANCELLED -> RunResult.Status.CANCELLED;
      default -> RunResult.Status.FAILED;
    };
    int step = c.step + 1;
    Duration duration = Duration.between(c.stepStart, now);
    emit(new RunEvent.StepFinished(runId, now, c.stage.id(), step, process.label(), status, outcome.exitCode(),
        duration, outcome.detail()));
    RunResult.StepResult result = new RunResult.StepResult(process.label(), status, outcome.exitCode(), duration,
        outcome.detail());
    c.steps.add(result);
    out.add(new StepRecorded(c.stage.id(), result));
    if (process.guard() == Op.Guard.NORMAL) {
      if (status == RunResult.Status.CANCELLED) {
        c.interrupted = true;
      } else if (status != RunResult.Status.SUCCEEDED) {
        fail(c, Reasons.stepFailed(step, process.label(), result.detail()));
      }
    }
    c.advance();
  }

  private static void fail(Cursor c, String reason) {
    if (!c.failed) {
      c.failed = true;
      c.reason = reason;
    }
  }

  private void fired(String timer) {
    if (timers.remove(timer) == null) {
      return;
    }
    int colon = timer.indexOf(':');
    String kind = timer.substring(0, colon);
    String subject = timer.substring(colon + 1);
    switch (kind) {
      case "timeout" -> timedOut(subject);
      case "retry" -> {
        Cursor c = cursors.get(subject);
        if (c != null && c.phase == Phase.RETRYING) {
          c.phase = Phase.AT_OPS;
          later(() -> run(c));
        }
      }
      case "wait" -> end(pending.get(subject), "timed-out", null);
      case "probe" -> {
        Waiting w = pending.get(subject);
        if (w != null) {
          w.attempts++;
          w.probing = true;
          out.add(new Probe(w.cursor.stage.id(), w.index, (Op.Poll) w.op, w.attempts));
        }
      }
      default -> { }
    }
  }

  private void timedOut(String stageId) {
    Cursor c = cursors.get(stageId);
    if (c == null) {
      return;
    }
    Duration limit = c.stage.timeout().orElseThrow();
    c.timedOut = true;
    c.timeoutReason = Reasons.stageTimedOut(limit);
    out.add(new Stop(Optional.of(stageId)));
    wake(c);
  }

  private void finishStage(Cursor c) {
    PlannedStage stage = c.stage;
    cancelTimer("timeout:" + stage.id());
    if (c.timedOut) {
      c.failed = true;
      c.reason = c.timeoutReason;
    }
    if (processStages.contains(stage.id())) {
      c.phase = Phase.ENDING;
      out.add(new EndSession(stage.id()));
      return;
    }
    settleStage(c);
  }

  private void sessionEnded(SessionEnded ended) {
    Cursor c = cursors.get(ended.stage());
    if (c == null || c.phase != Phase.ENDING) {
      return;
    }
    if (ended.stopped() > 0) {
      emit(new RunEvent.Warning(runId, now, c.stage.id(), ended.stopped()
          + " processes the stage left running were stopped"));
    }
    settleStage(c);
  }

  /** The stage's result, from how its ops went. */
  private void settleStage(Cursor c) {
    PlannedStage stage = c.stage;
    RunResult.Status status = c.failed ? RunResult.Status.FAILED
        : c.interrupted ? RunResult.Status.CANCELLED : RunResult.Status.SUCCEEDED;
    String reason = status != RunResult.Status.CANCELLED ? c.reason
        : c.yielded != null ? c.yielded : Reasons.cancelledStage(cancelled, stopReason);
    for (String lock : c.locks) {
      out.add(new Release(stage.id(), lock));
    }
    Duration duration = Duration.between(c.started, now);
    emit(new RunEvent.StageFinished(runId, now, stage.id(), status, duration));
    RunResult.StageResult stageResult = new RunResult.StageResult(stage.id(), status, Optional.ofNullable(reason),
        duration, c.steps);
    out.add(new StageRecorded(stageResult, StageDigest.of(stage)));
    if (stage.environment().isPresent() && !stage.isGroup()) {
      out.add(new Deployed(new Deployment(stage.environment().get(), runId, plan.pipeline(), stage.id(),
          Optional.ofNullable(commit), c.artifacts, c.started, now, approver(stage), status)));
    }
    settle(stage.id(), stageResult, false);
  }

  /** Who approved a stage: the decider of its own approval, else of the nearest group's that holds it. */
  private Optional<String> approver(PlannedStage stage) {
    for (Optional<String> id = Optional.of(stage.id()); id.isPresent(); id = stages.get(id.get()).parent()) {
      String by = approvedBy.get(id.get());
      if (by != null) {
        return Optional.of(by);
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- waits

  private void open(Cursor c, Op.Wait wait) {
    Waiting w = new Waiting(c, wait, now.plus(wait.timeout()));
    c.wait = w;
    c.phase = Phase.WAITING;
    pending.put(wait.id(), w);
    out.add(new OpenWait(c.stage.id(), c.index, wait, w.deadline));
    setTimer("wait:" + wait.id(), w.deadline);
    emitWaitStarted(w);
    if (wait instanceof Op.AcquireLock lock) {
      out.add(new Acquire(c.stage.id(), lock, false));
    }
    if (wait instanceof Op.Poll poll) {
      w.attempts = 1;
      w.probing = true;
      out.add(new Probe(c.stage.id(), c.index, poll, 1));
    }
    if (stopped(c)) {
      later(() -> end(pending.get(wait.id()), "cancelled", null));
    }
  }

  private void emitWaitStarted(Waiting w) {
    PendingWait described = describe(w);
    emit(new RunEvent.WaitStarted(runId, now, w.cursor.stage.id(), w.op.id(), w.op.kind(), described.description(),
        described.approvers(), w.deadline, Optional.empty()));
  }

  private void probeDone(ProbeDone done) {
    Cursor c = cursors.get(done.stage());
    Waiting w = c == null ? null : c.wait;
    if (w == null || !pending.containsKey(w.op.id()) || w.index != done.op() || !w.probing) {
      return;
    }
    w.probing = false;
    Op.Poll poll = (Op.Poll) w.op;
    Outcome outcome = done.outcome();
    if (outcome.succeeded()) {
      emit(new RunEvent.PollAttempt(runId, now, c.stage.id(), poll.id(), done.attempt(), true, outcome.detail(),
          Optional.empty()));
      end(w, "succeeded", null);
      return;
    }
    Duration delay = w.interval;
    double grown = Math.min(delay.toNanos() * poll.backoff(), (double) poll.maxInterval().toNanos());
    w.interval = Duration.ofNanos((long) Math.max(grown, delay.toNanos()));
    Instant next = now.plus(delay);
    boolean more = next.isBefore(w.deadline);
    if (more) {
      setTimer("probe:" + poll.id(), next);
    }
    emit(new RunEvent.PollAttempt(runId, now, c.stage.id(), poll.id(), done.attempt(), false, outcome.detail(),
        more ? Optional.of(next) : Optional.empty()));
  }

  /** Ends a wait with {@code outcome}, and the stage goes on. */
  private void end(Waiting w, String outcome, Decision decision) {
    if (w == null || pending.get(w.op.id()) != w) {
      return;
    }
    pending.remove(w.op.id());
    ended.put(w.op.id(), outcome);
    cancelTimer("wait:" + w.op.id());
    cancelTimer("probe:" + w.op.id());
    Cursor c = w.cursor;
    c.wait = null;
    out.add(new CloseWait(c.stage.id(), w.op, outcome));
    if (w.op instanceof Op.AcquireLock lock) {
      if (outcome.equals("granted")) {
        c.locks.add(lock.lock());
      } else {
        out.add(new Release(c.stage.id(), lock.lock()));
      }
    }
    String warning = null;
    switch (outcome) {
      case "approved" -> approvedBy.put(c.stage.id(), decision.by());
      case "rejected" -> fail(c, Reasons.rejected(w.op, decision.by(), decision.comment()));
      case "timed-out" -> {
        if (w.op.onTimeout() == Gate.OnTimeout.FAIL) {
          fail(c, Reasons.waitTimedOut(w.op));
        } else {
          warning = Reasons.waitTimedOut(w.op) + "; the stage goes on, as the wait declares";
        }
      }
      case "cancelled", "superseded" -> {
        if (!c.failed) {
          c.interrupted = true;
        }
      }
      default -> { }
    }
    if (warning != null) {
      emit(new RunEvent.Warning(runId, now, c.stage.id(), warning));
    }
    emit(new RunEvent.WaitEnded(runId, now, c.stage.id(), w.op.id(), outcome,
        decision == null ? Optional.empty() : Optional.of(decision.by()),
        decision == null ? Optional.empty() : decision.comment()));
    c.advance();
    later(() -> run(c));
  }

  // ---------------------------------------------------------------- locks

  private void lockGranted(LockGranted granted) {
    Waiting w = lockWait(granted.stage(), granted.lock());
    if (w != null) {
      end(w, "granted", null);
    }
  }

  /**
   * A stage waiting for the lock is superseded: its wait ends and the stage is cancelled. A stage
   * holding it is stopped, as a timeout stops it, and ends cancelled, giving the lock up then.
   */
  private void lockLost(LockLost lost) {
    Cursor c = cursors.get(lost.stage());
    if (c == null || c.yielded != null) {
      return;
    }
    Waiting w = lockWait(lost.stage(), lost.lock());
    if (w != null) {
      c.yielded = Reasons.superseded(lost.lock(), lost.byRun().orElseThrow());
      end(w, "superseded", null);
    } else if (c.locks.contains(lost.lock())) {
      if (lost.byRun().isEmpty()) {
        c.locks.remove(lost.lock());
      }
      giveUp(c, Reasons.lockTaken(lost.lock(), lost.byRun()), lost.byRun().isEmpty());
    }
  }

  /**
   * Cancels a stage that lost its lock, and the stages inside it, which ran under it. When the
   * lock went elsewhere while the run's host was down ({@code hostDied}), no process of the
   * stage runs any more: an op in flight ended with its host, cancelled, and is not asked for
   * again.
   */
  private void giveUp(Cursor c, String reason, boolean hostDied) {
    for (Cursor inside : List.copyOf(cursors.values())) {
      if (inside == c || inside.yielded == null && within(inside.stage, c.stage.id())) {
        inside.yielded = reason;
        out.add(new Stop(Optional.of(inside.stage.id())));
        if (hostDied && inside.phase == Phase.IN_FLIGHT) {
          abandon(inside);
        } else {
          wake(inside);
        }
      }
    }
  }

  /** Ends the op in flight of a stage whose host died: a process as cancelled, another op as not done. */
  private void abandon(Cursor c) {
    if (!c.begun) {
      // Its first op had not started: the stage is skipped, as it would have been had the host lived.
      skipBeforeStart(c);
      return;
    }
    if (c.op() instanceof Op.RunProcess process) {
      opStarted(c.stage.id(), c.index);
      stepEnded(c, process, new Outcome(RunResult.Status.CANCELLED, OptionalInt.empty(), Reasons.HOST_DIED));
    } else {
      c.advance();
    }
    later(() -> run(c));
  }

  /** Whether {@code stage} is inside group {@code group}, at any depth. */
  private boolean within(PlannedStage stage, String group) {
    for (Optional<String> up = stage.parent(); up.isPresent(); up = stages.get(up.get()).parent()) {
      if (up.get().equals(group)) {
        return true;
      }
    }
    return false;
  }

  /** Why a stage does not start, when a group around it gave its lock up; empty when none did. */
  private Optional<String> yieldedAround(PlannedStage stage) {
    for (Optional<String> up = stage.parent(); up.isPresent(); up = stages.get(up.get()).parent()) {
      Cursor group = cursors.get(up.get());
      if (group != null && group.yielded != null) {
        return Optional.of(group.yielded);
      }
    }
    return Optional.empty();
  }

  /** The wait of {@code stage} for {@code lock}, if it is waiting for it. */
  private Waiting lockWait(String stageId, String lock) {
    Cursor c = cursors.get(stageId);
    Waiting w = c == null ? null : c.wait;
    return w != null && w.op instanceof Op.AcquireLock op && op.lock().equals(lock) && pending.get(op.id()) == w
        ? w : null;
  }

  private static Op.AcquireLock lockOp(PlannedStage stage, String lock) {
    return stage.ops().stream().filter(op -> op instanceof Op.AcquireLock a && a.lock().equals(lock))
        .map(Op.AcquireLock.class::cast).findFirst().orElseThrow();
  }

  // ---------------------------------------------------------------- helpers

  private void setTimer(String id, Instant at) {
    timers.put(id, at);
    out.add(new SetTimer(id, at));
  }

  private void cancelTimer(String id) {
    if (timers.remove(id) != null) {
      out.add(new CancelTimer(id));
    }
  }

  private void emit(RunEvent event) {
    out.add(new Emit(event));
  }
}

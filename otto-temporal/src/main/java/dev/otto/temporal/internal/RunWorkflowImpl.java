package dev.otto.temporal.internal;

import dev.otto.core.engine.Reasons;
import dev.otto.core.engine.RunResult;
import dev.otto.core.engine.WaitRefusedException;
import dev.otto.core.model.Gate;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.RunnablePlan;
import dev.otto.core.plan.StageStatus;
import dev.otto.temporal.internal.Messages.EventRecord;
import dev.otto.temporal.internal.Messages.StageRecord;
import dev.otto.temporal.internal.Messages.StepRecord;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Walks a plan as the local engine does: a stage starts once the stages it depends on have
 * ended and its group has opened, in plan order; independent stages run at once. Each stage runs
 * in a workflow thread of its own while it runs. Everything here is deterministic: the plan comes
 * from the input, time from the workflow's clock, and every collection iterates in insertion order.
 */
public class RunWorkflowImpl implements RunWorkflow {
  private static final long MAX_PAYLOAD = 64 * 1024;

  private Messages.RunInput input;
  private final Map<String, PlannedStage> stages = new LinkedHashMap<>();
  private final Map<String, StageRecord> results = new LinkedHashMap<>();
  private final Set<String> running = new LinkedHashSet<>();
  private final Set<String> open = new LinkedHashSet<>();
  private final Set<String> failedOrBlocked = new LinkedHashSet<>();
  private final Map<String, Waiting> pending = new LinkedHashMap<>();
  /** Waits that ended, by id, with their outcome: a late decision or callback hears why it is refused. */
  private final Map<String, Waiting> ended = new LinkedHashMap<>();
  private final Map<String, Running> scopes = new LinkedHashMap<>();
  private final Map<String, String> timedOut = new LinkedHashMap<>();
  private final List<EventRecord> events = new ArrayList<>();
  private String pipeline = "";
  private boolean stopping;
  private String stopReason;
  private boolean cancelled;
  private boolean finished;
  private int changes;

  /** A wait in progress and, once answered, its answer. */
  private static final class Waiting {
    final Messages.WaitRecord record;
    final Op.Wait op;
    String outcome;
    String by;
    String comment;

    Waiting(Messages.WaitRecord record, Op.Wait op) {
      this.record = record;
      this.op = op;
    }
  }

  /**
   * An activity or child workflow a stage waits on, which a stop cancels. One that has completed
   * is left alone: its completion may be on its way, and cancelling it would be refused.
   */
  private record Running(CancellationScope scope, Promise<?> promise) {
    void stop() {
      if (!promise.isCompleted()) {
        scope.cancel();
      }
    }
  }

  /** Where a running stage is. */
  private static final class Cursor {
    final PlannedStage stage;
    final List<StepRecord> steps = new ArrayList<>();
    int step;
    boolean failed;
    boolean interrupted;
    String reason;

    Cursor(PlannedStage stage) {
      this.stage = stage;
    }
  }

  @Override
  public Messages.RunRecord run(Messages.RunInput input) {
    this.input = input;
    RunnablePlan plan = RunnablePlan.fromJson(input.planJson());
    pipeline = plan.pipeline();
    long started = now();
    for (PlannedStage stage : plan.stages()) {
      stages.put(stage.id(), stage);
      if (stage.parent().isEmpty()) {
        open.add(stage.id());
      }
    }
    emit(EventRecord.run("RunStarted", started, pipeline, stages.size(), null, null));
    List<Promise<Void>> threads = new ArrayList<>();
    while (results.size() < stages.size()) {
      int seen = changes;
      for (PlannedStage stage : stages.values()) {
        if (!results.containsKey(stage.id()) && !running.contains(stage.id()) && ready(stage)) {
          consider(stage, threads);
        }
      }
      if (results.size() < stages.size()) {
        Workflow.await(() -> changes != seen);
      }
    }
    Promise.allOf(threads).get();
    finished = true;
    boolean anyFailed = results.values().stream().anyMatch(r -> r.status().equals("FAILED")
        || r.status().equals("CANCELLED"));
    String status = cancelled ? "CANCELLED" : anyFailed ? "FAILED" : "SUCCEEDED";
    long duration = now() - started;
    emit(EventRecord.run("RunFinished", now(), null, null, status, duration));
    return new Messages.RunRecord(input.runId(), pipeline, status, duration,
        stages.keySet().stream().map(results::get).toList());
  }

  private boolean ready(PlannedStage stage) {
    return open.contains(stage.id()) && stage.dependsOn().stream().allMatch(results::containsKey);
  }

  /** Skips a stage whose turn came, or starts it in a thread of its own. */
  private void consider(PlannedStage stage, List<Promise<Void>> threads) {
    String blocked = blockedBy(stage);
    if (stage.status() == StageStatus.SKIP) {
      skip(stage, stage.reason().orElse(Reasons.PLAN_SKIPS), false);
    } else if (blocked != null) {
      skip(stage, blocked, true);
    } else if (stopping) {
      skip(stage, stopReason, true);
    } else {
      running.add(stage.id());
      threads.add(Async.procedure(this::execute, stage));
    }
  }

  private String blockedBy(PlannedStage stage) {
    for (String dependency : stage.dependsOn()) {
      StageRecord done = results.get(dependency);
      if (isFailure(done.status())) {
        return Reasons.dependency(dependency, true);
      }
      if (failedOrBlocked.contains(dependency)) {
        return Reasons.dependency(dependency, false);
      }
    }
    return null;
  }

  private static boolean isFailure(String status) {
    return status.equals("FAILED") || status.equals("CANCELLED");
  }

  private void skip(PlannedStage stage, String reason, boolean becauseOfFailure) {
    for (String child : stage.children()) {
      if (!results.containsKey(child)) {
        skip(stages.get(child), Reasons.groupDidNotRun(stage.id()), becauseOfFailure);
      }
    }
    emit(EventRecord.stage("StageSkipped", now(), stage.id(), null, null, reason));
    settle(stage, new StageRecord(stage.id(), "SKIPPED", reason, 0, List.of()), becauseOfFailure);
  }

  private void settle(PlannedStage stage, StageRecord record, boolean becauseOfFailure) {
    results.put(stage.id(), record);
    running.remove(stage.id());
    changes++;
    boolean failed = isFailure(record.status());
    if (failed || becauseOfFailure) {
      failedOrBlocked.add(stage.id());
    }
    for (String child : stage.children()) {
      if (!results.containsKey(child) && !running.contains(child)) {
        skip(stages.get(child), Reasons.groupEndedFirst(stage.id()), true);
      }
    }
    if (failed && input.failFast() && !stopping) {
      stop(Reasons.stoppedAfter(stage.id()));
    }
  }

  private void stop(String reason) {
    stopping = true;
    stopReason = reason;
    changes++;
    new ArrayList<>(scopes.values()).forEach(Running::stop);
  }

  private boolean isStopped(String stage) {
    return stopping || timedOut.containsKey(stage);
  }

  /** Runs a stage's ops to its end. */
  private void execute(PlannedStage stage) {
    long start = now();
    emit(EventRecord.stage("StageStarted", start, stage.id(), null, null, "temporal:" + queue(stage)));
    Cursor c = new Cursor(stage);
    CancellationScope limit = null;
    if (stage.timeout().isPresent()) {
      Duration timeout = stage.timeout().get();
      limit = Workflow.newCancellationScope(() -> Workflow.newTimer(timeout).thenApply(fired -> {
        timedOut.put(stage.id(), Reasons.stageTimedOut(timeout));
        changes++;
        Running current = scopes.get(stage.id());
        if (current != null) {
          current.stop();
        }
        return fired;
      }));
      limit.run();
    }
    try {
      runOps(c);
    } catch (RuntimeException e) {
      if (e instanceof CanceledFailure) {
        throw e;
      }
      Workflow.getLogger(RunWorkflowImpl.class).error("stage '{}' of run {} failed unexpectedly", stage.id(),
          input.runId(), e);
      c.failed = true;
      c.reason = "the engine failed: " + e.getClass().getSimpleName();
    }
    if (limit != null) {
      limit.cancel();
    }
    String timeout = timedOut.get(stage.id());
    if (timeout != null) {
      c.failed = true;
      c.reason = timeout;
    }
    String status = c.failed ? "FAILED" : c.interrupted ? "CANCELLED" : "SUCCEEDED";
    String reason = status.equals("CANCELLED") ? Reasons.cancelledStage(cancelled, stopReason) : c.reason;
    long duration = now() - start;
    emit(EventRecord.stage("StageFinished", now(), stage.id(), status, duration, null));
    settle(stage, new StageRecord(stage.id(), status, reason, duration, c.steps), false);
  }

  private void runOps(Cursor c) {
    PlannedStage stage = c.stage;
    for (int index = 0; index < stage.ops().size(); index++) {
      Op op = stage.ops().get(index);
      if (op instanceof Op.AwaitChildren children) {
        awaitChildren(c, children);
        continue;
      }
      boolean stop = isStopped(stage.id());
      boolean runs = op.guard().runs(c.failed, stop);
      if (!runs && stop && !c.failed && op.guard() == Op.Guard.NORMAL) {
        c.interrupted = true;
      }
      if (op instanceof Op.RunProcess process) {
        c.step++;
        if (runs) {
          runStep(c, index, process);
        } else if (op.guard() == Op.Guard.NORMAL) {
          emit(EventRecord.step("StepSkipped", now(), stage.id(), c.step, process.label(), null,
              Reasons.stepSkipped(c.failed, timedOut.containsKey(stage.id()))));
        }
      } else if (!runs || op instanceof Op.BeginStage || op instanceof Op.EndStage) {
        continue;
      } else if (op instanceof Op.Wait wait) {
        await(c, index, wait);
      } else {
        String problem = other(c, op);
        if (problem != null && !c.failed) {
          c.failed = true;
          c.reason = problem;
        }
      }
    }
  }

  private void awaitChildren(Cursor c, Op.AwaitChildren children) {
    open.addAll(children.children());
    changes++;
    Workflow.await(() -> children.children().stream().allMatch(results::containsKey));
    if (!c.failed && children.children().stream().anyMatch(failedOrBlocked::contains)) {
      c.failed = true;
      c.reason = Reasons.CHILD_FAILED;
    }
  }

  /** Runs a step, with its retries; the retries wait on durable timers. */
  private void runStep(Cursor c, int index, Op.RunProcess process) {
    String stage = c.stage.id();
    long start = now();
    emit(EventRecord.step("StepStarted", start, stage, c.step, process.label(), null, null));
    StepRecord outcome;
    int attempt = 0;
    while (true) {
      outcome = process(c.stage, index, c.step, process, process.guard() == Op.Guard.NORMAL);
      boolean retry = !outcome.status().equals("SUCCEEDED") && !outcome.status().equals("CANCELLED")
          && !isStopped(stage) && attempt < process.retries();
      if (!retry) {
        break;
      }
      attempt++;
      Duration backoff = process.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
      emit(EventRecord.stage("Warning", now(), stage, null, null, "step " + c.step + " '" + process.label() + "' "
          + outcome.detail() + "; retry " + attempt + " of " + process.retries() + " in " + backoff));
      Workflow.await(backoff, () -> isStopped(stage));
      if (isStopped(stage)) {
        break;
      }
    }
    RunResult.Status status = switch (outcome.status()) {
      case "SUCCEEDED" -> RunResult.Status.SUCCEEDED;
      case "CANCELLED" -> RunResult.Status.CANCELLED;
      default -> RunResult.Status.FAILED;
    };
    StepRecord result = new StepRecord(process.label(), status.name(), outcome.exitCode(), now() - start,
        outcome.detail());
    emit(EventRecord.step("StepFinished", now(), stage, c.step, process.label(), result, outcome.detail()));
    c.steps.add(result);
    if (process.guard() == Op.Guard.NORMAL) {
      if (status == RunResult.Status.CANCELLED) {
        c.interrupted = true;
      } else if (status != RunResult.Status.SUCCEEDED && !c.failed) {
        c.failed = true;
        c.reason = Reasons.stepFailed(c.step, process.label(), outcome.detail());
      }
    }
  }

  /** Runs a process on a worker of the stage's queue; a stop cancels it when {@code stoppable}. */
  private StepRecord process(PlannedStage stage, int index, int step, Op.RunProcess process, boolean stoppable) {
    Messages.ProcessTask task = task(input.runId(), stage, index, step, process);
    StageActivities activities = activities(queue(stage), process.timeout());
    @SuppressWarnings("unchecked")
    Promise<StepRecord>[] outcome = new Promise[1];
    CancellationScope scope = Workflow.newCancellationScope(() -> outcome[0] = Async.function(activities::runProcess,
        task));
    scope.run();
    Running running = new Running(scope, outcome[0]);
    if (stoppable) {
      scopes.put(stage.id(), running);
    }
    try {
      return outcome[0].get();
    } catch (ActivityFailure failure) {
      return failure.getCause() instanceof CanceledFailure ? cancelledStep()
          : new StepRecord(process.label(), "FAILED", null, 0, "could not run on a worker of task queue '"
              + queue(stage) + "': " + rootMessage(failure));
    } catch (CanceledFailure cancelled) {
      return cancelledStep();
    } finally {
      scopes.remove(stage.id(), running);
    }
  }

  private static StepRecord cancelledStep() {
    return new StepRecord("", "CANCELLED", null, 0, "was stopped");
  }

  private static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }

  static Messages.ProcessTask task(String runId, PlannedStage stage, int index, int step, Op.RunProcess process) {
    List<List<String>> secrets = new ArrayList<>();
    for (SecretBinding binding : process.secrets()) {
      secrets.add(List.of(binding.secret(), binding.delivery().name().toLowerCase(Locale.ROOT), binding.variable()));
    }
    Runtime runtime = stage.runtime();
    String where = runtime instanceof Runtime.Container container ? "container:" + container.image()
        : runtime instanceof Runtime.Agent agent ? "agent:" + agent.label() : "local";
    return new Messages.ProcessTask(runId, stage.id(), index, step, process.label(), process.script(), process.env(),
        secrets, process.timeout().map(Duration::toMillis).orElse(null), where);
  }

  private StageActivities activities(String queue, java.util.Optional<Duration> timeout) {
    Messages.Settings settings = input.settings();
    return Workflow.newActivityStub(StageActivities.class, options(queue, timeout, settings));
  }

  static ActivityOptions options(String queue, java.util.Optional<Duration> timeout,
      Messages.Settings settings) {
    Duration limit = timeout.map(t -> t.plusMinutes(1)).orElse(Duration.ofSeconds(settings.stepLimitSeconds()));
    return ActivityOptions.newBuilder()
        .setTaskQueue(queue)
        .setStartToCloseTimeout(limit)
        .setHeartbeatTimeout(Duration.ofSeconds(settings.heartbeatSeconds()))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2)
            .setMaximumInterval(Duration.ofMinutes(1))
            .setMaximumAttempts(settings.workerAttempts())
            .build())
        .build();
  }

  private String queue(PlannedStage stage) {
    return input.queues().getOrDefault(stage.id(), Workflow.getInfo().getTaskQueue());
  }

  /** Waits for an approval, a callback or a poll, until it is answered, times out, or the stage stops. */
  private void await(Cursor c, int index, Op.Wait wait) {
    String stage = c.stage.id();
    long deadline = now() + wait.timeout().toMillis();
    List<String> approvers = wait instanceof Op.AwaitApproval approval ? approval.approvers() : List.of();
    Waiting w = new Waiting(new Messages.WaitRecord(stage, wait.id(), wait.kind(), Reasons.about(wait), approvers,
        deadline), wait);
    pending.put(wait.id(), w);
    emit(EventRecord.waitStarted(now(), w.record));
    if (wait instanceof Op.Poll poll) {
      poll(c, index, poll, w);
    } else {
      boolean answered = Workflow.await(Duration.ofMillis(Math.max(0, deadline - now())),
          () -> w.outcome != null || isStopped(stage));
      if (w.outcome == null) {
        w.outcome = answered ? "cancelled" : "timed-out";
      }
    }
    pending.remove(wait.id());
    ended.put(wait.id(), w);
    switch (w.outcome) {
      case "rejected" -> {
        if (!c.failed) {
          c.failed = true;
          c.reason = Reasons.rejected(wait, w.by, java.util.Optional.ofNullable(w.comment));
        }
      }
      case "timed-out" -> {
        if (wait.onTimeout() == Gate.OnTimeout.FAIL) {
          if (!c.failed) {
            c.failed = true;
            c.reason = Reasons.waitTimedOut(wait);
          }
        } else {
          emit(EventRecord.stage("Warning", now(), stage, null, null, Reasons.waitTimedOut(wait)
              + "; the stage goes on, as the wait declares"));
        }
      }
      case "cancelled" -> {
        if (!c.failed) {
          c.interrupted = true;
        }
      }
      case "failed" -> {
        if (!c.failed) {
          c.failed = true;
          c.reason = "the poll '" + Reasons.about(wait) + "' could not run: " + w.comment;
          w.comment = null;
        }
      }
      default -> {
        // approved, called, succeeded: the stage goes on
      }
    }
    emit(EventRecord.waitEnded(now(), stage, wait.id(), w.outcome, w.by, w.comment));
  }

  /** Polls in a child workflow, which this run cancels at the deadline or when the stage stops. */
  private void poll(Cursor c, int index, Op.Poll poll, Waiting w) {
    String stage = c.stage.id();
    Messages.PollTask task = new Messages.PollTask(task(input.runId(), c.stage, index, 0, poll.probe()),
        queue(c.stage), poll.interval().toMillis(), poll.backoff(), poll.maxInterval().toMillis(), 0, input.settings());
    PollWorkflow child = Workflow.newChildWorkflowStub(PollWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(input.runId() + "/" + poll.id())
        .setCancellationType(ChildWorkflowCancellationType.TRY_CANCEL)
        .build());
    @SuppressWarnings("unchecked")
    Promise<Messages.PollRecord>[] result = new Promise[1];
    CancellationScope scope = Workflow.newCancellationScope(() -> result[0] = Async.function(child::poll, task));
    scope.run();
    Running running = new Running(scope, result[0]);
    scopes.put(stage, running);
    boolean done = Workflow.await(Duration.ofMillis(Math.max(0, w.record.deadlineMillis() - now())),
        () -> result[0].isCompleted() || isStopped(stage));
    scopes.remove(stage, running);
    if (result[0].isCompleted() && result[0].getFailure() == null) {
      w.outcome = "succeeded";
    } else if (result[0].isCompleted() && !(result[0].getFailure() instanceof CanceledFailure)
        && !(result[0].getFailure() instanceof ChildWorkflowFailure f && f.getCause() instanceof CanceledFailure)) {
      w.outcome = "failed";
      w.comment = rootMessage(result[0].getFailure());
    } else {
      running.stop();
      w.outcome = done ? "cancelled" : "timed-out";
    }
  }

  /** Cache, artifact and emit ops; returns why the stage fails, or null. */
  private String other(Cursor c, Op op) {
    String stage = c.stage.id();
    if (op instanceof Op.Emit emitted) {
      emit(EventRecord.named("Emitted", now(), stage, emitted.event(), null, emitted.message()));
      return null;
    }
    StageActivities activities = activities(queue(c.stage), java.util.Optional.empty());
    if (op instanceof Op.RestoreCache restore) {
      return cache(stage, activities, new Messages.CacheTask(input.runId(), stage, restore.cache(),
          restore.keyFiles(), null));
    }
    if (op instanceof Op.SaveCache save) {
      return cache(stage, activities, new Messages.CacheTask(input.runId(), stage, save.cache(), save.keyFiles(),
          save.paths()));
    }
    Messages.ArtifactTask task = op instanceof Op.StoreArtifact store
        ? new Messages.ArtifactTask(input.runId(), stage, store.name(), store.paths())
        : op instanceof Op.RestoreArtifact restore ? new Messages.ArtifactTask(input.runId(), stage, restore.name(),
            null) : null;
    if (task == null) {
      return "the engine cannot run '" + op.kind() + "' ops";
    }
    Messages.StoreRecord done;
    try {
      done = activities.artifact(task);
    } catch (ActivityFailure failure) {
      return "the artifact '" + task.name() + "' could not be handed over: " + rootMessage(failure);
    }
    if (done.problem() != null) {
      return done.problem();
    }
    emit(EventRecord.named("Emitted", now(), stage, "artifact", null, done.detail()));
    return null;
  }

  private String cache(String stage, StageActivities activities, Messages.CacheTask task) {
    Messages.StoreRecord done;
    try {
      done = activities.cache(task);
    } catch (ActivityFailure failure) {
      done = new Messages.StoreRecord("failed", rootMessage(failure), null);
    }
    emit(EventRecord.named("CacheEvent", now(), stage, task.cache(), done.what(), done.detail()));
    return null;
  }

  private long now() {
    return Workflow.currentTimeMillis();
  }

  private void emit(EventRecord event) {
    events.add(event);
  }

  @Override
  public void validateDecide(Messages.DecideRequest request) {
    Waiting w = pending.containsKey(request.waitId()) ? pending.get(request.waitId()) : ended.get(request.waitId());
    if (w == null) {
      throw Refusals.refuse(WaitRefusedException.Reason.UNKNOWN_WAIT, "run '" + input.runId()
          + "' has no pending wait '" + request.waitId() + "'; its pending waits are "
          + pending.keySet().stream().map(id -> "'" + id + "'").toList());
    }
    if (!(w.op instanceof Op.AwaitApproval approval)) {
      throw Refusals.refuse(WaitRefusedException.notAnApproval(input.runId(), w.op));
    }
    if (!approval.approvers().isEmpty() && !approval.approvers().contains(request.by())) {
      throw Refusals.refuse(WaitRefusedException.Reason.NOT_ALLOWED, "'" + request.by()
          + "' may not decide approval '" + approval.prompt() + "' of run '" + input.runId() + "'; it is for "
          + String.join(", ", approval.approvers()));
    }
    if (w.outcome != null) {
      throw Refusals.refuse(WaitRefusedException.approvalEnded(input.runId(), request.waitId(), w.outcome));
    }
  }

  @Override
  public void decide(Messages.DecideRequest request) {
    Waiting w = pending.get(request.waitId());
    w.outcome = request.approved() ? "approved" : "rejected";
    w.by = request.by();
    w.comment = request.comment();
    changes++;
  }

  @Override
  public void validateCallback(Messages.CallbackRequest request) {
    Waiting w = pending.get(request.waitId());
    if (w == null || w.outcome != null) {
      Waiting gone = ended.get(request.waitId());
      String outcome = w != null ? w.outcome : gone != null ? gone.outcome : null;
      if (outcome == null) {
        throw Refusals.refuse(WaitRefusedException.Reason.UNKNOWN_TOKEN, "no pending wait has this token");
      }
      boolean expired = outcome.equals("timed-out") || outcome.equals("cancelled");
      throw Refusals.refuse(expired ? WaitRefusedException.Reason.EXPIRED
          : WaitRefusedException.Reason.ALREADY_RESOLVED, expired
          ? "the token's wait timed out or was cancelled; a late callback changes nothing"
          : "the token was used already; a token works once");
    }
    if (!(w.op instanceof Op.AwaitWebhook)) {
      throw Refusals.refuse(WaitRefusedException.notAWebhook(input.runId(), w.op));
    }
    if (request.payload().length() > MAX_PAYLOAD) {
      throw new IllegalArgumentException("a callback's payload must be at most " + MAX_PAYLOAD + " characters");
    }
  }

  @Override
  public void callback(Messages.CallbackRequest request) {
    pending.get(request.waitId()).outcome = "called";
    changes++;
  }

  @Override
  public void cancel() {
    if (!stopping) {
      stop(Reasons.RUN_CANCELLED);
    }
    cancelled = true;
    changes++;
  }

  @Override
  public Messages.RunView view() {
    Map<String, String> states = new LinkedHashMap<>();
    Set<String> waiting = new LinkedHashSet<>();
    pending.values().forEach(w -> waiting.add(w.record.stage()));
    for (String id : stages.keySet()) {
      StageRecord done = results.get(id);
      states.put(id, done != null ? done.status().toLowerCase(Locale.ROOT) : waiting.contains(id) ? "waiting"
          : running.contains(id) ? "running" : "pending");
    }
    String state = !finished ? "running" : cancelled ? "cancelled"
        : results.values().stream().anyMatch(r -> isFailure(r.status())) ? "failed" : "succeeded";
    return new Messages.RunView(input == null ? "" : input.runId(), pipeline, state, states,
        pending.values().stream().map(w -> w.record).toList());
  }

  @Override
  public List<EventRecord> events(int from) {
    return from >= events.size() ? List.of() : List.copyOf(events.subList(Math.max(0, from), events.size()));
  }
}

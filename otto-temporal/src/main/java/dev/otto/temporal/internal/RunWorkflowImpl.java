package dev.otto.temporal.internal;

import dev.otto.core.engine.Decision;
import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunMachine;
import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.RunnablePlan;
import dev.otto.temporal.internal.Messages.EventRecord;
import dev.otto.temporal.internal.Messages.StageRecord;
import dev.otto.temporal.internal.Messages.StepRecord;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Drives a run's {@link RunMachine} in a Temporal workflow: the machine decides, the workflow
 * carries out its actions. Ops run as activities on the stage's task queue, timers are durable
 * workflow timers, decisions and callbacks arrive as updates, and a poll's probes run in a child
 * workflow that continues as new so that a month of probes does not fill this history. Each
 * input reaches the machine in the workflow's main thread (updates and signals in their own) with
 * the workflow's time, so the machine's
 * answers, and with them this workflow's commands, are the same whenever the history is replayed.
 */
public class RunWorkflowImpl implements RunWorkflow {
  private Messages.RunInput input;
  private String pipeline = "";
  private RunMachine machine;
  private final java.util.ArrayDeque<RunMachine.Input> inbox = new java.util.ArrayDeque<>();
  private final Map<String, PlannedStage> stages = new LinkedHashMap<>();
  /** The secrets the run has bound to processes so far, in order: each later process's output is masked with them. */
  private final java.util.TreeSet<String> given = new java.util.TreeSet<>();
  private final List<EventRecord> events = new ArrayList<>();
  private final Map<String, CancellationScope> timers = new HashMap<>();
  /** The deployments being recorded; the run ends once they are. */
  private final List<Promise<Void>> recordings = new ArrayList<>();
  /**
   * Whether this run records its deployments: runs that began before workers kept the record
   * replay without the activity that does it.
   */
  private boolean recordsDeployments;
  /** The last call to each lock's workflow, by stage and lock: a stage's calls reach the line in order. */
  private final Map<String, Promise<Void>> lockCalls = new HashMap<>();
  /** The activity or child workflow each stage waits on, which a stop cancels. */
  private final Map<String, Running> running = new LinkedHashMap<>();

  /**
   * An activity or child workflow a stage waits on. One that has completed is left alone: its
   * completion may be on its way, and cancelling it would be refused.
   */
  private record Running(CancellationScope scope, Promise<?> promise) {
    void stop() {
      if (!promise.isCompleted()) {
        scope.cancel();
      }
    }
  }

  @Override
  public Messages.RunRecord run(Messages.RunInput input) {
    this.input = input;
    RunnablePlan plan = RunnablePlan.fromJson(input.planJson());
    Map<String, String> where = new LinkedHashMap<>();
    for (PlannedStage stage : plan.stages()) {
      stages.put(stage.id(), stage);
      where.put(stage.id(), "temporal:" + queue(stage));
    }
    pipeline = plan.pipeline();
    recordsDeployments = Workflow.getVersion("deployment-records", Workflow.DEFAULT_VERSION, 1) == 1;
    // Histories recorded before stages started with their first activity replay as they ran.
    boolean startsWithFirstOp = Workflow.getVersion("stage-starts-with-first-op", Workflow.DEFAULT_VERSION, 1) == 1;
    machine = RunMachine.builder(input.runId(), plan)
        .failurePolicy(FailurePolicy.valueOf(input.failurePolicy()))
        .executors(where)
        .startsWhenReady(!startsWithFirstOp)
        .build();
    apply(new RunMachine.Start(Instant.ofEpochMilli(now()), List.of()));
    while (!machine.finished()) {
      Workflow.await(() -> !inbox.isEmpty() || machine.finished());
      RunMachine.Input next = inbox.poll();
      if (next != null) {
        apply(next);
      }
    }
    Promise.allOf(recordings).get();
    // The run's last releases must reach the locks' lines before the workflow ends.
    Promise.allOf(lockCalls.values()).handle((done, failure) -> null).get();
    return record(machine.result().orElseThrow());
  }

  /**
   * Hands what an activity, a child or a timer came to to the workflow's main thread, so that
   * everything the machine starts in answer is started from there, outside the scope of what
   * ended.
   */
  private void deliver(RunMachine.Input in) {
    inbox.add(in);
  }

  private void apply(RunMachine.Input in) {
    for (RunMachine.Action action : machine.apply(in)) {
      perform(action);
    }
  }

  private void perform(RunMachine.Action action) {
    if (action instanceof RunMachine.Emit emit) {
      events.add(record(emit.event()));
    } else if (action instanceof RunMachine.Execute execute) {
      // The activity is scheduled now; when a worker picks it up, the workflow does not hear.
      deliver(new RunMachine.OpStarted(Instant.ofEpochMilli(now()), execute.stage(), execute.op()));
      execute(execute);
    } else if (action instanceof RunMachine.Probe probe) {
      poll(probe);
    } else if (action instanceof RunMachine.CloseWait close && close.gate() instanceof Op.Poll) {
      Running poll = running.remove(close.stage());
      if (poll != null) {
        poll.stop();
      }
    } else if (action instanceof RunMachine.SetTimer set) {
      setTimer(set.id(), set.at());
    } else if (action instanceof RunMachine.CancelTimer cancel) {
      CancellationScope timer = timers.remove(cancel.id());
      if (timer != null) {
        timer.cancel();
      }
    } else if (action instanceof RunMachine.Deployed deployed && recordsDeployments) {
      // A worker of the stage's queue keeps the record, through the store it was given.
      StageActivities activities = activities(queue(stages.get(deployed.deployment().stage())), Optional.empty());
      recordings.add(Async.procedure(activities::recordDeployment,
          Messages.DeploymentRecord.of(deployed.deployment())));
    } else if (action instanceof RunMachine.Acquire acquire) {
      Op.AcquireLock lock = acquire.lock();
      Messages.LockRequest request = new Messages.LockRequest(lock.lock(), lock.mode().name(), input.runId(),
          acquire.stage(), acquire.held(), Workflow.getInfo().getTaskQueue());
      callLock(acquire.stage(), lock.lock(), locks -> locks.request(request));
    } else if (action instanceof RunMachine.Release release) {
      Messages.LockRelease request = new Messages.LockRelease(release.lock(), input.runId(), release.stage());
      callLock(release.stage(), release.lock(), locks -> locks.release(request));
    } else if (action instanceof RunMachine.EndSession end) {
      // Every activity ends its own processes: nothing is left to stop.
      deliver(new RunMachine.SessionEnded(Instant.ofEpochMilli(now()), end.stage(), 0));
    } else if (action instanceof RunMachine.Stop stop) {
      stop.stage().ifPresentOrElse(stage -> {
        Running current = running.get(stage);
        if (current != null) {
          current.stop();
        }
      }, () -> new ArrayList<>(running.values()).forEach(Running::stop));
    }
    // OpenWait and CloseWait: the host makes and checks webhook tokens. Records: the workflow's
    // history is the run's record.
  }

  /**
   * Calls a lock's workflow through an activity once the stage's last call to it has ended, so
   * that a release never overtakes the request it withdraws.
   */
  private void callLock(String stage, String lock, Consumer<LockActivities> call) {
    LockActivities locks = Workflow.newActivityStub(LockActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
            .setMaximumInterval(Duration.ofMinutes(1)).build())
        .build());
    String key = stage + "#" + lock;
    Promise<Void> before = lockCalls.getOrDefault(key, Workflow.newPromise(null));
    lockCalls.put(key, before.handle((done, failure) -> null)
        .thenCompose(ignored -> Async.procedure(() -> call.accept(locks))));
  }

  private void setTimer(String id, Instant at) {
    CancellationScope earlier = timers.remove(id);
    if (earlier != null) {
      earlier.cancel();
    }
    Duration delay = Duration.between(Instant.ofEpochMilli(now()), at);
    CancellationScope[] scope = new CancellationScope[1];
    scope[0] = Workflow.newCancellationScope(() -> Workflow.newTimer(delay.isNegative() ? Duration.ZERO : delay)
        .thenApply(fired -> {
          if (timers.get(id) == scope[0]) {
            timers.remove(id);
            deliver(new RunMachine.TimerFired(Instant.ofEpochMilli(now()), id));
          }
          return fired;
        }));
    timers.put(id, scope[0]);
    scope[0].run();
  }

  /** Runs a process, cache or artifact op as an activity on the stage's queue. */
  private void execute(RunMachine.Execute execute) {
    PlannedStage stage = stages.get(execute.stage());
    StageActivities activities = activities(queue(stage), execute.what() instanceof Op.RunProcess process
        ? process.timeout() : Optional.empty());
    Promise<RunMachine.Outcome>[] outcome = promises(1);
    CancellationScope scope = Workflow.newCancellationScope(() -> outcome[0] = start(activities, stage, execute));
    scope.run();
    Running current = new Running(scope, outcome[0]);
    boolean stoppable = execute.what() instanceof Op.RunProcess;
    if (stoppable) {
      running.put(stage.id(), current);
    }
    outcome[0].handle((done, failure) -> {
      running.remove(stage.id(), current);
      RunMachine.Outcome result = failure == null ? done : failed(stage, execute.what(), failure);
      deliver(new RunMachine.OpDone(Instant.ofEpochMilli(now()), stage.id(), execute.op(), result));
      return null;
    });
  }

  private Promise<RunMachine.Outcome> start(StageActivities activities, PlannedStage stage,
      RunMachine.Execute execute) {
    String id = stage.id();
    Op op = execute.what();
    if (op instanceof Op.RunProcess process) {
      return Async.function(activities::runProcess, task(input.runId(), stage, execute.op(), execute.step(), process,
              given(process)))
          .thenApply(RunWorkflowImpl::outcome);
    }
    if (op instanceof Op.RestoreCache restore) {
      return Async.function(activities::cache, new Messages.CacheTask(input.runId(), id, restore.cache(),
          restore.keyFiles(), null, restore.paths(), keptKeyFiles(restore.fallbacks())))
          .thenApply(done -> cached(id, restore.cache(), done));
    }
    if (op instanceof Op.SaveCache save) {
      return Async.function(activities::cache, new Messages.CacheTask(input.runId(), id, save.cache(),
          save.keyFiles(), save.paths(), save.paths(), keptKeyFiles(save.fallbacks())))
          .thenApply(done -> cached(id, save.cache(), done));
    }
    Messages.ArtifactTask task = op instanceof Op.StoreArtifact store
        ? new Messages.ArtifactTask(input.runId(), id, store.name(), store.paths())
        : restoring(id, (Op.RestoreArtifact) op);
    return Async.function(activities::artifact, task).thenApply(done -> {
      if (done.problem() != null) {
        return RunMachine.Outcome.failed(done.problem());
      }
      events.add(EventRecord.named("Emitted", now(), id, "artifact", null, done.detail()));
      return done.digest() == null ? RunMachine.Outcome.ok() : RunMachine.Outcome.artifact(done.digest());
    });
  }

  private Messages.ArtifactTask restoring(String stage, Op.RestoreArtifact restore) {
    return restore.from().map(from -> new Messages.ArtifactTask(input.runId(), stage, restore.name(), null,
        from.environment(), from.previous())).orElseGet(() -> new Messages.ArtifactTask(input.runId(), stage,
        restore.name(), null));
  }

  private static List<List<String>> keptKeyFiles(List<Cache.Fallback> fallbacks) {
    return fallbacks.stream().map(Cache.Fallback::keyFiles).toList();
  }

  /** A cache that could not be restored or saved does not fail the stage. */
  private RunMachine.Outcome cached(String stage, String cache, Messages.StoreRecord done) {
    events.add(EventRecord.named("CacheEvent", now(), stage, cache, done.what(), done.detail()));
    return RunMachine.Outcome.ok();
  }

  private RunMachine.Outcome failed(PlannedStage stage, Op op, Throwable failure) {
    if (failure instanceof CanceledFailure || failure.getCause() instanceof CanceledFailure) {
      return new RunMachine.Outcome(RunResult.Status.CANCELLED, OptionalInt.empty(), "was stopped");
    }
    if (op instanceof Op.RestoreCache || op instanceof Op.SaveCache) {
      String cache = op instanceof Op.RestoreCache restore ? restore.cache() : ((Op.SaveCache) op).cache();
      return cached(stage.id(), cache, new Messages.StoreRecord("failed", rootMessage(failure), null));
    }
    String what = op instanceof Op.RunProcess ? "could not run" : "the artifact could not be handed over";
    return RunMachine.Outcome.failed(what + " on a worker of task queue '" + queue(stage) + "': "
        + rootMessage(failure));
  }

  private static RunMachine.Outcome outcome(StepRecord step) {
    RunResult.Status status = switch (step.status()) {
      case "SUCCEEDED" -> RunResult.Status.SUCCEEDED;
      case "CANCELLED" -> RunResult.Status.CANCELLED;
      default -> RunResult.Status.FAILED;
    };
    return new RunMachine.Outcome(status, step.exitCode() == null ? OptionalInt.empty()
        : OptionalInt.of(step.exitCode()), step.detail());
  }

  /**
   * Probes in a child workflow until a probe succeeds; the machine hears only of that one. The
   * machine's deadline or a stop closes the wait, which cancels the child.
   */
  private void poll(RunMachine.Probe probe) {
    PlannedStage stage = stages.get(probe.stage());
    Op.Poll poll = probe.poll();
    Messages.PollTask task = new Messages.PollTask(task(input.runId(), stage, probe.op(), 0, poll.probe(),
        given(poll.probe())),
        queue(stage), poll.interval().toMillis(), poll.backoff(), poll.maxInterval().toMillis(), 0, input.settings());
    PollWorkflow child = Workflow.newChildWorkflowStub(PollWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(input.runId() + "/" + poll.id() + (probe.attempt() > 1 ? "/" + probe.attempt() : ""))
        .setCancellationType(ChildWorkflowCancellationType.TRY_CANCEL)
        .build());
    Promise<Messages.PollRecord>[] result = promises(1);
    CancellationScope scope = Workflow.newCancellationScope(() -> result[0] = Async.function(child::poll, task));
    scope.run();
    Running current = new Running(scope, result[0]);
    running.put(stage.id(), current);
    result[0].handle((done, failure) -> {
      running.remove(stage.id(), current);
      if (failure == null) {
        deliver(new RunMachine.ProbeDone(Instant.ofEpochMilli(now()), stage.id(), probe.op(), done.attempts(),
            new RunMachine.Outcome(RunResult.Status.SUCCEEDED, OptionalInt.empty(), done.detail())));
      } else if (!(failure instanceof CanceledFailure)
          && !(failure instanceof ChildWorkflowFailure f && f.getCause() instanceof CanceledFailure)) {
        deliver(new RunMachine.ProbeDone(Instant.ofEpochMilli(now()), stage.id(), probe.op(), probe.attempt(),
            RunMachine.Outcome.failed("the poll could not run: " + rootMessage(failure))));
      }
      return null;
    });
  }

  @SuppressWarnings("unchecked")
  private static <T> Promise<T>[] promises(int size) {
    return new Promise[size];
  }

  private static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }

  /** The secrets given before {@code process}, which then counts its own as given. */
  private List<String> given(Op.RunProcess process) {
    List<String> before = List.copyOf(given);
    process.secrets().forEach(binding -> given.add(binding.secret()));
    return before;
  }

  static Messages.ProcessTask task(String runId, PlannedStage stage, int index, int step, Op.RunProcess process,
      List<String> givenBefore) {
    List<List<String>> secrets = new ArrayList<>();
    for (SecretBinding binding : process.secrets()) {
      secrets.add(List.of(binding.secret(), binding.delivery().name().toLowerCase(Locale.ROOT), binding.variable()));
    }
    Runtime runtime = stage.runtime();
    String where = runtime instanceof Runtime.Container container ? "container:" + container.image()
        : runtime instanceof Runtime.Agent agent ? "agent:" + agent.label() : "local";
    return new Messages.ProcessTask(runId, stage.id(), index, step, process.label(), process.script(), process.env(),
        secrets, process.timeout().map(Duration::toMillis).orElse(null), where, givenBefore);
  }

  private StageActivities activities(String queue, Optional<Duration> timeout) {
    return Workflow.newActivityStub(StageActivities.class, options(queue, timeout, input.settings()));
  }

  static ActivityOptions options(String queue, Optional<Duration> timeout, Messages.Settings settings) {
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

  private long now() {
    return Workflow.currentTimeMillis();
  }

  // ---------------------------------------------------------------- updates, signals, queries

  @Override
  public void validateDecide(Messages.DecideRequest request) {
    decision(request).ifPresent(refused -> {
      throw refused;
    });
  }

  @Override
  public void decide(Messages.DecideRequest request) {
    validateDecide(request);
    apply(new RunMachine.Decide(Instant.ofEpochMilli(now()), request.waitId(), new Decision(request.approved(),
        request.by(), Optional.ofNullable(request.comment()))));
  }

  private Optional<RuntimeException> decision(Messages.DecideRequest request) {
    RunMachine.Decide decide;
    try {
      decide = new RunMachine.Decide(Instant.ofEpochMilli(now()), request.waitId(), new Decision(request.approved(),
          request.by(), Optional.ofNullable(request.comment())));
    } catch (IllegalArgumentException e) {
      return Optional.of(e);
    }
    return machine.refusal(decide).map(Refusals::refuse);
  }

  @Override
  public void validateCallback(Messages.CallbackRequest request) {
    if (request.payload().length() > RunMachine.MAX_PAYLOAD) {
      throw new IllegalArgumentException("a callback's payload must be at most " + RunMachine.MAX_PAYLOAD
          + " characters");
    }
    machine.refusal(asInput(request)).ifPresent(refused -> {
      throw Refusals.refuse(refused);
    });
  }

  @Override
  public void callback(Messages.CallbackRequest request) {
    validateCallback(request);
    apply(asInput(request));
  }

  private RunMachine.Callback asInput(Messages.CallbackRequest request) {
    return new RunMachine.Callback(Instant.ofEpochMilli(now()), request.waitId(), request.payload());
  }

  @Override
  public void lockNotice(Messages.LockNotice notice) {
    Instant at = Instant.ofEpochMilli(now());
    deliver(notice.granted() ? new RunMachine.LockGranted(at, notice.stage(), notice.lock())
        : new RunMachine.LockLost(at, notice.stage(), notice.lock(), Optional.ofNullable(notice.byRun())));
  }

  @Override
  public void cancel() {
    if (machine != null) {
      apply(new RunMachine.Cancel(Instant.ofEpochMilli(now())));
    }
  }

  @Override
  public Messages.RunView view() {
    if (machine == null) {
      return new Messages.RunView("", "", "running", Map.of(), List.of());
    }
    String state = machine.result().map(r -> r.status().name().toLowerCase(Locale.ROOT)).orElse("running");
    return new Messages.RunView(input.runId(), pipeline, state, machine.states(),
        machine.pendingWaits().stream().map(RunWorkflowImpl::record).toList());
  }

  @Override
  public List<EventRecord> events(int from) {
    return from >= events.size() ? List.of() : List.copyOf(events.subList(Math.max(0, from), events.size()));
  }

  // ---------------------------------------------------------------- what travels

  private static Messages.WaitRecord record(PendingWait wait) {
    return new Messages.WaitRecord(wait.stage(), wait.id(), wait.kind(), wait.description(), wait.approvers(),
        wait.deadline().toEpochMilli());
  }

  private static Messages.RunRecord record(RunResult result) {
    return new Messages.RunRecord(result.run(), result.pipeline(), result.status().name(),
        result.duration().toMillis(), result.stages().stream().map(stage -> new StageRecord(stage.id(),
            stage.status().name(), stage.reason().orElse(null), stage.duration().toMillis(),
            stage.steps().stream().map(step -> new StepRecord(step.label(), step.status().name(),
                step.exitCode().isPresent() ? step.exitCode().getAsInt() : null, step.duration().toMillis(),
                step.detail())).toList())).toList());
  }

  /** An event as it travels: {@link Translate#event} reads it back. */
  static EventRecord record(RunEvent event) {
    long at = event.at().toEpochMilli();
    if (event instanceof RunEvent.RunStarted e) {
      return EventRecord.run("RunStarted", at, e.pipeline(), e.stages(), null, null);
    }
    if (event instanceof RunEvent.RunFinished e) {
      return EventRecord.run("RunFinished", at, null, null, e.status().name(), e.duration().toMillis());
    }
    if (event instanceof RunEvent.StageStarted e) {
      return EventRecord.stage("StageStarted", at, e.stage(), null, null, e.executor());
    }
    if (event instanceof RunEvent.StageFinished e) {
      return EventRecord.stage("StageFinished", at, e.stage(), e.status().name(), e.duration().toMillis(), null);
    }
    if (event instanceof RunEvent.StageSkipped e) {
      return EventRecord.stage("StageSkipped", at, e.stage(), null, null, e.reason());
    }
    if (event instanceof RunEvent.StepStarted e) {
      return EventRecord.step("StepStarted", at, e.stage(), e.step(), e.label(), null, null);
    }
    if (event instanceof RunEvent.StepFinished e) {
      return EventRecord.step("StepFinished", at, e.stage(), e.step(), e.label(), new StepRecord(e.label(),
          e.status().name(), e.exitCode().isPresent() ? e.exitCode().getAsInt() : null, e.duration().toMillis(),
          e.detail()), e.detail());
    }
    if (event instanceof RunEvent.StepSkipped e) {
      return EventRecord.step("StepSkipped", at, e.stage(), e.step(), e.label(), null, e.reason());
    }
    if (event instanceof RunEvent.Emitted e) {
      return EventRecord.named("Emitted", at, e.stage(), e.event(), null, e.message());
    }
    if (event instanceof RunEvent.WaitStarted e) {
      return EventRecord.waitStarted(at, new Messages.WaitRecord(e.stage(), e.waitId(), e.kind(), e.description(),
          e.approvers(), e.deadline().toEpochMilli()));
    }
    if (event instanceof RunEvent.WaitEnded e) {
      return EventRecord.waitEnded(at, e.stage(), e.waitId(), e.outcome(), e.by().orElse(null),
          e.comment().orElse(null));
    }
    if (event instanceof RunEvent.PollAttempt e) {
      return EventRecord.pollAttempt(at, e.stage(), e.waitId(), e.attempt(), e.succeeded(), e.detail(),
          e.next().map(Instant::toEpochMilli).orElse(null));
    }
    String message = event instanceof RunEvent.Warning w ? w.message() : event.getClass().getSimpleName();
    String stage = event instanceof RunEvent.Warning w ? w.stage() : null;
    return EventRecord.stage("Warning", at, stage, null, null, message);
  }
}

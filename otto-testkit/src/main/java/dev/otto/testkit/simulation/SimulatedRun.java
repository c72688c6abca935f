package dev.otto.testkit.simulation;

import static java.util.Objects.requireNonNull;

import dev.otto.core.engine.Decision;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.plan.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * A simulated run: it has run as far as it could, and either ended or waits. The test drives its
 * waits ({@link #approve}, {@link #reject}, {@link #deliverWebhook}, {@link #advance},
 * {@link #expire}) and reads what happened ({@link #result}, {@link #executions},
 * {@link #events}, {@link #notifications}). Each call returns once the run has again gone as
 * far as it can.
 */
public final class SimulatedRun {
  private final Plan plan;
  private final SimulatedEngine simulated;
  private final LocalEngine engine;
  private final RunHandle handle;
  private final VirtualScheduler time;
  private final TaskQueue queue;

  SimulatedRun(Plan plan, SimulatedEngine simulated, RunHandle handle) {
    this.plan = plan;
    this.simulated = simulated;
    this.engine = simulated.engine();
    this.handle = handle;
    this.time = simulated.time();
    this.queue = simulated.queue();
  }

  public Plan plan() {
    return plan;
  }

  /** Whether the run has ended. */
  public boolean isFinished() {
    return handle.result().isDone();
  }

  /**
   * How the run ended.
   *
   * @throws AssertionError if it has not ended: it waits, and the message says on what
   */
  public RunResult result() {
    if (!isFinished()) {
      throw new AssertionError("the run has not ended; it waits on " + describe(waits())
          + ". Approve, reject, deliver a webhook, or advance the time first.");
    }
    return handle.result().join();
  }

  /** What the run waits on now. */
  public List<PendingWait> waits() {
    return handle.waits();
  }

  /** The virtual time now. */
  public Instant now() {
    return time.now();
  }

  /** Approves the approval {@code stage} waits on, in the name of {@code tester}. */
  public SimulatedRun approve(String stage) {
    return approve(stage, "tester");
  }

  /** Approves the approval {@code stage} waits on, in the name of {@code by}. */
  public SimulatedRun approve(String stage, String by) {
    return decide(stage, Decision.approve(by));
  }

  /** Rejects the approval {@code stage} waits on. */
  public SimulatedRun reject(String stage, String by, String comment) {
    return decide(stage, Decision.reject(by).withComment(comment));
  }

  /** Decides the approval {@code stage} waits on. */
  public SimulatedRun decide(String stage, Decision decision) {
    PendingWait wait = pending(stage, "await-approval");
    handle.decide(wait.id(), decision);
    simulated.settle();
    return this;
  }

  /** Calls the webhook {@code stage} waits on back, with its token and {@code payload}. */
  public SimulatedRun deliverWebhook(String stage, String payload) {
    PendingWait wait = pending(stage, "await-webhook");
    String token = simulated.events().stream().filter(RunEvent.WaitStarted.class::isInstance).map(RunEvent.WaitStarted.class::cast)
        .filter(e -> e.waitId().equals(wait.id())).reduce((first, second) -> second).orElseThrow().token()
        .orElseThrow();
    engine.callback(token, requireNonNull(payload, "payload"));
    simulated.settle();
    return this;
  }

  /**
   * Moves virtual time on by {@code duration}: each timer that falls due (a timeout, a poll's
   * next attempt, a retry) fires at its time, and the run goes as far as it can before the next.
   */
  public SimulatedRun advance(Duration duration) {
    simulated.advance(duration);
    return this;
  }

  /** Moves virtual time to the deadline of the wait {@code stage} waits on: the wait times out. */
  public SimulatedRun expire(String stage) {
    PendingWait wait = pending(stage, null);
    Duration left = Duration.between(time.now(), wait.deadline());
    return advance(left.isNegative() ? Duration.ZERO : left);
  }

  /**
   * Moves virtual time on, timer by timer, through retries and polls, until the run ends or
   * waits on what only the test can resolve (an approval or a webhook; a lock is another run's to
   * give up), or {@code limit} passes.
   */
  public SimulatedRun runFor(Duration limit) {
    simulated.stepUntil(time.now().plus(requireNonNull(limit, "limit")),
        () -> isFinished() || waits().stream().anyMatch(w -> !w.kind().equals("poll")
            && !w.kind().equals("lock")));
    return this;
  }

  /** Every process the run asked for, in order. */
  public List<Execution> executions() {
    return simulated.executions();
  }

  /** The processes of one stage, in order. */
  public List<Execution> executions(String stage) {
    return executions().stream().filter(e -> e.stage().equals(stage)).toList();
  }

  /**
   * The processes whose stage matches {@code stageGlob} and whose script or label matches
   * {@code stepGlob}, by the rule {@link Simulation#step} scripts them with: a glob matches the
   * whole text, {@code *} standing for any text ({@code "git push*"}).
   */
  public List<Execution> executions(String stageGlob, String stepGlob) {
    java.util.regex.Pattern stage = Globs.compile(java.util.Objects.requireNonNull(stageGlob, "stageGlob"));
    java.util.regex.Pattern step = Globs.compile(java.util.Objects.requireNonNull(stepGlob, "stepGlob"));
    return executions().stream().filter(e -> stage.matcher(e.stage()).matches()
        && (step.matcher(e.script()).matches() || step.matcher(e.label()).matches())).toList();
  }

  /** Every event, in order. */
  public List<RunEvent> events() {
    return simulated.events();
  }

  /** Events of one type, in order. */
  public <T extends RunEvent> List<T> events(Class<T> type) {
    return simulated.events().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /**
   * The notifications that fired, in order: {@code "Stage: label"} for each notification step
   * that ran, {@code "Stage: event: message"} for each event the pipeline emitted.
   */
  public List<String> notifications() {
    Stream<String> steps = executions().stream().filter(e -> e.kind() == Execution.Kind.NOTIFICATION)
        .map(e -> e.stage() + ": " + e.label());
    Stream<String> emitted = events(RunEvent.Emitted.class).stream()
        .map(e -> e.stage() + ": " + e.event() + ": " + e.message());
    return Stream.concat(steps, emitted).toList();
  }

  /** The stages that started, in the order they started. */
  public List<String> startedStages() {
    return events(RunEvent.StageStarted.class).stream().map(RunEvent.StageStarted::stage).toList();
  }

  /** Every line steps printed, masked, as {@code "Stage: line"}. */
  public List<String> output() {
    return events(RunEvent.OutputLine.class).stream().map(e -> e.stage() + ": " + e.line()).toList();
  }

  /** What this run deployed to {@code environment}: its entries in the environment's record, newest first. */
  public List<dev.otto.core.engine.Deployment> deployments(String environment) {
    return engine.deployments(requireNonNull(environment, "environment")).stream()
        .filter(d -> d.run().equals(handle.id())).toList();
  }

  /** The entries the engine journaled for this run. */
  public List<String> journal() {
    return simulated.journal().entries(handle.id());
  }

  private PendingWait pending(String stage, String kind) {
    requireNonNull(stage, "stage");
    return waits().stream().filter(w -> w.stage().equals(stage) && (kind == null || w.kind().equals(kind)))
        .findFirst().orElseThrow(() -> new AssertionError("stage '" + stage + "' waits on no "
            + (kind == null ? "wait" : kind.replace("await-", "")) + " now; the run "
            + (isFinished() ? "has ended: " + handle.result().join().status() : "waits on " + describe(waits()))));
  }

  private static String describe(List<PendingWait> waits) {
    return waits.isEmpty() ? "nothing" : waits.stream().map(w -> w.kind().replace("await-", "") + " '"
        + w.description() + "' of stage '" + w.stage() + "'").toList().toString();
  }
}

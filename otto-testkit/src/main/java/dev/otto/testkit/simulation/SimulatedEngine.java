package dev.otto.testkit.simulation;

import static java.util.Objects.requireNonNull;

import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real {@link LocalEngine} with nothing real underneath, for testing a host application that
 * embeds Otto: hand {@link #engine()} to the code under test, and call {@link #settle()} after
 * each thing it does to let the engine go as far as it can. Processes do what the
 * {@link Simulation} scripts, secrets are the simulation's, time is virtual, and everything runs
 * on the test's thread.
 *
 * <pre>{@code
 * SimulatedEngine simulated = otto.simulate(pipeline).engine();
 * ReleaseDesk desk = new ReleaseDesk(simulated.engine(), pipeline);
 * String run = desk.release("master");
 * simulated.settle();
 * }</pre>
 */
public final class SimulatedEngine {
  private final Simulation simulation;
  private final LocalEngine engine;
  private final VirtualScheduler time;
  private final TaskQueue queue;
  private final FakeExecutor executor;
  private final InMemoryJournal journal;
  private final List<RunEvent> events;

  SimulatedEngine(Simulation simulation, LocalEngine engine, VirtualScheduler time, TaskQueue queue,
      FakeExecutor executor, InMemoryJournal journal, List<RunEvent> events) {
    this.simulation = simulation;
    this.engine = engine;
    this.time = time;
    this.queue = queue;
    this.executor = executor;
    this.journal = journal;
    this.events = events;
  }

  /** The engine, to hand to the code under test. */
  public LocalEngine engine() {
    return engine;
  }

  /**
   * Lets the engine go as far as it can: while processes take their time, virtual time moves on
   * to the next one's end (timers that fall due before it fire, in order). It stops where the runs
   * wait on timers alone (a retry's backoff, a poll's next attempt, a wait's deadline) or on the
   * test (an approval, a webhook), or have ended.
   */
  public SimulatedEngine settle() {
    queue.drain();
    while (executor.busy()) {
      Instant next = time.nextDue().orElseThrow();
      time.advance(Duration.between(time.now(), next));
      queue.drain();
    }
    return this;
  }

  /**
   * Lets the engine go as far as it can without moving time: processes that take time stay
   * running, so the test can act while they do (cancel the run, say).
   */
  public SimulatedEngine settleNow() {
    queue.drain();
    return this;
  }

  /** Moves virtual time on, timer by timer, letting the engine go on after each. */
  public SimulatedEngine advance(Duration duration) {
    Instant end = time.now().plus(requireNonNull(duration, "duration"));
    stepUntil(end, () -> false);
    time.advance(Duration.between(time.now(), end));
    queue.drain();
    return this;
  }

  /** Fires due timers one at a time, letting the engine go on after each, until {@code end} or {@code stop}. */
  void stepUntil(Instant end, java.util.function.BooleanSupplier stop) {
    Instant next;
    while (!stop.getAsBoolean() && (next = time.nextDue().orElse(null)) != null && !next.isAfter(end)) {
      time.advance(Duration.between(time.now(), next));
      queue.drain();
    }
  }

  /**
   * A new engine on what this one leaves behind when its host goes away: the runs' journals as
   * they are now, their workspaces, the record of deployments, and the time. Resume a run there
   * with {@code successor.engine().resume(runId, plan)}, as a host that takes over does; this
   * engine is not to be used again. The successor's processes start their scripts afresh.
   *
   * <pre>{@code
   * SimulatedEngine first = simulation.engine();
   * RunHandle run = first.engine().start(plan);
   * first.settle();
   * SimulatedEngine second = first.successor();
   * RunHandle resumed = second.engine().resume(run.id(), plan);
   * }</pre>
   */
  public SimulatedEngine successor() {
    return simulation.engine(time.now(), journal.copy());
  }

  /** The virtual time now. */
  public Instant now() {
    return time.now();
  }

  /** Every process the engine asked for, in order, across runs. */
  public List<Execution> executions() {
    return executor.executions();
  }

  /** Every event, in order, across runs. */
  public List<RunEvent> events() {
    return List.copyOf(events);
  }

  /** The journal the engine writes, in memory. */
  public InMemoryJournal journal() {
    return journal;
  }

  VirtualScheduler time() {
    return time;
  }

  TaskQueue queue() {
    return queue;
  }

  FakeExecutor executor() {
    return executor;
  }
}

package dev.otto.core.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A run in progress: its id, its waits, a way to cancel it, and its result when it ends. */
public interface RunHandle {

  String id();

  /** Stops running processes and waits and starts nothing new; the result says which stages were cancelled. */
  void cancel();

  /** Completes with the run's result; never completes exceptionally. */
  CompletableFuture<RunResult> result();

  /** The waits the run is blocked on now, in plan order. */
  List<PendingWait> waits();

  /**
   * Decides one of the run's approvals; see {@link LocalEngine#decide(String, String, Decision)}.
   *
   * @throws WaitRefusedException if the run has no such approval, the decider is not allowed, or the
   *     approval ended already
   */
  void decide(String waitId, Decision decision);

  /** Where the run is now. */
  RunSnapshot snapshot();
}

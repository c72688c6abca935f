package dev.otto.core.engine;

import java.util.concurrent.CompletableFuture;

/** A run in progress: its id, a way to cancel it, and its result when it ends. */
public interface RunHandle {

  String id();

  /** Stops running processes and starts nothing new; the result says which stages were cancelled. */
  void cancel();

  /** Completes with the run's result; never completes exceptionally. */
  CompletableFuture<RunResult> result();
}

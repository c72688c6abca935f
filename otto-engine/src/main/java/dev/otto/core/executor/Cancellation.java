package dev.otto.core.executor;

import java.util.concurrent.CompletableFuture;

/**
 * Lets a host stop running work: once {@link #cancel()} is called, running processes are
 * stopped and nothing new starts.
 */
public final class Cancellation {
  private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

  public static Cancellation create() {
    return new Cancellation();
  }

  public void cancel() {
    cancelled.complete(null);
  }

  /**
   * A cancellation of part of the work: cancelled with this one, or on its own without touching
   * this one. The engine gives each stage one, so that stopping a stage stops its processes,
   * those in flight to the executor included, and nothing else.
   */
  public Cancellation child() {
    Cancellation child = new Cancellation();
    cancelled.thenRun(child::cancel);
    return child;
  }

  public boolean isCancelled() {
    return cancelled.isDone();
  }

  /** Completes when cancelled; for waiting on cancellation together with other events. */
  public CompletableFuture<Void> future() {
    return cancelled;
  }
}

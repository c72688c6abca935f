package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The engine's sense of time: the clock its events and durations read, and the timers behind
 * stage timeouts and retry backoffs. Tests give the engine a scheduler whose time they move
 * themselves, so that an hour's backoff passes at once; processes themselves always run in real
 * time.
 */
public interface Scheduler {

  /** The clock events and durations are read from. */
  Clock clock();

  /** Runs {@code task} once {@code delay} has passed; the returned handle cancels it. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that has not run yet may be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** Real time: the system clock, and one daemon thread for timers. */
  static Scheduler system() {
    return SystemScheduler.INSTANCE;
  }

  /** The system scheduler. */
  final class SystemScheduler implements Scheduler {
    static final SystemScheduler INSTANCE = new SystemScheduler();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "otto-timers");
      thread.setDaemon(true);
      return thread;
    });

    private SystemScheduler() {}

    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      requireNonNull(delay, "delay");
      requireNonNull(task, "task");
      ScheduledFuture<?> future = timers.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    }
  }
}

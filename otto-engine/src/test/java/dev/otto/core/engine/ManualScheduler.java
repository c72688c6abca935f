package dev.otto.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A scheduler whose time moves only when a test advances it. */
final class ManualScheduler implements Scheduler {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final List<Timer> timers = new ArrayList<>();

  private static final class Timer {
    final Instant due;
    final Runnable task;
    boolean cancelled;

    Timer(Instant due, Runnable task) {
      this.due = due;
      this.task = task;
    }
  }

  @Override
  public synchronized Clock clock() {
    ManualScheduler self = this;
    return new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        synchronized (self) {
          return self.now;
        }
      }
    };
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Timer timer = new Timer(now.plus(delay), task);
    timers.add(timer);
    return () -> {
      synchronized (ManualScheduler.this) {
        timer.cancelled = true;
      }
    };
  }

  /** The number of timers waiting. */
  synchronized int pending() {
    return (int) timers.stream().filter(t -> !t.cancelled && t.due.isAfter(now.minusNanos(1))).count();
  }

  /** Moves time on by {@code duration}, running every timer that falls due. */
  void advance(Duration duration) {
    List<Runnable> due = new ArrayList<>();
    synchronized (this) {
      now = now.plus(duration);
      for (Timer timer : new ArrayList<>(timers)) {
        if (!timer.cancelled && !timer.due.isAfter(now)) {
          timers.remove(timer);
          due.add(timer.task);
        }
      }
    }
    due.forEach(Runnable::run);
  }
}

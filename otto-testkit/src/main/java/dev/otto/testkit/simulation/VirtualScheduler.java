package dev.otto.testkit.simulation;

import static java.util.Objects.requireNonNull;

import dev.otto.core.engine.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An engine's time that moves only when a test moves it: {@link #advance} runs every timer that
 * falls due, in the order they fall due, so an hour's approval window or a day of polling passes
 * at once and the same way every time.
 *
 * <pre>{@code
 * VirtualScheduler time = VirtualScheduler.at(Instant.parse("2026-01-01T00:00:00Z"));
 * LocalEngine engine = LocalEngine.builder(root).scheduler(time).build();
 * time.advance(Duration.ofHours(24));
 * }</pre>
 */
public final class VirtualScheduler implements Scheduler {
  private Instant now;
  private long sequence;
  private final List<Timer> timers = new ArrayList<>();
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now();
    }
  };

  private VirtualScheduler(Instant start) {
    this.now = start;
  }

  /** Virtual time starting at {@code start}. */
  public static VirtualScheduler at(Instant start) {
    return new VirtualScheduler(requireNonNull(start, "start"));
  }

  private static final class Timer {
    final Instant due;
    final long order;
    final Runnable task;
    boolean cancelled;

    Timer(Instant due, long order, Runnable task) {
      this.due = due;
      this.order = order;
      this.task = task;
    }
  }

  @Override
  public Clock clock() {
    return clock;
  }

  /** The virtual time now. */
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    requireNonNull(delay, "delay");
    requireNonNull(task, "task");
    Timer timer = new Timer(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
    timers.add(timer);
    return () -> {
      synchronized (VirtualScheduler.this) {
        timer.cancelled = true;
        timers.remove(timer);
      }
    };
  }

  /** When the next timer falls due, if any is waiting. */
  public synchronized java.util.Optional<Instant> nextDue() {
    return timers.stream().filter(t -> !t.cancelled).map(t -> t.due).min(Comparator.naturalOrder());
  }

  /**
   * Moves time on by {@code duration}: each timer that falls due runs, at its due time, in order;
   * timers it schedules run too when they fall due before the end.
   */
  public void advance(Duration duration) {
    requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward; " + duration + " is negative");
    }
    Instant end;
    synchronized (this) {
      end = now.plus(duration);
    }
    while (true) {
      Timer next;
      synchronized (this) {
        next = timers.stream().filter(t -> !t.cancelled && !t.due.isAfter(end))
            .min(Comparator.comparing((Timer t) -> t.due).thenComparingLong(t -> t.order)).orElse(null);
        if (next == null) {
          now = end;
          return;
        }
        timers.remove(next);
        if (next.due.isAfter(now)) {
          now = next.due;
        }
      }
      next.task.run();
    }
  }
}

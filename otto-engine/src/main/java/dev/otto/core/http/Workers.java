package dev.otto.core.http;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of an {@link EngineEndpoint}: a bounded pool whose reads from clients have
 * deadlines.
 *
 * <p>The JDK's server reads a request's line and headers on the thread that handles it, and
 * blocks while the client sends nothing; the handler then reads the body the same way. A client
 * that stalls holds its thread. Each task therefore runs with a {@link Watch}: while the thread
 * reads from (or writes to) the client, a deadline is set, and when it passes the reaper
 * interrupts the thread. A socket channel closes when a thread blocked on it is interrupted, so
 * the read fails, the server drops that connection, and the thread is free again.
 *
 * <pre>
 *   task starts ──headers──▶ handler ──body──▶ engine call ──answer──▶ task ends
 *               headerTimeout          bodyTimeout   (no deadline)   bodyTimeout
 * </pre>
 *
 * <p>No interrupt ever reaches the engine: a watch interrupts only under its lock while a
 * deadline is set, and {@link Watch#working()} clears the deadline under that lock before the
 * handler calls the engine (whose journal is a file channel, which an interrupt would close).
 */
final class Workers implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(Workers.class);
  private static final ThreadLocal<Watch> CURRENT = new ThreadLocal<>();

  private final ThreadPoolExecutor pool;
  private final ScheduledThreadPoolExecutor reaper;
  private final Duration headerTimeout;

  /**
   * {@code threads} handle requests, up to {@code queued} more wait for one; beyond that a new
   * connection is closed at once, which the JDK's server does when its executor refuses a task.
   */
  Workers(int threads, int queued, Duration headerTimeout) {
    this.headerTimeout = headerTimeout;
    AtomicInteger count = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued),
        task -> daemon(task, "otto-http-" + count.incrementAndGet()));
    pool.allowCoreThreadTimeOut(true);
    this.reaper = new ScheduledThreadPoolExecutor(1, task -> daemon(task, "otto-http-reaper"));
    reaper.setRemoveOnCancelPolicy(true);
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  /** Runs one exchange of the JDK's server; its request's line and headers are due within the header timeout. */
  @Override
  public void execute(Runnable exchange) {
    try {
      pool.execute(() -> watched(exchange));
    } catch (RejectedExecutionException e) {
      LOG.warn("the endpoint is busy ({} requests in progress, {} waiting): a new connection is closed",
          pool.getActiveCount(), pool.getQueue().size());
      throw e;
    }
  }

  private void watched(Runnable exchange) {
    Watch watch = new Watch(Thread.currentThread());
    CURRENT.set(watch);
    try {
      watch.reading(headerTimeout);
      exchange.run();
    } finally {
      watch.finish();
      CURRENT.remove();
    }
  }

  /** The watch of the exchange the calling thread runs. */
  static Watch current() {
    Watch watch = CURRENT.get();
    if (watch == null) {
      throw new IllegalStateException("not on a thread of the endpoint's workers");
    }
    return watch;
  }

  /**
   * Stops taking exchanges. Tasks in progress finish (an engine call is never interrupted);
   * their reads fail as soon as the server has closed their connections.
   */
  void shutdown() {
    pool.shutdown();
    reaper.shutdown();
  }

  /** The deadline of one thread's current read or write, and the reaper's right to interrupt it. */
  final class Watch {
    private final Thread thread;
    private ScheduledFuture<?> deadline;
    /** Which deadline is current; a reaper task for an older one does nothing. */
    private long generation;
    private boolean reaped;

    private Watch(Thread thread) {
      this.thread = thread;
    }

    /**
     * Gives the client {@code limit} to send (or take) what comes next.
     *
     * @return false when an earlier deadline passed or the endpoint is closing: the connection is
     *     closed or closing, and the exchange should end
     */
    synchronized boolean reading(Duration limit) {
      clear();
      if (reaped) {
        return false;
      }
      long mine = generation;
      try {
        deadline = reaper.schedule(() -> reap(mine), limit.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // the endpoint is closing: its server has closed the connections
        return false;
      }
      return true;
    }

    /**
     * Clears the deadline: no interrupt comes after this returns.
     *
     * @return false when the deadline passed first; the exchange must then end without calling
     *     the engine
     */
    synchronized boolean working() {
      clear();
      return !reaped;
    }

    private synchronized void reap(long which) {
      if (which == generation && deadline != null) {
        reaped = true;
        deadline = null;
        LOG.debug("a client took too long to send its request or take its answer; its connection is closed");
        thread.interrupt();
      }
    }

    private void clear() {
      generation++;
      if (deadline != null) {
        deadline.cancel(false);
        deadline = null;
      }
    }

    /** Ends the exchange: clears the deadline and any interrupt it caused, so the thread is clean for the next one. */
    private void finish() {
      working();
      Thread.interrupted();
    }
  }
}

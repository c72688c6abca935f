package dev.otto.core.executor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shells that host one stage after another: a stage's shell is a child that a running shell
 * starts ({@link ShellSession#enter}), so a stage costs one fork and exec of the shell instead of
 * a process spawned from the JVM with its own reader thread. A host is kept for the next stage
 * when its stage has ended cleanly and nothing it started is left; a host that served a stage
 * that timed out, was cancelled or broke is stopped with it, never kept. At most {@code max}
 * hosts wait, each for at most {@link #KEEP_IDLE}, then it ends.
 *
 * <p>A host carries no stage's cookie and no secret: only the variables of the executor's
 * processes. The stage's shell, its child, carries the stage's cookie, as a shell of its own
 * would, so what the stage starts carries it too.
 */
final class StageShells {
  private static final Logger LOG = LoggerFactory.getLogger(StageShells.class);
  /** How long a host with no stage is kept. */
  static final Duration KEEP_IDLE = Duration.ofSeconds(30);
  /** How long a host may take to answer; it answers at once unless the machine is starved. */
  private static final Duration ANSWER = Duration.ofSeconds(10);

  private final List<String> command;
  private final Map<String, String> env;
  private final String program;
  private final int maxLineBytes;
  private final int max;
  private final boolean ownGroup;
  /** The hosts waiting for a stage, the most recently used first. */
  private final ConcurrentLinkedDeque<Waiting> idle = new ConcurrentLinkedDeque<>();

  /** A host waiting for a stage since a moment of {@link System#nanoTime()}: each wait is another. */
  private record Waiting(Host host, long since) {}

  /** A host serving a stage, and its own cookie, which only it carries. */
  record Host(ShellSession shell, String cookie) {}

  /**
   * @param command the command that starts a host ({@code setsid /bin/sh -s})
   * @param ownGroup whether that command gives the host a process group of its own
   * @param env the host's environment, which the stages' shells inherit
   * @param program the shell a stage's shell runs, {@code /bin/sh}
   */
  StageShells(List<String> command, boolean ownGroup, Map<String, String> env, String program, int maxLineBytes,
      int max) {
    this.command = List.copyOf(command);
    this.ownGroup = ownGroup;
    this.env = Map.copyOf(env);
    this.program = program;
    this.maxLineBytes = maxLineBytes;
    this.max = max;
  }

  /**
   * A host whose child is now the shell of a stage, in {@code directory}, with {@code cookie}
   * ({@code NAME=value}) in its environment.
   *
   * @throws IOException if no shell could be started, or the directory could not be entered
   */
  Host enter(Path directory, String variable, String cookie) throws IOException {
    for (Waiting waiting; (waiting = idle.pollFirst()) != null; ) {
      Host host = waiting.host();
      if (!host.shell().isAlive()) {
        stop(host);
        continue;
      }
      try {
        return enter(host, directory, variable, cookie);
      } catch (NotEntered e) {
        throw e;
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw e;
        }
        // A kept shell that ended or stopped answering as the stage began, now stopped: another serves the stage.
        LOG.debug("a kept shell could not start a stage's shell: {}", e.getMessage());
      }
    }
    String own = "host:" + java.util.UUID.randomUUID();
    Map<String, String> hostEnv = new java.util.LinkedHashMap<>(env);
    hostEnv.put(variable, own);
    return enter(new Host(new ShellSession(command, hostEnv, Path.of("/"), maxLineBytes), variable + "=" + own),
        directory, variable, cookie);
  }

  private Host enter(Host host, Path directory, String variable, String cookie) throws IOException {
    boolean entered;
    try {
      entered = host.shell().enter(program, directory, variable, cookie, ANSWER);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(host);
      throw new IOException("interrupted while the stage's shell started", e);
    } catch (TimeoutException e) {
      stop(host);
      throw new IOException("the shell did not answer within " + ANSWER.toSeconds() + " seconds", e);
    } catch (IOException e) {
      stop(host);
      throw e;
    }
    if (!entered) {
      // The host answered that it could not enter the directory, and is ready for another stage.
      keep(host);
      throw new NotEntered("could not enter " + directory);
    }
    return host;
  }

  /** The stage's folder could not be entered: no other shell would do better. */
  private static final class NotEntered extends IOException {
    private static final long serialVersionUID = 1L;

    NotEntered(String message) {
      super(message);
    }
  }

  /**
   * Ends the stage's shell of {@code host}, which runs no step, and keeps the host for the next
   * stage if it is ready for one; returns whether the stage's shell ended when asked. The caller
   * stops what the stage left running once this returns, before another stage can use the host.
   */
  boolean leave(Host host) {
    try {
      return host.shell().leave(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Keeps a host that left its stage cleanly, unless enough wait already, or something the stage
   * started is still in the host's process group or session: a process that cleared its
   * environment of the stage's cookie, or overwrote it, would write into the next stage's output.
   * Such a host is stopped, with its group; so is one whose group cannot be looked into (no
   * {@code setsid}, or no /proc). Returns how many such processes there were.
   */
  int keep(Host host) {
    if (!ownGroup || !host.shell().isAlive() || !host.shell().idle() || idle.size() >= max) {
      stop(host);
      return 0;
    }
    int left = ProcessTree.othersInGroup(host.shell().process().pid());
    if (left != 0) {
      stop(host);
      return Math.max(0, left);
    }
    Waiting waiting = new Waiting(host, System.nanoTime());
    idle.offerFirst(waiting);
    CompletableFuture.delayedExecutor(KEEP_IDLE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (idle.remove(waiting)) {
        stop(waiting.host());
      }
    });
    return 0;
  }

  /** Ends a host that cannot be trusted with another stage, and every process in its group and of its own. */
  void stop(Host host) {
    host.shell().close();
    ProcessTree.kill(host.shell().process().toHandle(), ownGroup, host.cookie());
    LOG.debug("stopped the host shell {}", host.shell().process().pid());
  }
}

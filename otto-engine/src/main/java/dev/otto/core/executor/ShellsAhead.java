package dev.otto.core.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage's shell started ahead, for the local executor outside a sandbox. Starting a shell from
 * the JVM takes milliseconds (a helper, {@code setsid} and the shell to execute), more than a short
 * step, and stages of a run start one after the other; so while one stage opens, the next one's
 * shell starts in the background, in the same workspace, with the shell's environment but no
 * session cookie. The stage that takes it has it export the cookie and execute itself again
 * ({@link ShellSession#adopt}): the same process, session and working directory, with the
 * environment a shell started for the stage would have had. A shell no stage takes within a
 * second ends. Only where a process's working directory can be checked (Linux): a workspace
 * removed and made again at the same path must not get a shell that started in the old one.
 */
final class ShellsAhead {
  private static final Logger LOG = LoggerFactory.getLogger(ShellsAhead.class);
  private static final long UNUSED_MILLIS = 1000;
  /** Whether a shell's working directory can be checked (Linux): elsewhere no shell is started ahead. */
  private static final boolean CWD_KNOWN = Files.isDirectory(Path.of("/proc/self/cwd"));

  /** Starts shells ahead and ends unused ones, for every executor. */
  private static final ScheduledExecutorService STARTER = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "otto-shell-ahead");
    thread.setDaemon(true);
    return thread;
  });

  /** Starts a shell without a cookie in a workspace. */
  interface Starter {
    ShellSession start(Path workspace);
  }

  private final Starter starter;
  private ShellSession ready;
  private Path readyIn;
  private boolean starting;

  ShellsAhead(Starter starter) {
    this.starter = starter;
  }

  /** The shell started ahead in {@code workspace}, or null when there is none. */
  ShellSession take(Path workspace) {
    if (!CWD_KNOWN) {
      return null;
    }
    synchronized (this) {
      ShellSession taken = null;
      if (ready != null) {
        if (readyIn.equals(workspace) && ready.isAlive() && startedIn(ready, workspace)) {
          taken = ready;
        } else {
          end(ready);
        }
        ready = null;
      }
      return taken;
    }
  }

  /**
   * Starts a shell in {@code workspace} in the background for the next stage, unless one is ready
   * or starting. Called once a stage has its shell, so that starting the next does not take the
   * processor from the stage's first step.
   */
  void prepare(Path workspace) {
    if (!CWD_KNOWN) {
      return;
    }
    synchronized (this) {
      if (ready != null || starting) {
        return;
      }
      starting = true;
    }
    STARTER.execute(() -> startAhead(workspace));
  }

  /**
   * Whether the shell's working directory is the workspace itself, not one removed and made again
   * at its path since the shell started there.
   */
  private static boolean startedIn(ShellSession shell, Path workspace) {
    try {
      return Files.isSameFile(Path.of("/proc/" + shell.process().pid() + "/cwd"), workspace);
    } catch (IOException e) {
      return false;
    }
  }

  private void startAhead(Path workspace) {
    ShellSession shell = null;
    try {
      shell = starter.start(workspace);
    } catch (RuntimeException e) {
      LOG.debug("could not start a shell ahead in {}: {}", workspace, e.toString());
    }
    synchronized (this) {
      starting = false;
      if (shell == null) {
        return;
      }
      if (ready != null) {
        end(ready);
      }
      ready = shell;
      readyIn = workspace;
    }
    ShellSession started = shell;
    STARTER.schedule(() -> endUnused(started), UNUSED_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void endUnused(ShellSession shell) {
    synchronized (this) {
      if (ready != shell) {
        return;
      }
      ready = null;
    }
    end(shell);
  }

  /** Ends a shell no stage took: it ran nothing, so closing its input ends it. */
  static void end(ShellSession shell) {
    shell.close();
  }
}

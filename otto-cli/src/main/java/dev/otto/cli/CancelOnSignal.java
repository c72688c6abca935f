package dev.otto.cli;

import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Cancels the run this command hosts on Ctrl-C (SIGINT) or SIGTERM, as a build tool does: the
 * run's processes are stopped and the summary printed, and the command exits with 128 plus the
 * signal's number (130, 143), so that a script sees it was interrupted. Without this the JVM
 * would exit at once and leave the steps' processes running in their own sessions, out of the
 * terminal's reach. A second signal ends the command at once, with what still runs left to
 * {@code otto resume}, which stops it.
 *
 * <p>SIGHUP keeps the JVM's default: a closed terminal ends the command as a dying host would,
 * and {@code otto resume} takes the run over. A signal this process was started ignoring (as a
 * shell's background jobs ignore SIGINT) stays ignored.
 */
final class CancelOnSignal implements AutoCloseable {
  private static final List<String> SIGNALS = List.of("INT", "TERM");

  private final PrintStream err;
  /** The command line that resumes a run, by its id: the folder and all, as the user types it. */
  private final Function<String, String> resumeCommand;
  private final AtomicInteger received = new AtomicInteger();
  private final List<Signal> installed = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();
  /** The run, once it has started; a signal before then cancels it as soon as it has. */
  private RunHandle run;

  private CancelOnSignal(PrintStream err, Function<String, String> resumeCommand) {
    this.err = err;
    this.resumeCommand = resumeCommand;
  }

  /**
   * Cancels the run {@link #cancels} names when this process is asked to stop, until closed.
   * Installed before the run starts, so that a signal while its workspace is made is not lost.
   * {@code resumeCommand} gives the command that resumes a run, by its id, which a second signal
   * names: {@code otto resume RUN DIR}.
   */
  static CancelOnSignal install(PrintStream err, Function<String, String> resumeCommand) {
    CancelOnSignal cancel = new CancelOnSignal(err, resumeCommand);
    for (String name : SIGNALS) {
      try {
        Signal signal = new Signal(name);
        SignalHandler before = Signal.handle(signal, cancel::received);
        if (before == SignalHandler.SIG_IGN) {
          // Ignored when this process started: it stays so.
          Signal.handle(signal, before);
          continue;
        }
        cancel.installed.add(signal);
        cancel.previous.add(before);
      } catch (IllegalArgumentException unavailable) {
        // Not a signal of this system, or one the JVM keeps for itself (-Xrs): its default stays.
      }
    }
    return cancel;
  }

  /** The run to cancel, once started; cancels it at once when a signal came while it started. */
  synchronized void cancels(RunHandle started) {
    this.run = started;
    if (received.get() != 0) {
      started.cancel();
    }
  }

  private synchronized void received(Signal signal) {
    if (run != null && run.result().isDone()) {
      // The run has ended: its summary is on its way, and the exit code is the run's.
      return;
    }
    if (received.compareAndSet(0, signal.getNumber())) {
      err.println();
      err.println("otto: SIG" + signal.getName() + ": " + (run == null
          ? "the run's workspace is being made; the run is cancelled as soon as it starts"
          : "cancelling run " + run.id() + " and stopping its processes") + " (again to leave at once)");
      err.flush();
      if (run != null) {
        run.cancel();
      }
      return;
    }
    err.println(leavingNote(signal.getName()));
    err.flush();
    Runtime.getRuntime().halt(128 + signal.getNumber());
  }

  /**
   * What a second signal says as the command leaves at once: the command that takes the run up
   * again, with its folder, as the restart hint after a run names it.
   */
  synchronized String leavingNote(String signal) {
    return "otto: SIG" + signal + " again: leaving now" + (run == null ? "" : "; to take the run up again and stop "
        + "what it left running: " + resumeCommand.apply(run.id()) + " (with the options given here)");
  }

  /**
   * 128 plus the number of the signal that cancelled the run, when one did and the run ended
   * cancelled; else the run's own {@code code}.
   */
  int exitCode(RunResult result, int code) {
    int signal = received.get();
    return signal != 0 && result.status() == RunResult.Status.CANCELLED ? 128 + signal : code;
  }

  @Override
  public void close() {
    for (int i = 0; i < installed.size(); i++) {
      Signal.handle(installed.get(i), previous.get(i));
    }
  }
}

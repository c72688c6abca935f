package dev.otto.cli;

import dev.otto.core.engine.RunHandle;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

  private final RunHandle run;
  private final PrintStream err;
  private final AtomicInteger received = new AtomicInteger();
  private final List<Signal> installed = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();

  private CancelOnSignal(RunHandle run, PrintStream err) {
    this.run = run;
    this.err = err;
  }

  /** Cancels {@code run} when this process is asked to stop, until closed. */
  static CancelOnSignal install(RunHandle run, PrintStream err) {
    CancelOnSignal cancel = new CancelOnSignal(run, err);
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

  private void received(Signal signal) {
    if (received.compareAndSet(0, signal.getNumber())) {
      err.println();
      err.println("otto: SIG" + signal.getName() + ": cancelling run " + run.id() + " and stopping its processes "
          + "(again to leave at once)");
      err.flush();
      run.cancel();
      return;
    }
    err.println("otto: SIG" + signal.getName() + " again: leaving now; 'otto resume " + run.id()
        + "' stops what the run left running");
    err.flush();
    Runtime.getRuntime().halt(128 + signal.getNumber());
  }

  /** 128 plus the number of the signal that cancelled the run, or {@code otherwise} when none did. */
  int exitCode(int otherwise) {
    int signal = received.get();
    return signal == 0 ? otherwise : 128 + signal;
  }

  @Override
  public void close() {
    for (int i = 0; i < installed.size(); i++) {
      Signal.handle(installed.get(i), previous.get(i));
    }
  }
}

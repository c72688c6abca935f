package dev.otto.cli;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps an Ottofile from ending the command with an exit status of its own choosing. An Ottofile
 * only builds a pipeline; one that calls {@code System.exit(0)} while it does would make
 * {@code otto validate} report success for a pipeline nobody looked at. While an Ottofile's
 * {@code pipeline()} runs, a shutdown hook stands by: if the JVM starts to exit then, the hook
 * says why and halts with the "could not be loaded" status instead.
 */
final class ExitGuard {
  /** The Ottofile being loaded, or null: what the hook reads when the JVM exits. */
  private static final AtomicReference<Path> LOADING = new AtomicReference<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Path ottofile = LOADING.get();
      if (ottofile != null) {
        System.err.println("otto: " + ottofile + " ended the process (System.exit or Runtime.halt) while its pipeline "
            + "was being built; an Ottofile only builds and returns a Pipeline");
        System.err.flush();
        Runtime.getRuntime().halt(ExitCodes.CANNOT_RUN);
      }
    }, "otto-exit-guard"));
  }

  private ExitGuard() {}

  /** What a guarded call returns or throws. */
  @FunctionalInterface
  interface Call<T> {
    T call() throws ReflectiveOperationException;
  }

  static <T> T around(Path ottofile, Call<T> call) throws ReflectiveOperationException {
    LOADING.set(ottofile);
    try {
      return call.call();
    } finally {
      LOADING.set(null);
    }
  }
}

package dev.otto.core.engine;

/**
 * Receives a run's events. Called from the engine's threads, one event at a time per run, in the
 * order they happened; a listener that throws is logged and does not stop the run.
 *
 * <p>A listener never holds up a step: output lines reach it from a queue on a thread of the
 * engine's. A listener that falls more than 16 MiB of output behind misses the lines that arrive
 * meanwhile and is then given a {@link RunEvent.Warning} saying how many it missed. Other events
 * are never dropped; the run's result completes after every listener has had the run's events.
 */
@FunctionalInterface
public interface RunListener {
  void onEvent(RunEvent event);
}

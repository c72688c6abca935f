package dev.otto.core.engine;

/**
 * Receives a run's events. Called from the engine's threads, one event at a time per run; a
 * listener that throws is logged and does not stop the run. A stage's events, and a step's, come
 * in the order they happened; those of parallel stages interleave as they reach the engine, so an
 * event may carry a time a few milliseconds before that of another stage's event delivered ahead
 * of it.
 *
 * <p>A listener never holds up a step: output lines reach it from a queue on a thread of the
 * engine's. While listeners are more than 8 MiB of output behind, further lines are spooled to a
 * file of the run's folder and read back in order, so no line is lost and memory stays bounded.
 * The run's result completes after every listener has had the run's events.
 */
@FunctionalInterface
public interface RunListener {
  void onEvent(RunEvent event);
}

package dev.otto.core.engine;

/**
 * Receives a run's events. Called from the engine's threads, one event at a time per run; a
 * listener that throws is logged and does not stop the run.
 */
@FunctionalInterface
public interface RunListener {
  void onEvent(RunEvent event);
}

package dev.otto.core.executor;

import dev.otto.core.model.Runtime;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs the processes of stages whose runtime it supports. An executor never sees the pipeline:
 * it gets one planned process at a time, with the values of exactly the secrets that process
 * binds.
 */
public interface Executor {

  /** A short name for explain and events, e.g. {@code local}. */
  String name();

  /** Empty when this executor can run stages of {@code runtime}; otherwise why not, in a sentence. */
  Optional<String> whyNot(Runtime runtime);

  /**
   * Runs one process to its end. Every line it prints goes to {@code lines}, with secrets
   * already masked, from a thread of the executor's.
   */
  ProcessOutcome run(ProcessRequest request, Consumer<String> lines, Cancellation cancellation);

  /** Stops every process still running from requests of {@code session}; returns how many. */
  default int endSession(String session) {
    return 0;
  }
}

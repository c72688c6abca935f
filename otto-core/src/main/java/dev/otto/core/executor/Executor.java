package dev.otto.core.executor;

import dev.otto.core.model.Runtime;
import java.util.List;
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

  /**
   * Which of {@code executors} runs stages of {@code runtime}: the first that can; else, for a
   * container when {@code localFallback} allows it, the first that runs local processes. An
   * executor chosen as the fallback answers {@link #whyNot} for the runtime with a reason.
   */
  static Optional<Executor> choose(List<Executor> executors, Runtime runtime, boolean localFallback) {
    Optional<Executor> direct = executors.stream().filter(e -> e.whyNot(runtime).isEmpty()).findFirst();
    if (direct.isPresent() || !(runtime instanceof Runtime.Container) || !localFallback) {
      return direct;
    }
    return executors.stream().filter(e -> e.whyNot(Runtime.local()).isEmpty()).findFirst();
  }

  /** Stops every process still running from requests of {@code session}; returns how many. */
  default int endSession(String session) {
    return 0;
  }
}

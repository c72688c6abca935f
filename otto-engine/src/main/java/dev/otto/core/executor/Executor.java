package dev.otto.core.executor;

import dev.otto.core.model.Runtime;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs the processes of stages whose runtime it supports. An executor never sees the pipeline:
 * it gets one planned process at a time, with the values of exactly the secrets that process
 * binds to deliver, and those of the secrets the run gave before, to mask only
 * ({@link ProcessRequest#masked()}).
 */
public interface Executor {

  /** A short name for explain and events, e.g. {@code local}. */
  String name();

  /** Empty when this executor can run stages of {@code runtime}; otherwise why not, in a sentence. */
  Optional<String> whyNot(Runtime runtime);

  /**
   * Runs one process to its end. Every line it prints goes to {@code lines}, from a thread of the
   * executor's; the outcome's detail says how it ended. Unless the executor {@linkplain
   * #masksOutput masks them itself}, the engine masks both before anyone sees them.
   */
  ProcessOutcome run(ProcessRequest request, Consumer<String> lines, Cancellation cancellation);

  /**
   * Whether this executor masks what it hands to {@code lines}, and its outcome's detail, itself,
   * with every secret of the request ({@link ProcessRequest#allMasked()}), as the built-in
   * executors do while they read the process's bytes. False by default: the engine then masks
   * each line and the detail, reading the lines as one stream (a secret wrapped over lines is
   * found too), so an executor of a host's own never lets a secret through by forgetting to.
   * An executor that answers true takes that duty on.
   */
  default boolean masksOutput() {
    return false;
  }

  /**
   * Starts one process and gives its outcome when it ends. The engine calls this, from a thread of
   * its pool. By default the process runs to its end here, with {@link #run}; an executor whose
   * processes end later without holding a thread (a simulation's, in virtual time) completes the
   * outcome then, and ends it early with a cancelled outcome when {@code cancellation} fires.
   */
  default java.util.concurrent.CompletionStage<ProcessOutcome> start(ProcessRequest request, Consumer<String> lines,
      Cancellation cancellation) {
    return java.util.concurrent.CompletableFuture.completedFuture(run(request, lines, cancellation));
  }

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

  /**
   * How processes of stages of {@code runtime} are kept apart from the host, in a phrase for
   * explain, e.g. {@code sandbox (bubblewrap: read-only host, no network, own PIDs)}; empty when
   * the executor does not say.
   */
  default Optional<String> isolation(Runtime runtime) {
    return Optional.empty();
  }

  /**
   * Looks for {@code tools} where this executor runs processes, before a run: for each, where it
   * is and its version, or that it is missing. Empty when this executor does not look, as for
   * containers, whose image brings its own tools.
   */
  default Optional<List<Tool>> findTools(List<String> tools) {
    return Optional.empty();
  }

  /**
   * A tool a stage requires, as an executor found it.
   *
   * @param name the command, e.g. {@code go}
   * @param path where the command is, e.g. {@code /usr/bin/go}; empty when it is missing
   * @param version its version, e.g. {@code 1.22.2}, from the first line of {@code go --version}
   *     (or {@code go version}); empty when missing or when that line holds no version number
   */
  record Tool(String name, Optional<String> path, Optional<String> version) {
    public Tool {
      java.util.Objects.requireNonNull(name, "name");
      java.util.Objects.requireNonNull(path, "path");
      java.util.Objects.requireNonNull(version, "version");
    }

    public boolean found() {
      return path.isPresent();
    }

    /** For events, e.g. {@code go 1.22.2 (/usr/bin/go)}, or {@code go (missing)}. */
    public String describe() {
      return name + version.map(v -> " " + v).orElse("") + " (" + path.orElse("missing") + ")";
    }
  }

  /** Stops every process still running from requests of {@code session}; returns how many. */
  default int endSession(String session) {
    return 0;
  }
}

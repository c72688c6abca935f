package dev.otto.testkit.simulation;

import dev.otto.core.executor.Cancellation;
import dev.otto.core.executor.Executor;
import dev.otto.core.executor.ProcessOutcome;
import dev.otto.core.executor.ProcessRequest;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.secret.SecretMasker;
import dev.otto.core.secret.SecretValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * An executor that runs nothing: each process does what the matching {@link StepScript} says
 * (the last one declared that matches), in virtual time, and is recorded as an
 * {@link Execution}. A process that takes time holds no thread: it ends when the virtual clock
 * reaches its end, so parallel stages overlap, and a stop (the run's, or its stage's) ends it
 * early, cancelled. It runs every runtime: containers and agents need no machine here.
 */
final class FakeExecutor implements Executor {
  private final VirtualScheduler time;
  /** The engine's tasks: a process that takes no time ends after the tasks queued before it began. */
  private final java.util.concurrent.Executor queue;
  private final List<StepScript> scripts;
  private final List<Execution> executions = new ArrayList<>();
  private final Map<StepScript, Integer> attempts = new java.util.IdentityHashMap<>();
  /** Processes that take time and have not ended, by session. */
  private final List<Running> running = new ArrayList<>();

  /** A process taking its time. */
  private record Running(String session, CompletableFuture<ProcessOutcome> outcome,
      VirtualScheduler.Cancellable[] timer) {
    void end(ProcessOutcome how) {
      if (timer[0] != null) {
        timer[0].cancel();
      }
      outcome.complete(how);
    }
  }

  FakeExecutor(VirtualScheduler time, List<StepScript> scripts, java.util.concurrent.Executor queue) {
    this.time = time;
    this.scripts = scripts;
    this.queue = queue;
  }

  /** Masks the lines a script prints with every secret of the request. */
  @Override
  public boolean masksOutput() {
    return true;
  }

  @Override
  public String name() {
    return "simulated";
  }

  @Override
  public Optional<String> whyNot(Runtime runtime) {
    return Optional.empty();
  }

  synchronized List<Execution> executions() {
    return List.copyOf(executions);
  }

  /** Whether a process is taking its time. */
  synchronized boolean busy() {
    return !running.isEmpty();
  }

  /** Runs a process to its end at once, moving virtual time on by what it takes. */
  @Override
  public ProcessOutcome run(ProcessRequest request, Consumer<String> lines, Cancellation cancellation) {
    CompletableFuture<ProcessOutcome> outcome = process(request, lines, cancellation, false);
    while (!outcome.isDone()) {
      time.advance(Duration.between(time.now(), time.nextDue().orElseThrow()));
    }
    return outcome.join();
  }

  @Override
  public CompletionStage<ProcessOutcome> start(ProcessRequest request, Consumer<String> lines,
      Cancellation cancellation) {
    return process(request, lines, cancellation, true);
  }

  /**
   * Runs a process in virtual time. With {@code alongside}, one that takes no time ends once the
   * engine's tasks queued before it have run: the ops a run asks for at one instant all start at
   * that instant, as on an engine with a thread for each, though the simulation runs its tasks
   * one after another.
   */
  private CompletableFuture<ProcessOutcome> process(ProcessRequest request, Consumer<String> lines,
      Cancellation cancellation, boolean alongside) {
    Op.RunProcess op = request.op();
    if (op.guard() == Op.Guard.NORMAL && cancellation.future().isDone()) {
      // The run stopped after this step was started and before its turn came here: a real
      // process would have been running, and stopped.
      return CompletableFuture.completedFuture(stopped(Duration.ZERO));
    }
    String stage = request.extraEnv().getOrDefault("OTTO_STAGE", "");
    boolean probe = "0".equals(request.extraEnv().get("OTTO_STEP"));
    Execution.Kind kind = probe ? Execution.Kind.PROBE
        : op.guard() == Op.Guard.NORMAL ? Execution.Kind.STEP : Execution.Kind.NOTIFICATION;
    StepScript script = null;
    int exitCode;
    synchronized (this) {
      for (StepScript candidate : scripts) {
        if (candidate.matches(stage, op.label(), op.script(), kind)) {
          script = candidate;
        }
      }
      exitCode = script == null ? 0 : script.exitCode(attempts.merge(script, 1, Integer::sum));
      executions.add(new Execution(stage, kind, op.label(), op.script(), op.env(),
          op.secrets().stream().map(SecretBinding::secret).toList(), time.now(), exitCode));
    }
    SecretMasker.Builder masker = SecretMasker.builder();
    for (SecretValue value : request.allMasked().values()) {
      masker.add(value.name(), value.reveal());
    }
    SecretMasker mask = masker.build();
    if (script != null) {
      script.output().forEach(line -> lines.accept(mask.mask(line)));
      for (String file : script.files()) {
        java.nio.file.Path path = request.workspace().resolve(file);
        try {
          java.nio.file.Files.createDirectories(path.getParent());
          if (!java.nio.file.Files.exists(path)) {
            java.nio.file.Files.createFile(path);
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("the simulation could not create " + path, e);
        }
      }
    }
    Duration takes = script == null ? Duration.ZERO : script.takes();
    Optional<Duration> limit = op.timeout().filter(t -> t.compareTo(takes) < 0);
    ProcessOutcome ended = limit.isPresent()
        ? new ProcessOutcome(ProcessOutcome.Status.TIMED_OUT, OptionalInt.empty(), limit.get(),
            "timed out after " + limit.get())
        : new ProcessOutcome(exitCode == 0 ? ProcessOutcome.Status.SUCCEEDED : ProcessOutcome.Status.FAILED,
            OptionalInt.of(exitCode), takes, "exited with status " + exitCode);
    Duration lasts = limit.orElse(takes);
    if (lasts.isZero()) {
      if (!alongside) {
        return CompletableFuture.completedFuture(ended);
      }
      CompletableFuture<ProcessOutcome> after = new CompletableFuture<>();
      queue.execute(() -> after.complete(ended));
      return after;
    }
    Instant began = time.now();
    Running process = new Running(request.session().orElse(""), new CompletableFuture<>(),
        new VirtualScheduler.Cancellable[1]);
    synchronized (this) {
      running.add(process);
    }
    process.outcome().whenComplete((outcome, error) -> {
      synchronized (this) {
        running.remove(process);
      }
    });
    process.timer()[0] = time.schedule(lasts, () -> process.end(ended));
    if (!cancellation.future().isDone()) {
      cancellation.future().thenRun(() -> process.end(stopped(Duration.between(began, time.now()))));
    }
    return process.outcome();
  }

  private static ProcessOutcome stopped(Duration after) {
    return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), after, "stopped");
  }

  /** Stops the processes of a stage (its timeout, say) that are taking their time. */
  @Override
  public int endSession(String session) {
    List<Running> ending;
    synchronized (this) {
      ending = running.stream().filter(p -> p.session().equals(session)).toList();
    }
    ending.forEach(process -> process.end(stopped(Duration.ZERO)));
    return 0;
  }
}

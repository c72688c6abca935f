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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An executor that runs nothing: each process does what the matching {@link StepScript} says
 * (the last one declared that matches), in virtual time, and is recorded as an
 * {@link Execution}. It runs every runtime: containers and agents need no machine here.
 */
final class FakeExecutor implements Executor {
  private final VirtualScheduler time;
  private final List<StepScript> scripts;
  private final List<Execution> executions = new ArrayList<>();
  private final Set<String> running = new HashSet<>();
  private final Map<StepScript, Integer> attempts = new java.util.IdentityHashMap<>();
  private final Set<String> endedSessions = new HashSet<>();

  FakeExecutor(VirtualScheduler time, List<StepScript> scripts) {
    this.time = time;
    this.scripts = scripts;
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

  @Override
  public ProcessOutcome run(ProcessRequest request, Consumer<String> lines, Cancellation cancellation) {
    Op.RunProcess op = request.op();
    if (op.guard() == Op.Guard.NORMAL && cancellation.future().isDone()) {
      // The run stopped after this step was started and before its turn came here: a real
      // process would have been running, and stopped.
      return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), Duration.ZERO, "stopped");
    }
    String stage = request.extraEnv().getOrDefault("OTTO_STAGE", "");
    boolean probe = "0".equals(request.extraEnv().get("OTTO_STEP"));
    Execution.Kind kind = probe ? Execution.Kind.PROBE
        : op.guard() == Op.Guard.NORMAL ? Execution.Kind.STEP : Execution.Kind.NOTIFICATION;
    StepScript script = null;
    synchronized (this) {
      for (StepScript candidate : scripts) {
        if (candidate.matches(stage, op.label(), op.script(), kind)) {
          script = candidate;
        }
      }
    }
    int exitCode;
    synchronized (this) {
      exitCode = script == null ? 0 : script.exitCode(attempts.merge(script, 1, Integer::sum));
    }
    Instant at = time.now();
    synchronized (this) {
      executions.add(new Execution(stage, kind, op.label(), op.script(), op.env(),
          op.secrets().stream().map(SecretBinding::secret).toList(), at, exitCode));
    }
    SecretMasker.Builder masker = SecretMasker.builder();
    for (SecretValue value : request.secrets().values()) {
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
    String session = request.session().orElse(null);
    boolean cancelledBefore = cancellation.future().isDone();
    synchronized (this) {
      running.add(session);
    }
    time.advance(limit.orElse(takes));
    synchronized (this) {
      running.remove(session);
      if (endedSessions.remove(session) || !cancelledBefore && cancellation.future().isDone()) {
        return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), takes, "stopped");
      }
    }
    if (limit.isPresent()) {
      return new ProcessOutcome(ProcessOutcome.Status.TIMED_OUT, OptionalInt.empty(), limit.get(),
          "timed out after " + limit.get());
    }
    return new ProcessOutcome(exitCode == 0 ? ProcessOutcome.Status.SUCCEEDED : ProcessOutcome.Status.FAILED,
        OptionalInt.of(exitCode), takes, "exited with status " + exitCode);
  }

  /** Notes that a stage's processes were stopped (its timeout, say) while one of them ran. */
  @Override
  public synchronized int endSession(String session) {
    if (running.contains(session)) {
      endedSessions.add(session);
    }
    return 0;
  }
}

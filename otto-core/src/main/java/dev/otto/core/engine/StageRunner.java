package dev.otto.core.engine;

import dev.otto.core.executor.ProcessOutcome;
import dev.otto.core.executor.ProcessRequest;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.secret.SecretResolutionException;
import dev.otto.core.secret.SecretValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a started stage through its ops: runs processes (with their retries), carries out the
 * engine's own ops, and journals each outcome. It hands a stage back to its {@link Run} when the
 * stage waits, opens its children, or ends.
 */
final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

  private final Run run;

  StageRunner(Run run) {
    this.run = run;
  }

  /** Runs a stage's ops from its cursor until it ends, waits, or opens its children. */
  void execute(Cursor c) {
    PlannedStage stage = c.stage;
    try {
      while (c.index < stage.ops().size()) {
        Op op = stage.ops().get(c.index);
        if (op instanceof Op.AwaitChildren children) {
          run.openChildren(c, children);
          return;
        }
        boolean stop = run.isStopped(stage.id());
        boolean runs = op.guard().runs(c.failed, stop);
        if (!runs && stop && !c.failed && op.guard() == Op.Guard.NORMAL) {
          c.interrupted = true;
        }
        if (op instanceof Op.RunProcess process && (runs || c.attempt > 0)) {
          if (!runStep(c, process, stop)) {
            return;
          }
        } else if (op instanceof Op.RunProcess process) {
          if (op.guard() == Op.Guard.NORMAL) {
            run.emit(new RunEvent.StepSkipped(run.id(), run.now(), stage.id(), c.step + 1, process.label(),
                Reasons.stepSkipped(c.failed, run.isTimedOut(stage.id()))));
          }
          c.advance();
        } else if (!runs) {
          c.advance();
        } else if (op instanceof Op.Wait wait) {
          run.waitTable().open(c, wait);
          return;
        } else if (op instanceof Op.BeginStage || op instanceof Op.EndStage) {
          c.advance();
        } else {
          String problem = runOther(stage, op);
          if (problem != null && !c.failed) {
            c.failed = true;
            c.reason = problem;
          }
          recordOp(c, null);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("stage '{}' of run {} failed unexpectedly", stage.id(), run.id(), e);
      c.failed = true;
      c.reason = "the engine failed: " + e.getClass().getSimpleName();
    }
    run.finishStage(c);
  }

  /**
   * Journals the outcome of the cursor's op and moves past it. The entry is synced when the op had
   * an effect outside the workspace (a process, a notification, a saved cache, an artifact, a
   * wait's outcome): once the journal says it happened, it will not happen again. A process's
   * outcome is synced in the background while the next op starts, and is durable before the next
   * outcome is recorded; should the machine die in between, the process runs again on resume, as
   * an op in flight does.
   */
  void recordOp(Cursor c, RunResult.StepResult step, String... more) {
    String[] fields = {"stage", c.stage.id(), "op", String.valueOf(c.index), "failed", c.failed ? "1" : null,
        "interrupted", c.interrupted ? "1" : null, "reason", c.reason};
    if (step != null) {
      fields = concat(fields, "label", step.label(), "status", step.status().name(), "exit",
          step.exitCode().isPresent() ? String.valueOf(step.exitCode().getAsInt()) : null,
          "ms", String.valueOf(step.duration().toMillis()), "detail", step.detail());
    }
    Op op = c.stage.ops().get(c.index);
    if (c.durable != null) {
      c.durable.join();
      c.durable = null;
    }
    String entry = Entries.encode("op", concat(fields, more));
    if (op instanceof Op.RunProcess) {
      run.log().append(entry);
      c.durable = run.log().syncAsync();
    } else {
      run.journal(!(op instanceof Op.RestoreCache || op instanceof Op.RestoreArtifact || op instanceof Op.AwaitChildren),
          entry);
    }
    c.advance();
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** Runs one attempt of a step; returns false when a retry was scheduled instead of an outcome. */
  private boolean runStep(Cursor c, Op.RunProcess process, boolean stop) {
    PlannedStage stage = c.stage;
    int step = c.step + 1;
    if (c.attempt == 0) {
      c.stepStart = run.now();
      run.emit(new RunEvent.StepStarted(run.id(), c.stepStart, stage.id(), step, process.label()));
    }
    ProcessOutcome outcome = c.attempt > 0 && stop ? c.lastOutcome : attempt(c, step, process);
    if (!outcome.succeeded() && outcome.status() != ProcessOutcome.Status.CANCELLED && !run.isStopped(stage.id())
        && c.attempt < process.retries()) {
      c.attempt++;
      c.lastOutcome = outcome;
      Duration backoff = process.retryBackoff().multipliedBy(1L << Math.min(c.attempt - 1, 20));
      run.emit(new RunEvent.Warning(run.id(), run.now(), stage.id(), "step " + step + " '" + process.label() + "' "
          + outcome.detail() + "; retry " + c.attempt + " of " + process.retries() + " in " + backoff));
      later(c, backoff);
      return false;
    }
    c.attempt = 0;
    c.lastOutcome = null;
    RunResult.Status status = switch (outcome.status()) {
      case SUCCEEDED -> RunResult.Status.SUCCEEDED;
      case CANCELLED -> RunResult.Status.CANCELLED;
      default -> RunResult.Status.FAILED;
    };
    Duration duration = Duration.between(c.stepStart, run.now());
    run.emit(new RunEvent.StepFinished(run.id(), run.now(), stage.id(), step, process.label(), status, outcome.exitCode(), duration,
        outcome.detail()));
    RunResult.StepResult stepResult = new RunResult.StepResult(process.label(), status, outcome.exitCode(), duration,
        outcome.detail());
    run.addStep(stage.id(), stepResult);
    if (process.guard() == Op.Guard.NORMAL) {
      if (status == RunResult.Status.CANCELLED) {
        c.interrupted = true;
      } else if (status != RunResult.Status.SUCCEEDED && !c.failed) {
        c.failed = true;
        c.reason = Reasons.stepFailed(step, process.label(), stepResult.detail());
      }
    }
    recordOp(c, stepResult);
    return true;
  }

  /** Goes on with the cursor after {@code delay}, or at once when the run stops or the stage times out. */
  private void later(Cursor c, Duration delay) {
    AtomicBoolean fired = new AtomicBoolean();
    Scheduler.Cancellable[] timer = new Scheduler.Cancellable[1];
    Runnable go = () -> {
      if (fired.compareAndSet(false, true)) {
        c.wake = null;
        if (timer[0] != null) {
          timer[0].cancel();
        }
        run.engine.workers.execute(() -> execute(c));
      }
    };
    c.wake = go;
    timer[0] = run.engine.scheduler.schedule(delay, go);
    if (run.isStopped(c.stage.id())) {
      go.run();
    }
  }

  /** Runs a process of the stage: a step, or a poll's probe. */
  ProcessOutcome attempt(Cursor c, int step, Op.RunProcess process) {
    Map<String, SecretValue> values = new LinkedHashMap<>();
    try {
      for (SecretBinding binding : process.secrets()) {
        values.putIfAbsent(binding.secret(), run.engine.secrets.resolve(binding.secret()));
      }
      Map<String, String> extra = StepEnvironment.of(run.id(), c.stage.id(), step, c.index);
      return run.executorOf(c.stage.id()).run(new ProcessRequest(process, c.stage.runtime(), run.workspace, values,
          extra, Optional.of(run.session(c.stage)), c.stage.services()),
          line -> run.emit(new RunEvent.OutputLine(run.id(), run.now(), c.stage.id(), step, line)), run.cancellation());
    } catch (SecretResolutionException e) {
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO, e.getMessage());
    }
  }

  /** Runs an op other than a process or a wait; returns why it failed the stage, or null. */
  private String runOther(PlannedStage stage, Op op) {
    if (op instanceof Op.BeginStage || op instanceof Op.EndStage) {
      return null;
    }
    if (op instanceof Op.RestoreCache restore) {
      WorkspaceOps.CacheOutcome done = WorkspaceOps.cache(run.engine.caches, run.workspace, restore.cache(),
          restore.keyFiles(), null);
      run.emit(new RunEvent.CacheEvent(run.id(), run.now(), stage.id(), restore.cache(), done.what(), done.detail()));
      return null;
    }
    if (op instanceof Op.SaveCache save) {
      WorkspaceOps.CacheOutcome done = WorkspaceOps.cache(run.engine.caches, run.workspace, save.cache(), save.keyFiles(),
          save.paths());
      run.emit(new RunEvent.CacheEvent(run.id(), run.now(), stage.id(), save.cache(), done.what(), done.detail()));
      return null;
    }
    if (op instanceof Op.Emit emitted) {
      run.emit(new RunEvent.Emitted(run.id(), run.now(), stage.id(), emitted.event(), emitted.message()));
      return null;
    }
    if (op instanceof Op.StoreArtifact artifact) {
      try {
        int files = WorkspaceOps.store(run.workspace, run.artifacts, artifact);
        run.emit(new RunEvent.Emitted(run.id(), run.now(), stage.id(), "artifact", "stored " + artifact.name() + ": " + files
            + " files"));
        return null;
      } catch (WorkspaceOps.ArtifactException e) {
        return e.getMessage();
      }
    }
    if (op instanceof Op.RestoreArtifact artifact) {
      try {
        int files = WorkspaceOps.restore(run.workspace, run.artifacts, artifact.name());
        run.emit(new RunEvent.Emitted(run.id(), run.now(), stage.id(), "artifact", "restored " + artifact.name() + ": "
            + files + " files"));
        return null;
      } catch (WorkspaceOps.ArtifactException e) {
        return e.getMessage();
      }
    }
    return "the engine cannot run '" + op.kind() + "' ops";
  }
}

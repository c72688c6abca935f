package dev.otto.core.engine;

import dev.otto.core.executor.Cancellation;
import dev.otto.core.executor.ProcessOutcome;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.PlannedStage;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the ops a run's machine asks for on this host: processes on the stage's executor
 * with their secrets resolved just before, caches and artifacts in the run's folder. Each answers
 * its run with how it ended; none throws.
 */
final class LocalOps {
  private static final Logger LOG = LoggerFactory.getLogger(LocalOps.class);

  private final Run run;
  private final Map<String, PlannedStage> stages = new LinkedHashMap<>();
  /** The secrets the run has given its processes so far: each later process's output is masked with them. */
  private final RunSecrets given;

  LocalOps(Run run, RunSecrets given) {
    this.run = run;
    this.given = given;
    run.plan.stages().forEach(stage -> stages.put(stage.id(), stage));
  }

  /**
   * Reads again into {@code given}, to mask them, the secrets a run handed out before this engine
   * took it over, or before a restart copies its workspace: its processes may have left them in
   * files. Every secret {@code recorded} handed out (its journal names them), every one {@code plan}
   * and the run's plan declared, are read; returns those it handed out that could not be read, each
   * with where it was handed out and why. A declared secret the run never handed out (a branch
   * that does not deploy) is read if it can be, and never refused.
   */
  static Map<String, String[]> readGivenBefore(StepHost host, dev.otto.core.plan.Plan plan, Recovery recorded,
      RunSecrets given) {
    Map<String, String> handedOut = handedOut(plan, recorded);
    java.util.Set<String> names = new java.util.TreeSet<>(plan.secrets());
    names.addAll(recorded.secrets);
    names.addAll(handedOut.keySet());
    Map<String, String[]> unread = new java.util.TreeMap<>();
    Map<String, String> where = handedOut;
    host.readAgain(given, names).forEach((name, why) -> {
      if (where.containsKey(name)) {
        unread.put(name, new String[] {where.get(name), why});
      }
    });
    return unread;
  }

  /**
   * The secrets {@code recorded} handed out, each with where: as its journal names them, or, in a
   * journal written before runs named them, every secret the stages it has entries of bind in
   * {@code plan}.
   */
  static Map<String, String> handedOut(dev.otto.core.plan.Plan plan, Recovery recorded) {
    if (recorded.given != null) {
      return recorded.given;
    }
    Map<String, String> handedOut = new LinkedHashMap<>();
    for (String id : recorded.stages.keySet()) {
      PlannedStage stage = plan.stage(id).orElse(null);
      if (stage == null) {
        continue;
      }
      for (Op.RunProcess process : stage.processes()) {
        for (var binding : process.secrets()) {
          handedOut.putIfAbsent(binding.secret(), "stage '" + id + "'");
        }
      }
    }
    return handedOut;
  }

  /** Drops the values of the secrets given, once the run has ended: its handle may be kept long after. */
  void forgetSecrets() {
    given.clear();
  }

  /** The plan's stage with this id, or null. */
  PlannedStage stage(String id) {
    return stages.get(id);
  }

  /** Runs an op the machine asked for; {@code cancellation} is its stage's, taken when it asked. */
  void execute(RunMachine.Execute execute, Cancellation cancellation) {
    CompletionStage<RunMachine.Outcome> outcome;
    if (cancellation.isCancelled()) {
      // Stopped while it waited for a thread of the engine: the op does not start, and a stage that had not started
      // is skipped. Nothing is restored or stored after Ctrl-C. (Ops asked for after a stop, a stage's notifications,
      // have a cancellation of their own.)
      run.feed(new RunMachine.OpDone(run.now(), execute.stage(), execute.op(), new RunMachine.Outcome(
          dev.otto.core.engine.RunResult.Status.CANCELLED, java.util.OptionalInt.empty(), "cancelled")));
      return;
    }
    try {
      // Told for every op: a stage that waited for a thread of the engine starts with its first.
      run.feed(new RunMachine.OpStarted(run.now(), execute.stage(), execute.op()));
      outcome = execute.what() instanceof Op.RunProcess process
          ? process(execute.stage(), execute.op(), execute.step(), process, cancellation)
          : CompletableFuture.completedFuture(other(execute.stage(), execute.what()));
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    outcome.whenComplete((done, error) -> run.feed(new RunMachine.OpDone(run.now(), execute.stage(), execute.op(),
        error == null ? done : unexpected("op " + execute.op() + " of stage '" + execute.stage() + "'", error))));
  }

  /** Runs a poll's probe; {@code ended} completes when its process has ended, before the machine hears. */
  void probe(RunMachine.Probe probe, Cancellation cancellation, CompletableFuture<Void> ended) {
    CompletionStage<RunMachine.Outcome> outcome;
    try {
      outcome = process(probe.stage(), probe.op(), 0, probe.poll().probe(), cancellation);
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    outcome.whenComplete((done, error) -> ended.complete(null));
    outcome.whenComplete((done, error) -> run.feed(new RunMachine.ProbeDone(run.now(), probe.stage(), probe.op(),
        probe.attempt(), error == null ? done : RunMachine.Outcome.failed("the probe could not run: "
            + cause(error).getClass().getSimpleName()))));
  }

  private RunMachine.Outcome unexpected(String what, Throwable error) {
    LOG.error("{} of run {} failed unexpectedly", what, run.id(), cause(error));
    return RunMachine.Outcome.failed("the engine failed: " + cause(error).getClass().getSimpleName());
  }

  private static Throwable cause(Throwable error) {
    return error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause()
        : error;
  }

  /** Starts a process of a stage: a step, or a poll's probe (step 0). */
  private CompletionStage<RunMachine.Outcome> process(String stageId, int index, int step, Op.RunProcess process,
      Cancellation cancellation) {
    PlannedStage stage = stages.get(stageId);
    return run.engine.host.start(run.executorOf(stageId), process, stage.runtime(), run.workspace,
        StepEnvironment.of(run.id(), stageId, step, index), Optional.of(run.session(stageId)), stage.services(),
        given, line -> run.emitNow(new RunEvent.OutputLine(run.id(), run.now(), stageId, step, line)), cancellation)
        .thenApply(LocalOps::outcome);
  }

  private static RunMachine.Outcome outcome(ProcessOutcome outcome) {
    RunResult.Status status = switch (outcome.status()) {
      case SUCCEEDED -> RunResult.Status.SUCCEEDED;
      case CANCELLED -> RunResult.Status.CANCELLED;
      default -> RunResult.Status.FAILED;
    };
    return new RunMachine.Outcome(status, outcome.exitCode(), outcome.detail());
  }

  /** A cache or artifact op. */
  private RunMachine.Outcome other(String stage, Op op) {
    if (op instanceof Op.RestoreCache restore) {
      CacheOps.Outcome done = run.engine.host.restore(run.workspace, restore);
      run.emitNow(new RunEvent.CacheEvent(run.id(), run.now(), stage, restore.cache(), done.what(), done.detail()));
      return RunMachine.Outcome.ok();
    }
    if (op instanceof Op.SaveCache save) {
      CacheOps.Outcome done = run.engine.host.save(run.workspace, save);
      run.emitNow(new RunEvent.CacheEvent(run.id(), run.now(), stage, save.cache(), done.what(), done.detail()));
      return RunMachine.Outcome.ok();
    }
    try {
      if (op instanceof Op.StoreArtifact artifact) {
        int files = WorkspaceOps.store(run.workspace, run.artifacts, artifact);
        run.emitNow(new RunEvent.Emitted(run.id(), run.now(), stage, "artifact", "stored " + artifact.name() + ": "
            + files + " files"));
        return RunMachine.Outcome.artifact(WorkspaceOps.digest(run.artifacts, artifact.name()));
      }
      if (op instanceof Op.RestoreArtifact artifact && artifact.from().isPresent()) {
        return promote(stage, artifact, artifact.from().get());
      }
      if (op instanceof Op.RestoreArtifact artifact) {
        int files = WorkspaceOps.restore(run.workspace, run.artifacts, artifact.name());
        run.emitNow(new RunEvent.Emitted(run.id(), run.now(), stage, "artifact", "restored " + artifact.name()
            + ": " + files + " files"));
        return RunMachine.Outcome.artifact(WorkspaceOps.digest(run.artifacts, artifact.name()));
      }
    } catch (WorkspaceOps.ArtifactException e) {
      return RunMachine.Outcome.failed(e.getMessage());
    }
    return RunMachine.Outcome.failed("the engine cannot run '" + op.kind() + "' ops");
  }

  /** Restores the artifact an environment's record names, after checking its files against the recorded digest. */
  private RunMachine.Outcome promote(String stage, Op.RestoreArtifact artifact, Op.Deployed from)
      throws WorkspaceOps.ArtifactException {
    Promotion.Source source = Promotion.find(run.engine.deployments, artifact.name(), from)
        .orElseThrow(() -> new WorkspaceOps.ArtifactException(Promotion.missing(artifact.name(), from)));
    Path promoted = run.artifacts.resolveSibling(WorkspaceOps.PROMOTED);
    Promotion.adopt(run.engine.root, promoted, artifact.name(), source);
    int files = WorkspaceOps.restore(run.workspace, promoted, artifact.name());
    run.emitNow(new RunEvent.Emitted(run.id(), run.now(), stage, "artifact", "restored " + artifact.name() + ": "
        + files + " files, " + source.describe()));
    return RunMachine.Outcome.artifact(source.digest());
  }
}

package dev.otto.temporal.internal;

import dev.otto.core.engine.Deployment;
import java.util.List;
import java.util.Map;

/**
 * What travels through Temporal: workflow inputs and results, activity tasks and their results,
 * update requests, query answers and events. Plain records of strings and numbers, so that the
 * SDK's JSON converter writes them as they are, and a history read years later still reads.
 * Nothing here holds a secret value: tasks name secrets, and workers resolve them.
 */
public final class Messages {
  private Messages() {}

  /**
   * A run's input.
   *
   * @param runId the run's id, also the workflow's id
   * @param planJson the plan in its {@code otto-plan/1} JSON form
   * @param queues the task queue of each stage that runs processes or touches its workspace
   * @param failurePolicy what a failed stage does to the rest of the run, an {@link
   *     dev.otto.core.engine.FailurePolicy} name
   * @param settings how activities and polls are run
   */
  public record RunInput(String runId, String planJson, Map<String, String> queues, String failurePolicy,
      Settings settings) {}

  /**
   * How the workflow runs activities and polls.
   *
   * @param heartbeatSeconds how long a worker may go silent before its activity is given to another
   * @param stepLimitSeconds the longest a step without its own timeout may take
   * @param workerAttempts how many times an activity is tried when workers are lost or fail
   * @param probesPerHistory how many probes a poll's history holds before it continues as new
   */
  public record Settings(long heartbeatSeconds, long stepLimitSeconds, int workerAttempts, int probesPerHistory) {}

  /** A run's end: its status, duration and every stage's result, in plan order. */
  public record RunRecord(String runId, String pipeline, String status, long durationMillis,
      List<StageRecord> stages) {}

  public record StageRecord(String id, String status, String reason, long durationMillis, List<StepRecord> steps) {}

  /** A process's outcome: {@code status} is a {@link dev.otto.core.executor.ProcessOutcome.Status} name. */
  public record StepRecord(String label, String status, Integer exitCode, long durationMillis, String detail) {}

  /**
   * A process to run on a worker.
   *
   * @param runtime {@code local}, {@code container:IMAGE} or {@code agent:LABEL}
   * @param secrets each binding as {@code secret}, {@code env} or {@code file}, and {@code variable}
   * @param givenBefore the secrets the run bound to processes before this one, which its output is
   *     masked with too (null in tasks written before: none)
   */
  public record ProcessTask(String runId, String stage, int op, int step, String label, String script,
      Map<String, String> env, List<List<String>> secrets, Long timeoutMillis, String runtime,
      List<String> givenBefore) {}

  /**
   * A cache to restore ({@code paths} null) or save, in the run's workspace on the worker.
   *
   * @param cachePaths the cache's paths, which its fallback keys hold (null in tasks written before
   *     fallbacks: then the exact key only)
   * @param fallbacks the key files each fallback keeps, in order (null: none)
   */
  public record CacheTask(String runId, String stage, String cache, List<String> keyFiles, List<String> paths,
      List<String> cachePaths, List<List<String>> fallbacks) {}

  /**
   * What became of a cache or artifact op; {@code problem} fails the stage when set. An artifact
   * stored or restored tells the {@code digest} of its files, for the record of deployments.
   */
  public record StoreRecord(String what, String detail, String problem, String digest) {
    public StoreRecord(String what, String detail, String problem) {
      this(what, detail, problem, null);
    }
  }

  /**
   * An entry of an environment's record of deployments, for the worker that keeps it; {@code
   * artifacts} are pairs of name and digest.
   */
  public record DeploymentRecord(String environment, String run, String pipeline, String stage, String commit,
      List<List<String>> artifacts, long startedMillis, long endedMillis, String approvedBy, String status) {

    static DeploymentRecord of(Deployment d) {
      return new DeploymentRecord(d.environment(), d.run(), d.pipeline(), d.stage(), d.commit().orElse(null),
          d.artifacts().stream().map(a -> List.of(a.name(), a.digest())).toList(), d.started().toEpochMilli(),
          d.ended().toEpochMilli(), d.approvedBy().orElse(null), d.status().name());
    }

    Deployment deployment() {
      return new Deployment(environment, run, pipeline, stage, java.util.Optional.ofNullable(commit),
          artifacts.stream().map(a -> new Deployment.Artifact(a.get(0), a.get(1))).toList(),
          java.time.Instant.ofEpochMilli(startedMillis), java.time.Instant.ofEpochMilli(endedMillis),
          java.util.Optional.ofNullable(approvedBy), dev.otto.core.engine.RunResult.Status.valueOf(status));
    }
  }

  /**
   * An artifact to store ({@code paths} set) or restore, through the shared store; with {@code
   * from}, the one that environment's record names (the entry before its last with {@code
   * previous}), for a promotion or a rollback.
   */
  public record ArtifactTask(String runId, String stage, String name, List<String> paths, String from,
      boolean previous) {
    public ArtifactTask(String runId, String stage, String name, List<String> paths) {
      this(runId, stage, name, paths, null, false);
    }
  }

  /** A poll's probe and its rhythm; {@code attempts} and {@code nextMillis} carry over a continue-as-new. */
  public record PollTask(ProcessTask probe, String queue, long intervalMillis, double backoff, long maxIntervalMillis,
      int attempts, Settings settings) {}

  /** How a poll ended: {@code succeeded}, with the number of probes. */
  public record PollRecord(boolean succeeded, int attempts, String detail) {}

  public record DecideRequest(String waitId, boolean approved, String by, String comment) {}

  public record CallbackRequest(String waitId, String payload) {}

  /** A wait in progress, as the host lists it. */
  public record WaitRecord(String stage, String id, String kind, String description, List<String> approvers,
      long deadlineMillis) {}

  /** Where a run is: state, each stage's state in plan order, and its waits. */
  public record RunView(String runId, String pipeline, String state, Map<String, String> stages,
      List<WaitRecord> waits) {}

  /**
   * One event of a run, flat: {@code type} is the simple name of the {@link
   * dev.otto.core.engine.RunEvent} it stands for, and only that event's fields are set.
   */
  public record EventRecord(String type, long atMillis, String stage, Integer step, String label, String status,
      Integer exitCode, Long durationMillis, String detail, String waitId, String kind, String description,
      List<String> approvers, Long deadlineMillis, String by, String comment, String pipeline, Integer count) {

    static EventRecord run(String type, long at, String pipeline, Integer count, String status, Long duration) {
      return new EventRecord(type, at, null, null, null, status, null, duration, null, null, null, null, null, null,
          null, null, pipeline, count);
    }

    static EventRecord stage(String type, long at, String stage, String status, Long duration, String detail) {
      return new EventRecord(type, at, stage, null, null, status, null, duration, detail, null, null, null, null, null,
          null, null, null, null);
    }

    static EventRecord step(String type, long at, String stage, int step, String label, StepRecord outcome,
        String detail) {
      return new EventRecord(type, at, stage, step, label, outcome == null ? null : outcome.status(),
          outcome == null ? null : outcome.exitCode(), outcome == null ? null : outcome.durationMillis(), detail, null,
          null, null, null, null, null, null, null, null);
    }

    /** A cache event ({@code label} the cache, {@code status} what became of it) or an emitted one. */
    static EventRecord named(String type, long at, String stage, String label, String status, String detail) {
      return new EventRecord(type, at, stage, null, label, status, null, null, detail, null, null, null, null, null,
          null, null, null, null);
    }

    static EventRecord waitStarted(long at, WaitRecord wait) {
      return new EventRecord("WaitStarted", at, wait.stage(), null, null, null, null, null, null, wait.id(),
          wait.kind(), wait.description(), wait.approvers(), wait.deadlineMillis(), null, null, null, null);
    }

    /** A poll's probe: {@code count} the attempt, {@code status} succeeded or failed, {@code deadlineMillis} the next. */
    static EventRecord pollAttempt(long at, String stage, String waitId, int attempt, boolean succeeded, String detail,
        Long next) {
      return new EventRecord("PollAttempt", at, stage, null, null, succeeded ? "succeeded" : "failed", null, null,
          detail, waitId, null, null, null, next, null, null, null, attempt);
    }

    static EventRecord waitEnded(long at, String stage, String waitId, String outcome, String by, String comment) {
      return new EventRecord("WaitEnded", at, stage, null, null, outcome, null, null, null, waitId, null, null, null,
          null, by, comment, null, null);
    }
  }

  /**
   * A stage asks for lock {@code lock} (or, with {@code held}, checks it still holds it after a
   * replay), in a lock mode named by {@code mode}; the lock's workflow runs on {@code taskQueue}.
   */
  public record LockRequest(String lock, String mode, String run, String stage, boolean held, String taskQueue) {}

  /** A stage no longer holds, or waits for, lock {@code lock}. */
  public record LockRelease(String lock, String run, String stage) {}

  /** What a lock's workflow tells a run: its stage got the lock, or lost it to {@code byRun} (null: to no one). */
  public record LockNotice(String stage, String lock, boolean granted, String byRun) {}

  /** One request in a lock's line, as its workflow keeps it across continue-as-new. */
  public record LockEntry(String run, String stage, String mode, String state, String by) {}

  /** A lock's workflow's input: the lock's name and the line it continues with. */
  public record LockInput(String lock, List<LockEntry> line) {}
}

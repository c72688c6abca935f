package dev.otto.core.plan;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Cache;
import dev.otto.core.model.Gate.OnTimeout;
import dev.otto.core.model.LockMode;
import dev.otto.core.model.SecretBinding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A primitive operation of a planned stage. Planning lowers every stage to a list of these;
 * an executor executes ops and nothing else. The list of a stage reads top to bottom:
 *
 * <pre>
 *   begin-stage
 *   lock ...                                  (the stage's locks, held until it ends)
 *   await-approval / await-webhook / poll     (enter gates)
 *   restore-cache ...
 *   run ... | await-children                  (steps, or the child stages of a group; steps may
 *                                             also emit, store or restore artifacts)
 *   save-cache ...
 *   await-approval / await-webhook / poll     (exit gates)
 *   run / emit ...                            (notifications, guarded by the outcome)
 *   end-stage
 * </pre>
 *
 * <p>Each op carries a {@link Guard}: once an op of a stage fails, only ops guarded {@link
 * Guard#ON_FAILURE} or {@link Guard#ALWAYS} still run; when it succeeds, {@link Guard#ON_FAILURE}
 * ops are passed over.
 */
public sealed interface Op {

  /** When an op runs, given how the stage has gone so far. */
  enum Guard {
    /** While nothing has failed. */
    NORMAL,
    /** Only when nothing has failed (notifications on success). */
    ON_SUCCESS,
    /** Only when something has failed. */
    ON_FAILURE,
    /** Whatever happened. */
    ALWAYS;

    /**
     * Whether an op with this guard runs, given whether the stage has failed and whether it was
     * stopped (its run cancelled or failing fast, or the stage timed out): a stop counts as a failure.
     */
    public boolean runs(boolean failed, boolean stopped) {
      return switch (this) {
        case NORMAL, ON_SUCCESS -> !failed && !stopped;
        case ON_FAILURE -> failed || stopped;
        case ALWAYS -> true;
      };
    }
  }

  /** Where a wait sits in its stage. */
  enum Position {
    ENTER,
    EXIT
  }

  /** The op's kind as it appears in explain and in plan JSON, e.g. {@code run}. */
  String kind();

  Guard guard();

  /** Ops a step library may expand to: the ones that make sense inside a list of steps. */
  sealed interface StepOp extends Op permits RunProcess, Emit, StoreArtifact, RestoreArtifact {
    /** A copy with another guard, for steps used as notifications. */
    StepOp withGuard(Guard guard);
  }

  /** An op that waits on the outside world, with a stable id to correlate signals with. */
  sealed interface Wait extends Op permits AwaitApproval, AwaitWebhook, Poll, AcquireLock {
    String id();

    Duration timeout();

    OnTimeout onTimeout();
  }

  /** Marks a stage as started. */
  record BeginStage(String stage) implements Op {
    public BeginStage {
      requireNonNull(stage, "stage");
    }

    @Override
    public String kind() {
      return "begin-stage";
    }

    @Override
    public Guard guard() {
      return Guard.NORMAL;
    }
  }

  /** Marks a stage as finished; it always runs, to record the outcome. */
  record EndStage(String stage) implements Op {
    public EndStage {
      requireNonNull(stage, "stage");
    }

    @Override
    public String kind() {
      return "end-stage";
    }

    @Override
    public Guard guard() {
      return Guard.ALWAYS;
    }
  }

  /**
   * Restores a cache into the workspace; a miss is not a failure. When the key has no entry, the
   * newest entry of each of {@code fallbacks} is tried in turn.
   */
  record RestoreCache(String cache, List<String> paths, List<String> keyFiles, List<Cache.Fallback> fallbacks)
      implements Op {
    public RestoreCache {
      requireNonNull(cache, "cache");
      paths = List.copyOf(paths);
      keyFiles = List.copyOf(keyFiles);
      fallbacks = List.copyOf(fallbacks);
    }

    @Override
    public String kind() {
      return "restore-cache";
    }

    @Override
    public Guard guard() {
      return Guard.NORMAL;
    }
  }

  /** Saves workspace paths as a cache, filed under each of {@code fallbacks} for later restores. */
  record SaveCache(String cache, List<String> paths, List<String> keyFiles, List<Cache.Fallback> fallbacks)
      implements Op {
    public SaveCache {
      requireNonNull(cache, "cache");
      paths = List.copyOf(paths);
      keyFiles = List.copyOf(keyFiles);
      fallbacks = List.copyOf(fallbacks);
    }

    @Override
    public String kind() {
      return "save-cache";
    }

    @Override
    public Guard guard() {
      return Guard.NORMAL;
    }
  }

  /**
   * Runs a script as a separate process. {@code env} holds every plain variable the process gets
   * from Otto (environment settings, then the step's own); secrets are bindings, never values.
   */
  record RunProcess(
      String label,
      String script,
      Map<String, String> env,
      List<SecretBinding> secrets,
      Optional<Duration> timeout,
      int retries,
      Duration retryBackoff,
      Guard guard)
      implements StepOp {
    /** A process that is not retried. */
    public RunProcess(String label, String script, Map<String, String> env, List<SecretBinding> secrets,
        Optional<Duration> timeout, Guard guard) {
      this(label, script, env, secrets, timeout, 0, Duration.ofSeconds(1), guard);
    }

    public RunProcess {
      if (retries < 0) {
        throw new IllegalArgumentException("retries must not be negative, not " + retries);
      }
      requireNonNull(retryBackoff, "retryBackoff");
      requireNonNull(label, "label");
      requireNonNull(script, "script");
      env = com.google.common.collect.ImmutableMap.copyOf(env);
      secrets = com.google.common.collect.ImmutableList.copyOf(secrets);
      requireNonNull(timeout, "timeout");
      requireNonNull(guard, "guard");
    }

    @Override
    public String kind() {
      return "run";
    }

    @Override
    public RunProcess withGuard(Guard guard) {
      return new RunProcess(label, script, env, secrets, timeout, retries, retryBackoff, guard);
    }
  }

  /** Hands an event to the host (a notification it delivers itself, for example). */
  record Emit(String event, String message, Guard guard) implements StepOp {
    public Emit {
      requireNonNull(event, "event");
      requireNonNull(message, "message");
      requireNonNull(guard, "guard");
    }

    @Override
    public String kind() {
      return "emit";
    }

    @Override
    public Emit withGuard(Guard guard) {
      return new Emit(event, message, guard);
    }
  }

  /** Keeps workspace paths as a named artifact of the run. */
  record StoreArtifact(String name, List<String> paths, Guard guard) implements StepOp {
    public StoreArtifact {
      requireNonNull(name, "name");
      paths = List.copyOf(paths);
      requireNonNull(guard, "guard");
    }

    @Override
    public String kind() {
      return "store-artifact";
    }

    @Override
    public StoreArtifact withGuard(Guard guard) {
      return new StoreArtifact(name, paths, guard);
    }
  }

  /**
   * Puts the files of an artifact back in the workspace: one stored earlier in the run, or, with
   * {@code from}, the one an environment's record says was deployed there, checked against the
   * digest the record holds.
   */
  record RestoreArtifact(String name, Optional<Deployed> from, Guard guard) implements StepOp {
    public RestoreArtifact {
      requireNonNull(name, "name");
      requireNonNull(from, "from");
      requireNonNull(guard, "guard");
    }

    /** Restores the artifact stored earlier in the run. */
    public RestoreArtifact(String name, Guard guard) {
      this(name, Optional.empty(), guard);
    }

    @Override
    public String kind() {
      return "restore-artifact";
    }

    @Override
    public RestoreArtifact withGuard(Guard guard) {
      return new RestoreArtifact(name, from, guard);
    }
  }

  /**
   * Which entry of an environment's record a promotion or a rollback takes an artifact from.
   *
   * @param environment the environment whose record is read
   * @param previous false for the last successful deployment there (a promotion); true for the
   *     newest successful one before it that took other files (a rollback, which redeploys what the
   *     environment ran before what it runs now)
   */
  record Deployed(String environment, boolean previous) {
    public Deployed {
      requireNonNull(environment, "environment");
    }

    /** In words, for explain: {@code as deployed to 'staging' by its last successful deployment}. */
    public String describe() {
      return previous ? "as deployed to '" + environment + "' before what it runs now"
          : "as deployed to '" + environment + "' by its last successful deployment";
    }

    /** Why an engine finds no artifact {@code name} in the record, and what to do. */
    public String missing(String name) {
      return previous
          ? "'" + environment + "' ran no other files of the artifact '" + name + "' before what it runs now, "
              + "as its record says; there is nothing to roll back to"
          : "no deployment of the artifact '" + name + "' to '" + environment + "' has succeeded yet; deploy it "
              + "there first";
    }
  }

  /** Waits for a person's decision. */
  record AwaitApproval(
      String id, Position position, String prompt, List<String> approvers, Duration timeout, OnTimeout onTimeout)
      implements Wait {
    public AwaitApproval {
      requireNonNull(id, "id");
      requireNonNull(position, "position");
      requireNonNull(prompt, "prompt");
      approvers = List.copyOf(approvers);
      requireNonNull(timeout, "timeout");
      requireNonNull(onTimeout, "onTimeout");
    }

    @Override
    public String kind() {
      return "await-approval";
    }

    @Override
    public Guard guard() {
      return Guard.NORMAL;
    }
  }

  /** Waits for a callback carrying the wait's token. */
  record AwaitWebhook(String id, Position position, String description, Duration timeout, OnTimeout onTimeout)
      implements Wait {
    public AwaitWebhook {
      requireNonNull(id, "id");
      requireNonNull(position, "position");
      requireNonNull(description, "description");
      requireNonNull(timeout, "timeout");
      requireNonNull(onTimeout, "onTimeout");
    }

    @Override
    public String kind() {
      return "await-webhook";
    }

    @Override
    public Guard guard() {
      return Guard.NORMAL;
    }
  }

  /** Repeats a probe until it succeeds or the timeout passes. */
  record Poll(
      String id,
      Position position,
      String description,
      RunProcess probe,
      Duration interval,
      double backoff,
      Duration maxInterval,
      Duration timeout,
      OnTimeout onTimeout)
      implements Wait {
    public Poll {
      requireNonNull(id, "id");
      requireNonNull(position, "position");
      requireNonNull(description, "description");
      requireNonNull(probe, "probe");
      requireNonNull(interval, "interval");
      requireNonNull(maxInterval, "maxInterval");
      requireNonNull(timeout, "timeout");
      requireNonNull(onTimeout, "onTimeout");
    }

    @Override
    public String kind() {
      return "poll";
    }

    @Override
    public Guard guard() {
      return Guard.NORMAL;
    }
  }

  /**
   * Waits until the stage holds lock {@code lock}, which it keeps until it ends, however it
   * ends. The first op of a stage after its begin, so that the lock covers everything the stage
   * does, its gates and its children included. What a newer run asking for the lock does is
   * {@code mode}'s to say.
   */
  record AcquireLock(String id, String lock, LockMode mode, Duration timeout) implements Wait {
    public AcquireLock {
      requireNonNull(id, "id");
      requireNonNull(lock, "lock");
      requireNonNull(mode, "mode");
      requireNonNull(timeout, "timeout");
    }

    @Override
    public String kind() {
      return "lock";
    }

    @Override
    public Guard guard() {
      return Guard.NORMAL;
    }

    /** A stage that waited too long for its lock fails: it must not deploy late unnoticed. */
    @Override
    public OnTimeout onTimeout() {
      return OnTimeout.FAIL;
    }
  }

  /**
   * The place of a group's child stages in the group's ops: the children become ready when the
   * group reaches this op, and the op completes when every child has finished.
   */
  record AwaitChildren(List<String> children, boolean parallel, boolean keepsGoing) implements Op {
    public AwaitChildren {
      children = List.copyOf(children);
    }

    /** Children of a group that does not keep going when one fails. */
    public AwaitChildren(List<String> children, boolean parallel) {
      this(children, parallel, false);
    }

    @Override
    public String kind() {
      return "await-children";
    }

    @Override
    public Guard guard() {
      return Guard.NORMAL;
    }
  }
}

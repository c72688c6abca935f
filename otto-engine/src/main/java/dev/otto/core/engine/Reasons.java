package dev.otto.core.engine;

import dev.otto.core.plan.Op;
import java.time.Duration;
import java.util.Optional;

/**
 * The words of the reasons in a {@link RunResult}: why a stage failed, was skipped or was
 * cancelled. Only the {@link RunMachine} writes them, so a run reads the same, and a test
 * expecting a reason passes, whichever engine drove it.
 */
final class Reasons {
  private Reasons() {}

  /** A stage the plan skips, when the plan gives no reason. */
  public static final String PLAN_SKIPS = "the plan skips it";

  /** A group one of whose children failed. */
  public static final String CHILD_FAILED = "a child stage failed";

  /** A group that kept going, and the children of it that failed. */
  static String childrenFailed(java.util.List<String> children) {
    return children.isEmpty() ? CHILD_FAILED : (children.size() == 1 ? "a child stage failed: " : children.size()
        + " child stages failed: ") + String.join(", ", children.stream().map(c -> "'" + c + "'").toList());
  }

  /** A step that was running when its host died and that does not run again. */
  public static final String HOST_DIED = "stopped: the engine running it stopped";

  /** What stops the rest of a run that its host cancelled. */
  public static final String RUN_CANCELLED = "the run was cancelled";

  /** A step that failed: {@code step 2 'mvn test' exited with 1}. */
  public static String stepFailed(int step, String label, String detail) {
    return "step " + step + " '" + label + "' " + detail;
  }

  /** Why a step of a stage did not run. */
  public static String stepSkipped(boolean stageFailed, boolean stageTimedOut) {
    return stageFailed ? "an earlier step of the stage failed"
        : stageTimedOut ? "the stage timed out" : "the run was stopped";
  }

  public static String stageTimedOut(Duration limit) {
    return "the stage timed out after " + limit;
  }

  /** What stops the rest of a run after a stage failed and the run fails fast. */
  public static String stoppedAfter(String stage) {
    return "the run stopped after stage '" + stage + "' failed";
  }

  /** The reason of a stage that was running when its run stopped. */
  public static String cancelledStage(boolean runCancelled, String stopReason) {
    return runCancelled ? "the run was cancelled" : "stopped: " + stopReason;
  }

  /** A stage skipped because a stage it depends on failed, or did not run because of a failure. */
  public static String dependency(String dependency, boolean failed) {
    return "its dependency '" + dependency + "' " + (failed ? "failed" : "did not run because of a failure");
  }

  public static String groupDidNotRun(String group) {
    return "its group '" + group + "' did not run";
  }

  public static String groupEndedFirst(String group) {
    return "its group '" + group + "' ended before it started";
  }

  /** {@code approval}, {@code webhook}, {@code poll} or {@code lock}. */
  public static String noun(Op.Wait wait) {
    return wait instanceof Op.AwaitApproval ? "approval" : wait instanceof Op.AwaitWebhook ? "webhook"
        : wait instanceof Op.Poll ? "poll" : "lock";
  }

  /** What a wait is about: the approval's prompt, the webhook's or poll's description, or the lock's name. */
  public static String about(Op.Wait wait) {
    if (wait instanceof Op.AwaitApproval approval) {
      return approval.prompt();
    }
    if (wait instanceof Op.AcquireLock lock) {
      return lock.lock();
    }
    return wait instanceof Op.AwaitWebhook webhook ? webhook.description() : ((Op.Poll) wait).description();
  }

  /** A stage whose place in line for a lock went to a newer run. */
  public static String superseded(String lock, String byRun) {
    return "superseded by run '" + byRun + "', which asked for the lock '" + lock + "' later";
  }

  /**
   * A stage that had to give its lock up: to a newer run that cancels the one in progress, or
   * because the lock went to another run while this one's host was down.
   */
  public static String lockTaken(String lock, Optional<String> byRun) {
    return byRun.map(run -> "cancelled for run '" + run + "', which asked for the lock '" + lock
        + "' and cancels the run in progress")
        .orElse("the lock '" + lock + "' went to another run while this one was not running");
  }

  public static String rejected(Op.Wait wait, String by, Optional<String> comment) {
    return "the " + noun(wait) + " '" + about(wait) + "' was rejected by " + by + comment.map(text -> ": " + text)
        .orElse("");
  }

  public static String waitTimedOut(Op.Wait wait) {
    if (wait instanceof Op.AcquireLock lock) {
      return "the stage waited " + wait.timeout() + " for the lock '" + lock.lock() + "' and did not get it";
    }
    return "the " + noun(wait) + " '" + about(wait) + "' timed out after " + wait.timeout();
  }
}

package dev.otto.temporal.internal;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The line of runs for one lock, shared by every run of every host: the mutex of Temporal's
 * samples. Runs ask with a signal that starts it when it is not running ({@link
 * LockActivities#request}), and give up with another; it answers each run with a signal of its
 * own ({@link RunWorkflow#lockNotice}).
 */
@WorkflowInterface
public interface LockWorkflow {
  String TYPE = "OttoLock";

  /** The workflow id of lock {@code lock}'s line. */
  static String id(String lock) {
    return "otto-lock/" + lock;
  }

  @WorkflowMethod(name = TYPE)
  void line(Messages.LockInput input);

  @SignalMethod(name = "request")
  void request(Messages.LockRequest request);

  @SignalMethod(name = "release")
  void release(Messages.LockRelease release);
}

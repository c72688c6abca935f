package dev.otto.temporal.internal;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Reaches a lock's workflow from a run's: a workflow cannot start another it does not own, so
 * asking goes through an activity that signals the lock's workflow, starting it when needed.
 */
@ActivityInterface
public interface LockActivities {

  /** Signals the request to the lock's workflow, starting it with an empty line when it is not running. */
  @ActivityMethod(name = "OttoLockRequest")
  void request(Messages.LockRequest request);

  /** Signals the release to the lock's workflow; nothing to do when it is not running. */
  @ActivityMethod(name = "OttoLockRelease")
  void release(Messages.LockRelease release);
}

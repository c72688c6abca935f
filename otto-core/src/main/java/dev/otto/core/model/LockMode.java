package dev.otto.core.model;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * What a run that asks for a held {@link Lock} does, as GitLab's resource groups and GitHub's
 * concurrency groups do it. The modes decide between runs, in the order they asked for the lock.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum LockMode {
  /** Wait in line: the lock goes to the runs that asked for it in the order they asked. */
  QUEUE,
  /**
   * Only the newest waiting run matters: a run waiting for the lock is superseded when a newer
   * one asks for it, and its stage ends cancelled, with a reason naming the newer run. The holder
   * keeps the lock until its stage ends.
   */
  NEWEST_WINS,
  /**
   * A newer run takes over: the holder's stage is cancelled, with a reason naming the newer run,
   * and the newer run gets the lock once that stage has ended. Runs still waiting are superseded,
   * as with {@link #NEWEST_WINS}.
   */
  CANCEL_IN_PROGRESS
}

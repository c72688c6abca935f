package dev.otto.core.executor;

import java.util.Set;

/** Lets tests in other packages ask whether a process one of their runs started is still running. */
public final class ProcessTreeProbe {
  private ProcessTreeProbe() {}

  /**
   * Every process still carrying the cookie of a session of run {@code runId}: only what that run
   * started, never another run alive on the same machine.
   */
  public static Set<ProcessHandle> survivorsOf(String runId) {
    return ProcessTree.carryingPrefix(LocalProcessExecutor.COOKIE_VARIABLE + "=" + runId + ":");
  }
}

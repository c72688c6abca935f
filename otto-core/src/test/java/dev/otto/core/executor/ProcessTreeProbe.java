package dev.otto.core.executor;

import java.util.Set;

/** Lets tests in other packages ask whether any process started by an executor is still running. */
public final class ProcessTreeProbe {
  private ProcessTreeProbe() {}

  /** Every process still carrying an executor's cookie variable. */
  public static Set<ProcessHandle> survivors() {
    return ProcessTree.carryingVariable(LocalProcessExecutor.COOKIE_VARIABLE);
  }
}

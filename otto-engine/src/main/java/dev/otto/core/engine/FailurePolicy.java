package dev.otto.core.engine;

import static org.apiguardian.api.API.Status.MAINTAINED;

import org.apiguardian.api.API;

/** What a failed stage does to the rest of the run. */
@API(status = MAINTAINED, since = "0.1")
public enum FailurePolicy {
  /** A failure stops the run, but inside a group that keeps going, whose other children go on. */
  FAIL_FAST,
  /** A failure stops the run, even inside a group that keeps going. */
  FAIL_FAST_EVERYWHERE,
  /** A failure skips what depends on the failed stage; everything else goes on. */
  CONTINUE
}

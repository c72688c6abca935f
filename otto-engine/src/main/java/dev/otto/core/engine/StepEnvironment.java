package dev.otto.core.engine;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Map;
import org.apiguardian.api.API;

/**
 * The variables every engine gives a step besides its own: {@code OTTO_RUN_ID}, {@code
 * OTTO_STAGE}, {@code OTTO_STEP}, and {@code OTTO_IDEMPOTENCY_KEY}, which every execution of one
 * op of one run shares (retries, and runs again after a crash or on another worker), so that a
 * step can hand it to the systems it calls and they can ignore repeats.
 */
@API(status = INTERNAL, since = "0.1")
public final class StepEnvironment {
  private StepEnvironment() {}

  /** The variables of the step {@code step} (counted from 1), which is op {@code op} of {@code stage}. */
  public static Map<String, String> of(String run, String stage, int step, int op) {
    return Map.of("OTTO_RUN_ID", run, "OTTO_STAGE", stage, "OTTO_STEP", String.valueOf(step), "OTTO_IDEMPOTENCY_KEY",
        StageDigest.idempotencyKey(run, stage, op));
  }
}

package dev.otto.core.engine;

import com.google.common.hash.Hashing;
import dev.otto.core.plan.PlannedStage;
import java.nio.charset.StandardCharsets;

/** Digests the engine journals: what a stage was when it ran, and the key of an op's executions. */
final class StageDigest {
  private StageDigest() {}

  /** A digest of everything the plan says about a stage; a restart reuses a stage only if it is unchanged. */
  static String of(PlannedStage stage) {
    return Hashing.sha256().hashString(stage.toString(), StandardCharsets.UTF_8).toString().substring(0, 32);
  }

  /**
   * The key every execution of one op of one run shares, retries and runs after a resume
   * included: a step hands it to the systems it calls so that they can ignore repeats.
   */
  static String idempotencyKey(String run, String stage, int op) {
    return Hashing.sha256().hashString(run + '\u0000' + stage + '\u0000' + op, StandardCharsets.UTF_8).toString()
        .substring(0, 32);
  }

  /** The hash a webhook token is known by in the journal and the engine's tables. */
  static String token(String token) {
    return Hashing.sha256().hashString(token, StandardCharsets.UTF_8).toString();
  }
}

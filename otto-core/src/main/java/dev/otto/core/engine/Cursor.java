package dev.otto.core.engine;

import dev.otto.core.executor.ProcessOutcome;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.PlannedStage;
import java.time.Instant;

/**
 * Where a started stage is in its ops. Only one thread moves a cursor at a time: the stage's
 * work is handed from thread to thread as continuations, and between them (a wait, a retry's
 * backoff, a group's children running) no thread holds it.
 */
final class Cursor {
  final PlannedStage stage;
  /** The next op to run. */
  int index;
  /** How many process ops come before {@link #index}. */
  int step;
  boolean failed;
  boolean interrupted;
  String reason;
  /** Attempts of the current process op so far, while a retry is pending. */
  int attempt;
  ProcessOutcome lastOutcome;
  Instant stepStart;
  /** Whether the group has opened its children and waits for them. */
  boolean atChildren;
  /** A wait restored from the journal, used when the cursor reaches its op. */
  Recovery.PendingRecord restored;
  /** The sync of the stage's last recorded outcome, awaited before the next is recorded. */
  java.util.concurrent.CompletableFuture<Void> durable;
  /** Ends what the stage is waiting on (a wait, a backoff), when the run stops or the stage times out. */
  volatile Runnable wake;

  Cursor(PlannedStage stage) {
    this.stage = stage;
  }

  /** Moves past the current op. */
  void advance() {
    if (stage.ops().get(index) instanceof Op.RunProcess) {
      step++;
    }
    index++;
  }

  /** A cursor placed after the ops a journal recorded for the stage. */
  static Cursor restored(PlannedStage stage, Recovery.StageRecord record) {
    Cursor cursor = new Cursor(stage);
    cursor.index = Math.min(record.next, stage.ops().size());
    for (int i = 0; i < cursor.index; i++) {
      if (stage.ops().get(i) instanceof Op.RunProcess) {
        cursor.step++;
      }
    }
    cursor.failed = record.failed;
    cursor.interrupted = record.interrupted;
    cursor.reason = record.reason;
    cursor.restored = record.wait;
    return cursor;
  }
}

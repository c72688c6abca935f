package dev.otto.core.engine;

import dev.otto.core.plan.Op;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A wait in progress: its timers, and the guard that lets exactly one outcome end it. */
final class Waiting {
  final Cursor cursor;
  final Op.Wait op;
  /** The SHA-256 of a webhook's token; null for other waits. */
  final String tokenHash;
  final Instant deadline;
  /** The outcome that ended it, as {@link RunEvent.WaitEnded} words it; null while it is pending. */
  final AtomicReference<String> outcome = new AtomicReference<>();
  volatile Scheduler.Cancellable timer;
  volatile Scheduler.Cancellable nextProbe;
  int attempts;
  Duration interval;

  Waiting(Cursor cursor, Op.Wait op, String tokenHash, Instant deadline) {
    this.cursor = cursor;
    this.op = op;
    this.tokenHash = tokenHash;
    this.deadline = deadline;
    this.interval = op instanceof Op.Poll poll ? poll.interval() : null;
  }

  PendingWait describe(String run) {
    String description = Reasons.about(op);
    return new PendingWait(run, cursor.stage.id(), op.id(), op.kind(), description,
        op instanceof Op.AwaitApproval a ? a.approvers() : java.util.List.of(), deadline);
  }

  boolean done() {
    return outcome.get() != null;
  }

  void cancelTimers() {
    Scheduler.Cancellable t = timer;
    if (t != null) {
      t.cancel();
    }
    Scheduler.Cancellable p = nextProbe;
    if (p != null) {
      p.cancel();
    }
  }
}

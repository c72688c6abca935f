package dev.otto.core.engine;

import dev.otto.core.executor.ProcessOutcome;
import dev.otto.core.model.Gate;
import dev.otto.core.plan.Op;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The waits of one run. A wait is a {@link Waiting} and a timer: no thread waits. Exactly one
 * outcome ends it (a decision, a callback, a successful probe, the deadline, or the run
 * stopping); the outcome is journaled before the stage goes on.
 */
final class RunWaits {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunWaits.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The largest callback payload the engine accepts. */
  static final int MAX_PAYLOAD = 64 * 1024;

  private final Run run;
  private final Map<String, Waiting> pending = new ConcurrentHashMap<>();
  /** Token hashes of waits that ended, with why they no longer work. */
  private final Map<String, WaitRefusedException.Reason> retired = new ConcurrentHashMap<>();
  /** Waits that ended, by id, so that a late decision hears why it is refused. */
  private final Map<String, Ended> ended = new ConcurrentHashMap<>();

  private record Ended(Op.Wait op, String outcome) {}

  RunWaits(Run run) {
    this.run = run;
  }

  List<PendingWait> pending() {
    List<String> order = run.plan.stages().stream().map(s -> s.id()).toList();
    List<Waiting> waits = new ArrayList<>(pending.values());
    waits.sort(Comparator.comparingInt((Waiting w) -> order.indexOf(w.cursor.stage.id()))
        .thenComparingInt(w -> w.cursor.index));
    return waits.stream().map(w -> w.describe(run.id())).toList();
  }

  boolean isWaiting(String stage) {
    return pending.values().stream().anyMatch(w -> w.cursor.stage.id().equals(stage));
  }

  /** Waits that ended before the run was taken over: decisions and tokens for them stay refused. */
  void retire(List<Recovery.EndedWait> waits) {
    for (Recovery.EndedWait wait : waits) {
      run.plan.stages().stream().filter(s -> s.id().equals(wait.stage())).findFirst()
          .map(stage -> stage.ops().get(wait.op())).filter(Op.Wait.class::isInstance).map(Op.Wait.class::cast)
          .ifPresent(op -> ended.put(op.id(), new Ended(op, wait.outcome())));
      if (wait.tokenHash() != null) {
        retired.put(wait.tokenHash(), refusalAfter(wait.outcome()));
        run.engine.registerToken(wait.tokenHash(), run);
      }
    }
  }

  /** Why a token no longer works after its wait ended with {@code outcome}. */
  private static WaitRefusedException.Reason refusalAfter(String outcome) {
    return outcome.equals("timed-out") || outcome.equals("cancelled") ? WaitRefusedException.Reason.EXPIRED
        : WaitRefusedException.Reason.ALREADY_RESOLVED;
  }

  /** Begins the wait at the cursor, or restores it from the journal with its token and deadline. */
  void open(Cursor c, Op.Wait wait) {
    Recovery.PendingRecord restored = c.restored != null && c.restored.op() == c.index ? c.restored : null;
    c.restored = null;
    String token = null;
    String hash = null;
    if (wait instanceof Op.AwaitWebhook) {
      if (restored != null && restored.tokenHash() != null) {
        hash = restored.tokenHash();
      } else {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        hash = StageDigest.token(token);
      }
    }
    Instant deadline = restored != null ? restored.deadline() : run.now().plus(wait.timeout());
    Waiting w = new Waiting(c, wait, hash, deadline);
    if (restored == null) {
      run.journal(true, Entries.encode("wait", "stage", c.stage.id(), "op", String.valueOf(c.index), "token", hash,
          "deadline", deadline.toString()));
    }
    // The timer and the wake-up exist before the wait is visible, so that whoever sees the wait
    // (a test moving the clock, a host deciding) finds it complete.
    c.wake = () -> end(w, "cancelled", null, null);
    Duration left = Duration.between(run.now(), deadline);
    w.timer = run.engine.scheduler.schedule(left.isNegative() ? Duration.ZERO : left,
        () -> end(w, "timed-out", null, null));
    pending.put(wait.id(), w);
    if (hash != null) {
      run.engine.registerToken(hash, run);
    }
    if (w.done()) {
      pending.remove(wait.id(), w);
      return;
    }
    PendingWait described = w.describe(run.id());
    run.emit(new RunEvent.WaitStarted(run.id(), run.now(), c.stage.id(), wait.id(), wait.kind(),
        described.description(), described.approvers(), deadline, Optional.ofNullable(token)));
    if (wait instanceof Op.Poll) {
      run.engine.workers.execute(() -> probe(w));
    }
    if (run.isStopped(c.stage.id())) {
      end(w, "cancelled", null, null);
    }
  }

  void decide(String waitId, Decision decision) {
    java.util.Objects.requireNonNull(waitId, "waitId");
    java.util.Objects.requireNonNull(decision, "decision");
    // end() records a wait as ended before it stops being pending: one of the two finds it
    Waiting w = pending.get(waitId);
    Ended gone = w == null ? ended.get(waitId) : null;
    Op.Wait op = w != null ? w.op : gone != null ? gone.op() : null;
    if (op == null) {
      throw new WaitRefusedException(WaitRefusedException.Reason.UNKNOWN_WAIT, "run '" + run.id()
          + "' has no pending wait '" + waitId + "'; its pending waits are "
          + pending().stream().map(p -> "'" + p.id() + "'").toList());
    }
    if (!(op instanceof Op.AwaitApproval approval)) {
      throw WaitRefusedException.notAnApproval(run.id(), op);
    }
    if (!approval.approvers().isEmpty() && !approval.approvers().contains(decision.by())) {
      throw new WaitRefusedException(WaitRefusedException.Reason.NOT_ALLOWED, "'" + decision.by()
          + "' may not decide approval '" + approval.prompt() + "' of run '" + run.id() + "'; it is for "
          + String.join(", ", approval.approvers()));
    }
    if (gone != null) {
      throw WaitRefusedException.approvalEnded(run.id(), waitId, gone.outcome());
    }
    if (!end(w, decision.approved() ? "approved" : "rejected", decision, null)) {
      throw WaitRefusedException.approvalEnded(run.id(), waitId, w.outcome.get());
    }
  }

  /** Resolves the webhook wait whose token hashes to {@code hash}. */
  PendingWait callback(String hash, String payload) {
    Waiting w = pending.values().stream().filter(p -> hash.equals(p.tokenHash)).findFirst().orElse(null);
    if (w == null) {
      WaitRefusedException.Reason reason = retired.getOrDefault(hash, WaitRefusedException.Reason.UNKNOWN_TOKEN);
      throw new WaitRefusedException(reason, switch (reason) {
        case EXPIRED -> "the token's wait timed out or was cancelled; a late callback changes nothing";
        case ALREADY_RESOLVED -> "the token was used already; a token works once";
        default -> "no pending wait has this token";
      });
    }
    PendingWait described = w.describe(run.id());
    if (!end(w, "called", null, payload)) {
      throw new WaitRefusedException(WaitRefusedException.Reason.ALREADY_RESOLVED, "the token was used already; a "
          + "token works once");
    }
    return described;
  }

  /** Ends a wait with {@code outcome}; false when another outcome ended it first. */
  private boolean end(Waiting w, String outcome, Decision decision, String payload) {
    if (!w.outcome.compareAndSet(null, outcome)) {
      return false;
    }
    w.cancelTimers();
    Cursor c = w.cursor;
    c.wake = null;
    ended.put(w.op.id(), new Ended(w.op, outcome));
    pending.remove(w.op.id());
    if (w.tokenHash != null) {
      retired.put(w.tokenHash, refusalAfter(outcome));
    }
    String what = Reasons.about(w.op);
    String noun = Reasons.noun(w.op);
    String warning = null;
    if (outcome.equals("rejected") && !c.failed) {
      c.failed = true;
      c.reason = Reasons.rejected(w.op, decision.by(), decision.comment());
    } else if (outcome.equals("timed-out")) {
      String timedOut = Reasons.waitTimedOut(w.op);
      if (w.op.onTimeout() == Gate.OnTimeout.FAIL) {
        if (!c.failed) {
          c.failed = true;
          c.reason = timedOut;
        }
      } else {
        warning = timedOut + "; the stage goes on, as the wait declares";
      }
    } else if (outcome.equals("cancelled") && !c.failed) {
      c.interrupted = true;
    }
    int op = c.index;
    try {
      run.runner.recordOp(c, null, "outcome", outcome, "by", decision == null ? null : decision.by(), "comment",
          decision == null ? null : decision.comment().orElse(null), "payload", payload, "token", w.tokenHash);
    } catch (RuntimeException e) {
      LOG.error("the outcome of wait '{}' of run {} could not be journaled", w.op.id(), run.id(), e);
      if (c.index == op) {
        c.advance();
      }
      c.failed = true;
      c.reason = "the journal failed to record the " + noun + " '" + what + "': " + e.getMessage();
    }
    if (warning != null) {
      run.emit(new RunEvent.Warning(run.id(), run.now(), c.stage.id(), warning));
    }
    run.emit(new RunEvent.WaitEnded(run.id(), run.now(), c.stage.id(), w.op.id(), outcome,
        decision == null ? Optional.empty() : Optional.of(decision.by()),
        decision == null ? Optional.empty() : decision.comment()));
    assert op + 1 == c.index;
    run.proceed(c);
    return true;
  }

  /** One attempt of a poll's probe; schedules the next one while the deadline allows. */
  private void probe(Waiting w) {
    if (w.done()) {
      return;
    }
    Op.Poll poll = (Op.Poll) w.op;
    int attempt = ++w.attempts;
    ProcessOutcome outcome;
    try {
      outcome = run.runner.attempt(w.cursor, 0, poll.probe());
    } catch (RuntimeException e) {
      outcome = new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO,
          "the probe could not run: " + e.getClass().getSimpleName());
    }
    if (w.done()) {
      return;
    }
    if (outcome.succeeded()) {
      run.emit(new RunEvent.PollAttempt(run.id(), run.now(), w.cursor.stage.id(), poll.id(), attempt, true,
          outcome.detail(), Optional.empty()));
      end(w, "succeeded", null, null);
      return;
    }
    Duration delay = w.interval;
    double grown = Math.min(delay.toNanos() * poll.backoff(), (double) poll.maxInterval().toNanos());
    w.interval = Duration.ofNanos((long) Math.max(grown, delay.toNanos()));
    Instant next = run.now().plus(delay);
    boolean more = next.isBefore(w.deadline);
    if (more) {
      w.nextProbe = run.engine.scheduler.schedule(delay, () -> run.engine.workers.execute(() -> probe(w)));
      if (w.done()) {
        w.nextProbe.cancel();
      }
    }
    run.emit(new RunEvent.PollAttempt(run.id(), run.now(), w.cursor.stage.id(), poll.id(), attempt, false,
        outcome.detail(), more ? Optional.of(next) : Optional.empty()));
  }

  /** Lets the engine forget every token of the run, when it ends. */
  void forget() {
    pending.values().forEach(w -> {
      if (w.tokenHash != null) {
        run.engine.forgetToken(w.tokenHash);
      }
    });
    retired.keySet().forEach(run.engine::forgetToken);
  }
}

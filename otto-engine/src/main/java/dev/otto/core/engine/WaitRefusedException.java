package dev.otto.core.engine;

import dev.otto.core.OttoException;
import dev.otto.core.plan.Op;

/**
 * A decision or callback the engine refused. Nothing changed: the wait, if there is one, is
 * still pending.
 *
 * <p>The {@link Reason} is the contract, shared by every engine (an HTTP endpoint answers with a
 * status per reason); the message is for people. The factories word the refusals that more than
 * one engine makes, so that they read the same whichever engine refused.
 */
public final class WaitRefusedException extends OttoException {
  private static final long serialVersionUID = 1L;

  /** Why it was refused. */
  public enum Reason {
    /** No run of this engine has that id. */
    UNKNOWN_RUN,
    /** The run has no wait of that id, pending or ended. */
    UNKNOWN_WAIT,
    /** No wait of a run of this engine was given that token. */
    UNKNOWN_TOKEN,
    /** The wait was resolved already: an approval takes one decision, a token works once. */
    ALREADY_RESOLVED,
    /** The wait timed out or was cancelled. */
    EXPIRED,
    /** The decider is not among the approval's approvers. */
    NOT_ALLOWED,
    /** The wait is of another kind: an approval is decided, a webhook is called, a poll resolves itself. */
    WRONG_KIND
  }

  private final Reason reason;

  public WaitRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /**
   * A decision for a wait that is not an approval: {@code wait 'Verify#enter-1' of run '…' is a
   * webhook, not an approval; a webhook ends with a callback carrying its token}.
   */
  public static WaitRefusedException notAnApproval(String run, Op.Wait wait) {
    return wrongKind(run, wait, "approval");
  }

  /** A callback for a wait that is not a webhook. */
  public static WaitRefusedException notAWebhook(String run, Op.Wait wait) {
    return wrongKind(run, wait, "webhook");
  }

  private static WaitRefusedException wrongKind(String run, Op.Wait wait, String expected) {
    String noun = Reasons.noun(wait);
    String ends = switch (noun) {
      case "approval" -> "ends with a decision";
      case "webhook" -> "ends with a callback carrying its token";
      default -> "ends when its probe succeeds";
    };
    return new WaitRefusedException(Reason.WRONG_KIND, "wait '" + wait.id() + "' of run '" + run + "' is "
        + withArticle(noun) + ", not " + withArticle(expected) + "; " + withArticle(noun) + " " + ends);
  }

  /**
   * A decision for an approval that ended with {@code outcome}, as {@link RunEvent.WaitEnded}
   * words it: {@code ALREADY_RESOLVED} after a decision, {@code EXPIRED} after a timeout or
   * cancellation.
   */
  public static WaitRefusedException approvalEnded(String run, String waitId, String outcome) {
    String wait = "wait '" + waitId + "' of run '" + run + "' ";
    return switch (outcome) {
      case "timed-out" -> new WaitRefusedException(Reason.EXPIRED, wait + "timed out; a late decision changes nothing");
      case "cancelled" -> new WaitRefusedException(Reason.EXPIRED, wait + "was cancelled; a late decision changes "
          + "nothing");
      default -> new WaitRefusedException(Reason.ALREADY_RESOLVED, wait + "was " + outcome + " already; an approval "
          + "takes one decision");
    };
  }

  private static String withArticle(String noun) {
    return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
  }

  public Reason reason() {
    return reason;
  }
}

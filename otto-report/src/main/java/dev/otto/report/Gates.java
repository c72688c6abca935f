package dev.otto.report;

import dev.otto.core.engine.RunEvent;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.PlannedStage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The gates of a stage in words, as the pictures show them: on a plan what each waits for, on a
 * run how each ended and who decided. A gate's kind ({@code approval}, {@code webhook}, {@code
 * poll}, {@code lock}) picks its symbol; its state ({@code planned}, {@code passed}, {@code refused},
 * {@code waiting}, {@code not-reached}) picks its colour.
 */
final class Gates {
  /** One gate of a box: what to write on it, and the whole story for its tooltip. */
  record Line(String kind, String state, String text, String tooltip) {}

  private Gates() {}

  /** What each of the stage's gates will wait for. */
  static List<Line> planned(PlannedStage stage) {
    return stage.waits().stream().map(w -> new Line(kind(w), "planned", where(w) + ": " + what(w), story(w))).toList();
  }

  /** How each of the stage's gates went in a run, or what it would have waited for where the run never reached it. */
  static List<Line> ran(PlannedStage stage, WaitLog log) {
    List<Line> lines = new ArrayList<>();
    for (Op.Wait wait : stage.waits()) {
      Optional<WaitLog.Entry> entry = log.get(stage.id(), wait.id());
      if (entry.isEmpty()) {
        lines.add(new Line(kind(wait), "not-reached", where(wait) + ": " + what(wait), story(wait) + "; not reached"));
      } else {
        String outcome = outcome(wait, entry.get());
        lines.add(new Line(kind(wait), state(entry.get()), where(wait) + ": " + outcome,
            story(wait) + "; " + waited(entry.get()) + "; " + outcome));
      }
    }
    return lines;
  }

  /** A wait of a run in one line, for the timeline: {@code waited 2 h 5 min for approval by ops · approved by alice}. */
  static String waited(WaitLog.Entry entry, Op.Wait wait) {
    return waited(entry) + " for " + what(wait) + " · " + outcome(wait, entry);
  }

  static String kind(Op.Wait wait) {
    return wait instanceof Op.AwaitApproval ? "approval" : wait instanceof Op.AwaitWebhook ? "webhook"
        : wait instanceof Op.Poll ? "poll" : "lock";
  }

  static String state(WaitLog.Entry entry) {
    return entry.ended().map(e -> switch (e.outcome()) {
      case "approved", "called", "succeeded", "granted" -> "passed";
      default -> "refused";
    }).orElse("waiting");
  }

  private static String where(Op.Wait wait) {
    Op.Position position = wait instanceof Op.AwaitApproval a ? a.position()
        : wait instanceof Op.AwaitWebhook w ? w.position() : wait instanceof Op.Poll p ? p.position()
        : Op.Position.ENTER;
    return position == Op.Position.ENTER ? "enter" : "exit";
  }

  private static String what(Op.Wait wait) {
    if (wait instanceof Op.AwaitApproval a) {
      return "approval" + (a.approvers().isEmpty() ? "" : " by " + String.join(", ", a.approvers()));
    }
    if (wait instanceof Op.AcquireLock l) {
      return "lock '" + l.lock() + "'";
    }
    return wait instanceof Op.AwaitWebhook w ? "webhook '" + w.description() + "'"
        : "poll '" + ((Op.Poll) wait).description() + "'";
  }

  private static String story(Op.Wait wait) {
    String asked = wait instanceof Op.AwaitApproval a ? "'" + a.prompt() + "' " : "";
    return where(wait) + ": " + asked + "wait for " + what(wait) + ", at most " + Timeline.span(wait.timeout());
  }

  private static String outcome(Op.Wait wait, WaitLog.Entry entry) {
    if (entry.ended().isEmpty()) {
      return "waiting for " + what(wait);
    }
    RunEvent.WaitEnded end = entry.ended().get();
    String by = end.by().map(b -> " by " + b).orElse("");
    String comment = end.comment().map(c -> ": " + c).orElse("");
    return switch (end.outcome()) {
      case "approved", "rejected" -> end.outcome() + by + comment;
      case "called" -> "webhook called";
      case "granted" -> "lock granted";
      case "superseded" -> "superseded by a newer run";
      case "succeeded" -> "poll succeeded after " + entry.attempts() + (entry.attempts() == 1 ? " attempt" : " attempts");
      default -> kind(wait) + " " + end.outcome().replace('-', ' ').toLowerCase(Locale.ROOT);
    };
  }

  private static String waited(WaitLog.Entry entry) {
    return entry.ended().map(e -> "waited " + Timeline.span(Duration.between(entry.started().at(), e.at())))
        .orElse("began waiting");
  }
}

package dev.otto.temporal.internal;

import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.engine.RunSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/** Turns what the workflow answers into the core engine's types, for the host. */
public final class Translate {
  private Translate() {}

  public static RunResult result(Messages.RunRecord record) {
    return new RunResult(record.runId(), record.pipeline(), RunResult.Status.valueOf(record.status()),
        Duration.ofMillis(record.durationMillis()), record.stages().stream().map(Translate::stage).toList());
  }

  private static RunResult.StageResult stage(Messages.StageRecord stage) {
    return new RunResult.StageResult(stage.id(), RunResult.Status.valueOf(stage.status()),
        Optional.ofNullable(stage.reason()), Duration.ofMillis(stage.durationMillis()),
        stage.steps().stream().map(step -> new RunResult.StepResult(step.label(), RunResult.Status.valueOf(step.status()),
            exit(step.exitCode()), Duration.ofMillis(step.durationMillis()), step.detail())).toList());
  }

  public static PendingWait wait(String run, Messages.WaitRecord wait) {
    return new PendingWait(run, wait.stage(), wait.id(), wait.kind(), wait.description(), wait.approvers(),
        Instant.ofEpochMilli(wait.deadlineMillis()));
  }

  public static RunSnapshot snapshot(Messages.RunView view) {
    return new RunSnapshot(view.runId(), view.pipeline(), view.state(), view.stages(),
        view.waits().stream().map(w -> wait(view.runId(), w)).toList());
  }

  /** The event a record stands for; {@code token} is the webhook token of a {@code WaitStarted}, if any. */
  public static RunEvent event(String run, Messages.EventRecord e, Optional<String> token) {
    Instant at = Instant.ofEpochMilli(e.atMillis());
    return switch (e.type()) {
      case "RunStarted" -> new RunEvent.RunStarted(run, at, e.pipeline(), e.count());
      case "RunFinished" -> new RunEvent.RunFinished(run, at, status(e.status()), Duration.ofMillis(e.durationMillis()));
      case "StageStarted" -> new RunEvent.StageStarted(run, at, e.stage(), e.detail());
      case "StageFinished" -> new RunEvent.StageFinished(run, at, e.stage(), status(e.status()),
          Duration.ofMillis(e.durationMillis()));
      case "StageSkipped" -> new RunEvent.StageSkipped(run, at, e.stage(), e.detail());
      case "StepStarted" -> new RunEvent.StepStarted(run, at, e.stage(), e.step(), e.label());
      case "StepFinished" -> new RunEvent.StepFinished(run, at, e.stage(), e.step(), e.label(), status(e.status()),
          exit(e.exitCode()), Duration.ofMillis(e.durationMillis()), e.detail());
      case "StepSkipped" -> new RunEvent.StepSkipped(run, at, e.stage(), e.step(), e.label(), e.detail());
      case "CacheEvent" -> new RunEvent.CacheEvent(run, at, e.stage(), e.label(), e.status(), e.detail());
      case "Emitted" -> new RunEvent.Emitted(run, at, e.stage(), e.label(), e.detail());
      case "Warning" -> new RunEvent.Warning(run, at, e.stage(), e.detail());
      case "WaitStarted" -> new RunEvent.WaitStarted(run, at, e.stage(), e.waitId(), e.kind(), e.description(),
          e.approvers() == null ? List.of() : e.approvers(), Instant.ofEpochMilli(e.deadlineMillis()), token);
      case "WaitEnded" -> new RunEvent.WaitEnded(run, at, e.stage(), e.waitId(), e.status(), Optional.ofNullable(e.by()),
          Optional.ofNullable(e.comment()));
      case "PollAttempt" -> new RunEvent.PollAttempt(run, at, e.stage(), e.waitId(), e.count(),
          "succeeded".equals(e.status()), e.detail(), Optional.ofNullable(e.deadlineMillis()).map(Instant::ofEpochMilli));
      default -> new RunEvent.Warning(run, at, e.stage(), "an event of a kind this host does not know: "
          + e.type().toLowerCase(Locale.ROOT));
    };
  }

  private static RunResult.Status status(String status) {
    return RunResult.Status.valueOf(status);
  }

  private static OptionalInt exit(Integer code) {
    return code == null ? OptionalInt.empty() : OptionalInt.of(code);
  }
}

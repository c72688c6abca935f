package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What happens during a run, in order, as listeners see it. Every text in an event is masked:
 * no secret value reaches a listener.
 */
public sealed interface RunEvent {

  /** The run's id. */
  String run();

  /** When it happened, by the engine's clock. */
  Instant at();

  record RunStarted(String run, Instant at, String pipeline, int stages) implements RunEvent {}

  /**
   * The run's workspace was filled from its source before any stage started.
   *
   * @param at when filling began: the run's start, as the first stage's start is
   * @param source what the workspace started as, e.g. "a copy of /src/shop"
   * @param files how many files the source wrote
   * @param bytes how many bytes they hold
   * @param revision the commit the files come from, when known
   * @param duration how long filling it took
   */
  record WorkspacePrepared(String run, Instant at, String source, long files, long bytes,
      java.util.Optional<String> revision, Duration duration) implements RunEvent {}

  record RunFinished(String run, Instant at, RunResult.Status status, Duration duration) implements RunEvent {}

  record StageStarted(String run, Instant at, String stage, String executor) implements RunEvent {}

  record StageFinished(String run, Instant at, String stage, RunResult.Status status, Duration duration)
      implements RunEvent {}

  /** A stage that did not run, and why. */
  record StageSkipped(String run, Instant at, String stage, String reason) implements RunEvent {}

  record StepStarted(String run, Instant at, String stage, int step, String label) implements RunEvent {}

  record StepFinished(String run, Instant at, String stage, int step, String label, RunResult.Status status,
      OptionalInt exitCode, Duration duration, String detail) implements RunEvent {}

  /** A step that did not run, and why: an earlier step failed, or the run was stopped. */
  record StepSkipped(String run, Instant at, String stage, int step, String label, String reason)
      implements RunEvent {}

  /** One line a step printed, masked. */
  record OutputLine(String run, Instant at, String stage, int step, String line) implements RunEvent {
    public OutputLine {
      requireNonNull(line, "line");
    }
  }

  /**
   * A cache restored or saved, or why not. {@code what} is one of {@code hit}, {@code
   * fallback_hit} (the key had no entry, and the newest entry of a fallback key was restored;
   * the stage's save then writes the key's own), {@code miss}, {@code corrupt}, {@code saved},
   * {@code already_saved}, {@code failed}, or {@code restore} / {@code save} when the engine has
   * no cache store; see {@link CacheOps.Outcome}.
   */
  record CacheEvent(String run, Instant at, String stage, String cache, String what, String detail)
      implements RunEvent {}

  /** An event the pipeline emits for the host, e.g. a notification. */
  record Emitted(String run, Instant at, String stage, String event, String message) implements RunEvent {}

  /** Something the host should know, e.g. a stage falling back to the local executor. */
  record Warning(String run, Instant at, String stage, String message) implements RunEvent {}

  /** A run taken over from its journal by this engine; {@code entries} is how many were read. */
  record RunResumed(String run, Instant at, int entries) implements RunEvent {}

  /** A stage not run again: its result is the one recorded in {@code fromRun}. */
  record StageReused(String run, Instant at, String stage, String fromRun, RunResult.Status status)
      implements RunEvent {}

  /**
   * A wait that began (or was restored on resume). For a webhook, {@code token} is the
   * correlation token a callback must carry; it is left out of {@link #toString()} so that logging
   * the event does not hand it out.
   *
   * @param waitId what {@link LocalEngine#decide} and the HTTP endpoint name the wait by, e.g.
   *     {@code Deploy#enter-1}
   * @param kind {@code await-approval}, {@code await-webhook}, {@code poll} or {@code lock}, as
   *     {@link PendingWait#kind()}
   * @param approvers who may decide an approval; empty for anyone, and for other kinds
   */
  record WaitStarted(String run, Instant at, String stage, String waitId, String kind, String description,
      List<String> approvers, Instant deadline, Optional<String> token) implements RunEvent {
    public WaitStarted {
      approvers = List.copyOf(approvers);
      requireNonNull(token, "token");
    }

    @Override
    public String toString() {
      return "WaitStarted[run=" + run + ", at=" + at + ", stage=" + stage + ", waitId=" + waitId + ", kind=" + kind
          + ", description=" + description + ", approvers=" + approvers + ", deadline=" + deadline
          + (token.isPresent() ? ", token=***" : "") + "]";
    }
  }

  /** One attempt of a poll's probe. */
  record PollAttempt(String run, Instant at, String stage, String waitId, int attempt, boolean succeeded,
      String detail, Optional<Instant> next) implements RunEvent {}

  /**
   * A wait that ended, with its outcome: {@code approved}, {@code rejected}, {@code called},
   * {@code succeeded}, {@code timed-out} or {@code cancelled}; a lock's wait ends {@code granted}
   * or {@code superseded} too.
   */
  record WaitEnded(String run, Instant at, String stage, String waitId, String outcome, Optional<String> by,
      Optional<String> comment) implements RunEvent {}
}

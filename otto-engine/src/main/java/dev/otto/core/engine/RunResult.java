package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a run ended: its status, and the status, duration and reason of every stage and step.
 *
 * @param run the run's id
 * @param pipeline the pipeline's name
 * @param status the run's status
 * @param duration from start to end
 * @param stages every stage of the plan, in plan order
 */
public record RunResult(String run, String pipeline, Status status, Duration duration, List<StageResult> stages) {

  /** How something ended. */
  public enum Status {
    SUCCEEDED,
    FAILED,
    SKIPPED,
    CANCELLED
  }

  public RunResult {
    requireNonNull(run, "run");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(status, "status");
    requireNonNull(duration, "duration");
    stages = List.copyOf(stages);
  }

  /** The result of the stage {@code id}. */
  public Optional<StageResult> stage(String id) {
    return stages.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /**
   * One stage's result.
   *
   * @param reason why it was skipped, failed or cancelled; empty when it succeeded
   */
  public record StageResult(String id, Status status, Optional<String> reason, Duration duration,
      List<StepResult> steps) {
    public StageResult {
      requireNonNull(id, "id");
      requireNonNull(status, "status");
      requireNonNull(reason, "reason");
      requireNonNull(duration, "duration");
      steps = List.copyOf(steps);
    }
  }

  /** One process's result. */
  public record StepResult(String label, Status status, OptionalInt exitCode, Duration duration, String detail) {
    public StepResult {
      requireNonNull(label, "label");
      requireNonNull(status, "status");
      requireNonNull(exitCode, "exitCode");
      requireNonNull(duration, "duration");
      requireNonNull(detail, "detail");
    }
  }
}

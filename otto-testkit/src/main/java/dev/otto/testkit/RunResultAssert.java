package dev.otto.testkit;

import dev.otto.core.engine.RunResult;
import java.util.List;

/**
 * Assertions on how a run ended, and how each stage did.
 *
 * <pre>{@code
 * assertThat(result).failed().stage("Deploy > Production").wasSkippedBecause("its dependency");
 * }</pre>
 */
public final class RunResultAssert extends OttoAssert<RunResultAssert, RunResult> {

  RunResultAssert(RunResult result, Failures failures) {
    super(result, RunResultAssert.class, failures);
  }

  public RunResultAssert succeeded() {
    return status(RunResult.Status.SUCCEEDED);
  }

  public RunResultAssert failed() {
    return status(RunResult.Status.FAILED);
  }

  public RunResultAssert wasCancelled() {
    return status(RunResult.Status.CANCELLED);
  }

  /** Exactly these stages ran (succeeded or failed), in plan order; the others were skipped. */
  public RunResultAssert ranStages(String... stages) {
    isNotNull();
    List<String> ran = actual.stages().stream().filter(s -> s.status() == RunResult.Status.SUCCEEDED
        || s.status() == RunResult.Status.FAILED).map(RunResult.StageResult::id).toList();
    return check(ran.equals(List.of(stages)), "\nExpecting run of pipeline '" + actual.pipeline()
        + "' to have run the stages:\n  " + List.of(stages) + "\nbut it ran:\n  " + ran);
  }

  /** Assertions on the result of the stage {@code id}. */
  public StageResultAssert stage(String id) {
    isNotNull();
    RunResult.StageResult stage = actual.stage(id).orElse(null);
    if (stage == null) {
      throw new AssertionError("\nExpecting run of pipeline '" + actual.pipeline() + "' to have the stage:\n  "
          + quote(id) + "\nbut its stages are:\n  " + actual.stages().stream().map(RunResult.StageResult::id).toList());
    }
    return new StageResultAssert(actual.pipeline(), stage, failures);
  }

  private RunResultAssert status(RunResult.Status expected) {
    isNotNull();
    return check(actual.status() == expected, "\nExpecting run of pipeline '" + actual.pipeline() + "' to have "
        + expected + "\nbut it " + actual.status() + ":\n  " + String.join("\n  ", actual.stages().stream()
            .map(s -> s.id() + " " + s.status() + s.reason().map(r -> ": " + r).orElse("")).toList())
        + simulationHint());
  }

  private static final java.util.regex.Pattern MISSING_ARTIFACT_PATH =
      java.util.regex.Pattern.compile("the artifact '[^']+' has no path '([^']+)' in the workspace");

  /**
   * What to do when a stage failed for an artifact's files that no step made: in a simulation,
   * processes make no files unless scripted to.
   */
  private String simulationHint() {
    for (RunResult.StageResult stage : actual.stages()) {
      java.util.regex.Matcher missing = MISSING_ARTIFACT_PATH.matcher(stage.reason().orElse(""));
      if (missing.find()) {
        return "\n(in a simulation, steps make no files: script the step of '" + stage.id() + "' or before it that "
            + "makes them, e.g. simulation.step(\"" + stage.id() + "\", \"<its script>\").creating(\""
            + missing.group(1) + "...\"))";
      }
    }
    return "";
  }
}

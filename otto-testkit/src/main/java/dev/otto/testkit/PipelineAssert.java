package dev.otto.testkit;

import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.Planner;
import dev.otto.core.validate.Problem;
import dev.otto.core.validate.Validator;
import java.util.List;

/**
 * Assertions on a pipeline's structure, whatever the run context: every stage is there,
 * matrices and blueprints expanded, conditions left undecided.
 *
 * <pre>{@code
 * assertThat(pipeline).isValid().hasNoWarnings().hasStage("Deploy > Production");
 * assertThat(pipeline).stage("Test").runsAfter("Build").restoresCache("gems");
 * }</pre>
 */
public final class PipelineAssert extends OttoAssert<PipelineAssert, Pipeline> {
  private Plan plan;

  PipelineAssert(Pipeline pipeline, Failures failures) {
    super(pipeline, PipelineAssert.class, failures);
  }

  private Plan plan() {
    if (plan == null) {
      isNotNull();
      plan = Planner.plan(actual);
    }
    return plan;
  }

  /** The pipeline has no validation error. */
  public PipelineAssert isValid() {
    isNotNull();
    List<Problem> errors = Validator.validate(actual).stream().filter(Problem::isError).toList();
    return check(errors.isEmpty(), "\nExpecting pipeline '" + actual.name() + "' to be valid\nbut it has "
        + errors.size() + " errors:\n  " + String.join("\n  ", errors.stream().map(Problem::toString).toList()));
  }

  /**
   * Validation reports no warning: nothing that works, but probably not as its author meant, such
   * as a cache that no stage restores ({@code Validator.warnings}).
   */
  public PipelineAssert hasNoWarnings() {
    isNotNull();
    List<Problem> warnings = Validator.warnings(actual);
    return check(warnings.isEmpty(), "\nExpecting pipeline '" + actual.name() + "' to have no warnings\nbut it has "
        + warnings.size() + ":\n  " + String.join("\n  ", warnings.stream().map(Problem::toString).toList()));
  }

  /** Validation reports a problem with the code {@code code}, e.g. {@code OTTO-060}. */
  public PipelineAssert hasProblem(String code) {
    isNotNull();
    List<Problem> problems = Validator.validate(actual);
    return check(problems.stream().anyMatch(p -> p.code().equals(code)), "\nExpecting pipeline '" + actual.name()
        + "' to have the problem:\n  " + code + "\nbut its problems are:\n  "
        + problems.stream().map(Problem::code).toList());
  }

  /** The pipeline has a stage at {@code path}, e.g. {@code Deploy > Production}. */
  public PipelineAssert hasStage(String path) {
    return check(plan().stage(path).isPresent(), "\nExpecting pipeline '" + actual.name() + "' to have the stage:\n  "
        + quote(path) + "\nbut its stages are:\n  " + ids());
  }

  public PipelineAssert doesNotHaveStage(String path) {
    return check(plan().stage(path).isEmpty(), "\nExpecting pipeline '" + actual.name()
        + "' not to have the stage:\n  " + quote(path) + "\nbut it has");
  }

  /** Assertions on the stage at {@code path}. */
  public StageAssert stage(String path) {
    PlannedStage stage = plan().stage(path).orElse(null);
    if (stage == null) {
      throw new AssertionError("\nExpecting pipeline '" + actual.name() + "' to have the stage:\n  " + quote(path)
          + "\nbut its stages are:\n  " + ids());
    }
    return new StageAssert(plan(), stage, failures);
  }

  private List<String> ids() {
    return plan().stages().stream().map(PlannedStage::id).toList();
  }
}

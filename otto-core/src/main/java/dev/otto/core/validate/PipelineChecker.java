package dev.otto.core.validate;

import static dev.otto.core.validate.Problem.error;
import static org.apiguardian.api.API.Status.INTERNAL;

import dev.otto.core.model.Pipeline;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Checks a whole pipeline and returns every problem, never throwing on bad input: the
 * declarations ({@link Declarations}), the structure of the stages ({@link StageTree}), and each
 * stage and the order between them ({@link StageChecks}).
 *
 * <p>Public for Otto's planner, which plans on the tree a check builds; hosts use {@link
 * Validator}. Not an API: it may change in any release.
 */
@API(status = INTERNAL, since = "0.1")
public final class PipelineChecker {
  /** The deepest nesting of a condition; printing and deciding one recurse. */
  public static final int MAX_CONDITION_DEPTH = 256;

  private PipelineChecker() {}

  /** The result of a check: the problems, and the tree the planner reuses when there are no errors. */
  public record Result(List<Problem> problems, StageTree tree) {}

  /** Checks {@code pipeline} and returns every problem, in a stable order. */
  public static Result check(Pipeline pipeline) {
    List<Problem> problems = new ArrayList<>();
    String top = Where.pipeline(pipeline.name());
    Names.displayNameError(pipeline.name()).ifPresent(e -> problems.add(error(Rule.PIPELINE_NAME, top, e + ".",
        "name the pipeline with printable text of at most " + Names.MAX_DISPLAY_LENGTH + " characters, without '>'.")));
    Declarations declared = new Declarations(pipeline, problems);
    declared.check();
    if (pipeline.stages().isEmpty()) {
      problems.add(error(Rule.EMPTY_PIPELINE, top, "the pipeline has no stages.",
          "add at least one stage, e.g. stage(\"Build\", s -> s.steps(sh(\"make\")))."));
    }
    StageTree tree = StageTree.of(pipeline, problems);
    new StageChecks(declared, tree).check();
    return new Result(List.copyOf(problems), tree);
  }
}

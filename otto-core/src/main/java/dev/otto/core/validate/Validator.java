package dev.otto.core.validate;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Pipeline;
import java.util.List;

/**
 * Checks a whole pipeline and reports every problem at once, each with a stable code, a path, a
 * message and a fix. Validation never throws on a bad pipeline; {@link #requireValid} turns
 * errors into one {@link PipelineValidationException}.
 *
 * <pre>{@code
 * List<Problem> problems = Validator.validate(pipeline);
 * problems.forEach(System.out::println);
 * }</pre>
 *
 * <p>Cost: linear in the size of the pipeline, plus one graph traversal per cache that is
 * restored and per stage named by a same-as runtime.
 */
public final class Validator {
  /**
   * The deepest nesting of stages a valid pipeline has: a top-level stage is at depth 1, and
   * deeper stages are reported as {@code OTTO-014}.
   */
  public static final int MAX_STAGE_DEPTH = 1000;

  private Validator() {}

  /** Every problem of {@code pipeline}, errors and warnings, in a stable order. */
  public static List<Problem> validate(Pipeline pipeline) {
    requireNonNull(pipeline, "pipeline");
    return PipelineChecker.check(pipeline).problems();
  }

  /**
   * The warnings of {@code pipeline}: what works, but probably not as its author meant, such as a
   * cache that no stage restores. A pipeline with warnings builds and plans; {@code Explain.text}
   * and the {@code otto} command show them, and the testkit's {@code hasNoWarnings()} fails on them.
   */
  public static List<Problem> warnings(Pipeline pipeline) {
    return validate(pipeline).stream().filter(p -> !p.isError()).toList();
  }

  /** Returns {@code pipeline} when it has no errors; otherwise throws with every problem. */
  public static Pipeline requireValid(Pipeline pipeline) {
    List<Problem> problems = validate(pipeline);
    if (problems.stream().anyMatch(Problem::isError)) {
      throw new PipelineValidationException(pipeline.name(), problems);
    }
    return pipeline;
  }
}

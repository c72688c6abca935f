package dev.otto.core.validate;

import dev.otto.core.OttoException;
import java.util.List;
import java.util.Locale;

/**
 * Thrown when a pipeline has errors: carries every problem found, errors and warnings, so that
 * they can all be fixed in one pass. The message numbers them:
 *
 * <pre>
 * pipeline 'webapp' has 2 problems (2 errors):
 *   1. [OTTO-060] error at pipeline 'webapp' &gt; stage 'Deploy'
 *      approval 'Ship it?' has no timeout.
 *      Fix: give every wait a timeout, e.g. .timeout(Duration.ofHours(24)).
 *   2. ...
 * </pre>
 */
public final class PipelineValidationException extends OttoException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_LISTED = 200;

  private final String pipeline;
  private final transient List<Problem> problems;

  public PipelineValidationException(String pipeline, List<Problem> problems) {
    super(render(pipeline, problems));
    this.pipeline = pipeline;
    this.problems = List.copyOf(problems);
  }

  public String pipeline() {
    return pipeline;
  }

  /** Every problem, in the order validation found them. */
  public List<Problem> problems() {
    return problems;
  }

  /** Only the errors. */
  public List<Problem> errors() {
    return problems.stream().filter(Problem::isError).toList();
  }

  private static String render(String pipeline, List<Problem> problems) {
    long errors = problems.stream().filter(Problem::isError).count();
    StringBuilder out = new StringBuilder();
    out.append(Where.pipeline(pipeline)).append(" has ").append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems")
        .append(" (").append(errors).append(errors == 1 ? " error" : " errors").append("):");
    int n = 0;
    for (Problem problem : problems) {
      if (++n > MAX_LISTED) {
        out.append("\n  ... and ").append(problems.size() - MAX_LISTED).append(" more (see problems())");
        break;
      }
      out.append("\n  ").append(n).append(". [").append(problem.code()).append("] ")
          .append(problem.severity().name().toLowerCase(Locale.ROOT)).append(" at ").append(problem.path())
          .append("\n     ").append(problem.message())
          .append("\n     Fix: ").append(problem.fix());
    }
    return out.toString();
  }
}

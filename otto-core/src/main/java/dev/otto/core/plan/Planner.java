package dev.otto.core.plan;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Pipeline;
import dev.otto.core.validate.PipelineChecker;
import dev.otto.core.validate.PipelineValidationException;
import dev.otto.core.validate.Problem;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a pipeline for a run context.
 *
 * <pre>{@code
 * Plan plan = Planner.plan(pipeline, RunContext.branch("master"));
 * System.out.print(Explain.text(plan));
 * }</pre>
 *
 * <p>Planning validates first and throws {@link PipelineValidationException} with every problem
 * when the pipeline has errors, and {@link InvalidRunContextException} when the context gives a
 * parameter the pipeline does not declare, a value of the wrong type, or omits a parameter
 * without a default. With {@link RunContext#unknown()} it never fails on the context: every
 * condition on the branch, tag, trigger or a parameter stays undecided, since a run may give any
 * value.
 *
 * <p>Cost: linear in the size of the pipeline, plus a sort of the stages; planning a pipeline of
 * 100,000 steps takes a fraction of a second.
 */
public final class Planner {
  private static final Logger LOG = LoggerFactory.getLogger(Planner.class);

  private Planner() {}

  /** Plans {@code pipeline} for {@code context}. */
  public static Plan plan(Pipeline pipeline, RunContext context) {
    requireNonNull(pipeline, "pipeline");
    requireNonNull(context, "context");
    long start = System.nanoTime();
    PipelineChecker.Result check = PipelineChecker.check(pipeline);
    if (check.problems().stream().anyMatch(Problem::isError)) {
      LOG.debug("pipeline '{}' has {} problems; not planned", pipeline.name(), check.problems().size());
      throw new PipelineValidationException(pipeline.name(), check.problems());
    }
    List<Problem> warnings = check.problems().stream().filter(p -> !p.isError()).toList();
    Plan plan = new Lowering(pipeline, context, check.tree(), warnings).plan();
    if (LOG.isDebugEnabled()) {
      LOG.debug("planned pipeline '{}' for {}: {} stages in {} ms", pipeline.name(), context, plan.stages().size(),
          (System.nanoTime() - start) / 1_000_000);
    }
    return plan;
  }

  /** Plans {@code pipeline} with nothing known about the run: what explain shows ahead of time. */
  public static Plan plan(Pipeline pipeline) {
    return plan(pipeline, RunContext.unknown());
  }
}

package dev.otto.core.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What an engine needs of a plan to run it: the pipeline's name, the plan's fingerprint and its
 * stages with their ops. An engine that runs elsewhere than where the plan was made (a Temporal
 * workflow, say) takes the plan as its {@code otto-plan/1} JSON and reads it back with {@link
 * #fromJson}, which gives stages equal to the plan's own.
 *
 * <p>Libraries, environments and parameters are left out: planning has already applied them to
 * the stages.
 *
 * @param pipeline the pipeline's name
 * @param fingerprint the plan's fingerprint, {@code sha256:...}
 * @param stages every stage, in plan order
 */
public record RunnablePlan(String pipeline, String fingerprint, List<PlannedStage> stages) {
  public RunnablePlan {
    requireNonNull(pipeline, "pipeline");
    requireNonNull(fingerprint, "fingerprint");
    stages = List.copyOf(stages);
  }

  /** The runnable part of {@code plan}. */
  public static RunnablePlan of(Plan plan) {
    requireNonNull(plan, "plan");
    return new RunnablePlan(plan.pipeline(), plan.fingerprint(), plan.stages());
  }

  /** The plan's JSON, which {@link #fromJson} reads: the same as {@link Plan#toJson()}. */
  public static String toJson(Plan plan) {
    return requireNonNull(plan, "plan").toJson();
  }

  /**
   * Reads the runnable part of a plan from its {@code otto-plan/1} JSON.
   *
   * @throws IllegalArgumentException if {@code json} is not a plan in that form, saying where
   */
  public static RunnablePlan fromJson(String json) {
    return PlanJsonReader.read(requireNonNull(json, "json"));
  }
}

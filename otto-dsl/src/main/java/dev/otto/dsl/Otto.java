package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Condition;
import dev.otto.core.model.ConditionGate;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.WebhookGate;
import dev.otto.core.validate.PipelineValidationException;
import dev.otto.core.validate.Problem;
import dev.otto.core.validate.Validator;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry point of the DSL. Import its members statically and write a pipeline:
 *
 * <pre>{@code
 * import static dev.otto.dsl.Otto.*;
 *
 * Pipeline webapp = pipeline("webapp", p -> {
 *   var gems = p.cache("gems", "vendor/");
 *   var build = p.stage("Build", s -> s.runtime(docker("ruby")).saves(gems)
 *       .steps(sh("bundle install --path=vendor")));
 *   p.stage("Test", s -> s.runtime(sameAs(build)).restores(gems).steps(sh("bundle exec rake spec")));
 * });
 * }</pre>
 *
 * <p>{@link #pipeline} validates what it built and throws {@link PipelineValidationException}
 * listing every problem when there are errors, so a pipeline value in hand is always valid.
 */
public final class Otto {
  private Otto() {}

  /** Builds and validates a pipeline. */
  public static Pipeline pipeline(String name, Customizer<PipelineSpec> customizer) {
    requireNonNull(name, "pipeline name");
    requireNonNull(customizer, "customizer");
    PipelineSpec spec = new PipelineSpec(name);
    customizer.customize(spec);
    Pipeline pipeline = spec.build();
    List<Problem> problems = new ArrayList<>(spec.problems());
    problems.addAll(spec.withoutConsequences(Validator.validate(pipeline)));
    if (problems.stream().anyMatch(Problem::isError)) {
      throw new PipelineValidationException(name, problems);
    }
    return pipeline;
  }

  /** Builds a pipeline from a blueprint with its defaults, plus what {@code customizer} adds. */
  public static Pipeline pipeline(String name, Blueprint blueprint, Customizer<PipelineSpec> customizer) {
    requireNonNull(blueprint, "blueprint");
    requireNonNull(customizer, "customizer");
    return pipeline(name, p -> {
      p.from(blueprint);
      customizer.customize(p);
    });
  }

  // Steps

  /** A shell script step. */
  public static ShStep sh(String script) {
    return ShStep.of(requireNonNull(script, "script"));
  }

  // Runtimes

  /** A process on the engine's machine; {@code local().requires("go")} names the tools its steps call. */
  public static Runtime.Local local() {
    return Runtime.local();
  }

  /**
   * A container runtime from {@code image}; {@code docker("golang:1.22").requires("go")} names the tools its
   * steps call, which the engine's machine must have when the stage falls back to local processes.
   */
  public static Runtime.Container docker(String image) {
    return Runtime.container(requireNonNull(image, "image"));
  }

  /** Any agent carrying {@code label}. */
  public static Runtime.Agent agent(String label) {
    return Runtime.agent(requireNonNull(label, "label"));
  }

  /** The runtime of {@code stage}, which must run before. */
  public static Runtime sameAs(StageRef stage) {
    return Runtime.sameAs(requireNonNull(stage, "stage").path());
  }

  // Gates

  /** A gate decided from the run's context. */
  public static ConditionGate when(Condition condition) {
    return new ConditionGate(requireNonNull(condition, "condition"));
  }

  /** A person's approval; give it a timeout. */
  public static ApprovalGate approval(String prompt) {
    return ApprovalGate.of(requireNonNull(prompt, "prompt"));
  }

  /** A callback from an external system; give it a timeout. */
  public static WebhookGate webhook(String description) {
    return WebhookGate.of(requireNonNull(description, "description"));
  }

  /** A probe repeated until it succeeds; give it a timeout. */
  public static PollGate poll(String description, ShStep probe) {
    return PollGate.of(requireNonNull(description, "description"), requireNonNull(probe, "probe"));
  }

  // Conditions

  public static Condition.SubjectConditions branch() {
    return Condition.branch();
  }

  public static Condition.SubjectConditions tag() {
    return Condition.tag();
  }

  public static Condition.SubjectConditions trigger() {
    return Condition.trigger();
  }

  /**
   * True when a file the run's commits changed matches one of {@code globs}, e.g.
   * {@code when(changed("services/api/**"))}. Undecided before a run; true in a run that does
   * not know what changed, which then builds everything.
   */
  public static Condition changed(String... globs) {
    return Condition.changed(globs);
  }

  public static Condition not(Condition condition) {
    return Condition.not(requireNonNull(condition, "condition"));
  }

  public static Condition allOf(Condition... conditions) {
    return Condition.allOf(conditions);
  }

  public static Condition anyOf(Condition... conditions) {
    return Condition.anyOf(conditions);
  }
}

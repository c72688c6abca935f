package dev.otto.core.model;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A named unit of a pipeline: either a list of steps, or a group of child stages.
 *
 * <p>Ordering: the children of a group run one after the other in declaration order, unless the
 * group is {@link #parallel()}, in which case they start together. {@link #after()} adds
 * dependencies on any other stage, so the stages of a pipeline may form any acyclic graph.
 *
 * <p>Around its steps a stage restores the caches it {@link #restores()}, saves the caches it
 * {@link #saves()}, waits on its {@link #enter()} and {@link #exit()} gates, and afterwards runs
 * the notification steps that match its outcome.
 */
@Value.Immutable
public abstract class Stage {

  public abstract String name();

  public abstract List<Stage> stages();

  /** Whether the child stages start together rather than one after the other. */
  @Value.Default
  public boolean parallel() {
    return false;
  }

  /** Where the steps run; the parent's runtime when absent. */
  public abstract Optional<Runtime> runtime();

  public abstract List<Step> steps();

  /** Names of caches restored before the steps. */
  public abstract List<String> restores();

  /** Names of caches saved after the steps succeed. */
  public abstract List<String> saves();

  /** The name of the environment this stage deploys to. */
  public abstract Optional<String> environment();

  public abstract Optional<Condition> when();

  public abstract List<Gate> enter();

  public abstract List<Gate> exit();

  public abstract List<Step> onSuccess();

  public abstract List<Step> onFailure();

  /** Notification steps run whatever the outcome. */
  public abstract List<Step> always();

  /** Stages that must finish before this one starts, besides declaration order. */
  public abstract List<StagePath> after();

  public abstract Optional<Matrix> matrix();

  /** The longest the stage's steps may run together before the stage is stopped and fails. */
  public abstract Optional<java.time.Duration> timeout();

  /** Where the stage came from when not written directly, e.g. {@code blueprint rubygem}. */
  public abstract Optional<String> origin();

  public static Builder builder(String name) {
    return new Builder().name(name);
  }

  /** A copy with other child stages. */
  public Stage withChildren(List<Stage> stages) {
    return ((ImmutableStage) ImmutableStage.copyOf(this)).withStages(stages);
  }

  /** Builds a {@link Stage}. */
  public static final class Builder extends ImmutableStage.Builder {}
}

package dev.otto.core.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
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
 *
 * <p>Equality and hash code cover the whole tree. Both work at any depth of stages without
 * recursion: they walk the tree with a stack of their own, and the hash code is computed once
 * per stage and kept.
 */
@Value.Immutable
public abstract class Stage {
  /** The hash code once computed, or 0; a race computes the same value twice, as String's does. */
  private int hash;


  public abstract String name();

  public abstract List<Stage> stages();

  /** Whether the child stages start together rather than one after the other. */
  @Value.Default
  public boolean parallel() {
    return false;
  }

  /**
   * Whether a group goes on when one of its children fails: its other children run to their end
   * (those that depend on the failed one are skipped), and the group then fails, naming the
   * children that failed. By default a failure stops the whole run, as the engine's failure policy
   * says; a monorepo's projects, or the cells of a matrix, keep going so that one project's
   * failure does not cancel the others. Only for a group or a matrix.
   */
  @Value.Default
  public boolean keepsGoing() {
    return false;
  }

  /** Where the steps run; the parent's runtime when absent. */
  public abstract Optional<Runtime> runtime();

  public abstract List<Step> steps();

  /**
   * Containers that run beside the steps for the stage's duration, reached by their names; only
   * for a stage whose steps run in a container.
   */
  public abstract List<Service> services();

  /** Names of caches restored before the steps. */
  public abstract List<String> restores();

  /** Names of caches saved after the steps succeed. */
  public abstract List<String> saves();

  /** The name of the environment this stage deploys to. */
  public abstract Optional<String> environment();

  /** The locks the stage holds while it runs, besides those of the environment it deploys to. */
  public abstract List<Lock> locks();

  public abstract Optional<Condition> when();

  public abstract List<Gate> enter();

  public abstract List<Gate> exit();

  public abstract List<Step> onSuccess();

  public abstract List<Step> onFailure();

  /** Notification steps run whatever the outcome. */
  public abstract List<Step> always();

  /** Stages that must finish before this one starts, besides declaration order. */
  public abstract List<StagePath> after();

  /**
   * Dependencies whose skip does not skip this stage. By default a stage that depends on a
   * skipped stage, by declaration order or {@link #after()}, is skipped too, with the reason
   * naming the chain: a production deployment after a skipped pre-production one does not run.
   */
  public abstract List<StagePath> runsEvenIfSkipped();

  public abstract Optional<Matrix> matrix();

  /** The longest the stage's steps may run together before the stage is stopped and fails. */
  public abstract Optional<java.time.Duration> timeout();

  /** Where the stage came from when not written directly, e.g. {@code blueprint rubygem}. */
  public abstract Optional<String> origin();

  public static Builder builder(String name) {
    return new Builder().name(name);
  }

  /** Equal when every attribute is, child stages included, at every depth. */
  @Override
  public final boolean equals(Object other) {
    if (!(other instanceof Stage that)) {
      return false;
    }
    Deque<Stage> pending = new ArrayDeque<>();
    pending.push(this);
    pending.push(that);
    while (!pending.isEmpty()) {
      Stage b = pending.pop();
      Stage a = pending.pop();
      if (a == b) {
        continue;
      }
      if (a.hashCode() != b.hashCode() || !a.ownValues().equals(b.ownValues()) || a.stages().size() != b.stages().size()) {
        return false;
      }
      for (int i = 0; i < a.stages().size(); i++) {
        pending.push(a.stages().get(i));
        pending.push(b.stages().get(i));
      }
    }
    return true;
  }

  /**
   * A hash of every attribute, child stages included. The first call computes the hash of each
   * stage of the tree that has none yet, children before their parents, so that a parent's is
   * made of its children's kept ones.
   */
  @Override
  public final int hashCode() {
    if (hash == 0) {
      for (Stage stage : withoutHashChildrenFirst()) {
        int own = 31 * stage.ownValues().hashCode() + stage.stages().hashCode();
        stage.hash = own == 0 ? 1 : own;
      }
    }
    return hash;
  }

  /** This stage and its descendants that have no hash yet, each after its children. */
  private List<Stage> withoutHashChildrenFirst() {
    List<Stage> parentsFirst = new ArrayList<>();
    Deque<Stage> pending = new ArrayDeque<>();
    pending.push(this);
    while (!pending.isEmpty()) {
      Stage stage = pending.pop();
      parentsFirst.add(stage);
      for (Stage child : stage.stages()) {
        if (child.hash == 0) {
          pending.push(child);
        }
      }
    }
    Collections.reverse(parentsFirst);
    return parentsFirst;
  }

  /** Every attribute but the child stages, which {@link #equals} compares one level at a time. */
  final List<Object> ownValues() {
    return Arrays.asList(name(), parallel(), keepsGoing(), runtime(), steps(), services(), restores(), saves(),
        environment(), locks(), when(), enter(), exit(), onSuccess(), onFailure(), always(), after(), runsEvenIfSkipped(), matrix(), timeout(),
        origin());
  }

  /** A copy with other child stages. */
  public Stage withChildren(List<Stage> stages) {
    return ((ImmutableStage) ImmutableStage.copyOf(this)).withStages(stages);
  }

  /** Builds a {@link Stage}. */
  public static final class Builder extends ImmutableStage.Builder {}
}

package dev.otto.core.model;

import static java.util.Objects.requireNonNull;

/** A gate decided from the run context: the stage is skipped when the condition is false. */
public record ConditionGate(Condition condition) implements Gate {
  public ConditionGate {
    requireNonNull(condition, "condition");
  }

  @Override
  public String describe() {
    return "when " + condition;
  }
}

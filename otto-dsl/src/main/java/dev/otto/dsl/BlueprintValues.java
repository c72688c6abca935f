package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** The values of a blueprint's variables, by typed variable. */
public final class BlueprintValues {
  private final String blueprint;
  private final Map<String, Object> values;

  BlueprintValues(String blueprint, Map<String, Object> values) {
    this.blueprint = blueprint;
    this.values = values;
  }

  /** The value of {@code variable}: the one given, or its default. */
  public <T> T get(Variable<T> variable) {
    requireNonNull(variable, "variable");
    Object value = values.get(variable.name());
    if (value == null) {
      throw new IllegalArgumentException("blueprint '" + blueprint + "' does not declare the variable '"
          + variable.name() + "'; add it to variables()");
    }
    @SuppressWarnings("unchecked")
    T typed = (T) value;
    return typed;
  }

  /** Sets values when building a pipeline from a blueprint. */
  public static final class Setter {
    private final Map<String, Object> values;

    Setter(Map<String, Object> values) {
      this.values = values;
    }

    public <T> Setter set(Variable<T> variable, T value) {
      values.put(requireNonNull(variable, "variable").name(), requireNonNull(value, "value of " + variable.name()));
      return this;
    }
  }
}

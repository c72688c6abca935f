package dev.otto.core.library;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A declared parameter of a library action or of a library's configuration. */
public record ParamSpec(String name, ValueType type, boolean required, Optional<Object> defaultValue, String description) {
  public ParamSpec {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(defaultValue, "defaultValue");
    requireNonNull(description, "description");
    if (defaultValue.isPresent() && type == ValueType.SECRET) {
      throw new IllegalArgumentException("the secret parameter '" + name + "' cannot have a default: declare it "
          + "required, and let each pipeline name its secret");
    }
    if (defaultValue.isPresent() && !type.accepts(defaultValue.get())) {
      throw new IllegalArgumentException(
          "the default of parameter '" + name + "' is not a " + type.word() + ": " + defaultValue.get());
    }
  }

  public static ParamSpec required(String name, ValueType type, String description) {
    return new ParamSpec(name, type, true, Optional.empty(), description);
  }

  public static ParamSpec optional(String name, ValueType type, Object defaultValue, String description) {
    return new ParamSpec(name, type, false, Optional.of(defaultValue), description);
  }
}

package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/**
 * A typed variable of a {@link Blueprint}, with an optional default and a description.
 *
 * <pre>{@code
 * static final Variable<String> RUBY_VERSION =
 *     Variable.string("rubyVersion").defaultValue("ruby").description("The Ruby image to build with");
 * }</pre>
 *
 * @param <T> {@link String}, {@link Boolean} or {@link Long}
 */
public final class Variable<T> {

  /** The type of a variable's values. */
  public enum Type {
    STRING(String.class),
    BOOLEAN(Boolean.class),
    INTEGER(Long.class);

    private final Class<?> javaType;

    Type(Class<?> javaType) {
      this.javaType = javaType;
    }

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The value as this type, or empty when it is not one. Text is accepted for booleans
     * ({@code true}/{@code false}) and integers, as values from a command line or a file are text.
     */
    Optional<Object> convert(Object value) {
      if (javaType.isInstance(value)) {
        return Optional.of(value);
      }
      if (this == INTEGER && (value instanceof Integer || value instanceof Short || value instanceof Byte)) {
        return Optional.of(((Number) value).longValue());
      }
      if (value instanceof String text) {
        if (this == BOOLEAN && (text.equals("true") || text.equals("false"))) {
          return Optional.of(Boolean.valueOf(text));
        }
        if (this == INTEGER && text.matches("-?[0-9]{1,18}")) {
          return Optional.of(Long.valueOf(text));
        }
      }
      return Optional.empty();
    }
  }

  private final String name;
  private final Type type;
  private final T defaultValue;
  private final String description;

  private Variable(String name, Type type, T defaultValue, String description) {
    this.name = requireNonNull(name, "name");
    this.type = type;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public static Variable<String> string(String name) {
    return new Variable<>(name, Type.STRING, null, "");
  }

  public static Variable<Boolean> bool(String name) {
    return new Variable<>(name, Type.BOOLEAN, null, "");
  }

  public static Variable<Long> integer(String name) {
    return new Variable<>(name, Type.INTEGER, null, "");
  }

  /** A copy with a default; a variable without one must be given. */
  public Variable<T> defaultValue(T value) {
    return new Variable<>(name, type, requireNonNull(value, "default value of " + name), description);
  }

  public Variable<T> description(String text) {
    return new Variable<>(name, type, defaultValue, requireNonNull(text, "description"));
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return name + ": " + type.word() + (defaultValue == null ? "" : " = " + defaultValue);
  }
}

package dev.otto.core.library;

import java.util.List;

/** The type of a library parameter's value. */
public enum ValueType {
  STRING(String.class),
  BOOLEAN(Boolean.class),
  INTEGER(Long.class),
  STRING_LIST(List.class),
  /**
   * A declared secret, given as a {@code dev.otto.core.model.SecretRef}: by name, never by value.
   * Validation checks that it names a secret the pipeline declares.
   */
  SECRET(null);

  private final Class<?> javaType;

  ValueType(Class<?> javaType) {
    this.javaType = javaType;
  }

  /**
   * Whether {@code value} is a plain value of this type; lists must hold only strings. A secret is
   * not a plain value, so {@link #SECRET} accepts none: validation checks secrets against the
   * pipeline's declarations.
   */
  public boolean accepts(Object value) {
    if (javaType == null || !javaType.isInstance(value)) {
      return false;
    }
    if (this == STRING_LIST) {
      for (Object element : (List<?>) value) {
        if (!(element instanceof String)) {
          return false;
        }
      }
    }
    return true;
  }

  /** The word used in messages, e.g. {@code string list}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}

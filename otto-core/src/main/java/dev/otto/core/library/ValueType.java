package dev.otto.core.library;

import dev.otto.core.model.SecretRef;
import java.util.List;

/** The type of a library parameter's value. */
public enum ValueType {
  STRING(String.class),
  BOOLEAN(Boolean.class),
  INTEGER(Long.class),
  STRING_LIST(List.class),
  SECRET(SecretRef.class);

  private final Class<?> javaType;

  ValueType(Class<?> javaType) {
    this.javaType = javaType;
  }

  /** Whether {@code value} is of this type; lists must hold only strings. */
  public boolean accepts(Object value) {
    if (!javaType.isInstance(value)) {
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

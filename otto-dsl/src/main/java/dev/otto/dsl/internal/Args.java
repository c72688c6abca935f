package dev.otto.dsl.internal;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The DSL's checks of arguments that hold several values. A {@code null} is misuse, reported as
 * a {@link NullPointerException} whose message names the argument, and the position of a
 * {@code null} element: {@code steps}, or {@code step 2 of steps}.
 */
public final class Args {
  private Args() {}

  /** {@code values}, after checking that neither it nor any of its elements is null. */
  public static <T> T[] each(String element, String argument, T[] values) {
    requireNonNull(values, argument);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw nullElement(element, i, argument);
      }
    }
    return values;
  }

  /** {@code values}, after checking that neither it nor any of its elements is null. */
  public static <T> List<T> each(String element, String argument, List<T> values) {
    requireNonNull(values, argument);
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw nullElement(element, i, argument);
      }
    }
    return values;
  }

  /** The message is made only for a null: made for every element, it would cost more than the check. */
  private static NullPointerException nullElement(String element, int index, String argument) {
    return new NullPointerException(element + " " + (index + 1) + " of " + argument);
  }
}

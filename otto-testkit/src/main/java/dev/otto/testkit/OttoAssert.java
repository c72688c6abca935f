package dev.otto.testkit;

import org.assertj.core.api.AbstractAssert;

/**
 * The base of Otto's assertions: a failed check throws, or, under {@link SoftOttoAssertions}, is
 * collected and reported with the others at the end.
 *
 * @param <SELF> the assertion's own type, for chaining
 * @param <ACTUAL> what is asserted on
 */
public abstract class OttoAssert<SELF extends OttoAssert<SELF, ACTUAL>, ACTUAL> extends AbstractAssert<SELF, ACTUAL> {
  final Failures failures;

  OttoAssert(ACTUAL actual, Class<?> self, Failures failures) {
    super(actual, self);
    this.failures = failures;
  }

  /** Fails with {@code message} unless {@code ok}; returns this assertion either way, for chaining. */
  final SELF check(boolean ok, String message) {
    if (!ok) {
      String description = info.descriptionText();
      String text = (description == null || description.isEmpty() ? "" : "[" + description + "] ") + message;
      if (failures != null) {
        failures.add(new AssertionError(text));
      } else {
        throw new AssertionError(text);
      }
    }
    return myself;
  }

  static String quote(Object value) {
    return "\"" + value + "\"";
  }
}

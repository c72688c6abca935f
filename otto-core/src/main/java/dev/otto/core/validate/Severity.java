package dev.otto.core.validate;

/** How serious a {@link Problem} is. */
public enum Severity {
  /** The pipeline cannot be planned until it is fixed. */
  ERROR,
  /** The pipeline works, but probably not as its author meant. */
  WARNING
}

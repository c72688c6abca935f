package dev.otto.core.validate;

import static java.util.Objects.requireNonNull;

import dev.otto.core.Printable;

/**
 * One thing wrong with a pipeline: which {@link Rule} it breaks, how serious it is, where it is
 * ({@code pipeline 'webapp' > stage 'Deploy' > stage 'Production'}), what is wrong, and how to
 * fix it.
 *
 * <p>Its texts quote names, prompts and values from the pipeline, so they are made {@link
 * Printable} when the problem is made: a control character in a name shows as an escape such
 * as <code>&#92;u0000</code> wherever the problem is printed.
 */
public record Problem(Rule rule, Severity severity, String path, String message, String fix) {
  public Problem {
    requireNonNull(rule, "rule");
    requireNonNull(severity, "severity");
    path = Printable.of(requireNonNull(path, "path"));
    message = Printable.of(requireNonNull(message, "message"));
    fix = Printable.of(requireNonNull(fix, "fix"));
  }

  public static Problem error(Rule rule, String path, String message, String fix) {
    return new Problem(rule, Severity.ERROR, path, message, fix);
  }

  public static Problem warning(Rule rule, String path, String message, String fix) {
    return new Problem(rule, Severity.WARNING, path, message, fix);
  }

  /** The rule's stable code, e.g. {@code OTTO-060}. */
  public String code() {
    return rule.code();
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    return "[" + code() + "] " + severity.name().toLowerCase(java.util.Locale.ROOT) + " at " + path + ": " + message
        + " Fix: " + fix;
  }
}

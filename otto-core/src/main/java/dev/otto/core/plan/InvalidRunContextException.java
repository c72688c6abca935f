package dev.otto.core.plan;

import dev.otto.core.OttoException;
import java.util.List;

/** Thrown when a run context does not fit a pipeline: a missing, unknown or mistyped parameter. */
public final class InvalidRunContextException extends OttoException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  InvalidRunContextException(String pipeline, List<String> problems) {
    super("the run context does not fit pipeline '" + pipeline + "':\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

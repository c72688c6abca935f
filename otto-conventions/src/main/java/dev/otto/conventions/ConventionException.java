package dev.otto.conventions;

import dev.otto.core.OttoException;

/** Conventions could not make a pipeline: nothing matched, or a project file could not be read. */
public final class ConventionException extends OttoException {
  private static final long serialVersionUID = 1L;

  public ConventionException(String message) {
    super(message);
  }
}

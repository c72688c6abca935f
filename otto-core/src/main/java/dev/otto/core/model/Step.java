package dev.otto.core.model;

/**
 * One action of a stage. A {@link ShStep} runs a shell script; a {@link LibraryStep} calls an
 * action of a step library, which expands into primitive operations when the pipeline is planned.
 */
public sealed interface Step permits ShStep, LibraryStep {

  /** A short label for explain output. */
  String label();
}

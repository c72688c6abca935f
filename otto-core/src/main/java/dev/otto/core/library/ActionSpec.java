package dev.otto.core.library;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A declared action of a step library, with its parameters in a stable order. */
public record ActionSpec(String name, String description, List<ParamSpec> parameters) {
  public ActionSpec {
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    parameters = List.copyOf(parameters);
  }
}

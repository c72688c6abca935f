package dev.otto.testkit;

import java.util.ArrayList;
import java.util.List;

/** Where soft assertions collect their failures; hard assertions have none and throw. */
final class Failures {
  private final List<AssertionError> errors = new ArrayList<>();

  synchronized void add(AssertionError error) {
    errors.add(error);
  }

  synchronized List<AssertionError> errors() {
    return List.copyOf(errors);
  }
}

package dev.otto.core.validate;

/**
 * A place problems are reported at, built only when a problem is found: most stages have none,
 * and building paths for all of them would dominate the cost of validating a large pipeline.
 */
@FunctionalInterface
interface At {
  String get();

  default At then(String what, int n) {
    return () -> get() + " > " + what + " " + n;
  }
}


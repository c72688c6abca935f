package dev.otto.testkit.conformance;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for what a real engine does on its own threads. */
final class Waiting {
  private Waiting() {}

  /** Returns once {@code condition} holds; fails naming {@code what} after a minute. */
  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not come within a minute");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

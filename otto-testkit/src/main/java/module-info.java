/**
 * Test support for Otto pipelines: AssertJ assertions on pipelines, plans and results,
 * simulated runs in virtual time, explain snapshots, and a JUnit 5 extension.
 */
module dev.otto.testkit {
  requires transitive dev.otto.dsl;
  requires transitive dev.otto.engine;
  requires transitive org.assertj.core;
  requires org.junit.jupiter.api;
  requires org.opentest4j;

  exports dev.otto.testkit;
  exports dev.otto.testkit.simulation;
  exports dev.otto.testkit.junit;
  exports dev.otto.testkit.conformance;
}

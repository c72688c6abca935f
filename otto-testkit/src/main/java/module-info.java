/**
 * Test support for Otto pipelines: AssertJ assertions on pipelines, plans and results,
 * simulated runs in virtual time, explain snapshots, and a JUnit 5 extension.
 *
 * <p>The types a test learns first: {@link dev.otto.testkit.OttoAssertions}, {@link
 * dev.otto.testkit.PipelineAssert}, {@link dev.otto.testkit.PlanAssert}, {@link
 * dev.otto.testkit.RunResultAssert}, {@link dev.otto.testkit.SoftOttoAssertions}, {@link
 * dev.otto.testkit.Snapshots}, {@link dev.otto.testkit.junit.OttoExtension}, {@link
 * dev.otto.testkit.simulation.Simulator}, {@link dev.otto.testkit.simulation.Simulation} and
 * {@link dev.otto.testkit.simulation.SimulatedEngine}. Stability: {@code MAINTAINED}, but for the
 * engines' conformance suite, which is {@code EXPERIMENTAL}.
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

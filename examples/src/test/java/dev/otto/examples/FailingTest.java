package dev.otto.examples;

import static dev.otto.testkit.OttoAssertions.assertThat;

import dev.otto.core.engine.RunEvent;
import dev.otto.core.plan.RunContext;
import dev.otto.testkit.junit.OttoExtension;
import dev.otto.testkit.simulation.SimulatedRun;
import dev.otto.testkit.simulation.Simulation;
import dev.otto.testkit.simulation.Simulator;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The failing example, tested with the testkit. */
@ExtendWith(OttoExtension.class)
class FailingTest {

  @Test
  void failed_integration_tests_notify_and_skip_packaging_and_publishing(Simulator otto) {
    Simulation simulation = otto.simulate(Failing.pipeline());
    simulation.step("Build", "mkdir*").creating("dist/app.txt");
    simulation.step("Test > Integration", "*connecting to the test database*").printing("connection refused")
        .exitsWith(3);

    SimulatedRun run = simulation.run(RunContext.branch("main"));

    assertThat(run.result()).failed().ranStages("Build", "Test", "Test > Unit", "Test > Integration");
    assertThat(run.result()).stage("Test > Integration").failedBecause("exited with status 3");
    assertThat(run.result()).stage("Package").wasSkippedBecause("its dependency 'Test' failed");
    assertThat(run.result()).stage("Publish").wasSkipped();
    assertThat(run).firedNotification("Integration tests failed").didNotRunStep("Package", "tar*");
    Assertions.assertThat(run.events(RunEvent.Emitted.class)).extracting(RunEvent.Emitted::message)
        .contains("stored app: 1 files");
  }

  @Test
  void packaging_waits_for_the_build_and_the_tests() {
    assertThat(Failing.pipeline()).stage("Package").runsAfter("Build").runsAfter("Test > Integration");
    assertThat(Failing.pipeline()).stage("Test > Unit").runsInParallelWith("Test > Integration");
  }
}

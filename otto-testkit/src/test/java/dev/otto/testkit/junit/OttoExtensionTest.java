package dev.otto.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.RunContext;
import dev.otto.testkit.simulation.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(OttoExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OttoExtensionTest {
  static Path used;

  @Test
  @Order(1)
  void should_hand_the_test_a_simulator_with_a_directory_of_its_own(Simulator otto) {
    Pipeline pipeline = Pipeline.builder("p").addStages(Stage.builder("Build").addSteps(ShStep.of("make")).build())
        .build();

    RunResult result = otto.simulate(pipeline).run(RunContext.branch("main")).result();

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(otto.root()).isDirectory();
    assertThat(otto.root().resolve(result.run()).resolve("workspace")).isDirectory();
    used = otto.root();
  }

  @Test
  @Order(2)
  void should_have_removed_the_directory_of_the_test_before() {
    assertThat(used).isNotNull();
    assertThat(Files.exists(used)).isFalse();
  }

  @AfterAll
  static void forget() {
    used = null;
  }
}

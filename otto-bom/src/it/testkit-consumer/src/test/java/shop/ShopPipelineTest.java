package shop;

import static dev.otto.dsl.Otto.branch;
import static dev.otto.dsl.Otto.sh;
import static dev.otto.dsl.Otto.when;
import static dev.otto.testkit.OttoAssertions.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import dev.otto.testkit.OttoAssertions;
import dev.otto.testkit.SoftOttoAssertions;
import dev.otto.testkit.junit.OttoExtension;
import dev.otto.testkit.simulation.SimulatedRun;
import dev.otto.testkit.simulation.Simulator;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A pipeline's test as a project using otto-testkit writes it, run by the JUnit it declares. */
@ExtendWith(OttoExtension.class)
class ShopPipelineTest {
  static final Pipeline SHOP = Otto.pipeline("shop", p -> {
    p.stage("Build", s -> s.steps(sh("make")));
    p.stage("Deploy", s -> s.enter(when(branch().is("main"))).steps(sh("./deploy.sh")));
  });

  @Test
  void should_run_with_the_junit_and_assertj_the_project_declares() throws Exception {
    // given the versions this module declares
    String junit = System.getProperty("expected.junit.version");
    String assertj = System.getProperty("expected.assertj.version");

    // when the test runs, then every part of JUnit and AssertJ comes in that version, none from the testkit
    assertThat(jarOf(Test.class)).endsWith("junit-jupiter-api-" + junit + ".jar");
    assertThat(jarOf(Class.forName("org.junit.jupiter.engine.JupiterTestEngine")))
        .endsWith("junit-jupiter-engine-" + junit + ".jar");
    assertThat(jarOf(org.junit.platform.commons.util.ReflectionUtils.class))
        .endsWith("junit-platform-commons-" + junit.replaceFirst("^5\\.", "1.") + ".jar");
    assertThat(jarOf(org.assertj.core.api.Assertions.class)).endsWith("assertj-core-" + assertj + ".jar");
  }

  @Test
  void should_deploy_only_from_main() {
    // given the shop's pipeline

    // when planned for a feature branch, then the deployment is skipped and says why
    OttoAssertions.assertThat(plan(SHOP, RunContext.branch("feature/x")))
        .runs("Build")
        .skips("Deploy", "branch is 'main'");
  }

  @Test
  void should_simulate_a_run_from_main_with_the_extension(Simulator otto) {
    // given a simulated run on main
    SimulatedRun run = otto.simulate(SHOP).run(RunContext.branch("main"));

    // then both stages ran, softly checked
    SoftOttoAssertions.assertSoftly(softly -> {
      softly.assertThat(run.result()).succeeded().ranStages("Build", "Deploy");
      softly.assertThat(run).ranStep("Deploy", "./deploy.sh");
    });
  }

  @Test
  void should_find_the_licence_in_the_testkit_jar() throws Exception {
    // given the testkit's jar, as this project resolved it
    try (JarFile testkit = new JarFile(Path.of(jarOf(OttoAssertions.class)).toFile())) {
      // then it carries Otto's licence
      assertThat(testkit.getEntry("META-INF/LICENSE")).isNotNull();
    }
  }

  private static String jarOf(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}

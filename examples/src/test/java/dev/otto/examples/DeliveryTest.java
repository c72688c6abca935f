package dev.otto.examples;

import static dev.otto.testkit.OttoAssertions.assertThat;
import static dev.otto.testkit.OttoAssertions.assertThatThrownBy;

import dev.otto.core.engine.Deployment;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.testkit.junit.OttoExtension;
import dev.otto.testkit.simulation.SimulatedRun;
import dev.otto.testkit.simulation.Simulation;
import dev.otto.testkit.simulation.Simulator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The delivery example, tested with the testkit: what it deploys where, promotions and a rollback. */
@ExtendWith(OttoExtension.class)
class DeliveryTest {

  @Test
  void production_runs_what_staging_ran_and_a_rollback_redeploys_what_it_ran_before(Simulator otto) {
    // given two releases, each approved for production
    Simulation simulation = otto.simulate(Delivery.pipeline());
    simulation.step("Build", "mkdir*").creating("dist/app.txt");
    SimulatedRun first = simulation.run(RunContext.branch("main")).approve("Production", "alice");
    simulation.step("Build", "mkdir*").creating("dist/app.txt", "dist/notes.txt");
    SimulatedRun second = simulation.run(RunContext.branch("main")).approve("Production", "bob");

    // when production is rolled back
    SimulatedRun rollback = simulation.run(Planner.plan(Delivery.pipeline(), RunContext.builder().branch("main")
        .rollback("production").build())).approve("Production", "carol");

    // then each release deployed to staging and production, production taking staging's artifact
    assertThat(first).deployed("staging").deployed("production");
    assertThat(second).deployed("production");
    Deployment staged = second.deployments("staging").get(0);
    Deployment released = second.deployments("production").get(0);
    assertThat(released.digest("app")).isEqualTo(staged.digest("app"));
    assertThat(released.approvedBy()).contains("bob");
    // and the rollback ran only the production stage, with what the first release deployed
    assertThat(rollback).deployed("production").didNotDeploy("staging").didNotRunStep("Build", "*");
    List<Deployment> production = simulation.deployments("production");
    assertThat(production).extracting(Deployment::run).containsExactly(rollback.result().run(),
        second.result().run(), first.result().run());
    assertThat(production.get(0).digest("app")).isEqualTo(production.get(2).digest("app"))
        .isNotEqualTo(production.get(1).digest("app"));
  }
  @Test
  void a_rollback_with_nothing_to_roll_back_to_is_refused_before_it_asks_anyone(Simulator otto) {
    // given one release only, approved for production
    Simulation simulation = otto.simulate(Delivery.pipeline());
    simulation.step("Build", "mkdir*").creating("dist/app.txt");
    simulation.run(RunContext.branch("main")).approve("Production", "alice");

    // when production is rolled back, then the run is refused before its approval waits for anyone
    assertThatThrownBy(() -> simulation.run(Planner.plan(Delivery.pipeline(), RunContext.builder()
            .branch("main").rollback("production").build())))
        .hasMessageContaining("stage 'Production' rolls back, but 'production' ran no other files of the artifact "
            + "'app' before what it runs now, as its record says; there is nothing to roll back to");
    assertThat(simulation.deployments("production")).hasSize(1);
  }
}

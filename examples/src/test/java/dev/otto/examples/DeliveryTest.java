package dev.otto.examples;

import static dev.otto.dsl.Otto.sh;
import static dev.otto.testkit.OttoAssertions.assertThat;
import static dev.otto.testkit.OttoAssertions.assertThatThrownBy;

import dev.otto.core.engine.Deployment;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import dev.otto.dsl.library.Stdlib;
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

  @Test
  void a_rollback_that_waits_for_a_lock_first_finds_out_when_it_restores(Simulator otto) {
    // given production behind a lock, which a deployment in flight may hold, and one release only
    Pipeline locked = Otto.pipeline("locked", p -> {
      var std = p.use(Stdlib.library());
      var production = p.environment("production", e -> e.lock("production"));
      p.stage("Build", s -> s.steps(sh("make dist"), std.archive("app", "dist/")));
      p.stage("Production", s -> s.environment(production).steps(std.unarchive("app"), sh("./deploy")));
    });
    Simulation simulation = otto.simulate(locked);
    simulation.step("Build", "make dist").creating("dist/app.txt");
    simulation.run(RunContext.branch("main"));

    // when production is rolled back
    SimulatedRun rollback = simulation.run(Planner.plan(locked, RunContext.builder().branch("main")
        .rollback("production").build()));

    // then the run starts, and its stage says there is nothing to go back to once it has the lock
    assertThat(rollback.result().stage("Production").orElseThrow().reason()).hasValueSatisfying(reason ->
        assertThat(reason).contains("there is nothing to roll back to"));
  }
}

package dev.otto.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.report.HtmlReport;
import dev.otto.testkit.Snapshots;
import dev.otto.testkit.junit.OttoExtension;
import dev.otto.testkit.simulation.SimulatedRun;
import dev.otto.testkit.simulation.Simulation;
import dev.otto.testkit.simulation.Simulator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The web app's plan and run pages, as a person opens them, held to golden files. */
@ExtendWith(OttoExtension.class)
class PicturesTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  @Test
  void the_plan_page_for_master_shows_every_gate_of_the_deployment() {
    // given the web app planned for master
    Plan plan = Planner.plan(WebApp.pipeline(), RunContext.builder().branch("master").trigger("push").build());

    // when its page is drawn, then it is the page accepted before
    Snapshots.assertMatches(GOLDEN.resolve("webapp-master.html"), HtmlReport.explain(plan));
  }

  @Test
  void the_plan_page_for_a_feature_branch_says_why_each_deployment_is_skipped() {
    // given the web app planned for a feature branch
    Plan plan = Planner.plan(WebApp.pipeline(),
        RunContext.builder().branch("feature/login").trigger("pull_request").build());

    // when its page is drawn, then it is the page accepted before
    Snapshots.assertMatches(GOLDEN.resolve("webapp-feature.html"), HtmlReport.explain(plan));
  }

  @Test
  void the_run_page_shows_each_wait_as_a_wait_with_who_ended_it(Simulator otto) {
    // given a run on master whose build and tests take minutes and whose approvals take hours
    Simulation simulation = WebAppTest.simulate(otto);
    simulation.step("*", "bundle install*").takes(Duration.ofMinutes(3));
    simulation.step("*", "bundle exec rake spec").takes(Duration.ofMinutes(6));
    simulation.step("*", "git push*").takes(Duration.ofMinutes(2));
    SimulatedRun run = simulation.run(RunContext.builder().branch("master").trigger("push").build());
    run.advance(Duration.ofMinutes(95)).approve("Deploy > Pre-production", "alice");
    run.advance(Duration.ofMinutes(20)).approve("Deploy > Production", "bob");
    run.advance(Duration.ofMinutes(4)).deliverWebhook("Deploy > Production", "{\"status\":\"up\"}");

    // when its page is drawn (with its run's id, random in each run, left out)
    String page = HtmlReport.run(run.plan(), run.result(), run.events()).replace(run.result().run(), "RUN-ID");

    // then it is the page accepted before, and says who approved
    assertThat(page).contains("approved by alice", "approved by bob", "webhook called");
    Snapshots.assertMatches(GOLDEN.resolve("webapp-run.html"), page);
  }
}

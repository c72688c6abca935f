package dev.otto.examples.host;

import static dev.otto.testkit.OttoAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.WaitRefusedException;
import dev.otto.core.model.Pipeline;
import dev.otto.examples.WebApp;
import dev.otto.testkit.junit.OttoExtension;
import dev.otto.testkit.simulation.SimulatedEngine;
import dev.otto.testkit.simulation.Simulation;
import dev.otto.testkit.simulation.Simulator;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The release desk, tested against a simulated engine: no process runs, no time passes. */
@ExtendWith(OttoExtension.class)
class ReleaseDeskTest {
  static final Pipeline WEBAPP = WebApp.pipeline();

  SimulatedEngine simulated;
  ReleaseDesk desk;

  @BeforeEach
  void openTheDesk(Simulator otto) {
    Simulation simulation = otto.simulate(WEBAPP).secret("heroku-api-key", "fake-heroku-key")
        .secret("slack-webhook-url", "https://hooks.example.com/fake");
    simulated = simulation.engine();
    desk = new ReleaseDesk(simulated.engine(), WEBAPP);
  }

  @Test
  void shows_the_pending_approval_and_records_who_approved_it() {
    String release = desk.release("master");
    simulated.settle();

    List<PendingWait> approvals = desk.approvalsFor("alice");
    Assertions.assertThat(approvals).extracting(PendingWait::description)
        .containsExactly("Does staging look good to you?");
    Assertions.assertThat(desk.status(release).orElseThrow().stages())
        .containsEntry("Deploy > Pre-production", "waiting");

    desk.approve(release, approvals.get(0).id(), "alice", "staging is fine");
    simulated.settle();
    PendingWait production = desk.approvalsFor("bob").get(0);
    desk.approve(release, production.id(), "bob", "go");
    simulated.settle();
    Assertions.assertThat(desk.approvalsFor("bob")).isEmpty();
    simulated.advance(Duration.ofMinutes(30));

    assertThat(desk.result(release).orElseThrow()).failed().stage("Deploy > Production")
        .failedBecause("the webhook 'Pingdom health check' timed out");
    Assertions.assertThat(desk.decisions()).containsExactly(
        release + " Deploy > Pre-production#exit-1: approved by alice (staging is fine)",
        release + " Deploy > Production#enter-1: approved by bob (go)");
  }

  @Test
  void keeps_releases_apart_and_skips_deployments_of_feature_branches() {
    String feature = desk.release("feature/login");
    String master = desk.release("master");
    simulated.settle();

    assertThat(desk.result(feature).orElseThrow()).succeeded().stage("Deploy > Production").wasSkipped();
    Assertions.assertThat(desk.approvalsFor("carol")).extracting(PendingWait::run).containsExactly(master);
    desk.reject(master, "Deploy > Pre-production#exit-1", "carol", "typo on the home page");
    simulated.settle();

    assertThat(desk.result(master).orElseThrow()).failed().stage("Deploy > Pre-production")
        .failedBecause("rejected by carol: typo on the home page");
    assertThatThrownBy(() -> desk.approve(master, "Deploy > Production#enter-1", "carol", "late"))
        .isInstanceOf(WaitRefusedException.class);
    Assertions.assertThat(desk.decisions()).hasSize(1);
  }
}

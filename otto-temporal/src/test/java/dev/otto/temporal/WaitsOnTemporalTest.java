package dev.otto.temporal;

import static dev.otto.dsl.Otto.approval;
import static dev.otto.dsl.Otto.poll;
import static dev.otto.dsl.Otto.sh;
import static dev.otto.dsl.Otto.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.engine.Decision;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.engine.WaitRefusedException;
import dev.otto.core.http.EngineEndpoint;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import dev.otto.examples.HarmlessVariant;
import dev.otto.examples.WebApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Approvals, callbacks, polls and timeouts on Temporal, in the test server's skipping time. */
class WaitsOnTemporalTest {
  @TempDir
  Path root;

  private Cluster cluster;

  @BeforeEach
  void start() {
    cluster = new Cluster(root);
    cluster.worker("one", new ArrayList<>(), "otto");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void the_web_app_on_master_deploys_after_two_approvals_and_the_health_check_callback() {
    TemporalEngine engine = cluster.engine();
    RunHandle run = engine.start(Planner.plan(HarmlessVariant.of(WebApp.pipeline()), RunContext.branch("master")));

    PendingWait staging = Cluster.awaitWait(run, "Deploy > Pre-production");
    assertThat(staging.description()).isEqualTo("Does staging look good to you?");
    assertThat(staging.kind()).isEqualTo("await-approval");
    assertThat(run.snapshot().stages()).containsEntry("Build", "succeeded").containsEntry("Test", "succeeded")
        .containsEntry("Deploy > Pre-production", "waiting").containsEntry("Deploy > Production", "pending");
    assertThat(engine.waits()).containsExactly(staging);
    assertThatThrownBy(() -> engine.decide(run.id(), "no such wait", Decision.approve("alice")))
        .isInstanceOfSatisfying(WaitRefusedException.class, e -> assertThat(e.reason())
            .isEqualTo(WaitRefusedException.Reason.UNKNOWN_WAIT))
        .hasMessageContaining("has no pending wait 'no such wait'");
    assertThatThrownBy(() -> engine.decide("no-such-run", staging.id(), Decision.approve("alice")))
        .isInstanceOfSatisfying(WaitRefusedException.class, e -> assertThat(e.reason())
            .isEqualTo(WaitRefusedException.Reason.UNKNOWN_RUN));
    engine.decide(run.id(), staging.id(), Decision.approve("alice").withComment("staging looks good"));

    PendingWait production = Cluster.awaitWait(run, "Deploy > Production");
    assertThat(production.kind()).isEqualTo("await-approval");
    assertThatThrownBy(() -> engine.decide(run.id(), staging.id(), Decision.approve("alice")))
        .isInstanceOfSatisfying(WaitRefusedException.class, e -> assertThat(e.reason())
            .isEqualTo(WaitRefusedException.Reason.ALREADY_RESOLVED))
        .hasMessage("wait '" + staging.id() + "' of run '" + run.id() + "' was approved already; an approval takes "
            + "one decision");
    run.decide(production.id(), Decision.approve("bob"));

    PendingWait health = Cluster.awaitWait(run, "Deploy > Production");
    assertThat(health.kind()).isEqualTo("await-webhook");
    assertThatThrownBy(() -> run.decide(health.id(), Decision.approve("bob")))
        .isInstanceOfSatisfying(WaitRefusedException.class, e -> assertThat(e.reason())
            .isEqualTo(WaitRefusedException.Reason.WRONG_KIND))
        .hasMessageContaining("is a webhook, not an approval; a webhook ends with a callback carrying its token");
    String token = Cluster.tokenOf(cluster.events, health);
    assertThatThrownBy(() -> engine.callback(token.substring(0, token.length() - 2) + "AA", "{}"))
        .isInstanceOfSatisfying(WaitRefusedException.class, e -> assertThat(e.reason())
            .isEqualTo(WaitRefusedException.Reason.UNKNOWN_TOKEN));
    PendingWait called = engine.callback(token, "{\"check\":\"up\"}");
    assertThat(called.id()).isEqualTo(health.id());

    RunResult result = run.result().join();
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(result.stages()).extracting(s -> s.id() + " " + s.status()).containsExactly(
        "Build SUCCEEDED", "Test SUCCEEDED", "Deploy SUCCEEDED", "Deploy > Pre-production SUCCEEDED",
        "Deploy > Production SUCCEEDED");
    Cluster.awaitEvent(cluster.events, RunEvent.RunFinished.class);
    assertThat(cluster.events).filteredOn(RunEvent.WaitEnded.class::isInstance)
        .extracting(e -> ((RunEvent.WaitEnded) e).outcome() + " " + ((RunEvent.WaitEnded) e).by().orElse("-"))
        .containsExactly("approved alice", "approved bob", "called -");
    assertThatThrownBy(() -> engine.callback(token, "{}"))
        .isInstanceOfSatisfying(WaitRefusedException.class, e -> assertThat(e.reason())
            .isIn(WaitRefusedException.Reason.ALREADY_RESOLVED, WaitRefusedException.Reason.EXPIRED));
    assertThat(cluster.events.toString()).doesNotContain(Cluster.CANARY).doesNotContain(token);
  }

  @Test
  void a_rejected_approval_fails_its_stage_with_who_rejected_it_and_why() {
    RunHandle run = cluster.engine().start(Planner.plan(HarmlessVariant.of(WebApp.pipeline()),
        RunContext.branch("master")));
    PendingWait staging = Cluster.awaitWait(run, "Deploy > Pre-production");

    run.decide(staging.id(), Decision.reject("carol").withComment("the login page is broken"));

    RunResult result = run.result().join();
    assertThat(result.stage("Deploy > Pre-production").orElseThrow().reason()).contains(
        "the approval 'Does staging look good to you?' was rejected by carol: the login page is broken");
    assertThat(result.stage("Deploy > Production").orElseThrow().status()).isEqualTo(RunResult.Status.SKIPPED);
  }

  @Test
  void an_approval_nobody_answers_times_out_on_a_durable_timer() {
    Pipeline pipeline = Otto.pipeline("gated", p -> p.stage("Release", s -> s
        .enter(approval("Ship it?").approvers("alice").timeout(Duration.ofDays(2)))
        .steps(sh("echo shipped"))));
    RunHandle run = cluster.engine().start(Planner.plan(pipeline, RunContext.branch("main")));
    PendingWait wait = Cluster.awaitWait(run, "Release");
    assertThatThrownBy(() -> run.decide(wait.id(), Decision.approve("mallory")))
        .isInstanceOfSatisfying(WaitRefusedException.class, e -> assertThat(e.reason())
            .isEqualTo(WaitRefusedException.Reason.NOT_ALLOWED));

    cluster.environment.sleep(Duration.ofDays(2));
    RunResult result = run.result().join();

    assertThat(result.stage("Release").orElseThrow().reason()).contains("the approval 'Ship it?' timed out after PT48H");
  }

  @Test
  void a_poll_that_never_succeeds_fails_at_its_deadline() {
    Pipeline pipeline = Otto.pipeline("polled", p -> p.stage("Verify", s -> s
        .exit(poll("the service answers", sh("exit 1")).every(Duration.ofMinutes(5)).timeout(Duration.ofMinutes(30)))
        .steps(sh("echo deployed"))));

    RunHandle run = cluster.engine().start(Planner.plan(pipeline, RunContext.branch("main")));
    Cluster.awaitWait(run, "Verify");
    cluster.environment.sleep(Duration.ofMinutes(30));
    RunResult result = run.result().join();

    Cluster.awaitEvent(cluster.events, RunEvent.RunFinished.class);
    assertThat(cluster.events).filteredOn(RunEvent.WaitEnded.class::isInstance)
        .extracting(e -> ((RunEvent.WaitEnded) e).outcome()).containsExactly("timed-out");
    assertThat(result.stage("Verify").orElseThrow().reason())
        .contains("the poll 'the service answers' timed out after PT30M");
  }

  @Test
  void a_poll_probes_until_it_succeeds_and_continues_as_new_to_keep_its_history_short() {
    Pipeline pipeline = Otto.pipeline("polled", p -> p.stage("Verify", s -> s
        .steps(sh("echo deployed"))
        .exit(poll("the third probe succeeds", sh("n=$(cat probes 2>/dev/null || echo 0); n=$((n+1)); "
            + "echo $n > probes; [ $n -ge 7 ]")).every(Duration.ofSeconds(10)).timeout(Duration.ofHours(1)))));
    TemporalEngine engine = cluster.engine(builder -> builder.pollProbesPerHistory(3));

    RunHandle run = engine.start(Planner.plan(pipeline, RunContext.branch("main")));
    Cluster.awaitWait(run, "Verify");
    cluster.environment.sleep(Duration.ofMinutes(1));
    RunResult result = run.result().join();

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    String child = result.run() + "/Verify#exit-1";
    var history = cluster.client().fetchHistory(child);
    assertThat(history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getInput().toString())
        .as("the last of three histories starts after six probes").contains("\\\"attempts\\\":6");
  }

  @Test
  void cancelling_a_run_ends_its_waits_and_skips_what_had_not_started() {
    Pipeline pipeline = Otto.pipeline("cancelled", p -> {
      p.stage("Release", s -> s.enter(approval("Ship it?").timeout(Duration.ofHours(1))).steps(sh("echo shipped")));
      p.stage("Announce", s -> s.steps(sh("echo announced")));
    });
    RunHandle run = cluster.engine().start(Planner.plan(pipeline, RunContext.branch("main")));
    Cluster.awaitWait(run, "Release");

    run.cancel();

    RunResult result = run.result().join();
    assertThat(result.status()).isEqualTo(RunResult.Status.CANCELLED);
    assertThat(result.stages()).extracting(s -> s.id() + " " + s.status() + " " + s.reason().orElse(""))
        .containsExactly("Release CANCELLED the run was cancelled", "Announce SKIPPED the run was cancelled");
  }

  @Test
  void the_http_endpoint_serves_a_run_on_temporal_as_it_serves_a_local_one() throws Exception {
    Pipeline pipeline = Otto.pipeline("served", p -> p.stage("Release", s -> s
        .enter(approval("Ship it?").timeout(Duration.ofHours(1)))
        .exit(webhook("the release is live").timeout(Duration.ofHours(1)))
        .steps(sh("echo shipped"))));
    TemporalEngine engine = cluster.engine();
    String bearer = "a-bearer-token-for-tests-only";
    try (EngineEndpoint endpoint = EngineEndpoint.builder(engine, bearer).start()) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + endpoint.port();
      RunHandle run = engine.start(Planner.plan(pipeline, RunContext.branch("main")));
      PendingWait approval = Cluster.awaitWait(run, "Release");

      HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(base + "/runs/" + run.id()))
          .header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(status.statusCode()).isEqualTo(200);
      assertThat(status.body()).contains("\"Release\"", "waiting", approval.id());
      HttpResponse<String> decided = http.send(HttpRequest.newBuilder(URI.create(base + "/runs/" + run.id()
          + "/decisions")).header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.ofString(
          "{\"wait\": \"" + approval.id() + "\", \"approve\": true, \"by\": \"alice\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);

      PendingWait live = Cluster.awaitWait(run, "Release");
      assertThat(live.kind()).isEqualTo("await-webhook");
      String token = Cluster.tokenOf(cluster.events, live);
      HttpResponse<String> called = http.send(HttpRequest.newBuilder(URI.create(base + "/callbacks/" + token))
          .POST(HttpRequest.BodyPublishers.ofString("{\"live\": true}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(called.statusCode()).as(called.body()).isEqualTo(202);
      HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "/callbacks/" + token))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(again.statusCode()).isIn(409, 410);

      assertThat(run.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    }
  }
}

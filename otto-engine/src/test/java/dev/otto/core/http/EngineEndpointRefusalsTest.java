package dev.otto.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.Decision;
import dev.otto.core.engine.Deployment;
import dev.otto.core.engine.Engine;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.WaitRefusedException.Reason;
import dev.otto.core.engine.WaitRefusedException;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Gate;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.WebhookGate;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each refusal of the engine answers with the status site/waits.md gives it. */
class EngineEndpointRefusalsTest {
  private static final String BEARER = "test-bearer-0123456789abcdef";
  /** The statuses as site/waits.md documents them, refusal by refusal. */
  private static final Map<Reason, Integer> DOCUMENTED = Map.of(
      Reason.UNKNOWN_RUN, 404,
      Reason.UNKNOWN_WAIT, 404,
      Reason.UNKNOWN_TOKEN, 404,
      Reason.NOT_ALLOWED, 403,
      Reason.ALREADY_RESOLVED, 409,
      Reason.WRONG_KIND, 409,
      Reason.EXPIRED, 410);
  private static final String DECISION = "{\"wait\":\"Deploy#enter-1\",\"approve\":true,\"by\":\"alice\"}";

  @TempDir
  Path root;

  /** A status and a body. */
  record Answer(int statusCode, String body) {}

  static Answer post(EngineEndpoint endpoint, String path, String body) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + endpoint.port() + path)
        .toURL().openConnection();
    connection.setConnectTimeout(20_000);
    connection.setReadTimeout(20_000);
    connection.setRequestMethod("POST");
    connection.setRequestProperty("Authorization", "Bearer " + BEARER);
    connection.setDoOutput(true);
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    int status = connection.getResponseCode();
    try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
      return new Answer(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      connection.disconnect();
    }
  }

  static Stage gated(String name, Gate gate) {
    return Stage.builder(name).addEnter(gate).addSteps(ShStep.of("true")).build();
  }

  /** An engine that refuses every decision and callback for one reason. */
  record Refusing(Reason reason) implements Engine {
    @Override
    public RunHandle start(Plan plan) {
      throw new UnsupportedOperationException("the endpoint starts no run");
    }

    @Override
    public Optional<RunHandle> run(String runId) {
      return Optional.empty();
    }

    @Override
    public List<PendingWait> waits() {
      return List.of();
    }

    @Override
    public List<Deployment> deployments(String environment) {
      return List.of();
    }

    @Override
    public void decide(String runId, String waitId, Decision decision) {
      throw new WaitRefusedException(reason, "refused for " + reason);
    }

    @Override
    public PendingWait callback(String token, String payload) {
      throw new WaitRefusedException(reason, "refused for " + reason);
    }
  }

  @Nested
  class Statuses {
    @ParameterizedTest
    @EnumSource(Reason.class)
    void should_answer_a_refused_decision_with_its_documented_status(Reason reason) throws Exception {
      // given
      try (EngineEndpoint endpoint = EngineEndpoint.builder(new Refusing(reason), BEARER).start()) {
        // when
        Answer answer = post(endpoint, "/runs/r/decisions", DECISION);

        // then
        assertThat(answer.statusCode()).isEqualTo(DOCUMENTED.get(reason));
        assertThat(answer.body()).isEqualTo("{\"error\":\"refused for " + reason + "\"}");
      }
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void should_answer_a_refused_callback_with_its_documented_status(Reason reason) throws Exception {
      // given
      try (EngineEndpoint endpoint = EngineEndpoint.builder(new Refusing(reason), BEARER).start()) {
        // when
        Answer answer = post(endpoint, "/callbacks/some-token", "{}");

        // then
        assertThat(answer.statusCode()).isEqualTo(DOCUMENTED.get(reason));
      }
    }
  }

  @Nested
  class WithTheLocalEngine {
    RunHandle start(LocalEngine engine, Stage... stages) {
      RunHandle run = engine.start(Planner.plan(Pipeline.builder("p").addStages(stages).build(),
          RunContext.branch("main")));
      EngineEndpointTest.until(() -> !run.waits().isEmpty());
      return run;
    }

    @Test
    void should_answer_409_to_a_second_decision_on_an_approval() throws Exception {
      // given
      LocalEngine engine = LocalEngine.builder(root).build();
      RunHandle run = start(engine, gated("Deploy", ApprovalGate.of("Ship it?").timeout(Duration.ofHours(1))),
          gated("Later", ApprovalGate.of("more?").timeout(Duration.ofHours(1))));
      try (EngineEndpoint endpoint = EngineEndpoint.builder(engine, BEARER).start()) {
        assertThat(post(endpoint, "/runs/" + run.id() + "/decisions", DECISION).statusCode()).isEqualTo(200);
        EngineEndpointTest.until(() -> run.waits().stream().anyMatch(w -> w.stage().equals("Later")));

        // when
        Answer again = post(endpoint, "/runs/" + run.id() + "/decisions", DECISION);

        // then
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("was approved already; an approval takes one decision");
      } finally {
        run.cancel();
        run.result().join();
      }
    }

    @Test
    void should_answer_409_to_a_decision_on_a_webhook_and_name_its_kind() throws Exception {
      // given
      LocalEngine engine = LocalEngine.builder(root).build();
      RunHandle run = start(engine, gated("Deploy", WebhookGate.of("health").timeout(Duration.ofHours(1))));
      try (EngineEndpoint endpoint = EngineEndpoint.builder(engine, BEARER).start()) {
        // when
        Answer answer = post(endpoint, "/runs/" + run.id() + "/decisions", DECISION);

        // then
        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(answer.body()).contains("is a webhook, not an approval").doesNotContain("await-");
        assertThat(run.waits()).hasSize(1);
      } finally {
        run.cancel();
        run.result().join();
      }
    }
  }
}

package dev.otto.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.WebhookGate;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint over real HTTP on 127.0.0.1. */
class EngineEndpointTest {
  private static final String BEARER = "test-bearer-0123456789abcdef";

  @TempDir
  Path root;

  final List<RunEvent> events = new CopyOnWriteArrayList<>();
  LocalEngine engine;
  EngineEndpoint endpoint;

  @BeforeEach
  void start() {
    engine = LocalEngine.builder(root).listener(events::add).build();
    endpoint = EngineEndpoint.builder(engine, BEARER).start();
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  RunHandle startRun(Stage stage) {
    RunHandle run = engine.start(Planner.plan(Pipeline.builder("p").addStages(stage).build(),
        RunContext.branch("main")));
    until(() -> !run.waits().isEmpty() && events.stream().anyMatch(RunEvent.WaitStarted.class::isInstance));
    return run;
  }

  static void until(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the engine did not reach the expected state");
      }
      Thread.yield();
    }
  }

  /** A status and a body. */
  record Answer(int statusCode, String body) {}

  Answer send(String method, String path, String body, String bearer) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + endpoint.port() + path)
        .toURL().openConnection();
    connection.setRequestMethod(method);
    if (bearer != null) {
      connection.setRequestProperty("Authorization", "Bearer " + bearer);
    }
    if (body != null) {
      connection.setDoOutput(true);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the server may answer and close before reading a body it refuses
      }
    }
    int status = connection.getResponseCode();
    var in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
    String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    connection.disconnect();
    return new Answer(status, text);
  }

  static Stage approval() {
    return Stage.builder("Deploy").addEnter(ApprovalGate.of("Ship it?").approvers("alice")
        .timeout(Duration.ofHours(1))).addSteps(ShStep.of("true")).build();
  }

  @Test
  void should_decide_an_approval_with_the_bearer_token() throws Exception {
    RunHandle run = startRun(approval());
    String path = "/runs/" + run.id() + "/decisions";
    String decision = "{\"wait\":\"Deploy#enter-1\",\"approve\":true,\"by\":\"alice\",\"comment\":\"fine\"}";

    assertThat(send("POST", path, decision, null).statusCode()).isEqualTo(401);
    assertThat(send("POST", path, decision, BEARER + "x").statusCode()).isEqualTo(401);
    Answer mallory = send("POST", path, decision.replace("alice", "mallory"), BEARER);
    assertThat(mallory.statusCode()).isEqualTo(403);
    assertThat(mallory.body()).contains("'mallory' may not decide approval 'Ship it?'");
    assertThat(send("POST", path, "{\"wait\":\"Deploy#enter-1\"}", BEARER).statusCode()).isEqualTo(400);
    assertThat(send("POST", path, "not json", BEARER).statusCode()).isEqualTo(400);
    assertThat(send("POST", path, decision.replace("enter-1", "exit-1"), BEARER).statusCode()).isEqualTo(404);
    assertThat(run.waits()).hasSize(1);

    Answer status = send("GET", "/runs/" + run.id(), null, BEARER);
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("\"state\":\"running\"", "\"Deploy\":\"waiting\"", "\"id\":\"Deploy#enter-1\"",
        "\"approvers\":[\"alice\"]");

    Answer decided = send("POST", path, decision, BEARER);
    assertThat(decided.statusCode()).isEqualTo(200);
    assertThat(decided.body()).contains("\"outcome\":\"approved\"");
    assertThat(run.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(send("GET", "/runs/" + run.id(), null, BEARER).statusCode()).isEqualTo(404);
  }

  @Test
  void should_resolve_a_webhook_with_its_token_once() throws Exception {
    RunHandle run = startRun(Stage.builder("Verify").addEnter(WebhookGate.of("health").timeout(Duration.ofHours(1)))
        .addSteps(ShStep.of("true")).build());
    String token = events.stream().filter(RunEvent.WaitStarted.class::isInstance).map(RunEvent.WaitStarted.class::cast)
        .findFirst().orElseThrow().token().orElseThrow();

    assertThat(send("POST", "/callbacks/not-the-token", "{}", null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/callbacks/" + token, null, null).statusCode()).isEqualTo(405);
    assertThat(send("POST", "/callbacks/" + token, "x".repeat(64 * 1024 + 1), null).statusCode()).isEqualTo(413);
    assertThat(run.waits()).hasSize(1);

    Answer called = send("POST", "/callbacks/" + token, "{\"status\":\"up\"}", null);
    assertThat(called.statusCode()).isEqualTo(202);
    assertThat(called.body()).contains("\"wait\":\"Verify#enter-1\"");
    assertThat(run.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(send("POST", "/callbacks/" + token, "{}", null).statusCode()).isEqualTo(404);
  }

  @Test
  void should_survive_garbage_and_answer_the_next_request() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", endpoint.port())) {
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("POST /callbacks/x HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      socket.getInputStream().read(new byte[1024]);
    } catch (IOException e) {
      // the server may close the connection: what matters is that it answers the next request
    }
    try (Socket socket = new Socket("127.0.0.1", endpoint.port())) {
      socket.setSoTimeout(1000);
      socket.getOutputStream().write("\u0000\u0001 nonsense\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      socket.getInputStream().read(new byte[1024]);
    } catch (IOException e) {
      // as above
    }
    assertThat(send("GET", "/nowhere", null, null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/runs/x", null, BEARER).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/runs/x", null, BEARER).statusCode()).isEqualTo(405);
  }

  @Test
  void should_refuse_a_weak_bearer_token_and_listen_on_loopback_only() {
    assertThatThrownBy(() -> EngineEndpoint.builder(engine, "short")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16");
    assertThat(endpoint.port()).isPositive();
  }
}

package dev.otto.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.engine.LocalEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that open a connection, send part of a request and stall. Their limits are the
 * client's: a request that is not answered within {@link #PATIENCE} fails the test, and nothing
 * here asserts how fast the endpoint is.
 */
class EngineEndpointSlowClientsTest {
  private static final String BEARER = "test-bearer-0123456789abcdef";
  /** How long a test waits for an answer before calling the endpoint stuck. */
  private static final int PATIENCE = (int) Duration.ofSeconds(20).toMillis();

  @TempDir
  Path root;

  LocalEngine engine;
  EngineEndpoint endpoint;
  final List<Socket> stalled = new ArrayList<>();

  @BeforeEach
  void engine() {
    engine = LocalEngine.builder(root).build();
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : stalled) {
      socket.close();
    }
    if (endpoint != null) {
      endpoint.close();
    }
  }

  /** A connection that sent {@code part} of a request and sends nothing more. */
  Socket stall(String part) throws IOException {
    Socket socket = new Socket("127.0.0.1", endpoint.port());
    stalled.add(socket);
    socket.setSoTimeout(PATIENCE);
    socket.getOutputStream().write(part.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  /** The status of a request for a run's state, or a failure when no answer comes in time. */
  int status() throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + endpoint.port()
        + "/runs/nothing").toURL().openConnection();
    connection.setConnectTimeout(PATIENCE);
    connection.setReadTimeout(PATIENCE);
    connection.setRequestProperty("Authorization", "Bearer " + BEARER);
    try {
      return connection.getResponseCode();
    } finally {
      connection.disconnect();
    }
  }

  /** Whether the endpoint closed the connection, reading (and ignoring) any answer it sent first. */
  static boolean closedByTheEndpoint(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // an answer before closing is fine
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    }
  }

  @Test
  void should_answer_a_request_while_clients_stall_in_their_headers() throws Exception {
    // given
    endpoint = EngineEndpoint.builder(engine, BEARER).start();
    for (int i = 0; i < 4; i++) {
      stall("POST /callbacks/token-" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le");
    }

    // when
    int status = status();

    // then
    assertThat(status).isEqualTo(404);
  }

  @Test
  void should_close_connections_whose_headers_do_not_arrive_in_time_when_every_thread_is_taken() throws Exception {
    // given
    endpoint = EngineEndpoint.builder(engine, BEARER).threads(1).headerTimeout(Duration.ofMillis(200)).start();
    Socket first = stall("GET /runs/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    Socket second = stall("GET /runs/noth");

    // when
    int status = status();

    // then
    assertThat(status).isEqualTo(404);
    assertThat(closedByTheEndpoint(first)).isTrue();
    assertThat(closedByTheEndpoint(second)).isTrue();
  }

  @Test
  void should_close_connections_whose_body_does_not_arrive_in_time_when_every_thread_is_taken() throws Exception {
    // given
    endpoint = EngineEndpoint.builder(engine, BEARER).threads(1).bodyTimeout(Duration.ofMillis(200)).start();
    Socket slow = stall("POST /callbacks/some-token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"sta");

    // when
    int status = status();

    // then
    assertThat(status).isEqualTo(404);
    assertThat(closedByTheEndpoint(slow)).isTrue();
  }

  @Test
  void should_refuse_timeouts_that_are_not_positive() {
    // given
    EngineEndpoint.Builder builder = EngineEndpoint.builder(engine, BEARER);

    // when / then
    assertThatThrownBy(() -> builder.headerTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("headerTimeout must be positive");
    assertThatThrownBy(() -> builder.bodyTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bodyTimeout must be positive");
  }
}

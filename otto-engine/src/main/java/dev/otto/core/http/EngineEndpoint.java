package dev.otto.core.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.otto.core.engine.Decision;
import dev.otto.core.engine.Engine;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunSnapshot;
import dev.otto.core.engine.WaitRefusedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP endpoint for an {@link Engine} (the local engine, or one on Temporal), on the JDK's
 * own HTTP server: external systems call webhook waits back, people (or the tools they use)
 * decide approvals, and anyone holding the bearer token reads a run's status.
 *
 * <pre>
 * POST /callbacks/{token}       body: the payload (at most 64 KiB)     → 202, or 404 / 409 / 410 / 413
 * POST /runs/{run}/decisions    Authorization: Bearer {bearer}
 *                               body: {"wait": "Deploy#enter-1", "approve": true, "by": "alice", "comment": "ok"}
 *                                                                      → 200, or 400 / 401 / 403 / 404 / 409 / 410 / 413
 * GET  /runs/{run}              Authorization: Bearer {bearer}         → 200 with the run's state as JSON
 * </pre>
 *
 * <pre>{@code
 * try (EngineEndpoint endpoint = EngineEndpoint.builder(engine, bearer).port(8089).start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>It listens on the loopback interface unless told otherwise. Bodies over their limit get
 * 413, malformed ones 400, and a failure inside a handler a 500 without details: a request never
 * takes the engine down. Refusals change nothing: the wait stays as it was. They answer by
 * {@linkplain WaitRefusedException.Reason reason}: an unknown run, wait or token 404,
 * {@code NOT_ALLOWED} 403, {@code ALREADY_RESOLVED} (a second decision, a used token) and
 * {@code WRONG_KIND} 409, {@code EXPIRED} 410.
 *
 * <p><b>Slow clients.</b> A client has {@linkplain Builder#headerTimeout 10 seconds} from the
 * first byte of a request to the end of its headers, and {@linkplain Builder#bodyTimeout 30
 * seconds} to send its body and again to take the answer; past that, its connection is closed.
 * Requests are handled by a bounded pool ({@linkplain Builder#threads 16 threads} by default, and
 * up to four times as many requests waiting for one), so a few stalled clients hold a few threads
 * for a bounded time and everyone else is answered meanwhile.
 *
 * <p>The JDK's server reads a request on the thread that handles it and has no per-server read
 * timeout: its {@code sun.net.httpserver.maxReqTime} and related settings are system properties,
 * global to the JVM (every other JDK server of the host included) and read once, when the first
 * server starts. The endpoint keeps its own deadlines instead: while a thread reads from a
 * client, a reaper stands ready to interrupt it, which closes the blocked socket channel and
 * frees the thread; the engine itself is never interrupted. That keeps the endpoint free of
 * dependencies an embedding host would have to reconcile with its own (an HTTP server library
 * would bring one, and clash with the host's own copy of another version). Facing an untrusted
 * network, put a reverse proxy in front: it buffers slow clients, where the endpoint only bounds
 * what each one costs.
 */
public final class EngineEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EngineEndpoint.class);
  private static final JsonFactory JSON = new JsonFactory();
  /** The largest callback payload, as the engine accepts it. */
  static final int MAX_PAYLOAD = 64 * 1024;
  /** The largest decision body. */
  static final int MAX_DECISION = 8 * 1024;

  private final Engine engine;
  private final byte[] bearer;
  private final Duration bodyTimeout;
  private final HttpServer server;
  private final Workers workers;

  private EngineEndpoint(Builder builder) throws IOException {
    this.engine = builder.engine;
    this.bearer = builder.bearer.getBytes(StandardCharsets.UTF_8);
    this.bodyTimeout = builder.bodyTimeout;
    this.server = HttpServer.create(new InetSocketAddress(builder.address, builder.port), 64);
    this.workers = new Workers(builder.threads, builder.threads * 4, builder.headerTimeout);
    server.setExecutor(workers);
    server.createContext("/", this::handle);
  }

  /**
   * An endpoint for {@code engine}; {@code bearer} is the token decisions and status requests
   * must carry, at least 16 characters.
   */
  public static Builder builder(Engine engine, String bearer) {
    return new Builder(requireNonNull(engine, "engine"), requireNonNull(bearer, "bearer"));
  }

  /** The port it listens on: the one configured, or the one the system chose for port 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops listening, letting requests in progress finish for up to a second, then closes every
   * connection. A request inside the engine is not interrupted: it finishes on its own.
   */
  @Override
  public void close() {
    server.stop(1);
    workers.shutdown();
  }

  private void handle(HttpExchange exchange) {
    Workers.Watch watch = Workers.current();
    try {
      if (!watch.working()) {
        return;
      }
      Response response;
      try {
        response = route(exchange);
      } catch (RuntimeException e) {
        LOG.error("the endpoint failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
        response = Response.error(500, "the request could not be handled");
      }
      if (watch.reading(bodyTimeout)) {
        send(exchange, response);
      }
    } catch (IOException e) {
      LOG.debug("a request could not be read or answered: {}", e.toString());
    } finally {
      // closing reads what the client did not send of its body: that too has a deadline
      watch.reading(bodyTimeout);
      exchange.close();
    }
  }

  private Response route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String[] parts = exchange.getRequestURI().getRawPath().split("/", -1);
    if (parts.length == 3 && parts[1].equals("callbacks") && !parts[2].isEmpty()) {
      return method.equals("POST") ? callback(exchange, parts[2]) : Response.notAllowed("POST");
    }
    if (parts.length >= 3 && parts[1].equals("runs") && !parts[2].isEmpty()) {
      if (!authorized(exchange)) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
        return Response.error(401, "this needs the endpoint's bearer token in an Authorization header");
      }
      if (parts.length == 3) {
        return method.equals("GET") ? status(parts[2]) : Response.notAllowed("GET");
      }
      if (parts.length == 4 && parts[3].equals("decisions")) {
        return method.equals("POST") ? decide(exchange, parts[2]) : Response.notAllowed("POST");
      }
    }
    return Response.error(404, "no such resource; see the EngineEndpoint documentation for its paths");
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(bearer, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
  }

  private Response callback(HttpExchange exchange, String token) throws IOException {
    Optional<String> body = body(exchange, MAX_PAYLOAD);
    if (body.isEmpty()) {
      return Response.error(413, "the payload is larger than " + MAX_PAYLOAD + " bytes");
    }
    try {
      PendingWait wait = engine.callback(token, body.get());
      return new Response(202, object("run", wait.run(), "wait", wait.id(), "outcome", "called"));
    } catch (WaitRefusedException e) {
      return refused(e);
    }
  }

  private Response decide(HttpExchange exchange, String run) throws IOException {
    Optional<String> body = body(exchange, MAX_DECISION);
    if (body.isEmpty()) {
      return Response.error(413, "a decision is at most " + MAX_DECISION + " bytes");
    }
    Map<String, Object> fields = parse(body.get());
    if (fields == null || !(fields.get("wait") instanceof String wait) || !(fields.get("approve") instanceof Boolean
        approve) || !(fields.get("by") instanceof String by) || fields.containsKey("comment")
        && !(fields.get("comment") instanceof String)) {
      return Response.error(400, "a decision is a JSON object with \"wait\" (string), \"approve\" (true or false), "
          + "\"by\" (string) and optionally \"comment\" (string)");
    }
    Decision decision;
    try {
      decision = approve ? Decision.approve(by) : Decision.reject(by);
      if (fields.get("comment") instanceof String comment) {
        decision = decision.withComment(comment);
      }
    } catch (IllegalArgumentException e) {
      return Response.error(400, e.getMessage());
    }
    try {
      engine.decide(run, wait, decision);
      return new Response(200, object("run", run, "wait", wait, "outcome", approve ? "approved" : "rejected"));
    } catch (WaitRefusedException e) {
      return refused(e);
    }
  }

  private Response status(String run) {
    Optional<RunHandle> handle = engine.run(run);
    if (handle.isEmpty()) {
      return Response.error(404, "no run '" + run + "' is in progress in this engine");
    }
    RunSnapshot snapshot = handle.get().snapshot();
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("run", snapshot.run());
      json.writeStringField("pipeline", snapshot.pipeline());
      json.writeStringField("state", snapshot.state());
      json.writeObjectFieldStart("stages");
      for (Map.Entry<String, String> stage : snapshot.stages().entrySet()) {
        json.writeStringField(stage.getKey(), stage.getValue());
      }
      json.writeEndObject();
      json.writeArrayFieldStart("waits");
      for (PendingWait wait : snapshot.waits()) {
        json.writeStartObject();
        json.writeStringField("id", wait.id());
        json.writeStringField("stage", wait.stage());
        json.writeStringField("kind", wait.kind());
        json.writeStringField("description", wait.description());
        json.writeArrayFieldStart("approvers");
        for (String approver : wait.approvers()) {
          json.writeString(approver);
        }
        json.writeEndArray();
        json.writeStringField("deadline", wait.deadline().toString());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new Response(200, out.toString());
  }

  private static Response refused(WaitRefusedException e) {
    int status = switch (e.reason()) {
      case UNKNOWN_RUN, UNKNOWN_WAIT, UNKNOWN_TOKEN -> 404;
      case NOT_ALLOWED -> 403;
      case EXPIRED -> 410;
      case ALREADY_RESOLVED, WRONG_KIND -> 409;
    };
    return Response.error(status, e.getMessage());
  }

  /**
   * The body as text, or empty when it is longer than {@code max} bytes.
   *
   * @throws IOException when the body cannot be read, or does not arrive within the body timeout
   */
  private Optional<String> body(HttpExchange exchange, int max) throws IOException {
    Workers.Watch watch = Workers.current();
    if (!watch.reading(bodyTimeout)) {
      throw new IOException("the endpoint is closing");
    }
    Optional<String> body = read(exchange, max);
    if (!watch.working()) {
      throw new IOException("the body did not arrive within " + bodyTimeout);
    }
    return body;
  }

  private static Optional<String> read(HttpExchange exchange, int max) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > max) {
          return Optional.empty();
        }
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (InputStream in = exchange.getRequestBody()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (bytes.size() + n > max) {
          return Optional.empty();
        }
        bytes.write(buffer, 0, n);
      }
    }
    return Optional.of(bytes.toString(StandardCharsets.UTF_8));
  }

  /** A flat JSON object of strings and booleans, or null when the text is not one. */
  private static Map<String, Object> parse(String text) {
    Map<String, Object> fields = new HashMap<>();
    try (JsonParser json = JSON.createParser(text)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken token;
      while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        if (value == JsonToken.VALUE_STRING) {
          fields.put(name, json.getText());
        } else if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
          fields.put(name, value == JsonToken.VALUE_TRUE);
        } else {
          return null;
        }
      }
      return token == JsonToken.END_OBJECT && json.nextToken() == null ? fields : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String object(String... fields) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      for (int i = 0; i < fields.length; i += 2) {
        json.writeStringField(fields[i], fields[i + 1]);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(response.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private record Response(int status, String body) {
    static Response error(int status, String message) {
      return new Response(status, object("error", message));
    }

    static Response notAllowed(String method) {
      return error(405, "use " + method + " here");
    }
  }

  /** Configures an {@link EngineEndpoint}. */
  public static final class Builder {
    private final Engine engine;
    private final String bearer;
    private InetAddress address = InetAddress.getLoopbackAddress();
    private int port;
    private int threads = 16;
    private Duration headerTimeout = Duration.ofSeconds(10);
    private Duration bodyTimeout = Duration.ofSeconds(30);

    private Builder(Engine engine, String bearer) {
      if (bearer.length() < 16 || bearer.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new IllegalArgumentException("the bearer token must be at least 16 printable ASCII characters without "
            + "spaces; generate one with, for example, openssl rand -hex 32");
      }
      this.engine = engine;
      this.bearer = bearer;
    }

    /** The address to listen on; the loopback interface by default. */
    public Builder address(InetAddress address) {
      this.address = requireNonNull(address, "address");
      return this;
    }

    /** The port to listen on; 0 (the default) lets the system choose, see {@link EngineEndpoint#port()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * How many requests are handled at once; 16 by default. Up to four times as many more wait
     * for a thread; beyond that, a new connection is closed at once. A client that stalls holds a
     * thread for at most its timeouts, so size this for the slow clients expected at once.
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, not " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * How long a client may take from the first byte of a request to the end of its headers; 10
     * seconds by default. Past it, the connection is closed without an answer.
     */
    public Builder headerTimeout(Duration headerTimeout) {
      this.headerTimeout = positive(headerTimeout, "headerTimeout");
      return this;
    }

    /**
     * How long a client may take to send a request's body, and again to take the answer; 30
     * seconds by default. Past it, the connection is closed and the request changes nothing.
     */
    public Builder bodyTimeout(Duration bodyTimeout) {
      this.bodyTimeout = positive(bodyTimeout, "bodyTimeout");
      return this;
    }

    private static Duration positive(Duration timeout, String name) {
      requireNonNull(timeout, name);
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, not " + timeout);
      }
      return timeout;
    }

    /** Starts listening. */
    public EngineEndpoint start() {
      try {
        EngineEndpoint endpoint = new EngineEndpoint(this);
        endpoint.server.start();
        return endpoint;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("could not listen on " + address + ":" + port, e);
      }
    }
  }
}

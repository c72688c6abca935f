package dev.otto.core.executor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The command line of one container engine: Docker's, or Podman's, which takes the same
 * arguments. Every call is bounded in time and stops early when the work it serves is cancelled.
 */
final class ContainerEngine {
  private static final JsonFactory JSON = new JsonFactory();
  /** What stopping and removing a container may take before Otto gives up on the engine. */
  private static final Duration CLEANUP = Duration.ofSeconds(60);

  /** The engine's command, e.g. {@code podman}. */
  final String command;
  /** Whose the files are that a container writes. */
  final Users users;
  private final Map<String, String> env;
  /**
   * Whether the engine reads a short image name ({@code node:22}) as Docker does, from Docker Hub:
   * Podman reads it through its own configuration instead.
   */
  private final boolean readsShortNames;
  /** The name each image was given as, for an engine that does not read short names. */
  private final Map<String, String> named = new java.util.concurrent.ConcurrentHashMap<>();

  /** How an engine maps the users of its containers to the host's. */
  enum Users {
    /** A daemon or engine running as root: a container's user is the host's user of the same uid. */
    ROOTFUL,
    /** Podman run by an unprivileged user: the container's root is that user; {@code keep-id} maps the user to itself. */
    ROOTLESS_PODMAN,
    /** Docker run by an unprivileged user: the container's root is that user, its other users are not. */
    ROOTLESS_DOCKER
  }

  ContainerEngine(String command, Users users, Map<String, String> env) {
    this(command, users, env, true);
  }

  ContainerEngine(String command, Users users, Map<String, String> env, boolean readsShortNames) {
    this.command = command;
    this.users = users;
    this.env = Map.copyOf(env);
    this.readsShortNames = readsShortNames;
  }

  /**
   * {@code image} as this engine must be told it. Image names in pipelines read as Docker reads
   * them: {@code node:22} is {@code docker.io/library/node:22}. Podman is told a short name in
   * full, unless an image of its own answers to it (one built here, {@code localhost/...}): with
   * no registries to search it refuses short names ("short-name did not resolve to an alias"),
   * and with several it may take another registry's image of the same name.
   */
  String image(String image) {
    if (readsShortNames || !isShort(image)) {
      return image;
    }
    String known = named.get(image);
    if (known != null) {
      return known;
    }
    String full = (image.indexOf('/') < 0 ? "docker.io/library/" : "docker.io/") + image;
    Result exists;
    try {
      exists = call(List.of("image", "exists", image), Duration.ofSeconds(30), Cancellation.create());
    } catch (IOException e) {
      return full;  // The run itself says what is wrong with the engine.
    }
    String name = exists.ok() ? image : full;
    if (exists.exit() != -1) {
      // Only an answer is kept: a question that timed out is asked again for the next stage.
      named.put(image, name);
    }
    return name;
  }

  /**
   * Whether {@code image} names no registry: as Docker reads a name, its first part is a registry
   * when it has a dot, a port or a capital letter, or is {@code localhost}.
   */
  static boolean isShort(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) {
      return true;
    }
    String first = image.substring(0, slash);
    return first.indexOf('.') < 0 && first.indexOf(':') < 0 && !first.equals("localhost")
        && first.equals(first.toLowerCase(java.util.Locale.ROOT));
  }

  /** What a command printed, and how it ended; {@code exit} is -1 when it was stopped or did not start. */
  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }

    /** The last line it printed, for a message; empty when it printed nothing. */
    String lastLine() {
      List<String> lines = output.strip().lines().toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }
  }

  /**
   * The engine {@code command} when it answers {@code info}; else why not. A client whose daemon
   * is absent does not answer: {@code docker info} fails without a Docker daemon.
   */
  static Probe probe(String command, Map<String, String> env, Duration timeout) {
    ContainerEngine unsure = new ContainerEngine(command, Users.ROOTFUL, env);
    Result info;
    try {
      info = unsure.call(List.of("info", "--format", "{{json .}}"), timeout, Cancellation.create());
    } catch (IOException e) {
      return new Probe(null, "'" + command + "' could not be started (" + e.getMessage() + ")");
    }
    if (info.exit() == -1) {
      return new Probe(null, "'" + command + " info' gave no answer within " + timeout);
    }
    if (!info.ok()) {
      String why = info.lastLine();
      return new Probe(null, "'" + command + " info' failed" + (why.isEmpty() ? "" : " (" + why + ")"));
    }
    return new Probe(new ContainerEngine(command, users(info.output()), env, readsShortNames(info.output())), null);
  }

  /** An engine that answered, or why none did. */
  record Probe(ContainerEngine engine, String whyNot) {}

  /**
   * Whether the engine whose {@code info} this is reads short image names as Docker does: Docker
   * does, from Docker Hub; Podman (whose {@code info} has {@code registries}) reads them through
   * its own configuration: with no registries to search it refuses them, with several it may take
   * the image from another registry first, or refuse it where short names must be unambiguous.
   */
  static boolean readsShortNames(String info) {
    try (JsonParser json = JSON.createParser(info)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return true;
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        if ("registries".equals(field)) {
          return false;
        }
        json.skipChildren();
      }
    } catch (IOException e) {
      return true;
    }
    return true;
  }

  /**
   * How the engine whose {@code info} this is maps users: Podman says {@code "rootless": true}
   * when rootless, Docker lists {@code name=rootless} among its security options.
   */
  static Users users(String info) {
    try (JsonParser json = JSON.createParser(info)) {
      for (JsonToken token; (token = json.nextToken()) != null; ) {
        if (token == JsonToken.VALUE_TRUE && "rootless".equals(json.currentName())) {
          return Users.ROOTLESS_PODMAN;
        }
        if (token == JsonToken.VALUE_STRING && json.getText().contains("name=rootless")) {
          return Users.ROOTLESS_DOCKER;
        }
      }
    } catch (IOException e) {
      return Users.ROOTFUL;
    }
    return Users.ROOTFUL;
  }

  /** Runs {@code command arguments} to its end, unless it passes {@code timeout} or {@code cancellation} ends it. */
  Result call(List<String> arguments, Duration timeout, Cancellation cancellation) throws IOException {
    List<String> line = new ArrayList<>(arguments.size() + 1);
    line.add(command);
    line.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()), runnable -> {
      Thread thread = new Thread(runnable, "otto-engine-" + process.pid());
      thread.setDaemon(true);
      thread.start();
    });
    try {
      CompletableFuture.anyOf(process.onExit(), cancellation.future()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Stopped below.
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
    boolean stopped = process.isAlive();
    if (stopped) {
      process.destroyForcibly();
    }
    // A process the client left behind may hold its output open; what was printed by then is enough.
    String printed = output.completeOnTimeout("", 5, TimeUnit.SECONDS).join();
    return new Result(stopped ? -1 : process.exitValue(), printed);
  }

  /** As {@link #call}, for cleaning up: never cancelled, and a failure to start is an answer too. */
  Result cleanup(List<String> arguments) {
    try {
      return call(arguments, CLEANUP, Cancellation.create());
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    }
  }

  /** The client's environment: the host variables the executor allows, for the engine's socket and configuration. */
  Map<String, String> env() {
    return env;
  }

  /**
   * Stops and removes every container carrying {@code label} ({@code NAME=value}); returns how
   * many there were. Containers are killed first: what ran in them is thrown away, and a database
   * asked to stop politely may take its time. Each is killed and removed by a command of its
   * own: Podman stops at a container that went away meanwhile (one started with {@code --rm}) and
   * leaves the ones after it.
   */
  int removeLabelled(String label) {
    Result listed = cleanup(List.of("ps", "--all", "--quiet", "--filter", "label=" + label));
    List<String> ids = listed.ok() ? listed.output().lines().map(String::strip).filter(s -> !s.isEmpty()).toList()
        : List.of();
    for (String id : ids) {
      cleanup(List.of("kill", id));
      cleanup(List.of("rm", "--force", id));
    }
    return ids.size();
  }

  /** Optional.empty() when {@code result} succeeded; else a sentence about {@code what} and the engine's last word. */
  static Optional<String> failure(String what, Result result) {
    if (result.ok()) {
      return Optional.empty();
    }
    String why = result.lastLine();
    return Optional.of(what + (result.exit() == -1 ? " was stopped before it finished" : " failed")
        + (why.isEmpty() ? "" : ": " + why));
  }

  private static String read(InputStream in) {
    try (InputStream input = in) {
      return new String(input.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}

package dev.otto.core.executor;

import static java.util.Objects.requireNonNull;

import dev.otto.core.engine.ContainerPolicy;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.secret.SecretMasker;
import dev.otto.core.secret.SecretValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Runs container stages in a container engine: Docker, or Podman, which takes the same command
 * line; the first of them that answers, or the one the host names.
 *
 * <p>A stage's steps share one container from the stage's image, started on its first step: its
 * shell runs each step in a subshell, as the local executor's stage shell does. The run's
 * workspace is mounted at {@value #WORKSPACE}, the working directory. Files the steps write there
 * belong to the user that runs Otto: a rootful engine runs the container as that user's uid and
 * gid ({@code --user}), rootless Podman keeps the user's id ({@code --userns=keep-id}), and
 * rootless Docker runs it as the container's root, which is that user on the host. An image's
 * own user is overridden either way.
 *
 * <p>The container's environment is the image's and the step's own: the step's variables,
 * Otto's ({@code OTTO_RUN_ID} and the others) and the secrets it binds, written to the shell's
 * standard input. No value is on a command line or in what the engine's {@code inspect} shows.
 * A secret bound as a file is a private file (0600) in a private directory mounted read-only at
 * {@value #SECRETS}, removed when the step ends.
 *
 * <p>The stage's {@linkplain dev.otto.core.model.Service services} start before its first step,
 * on a network of the stage's own where steps reach each by its name, and count as ready once
 * their health checks succeed. Every container and network of a stage carries the label
 * {@code dev.otto.session} (and {@code dev.otto.run} with the run's id); when the stage ends,
 * times out or is cancelled, whatever carries its label is killed and removed. A step's timeout
 * or cancellation stops the stage's container; a later step of the stage gets a new one.
 *
 * <p>Whether an engine answers ({@code info}) is asked once; a {@code docker} client without a
 * daemon does not. Where none answers, {@link #whyNot} says so, and the engine refuses the plan
 * or falls back to local processes, as the host chose.
 *
 * <pre>{@code
 * LocalEngine engine = LocalEngine.builder(root)
 *     .executor(ContainerExecutor.builder().engine("podman").build())
 *     .executor(LocalProcessExecutor.builder().build())
 *     .build();
 * }</pre>
 */
public final class ContainerExecutor implements Executor {
  /** Where the workspace is mounted in the container. */
  public static final String WORKSPACE = "/workspace";
  /** Where files of secrets are mounted in the container. */
  public static final String SECRETS = "/run/otto/secrets";
  /** The engines tried, in order, when the host names none. */
  public static final List<String> ENGINES = List.of("docker", "podman");
  /** The exit status of {@code docker run} and {@code podman run} when the engine itself fails. */
  private static final int ENGINE_FAILED = 125;

  private final List<String> candidates;
  private final Set<String> allowed;
  private final Map<String, String> host;
  private final int maxLineBytes;
  private final Duration probeTimeout;
  private final ConcurrentMap<String, ContainerSession> sessions = new ConcurrentHashMap<>();
  private volatile Probed probed;

  /** The engine that answered, or why none did. */
  private record Probed(ContainerEngine engine, Optional<String> whyNot) {}

  private ContainerExecutor(Builder builder) {
    this.candidates = builder.engine == null ? ENGINES : List.of(builder.engine);
    this.allowed = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(builder.allowed));
    this.host = Map.copyOf(builder.host);
    this.maxLineBytes = builder.maxLineBytes;
    this.probeTimeout = builder.probeTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Masks while it reads the process's output, with every secret of the request. */
  @Override
  public boolean masksOutput() {
    return true;
  }

  @Override
  public String name() {
    return "container";
  }

  @Override
  public Optional<String> whyNot(Runtime runtime) {
    if (!(runtime instanceof Runtime.Container)) {
      return Optional.of("the container executor runs container stages only, not a " + runtime.describe());
    }
    return unavailable();
  }

  /** Empty when a container engine answers; otherwise why none does. Asked once. */
  public Optional<String> unavailable() {
    return probed().whyNot();
  }

  /** The command of the engine that answered, e.g. {@code podman}; empty when none did. */
  public Optional<String> engine() {
    return Optional.ofNullable(probed().engine()).map(engine -> engine.command);
  }

  private Probed probed() {
    Probed known = probed;
    if (known == null) {
      synchronized (this) {
        known = probed;
        if (known == null) {
          known = probe();
          probed = known;
        }
      }
    }
    return known;
  }

  private Probed probe() {
    Map<String, String> env = ProcessRunner.allowed(allowed, host);
    List<String> reasons = new ArrayList<>();
    for (String candidate : candidates) {
      ContainerEngine.Probe answer = ContainerEngine.probe(candidate, env, probeTimeout);
      if (answer.engine() != null) {
        return new Probed(answer.engine(), Optional.empty());
      }
      reasons.add(answer.whyNot());
    }
    return new Probed(null, Optional.of("no container engine answers here: " + String.join("; ", reasons)));
  }

  @Override
  public ProcessOutcome run(ProcessRequest request, Consumer<String> lines, Cancellation cancellation) {
    requireNonNull(request, "request");
    requireNonNull(lines, "lines");
    requireNonNull(cancellation, "cancellation");
    Optional<String> whyNot = whyNot(request.runtime());
    if (whyNot.isPresent()) {
      return notStarted(whyNot.get());
    }
    try {
      ProcessRunner.masker(request);
    } catch (IllegalArgumentException e) {
      return notStarted(e.getMessage());
    }
    if (cancellation.isCancelled()) {
      return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), Duration.ZERO,
          "cancelled before it started");
    }
    String name = request.session().orElseGet(() -> UUID.randomUUID().toString());
    ContainerSession session;
    try {
      session = sessions.computeIfAbsent(name, key -> open(key, request));
    } catch (UncheckedIOException e) {
      return notStarted("could not prepare the stage's container: " + e.getCause().getMessage());
    }
    try {
      return runIn(session, request, lines, cancellation);
    } finally {
      if (request.session().isEmpty()) {
        endSession(name);
      }
    }
  }

  private ContainerSession open(String name, ProcessRequest request) {
    try {
      return new ContainerSession(probed().engine(), name, Optional.ofNullable(request.extraEnv().get("OTTO_RUN_ID")),
          maxLineBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a step in the stage's container, after starting the stage's services if this is its first. */
  private ProcessOutcome runIn(ContainerSession session, ProcessRequest request, Consumer<String> lines,
      Cancellation cancellation) {
    long started = System.nanoTime();
    Op.RunProcess op = request.op();
    SecretMasker masker = session.seen.masker(request);
    SecretFiles files = SecretFiles.keptIn(session.secrets());
    try {
      Optional<String> services = session.startServices(request.services(), masker, lines, cancellation);
      if (cancellation.isCancelled()) {
        return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), elapsed(started),
            "cancelled while the stage's services started");
      }
      // Notifications of a failure still run when a service could not start; the steps that need it do not.
      if (services.isPresent() && (op.guard() == Op.Guard.NORMAL || op.guard() == Op.Guard.ON_SUCCESS)) {
        return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), elapsed(started),
            services.get());
      }
      Map<String, String> env = new LinkedHashMap<>(op.env());
      env.putAll(request.extraEnv());
      for (SecretBinding binding : op.secrets()) {
        SecretValue value = request.secrets().get(binding.secret());
        env.put(binding.variable(), binding.delivery() == SecretBinding.Delivery.ENV
            ? value.reveal() : SECRETS + "/" + files.write(value).getFileName());
      }
      ShellSession shell = session.shell((Runtime.Container) request.runtime(), request.workspace(),
          identity(session.secrets()));
      String marker = "OTTO_END_" + UUID.randomUUID().toString().replace("-", "");
      ShellSession.Step step = shell.start(ShellSession.command(env, op.script(), marker), marker, masker, lines);
      Runtime.Container image = (Runtime.Container) request.runtime();
      return ShellSession.await(step, op.timeout(), cancellation, session::stopShell,
          why -> whyEnded(image.image(), why), "the stage's container", masker, started);
    } catch (IOException | UncheckedIOException | java.util.concurrent.CompletionException e) {
      session.stopShell();
      return new ProcessOutcome(ProcessOutcome.Status.FAILED, OptionalInt.empty(), elapsed(started),
          masker.mask("the step could not run in the stage's container: " + e.getMessage()));
    } catch (InterruptedException e) {
      session.stopShell();
      Thread.currentThread().interrupt();
      return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), elapsed(started),
          "interrupted, and stopped with the stage's container");
    } finally {
      files.delete();
    }
  }

  /**
   * Why a step could not finish when the stage's container ended. Docker and Podman exit with 125
   * when they fail themselves rather than the container, most often because the image could not
   * be pulled; the engine's last line says why, and the detail says how to do without the pull.
   */
  private String whyEnded(String image, Throwable why) {
    if (why instanceof ShellSession.Ended ended && ended.status == ENGINE_FAILED) {
      String command = probed().engine().command;
      return "the container engine could not start the stage's container from image '" + image + "' ('"
          + command + " run' exited with status " + ENGINE_FAILED + (ended.lastLine.isEmpty() ? "" : ": "
          + ended.lastLine) + "). Where the image cannot be pulled, build or load it on this machine ('" + command
          + " build -t " + image + " ...' or '" + command + " load'), or run the stage's steps as local processes "
          + "(otto run --container-engine none --containers local; ContainerPolicy.LOCAL_FALLBACK in code)";
    }
    return "the stage's container ended while the step ran: " + why.getMessage();
  }

  /**
   * The options that make files the container writes in the workspace belong to the user that
   * runs Otto, whose uid and gid own {@code mine}, a directory this process created.
   */
  private List<String> identity(Path mine) throws IOException {
    ContainerEngine engine = probed().engine();
    return switch (engine.users) {
      case ROOTLESS_PODMAN -> List.of("--userns=keep-id");
      case ROOTLESS_DOCKER -> List.of("--user", "0:0");
      case ROOTFUL -> List.of("--user", Files.getAttribute(mine, "unix:uid") + ":" + Files.getAttribute(mine, "unix:gid"));
    };
  }

  /**
   * Ends the stage's session: its container and services are killed and removed, and its network
   * too. For a session this executor does not know (one a previous engine started before it
   * died), whatever carries the session's label goes, and the count says how many containers.
   */
  @Override
  public int endSession(String session) {
    requireNonNull(session, "session");
    ContainerSession open = sessions.remove(session);
    if (open != null) {
      open.close();
      return 0;
    }
    ContainerEngine engine = probed().engine();
    if (engine == null) {
      return 0;
    }
    return ContainerSession.removeAll(engine, ContainerSession.id(session));
  }

  private static ProcessOutcome notStarted(String why) {
    return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO, why);
  }

  private static Duration elapsed(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** Configures a {@link ContainerExecutor}. */
  public static final class Builder {
    private String engine;
    private final Set<String> allowed = new LinkedHashSet<>(List.of("PATH", "HOME", "DOCKER_HOST", "DOCKER_CONFIG",
        "DOCKER_CONTEXT", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY", "XDG_RUNTIME_DIR", "CONTAINER_HOST",
        "CONTAINERS_CONF", "REGISTRY_AUTH_FILE"));
    private Map<String, String> host = System.getenv();
    private int maxLineBytes = 64 * 1024;
    private Duration probeTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /**
     * The container engine's command, e.g. {@code podman} or {@code /usr/bin/docker}; by default
     * the first of {@link #ENGINES} that answers.
     */
    public Builder engine(String command) {
      requireNonNull(command, "command");
      if (command.isBlank()) {
        throw new IllegalArgumentException("the container engine's command is blank; name one, e.g. podman");
      }
      this.engine = command;
      return this;
    }

    /** Lets the engine's client see the host variable {@code name}; the container sees only the step's. */
    public Builder allowHostVariable(String name) {
      allowed.add(requireNonNull(name, "name"));
      return this;
    }

    /** The host environment to take allowed variables from; {@code System.getenv()} by default. */
    public Builder hostEnvironment(Map<String, String> environment) {
      this.host = Map.copyOf(requireNonNull(environment, "environment"));
      return this;
    }

    /** The longest output line, in bytes, kept whole; longer lines are cut with a marker. */
    public Builder maxLineBytes(int bytes) {
      this.maxLineBytes = ProcessRunner.checkMaxLineBytes(bytes);
      return this;
    }

    /** How long to wait for an engine to answer whether it runs. */
    public Builder probeTimeout(Duration timeout) {
      this.probeTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    public ContainerExecutor build() {
      return new ContainerExecutor(this);
    }
  }
}

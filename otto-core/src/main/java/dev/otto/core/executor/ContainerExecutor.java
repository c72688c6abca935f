package dev.otto.core.executor;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.secret.SecretMasker;
import dev.otto.core.secret.SecretValue;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs container stages with a container engine's command line ({@code docker run}, or podman's
 * compatible one): the stage's image, the run's workspace mounted at {@value #WORKSPACE}, and
 * {@code /bin/sh -c SCRIPT} as the command.
 *
 * <p>Variables reach the container by name only ({@code --env NAME}); their values, secrets
 * included, are in the environment of the engine's client process, never on a command line.
 * Secrets bound as files are mounted read-only at {@value #SECRETS}. A timeout or a cancellation
 * kills the container as well as the client.
 *
 * <p>Whether a container engine answers is asked once ({@code docker version}); where none does,
 * {@link #whyNot} says so, and the engine refuses the plan or falls back to local processes, as
 * the host chose. Nothing pretends to run a container where no engine runs.
 */
public final class ContainerExecutor implements Executor {
  /** Where the workspace is mounted in the container. */
  public static final String WORKSPACE = "/workspace";
  /** Where files of secrets are mounted in the container. */
  public static final String SECRETS = "/run/otto/secrets";

  private final String engine;
  private final Set<String> allowed;
  private final Map<String, String> host;
  private final ProcessRunner runner;
  private final Duration probeTimeout;
  private volatile Optional<String> unavailable;

  private ContainerExecutor(Builder builder) {
    this.engine = builder.engine;
    this.allowed = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(builder.allowed));
    this.host = Map.copyOf(builder.host);
    this.runner = new ProcessRunner(builder.grace, builder.maxLineBytes, false);
    this.probeTimeout = builder.probeTimeout;
  }

  public static Builder builder() {
    return new Builder();
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

  /** Empty when a container engine answers; otherwise why not. Asked once. */
  public Optional<String> unavailable() {
    Optional<String> known = unavailable;
    if (known == null) {
      known = probe();
      unavailable = known;
    }
    return known;
  }

  private Optional<String> probe() {
    try {
      Process process = new ProcessBuilder(engine, "version", "--format", "{{.Server.Version}}")
          .redirectErrorStream(true).start();
      process.getOutputStream().close();
      if (!process.waitFor(probeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return Optional.of("no container engine answers here: '" + engine + " version' gave no answer within "
            + probeTimeout);
      }
      String answer = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .strip();
      if (process.exitValue() != 0) {
        String first = answer.lines().findFirst().orElse("");
        return Optional.of("no container engine answers here: '" + engine + " version' failed"
            + (first.isEmpty() ? "" : " (" + first + ")"));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("no container engine here: '" + engine + "' could not be started (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while asking '" + engine + "' whether it runs");
    }
  }

  /**
   * The command line that runs {@code request} in a container named {@code container}: values of
   * {@code variables} are left to the client's environment.
   */
  List<String> command(ProcessRequest request, String container, Set<String> variables, Path secretFiles) {
    Runtime.Container image = (Runtime.Container) request.runtime();
    List<String> command = new ArrayList<>(List.of(engine, "run", "--rm", "--init", "--name", container,
        "--workdir", WORKSPACE, "--volume", request.workspace().toAbsolutePath() + ":" + WORKSPACE));
    if (secretFiles != null) {
      command.add("--volume");
      command.add(secretFiles.toAbsolutePath() + ":" + SECRETS + ":ro");
    }
    for (String variable : variables) {
      command.add("--env");
      command.add(variable);
    }
    command.add(image.image());
    command.addAll(List.of("/bin/sh", "-c", request.op().script()));
    return command;
  }

  @Override
  public ProcessOutcome run(ProcessRequest request, Consumer<String> lines, Cancellation cancellation) {
    requireNonNull(request, "request");
    requireNonNull(lines, "lines");
    requireNonNull(cancellation, "cancellation");
    Optional<String> whyNot = whyNot(request.runtime());
    if (whyNot.isPresent()) {
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO, whyNot.get());
    }
    Op.RunProcess op = request.op();
    SecretMasker masker;
    try {
      masker = ProcessRunner.masker(request);
    } catch (IllegalArgumentException e) {
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO, e.getMessage());
    }
    String cookieValue = request.session().orElseGet(() -> UUID.randomUUID().toString());
    String container = "otto-" + cookieValue;
    SecretFiles files = new SecretFiles();
    try {
      Map<String, String> inside = new LinkedHashMap<>(op.env());
      inside.putAll(request.extraEnv());
      for (SecretBinding binding : op.secrets()) {
        SecretValue value = request.secrets().get(binding.secret());
        inside.put(binding.variable(), binding.delivery() == SecretBinding.Delivery.ENV
            ? value.reveal() : SECRETS + "/" + files.write(value).getFileName());
      }
      Map<String, String> client = ProcessRunner.allowed(allowed, host);
      client.putAll(inside);
      client.put(LocalProcessExecutor.COOKIE_VARIABLE, cookieValue);
      List<String> command = command(request, container, new LinkedHashSet<>(inside.keySet()), files.directory());
      Runnable kill = () -> killContainer(container);
      return runner.run(new ProcessRunner.Launch(command, client, request.workspace(), op.timeout(), kill),
          op.label(), LocalProcessExecutor.COOKIE_VARIABLE + "=" + cookieValue, request.session().isEmpty(), masker,
          lines, cancellation);
    } catch (IOException | UncheckedIOException e) {
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO,
          masker.mask("could not prepare '" + op.label() + "': " + e.getMessage()));
    } finally {
      files.delete();
    }
  }

  @Override
  public int endSession(String session) {
    return ProcessTree.killCarrying(LocalProcessExecutor.COOKIE_VARIABLE + "=" + requireNonNull(session, "session"));
  }

  private void killContainer(String container) {
    try {
      Process kill = new ProcessBuilder(engine, "kill", container).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run '" + engine + " kill " + container + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link ContainerExecutor}. */
  public static final class Builder {
    private String engine = "docker";
    private final Set<String> allowed = new LinkedHashSet<>(List.of("PATH", "HOME", "DOCKER_HOST", "DOCKER_CONFIG",
        "DOCKER_CONTEXT", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY", "XDG_RUNTIME_DIR"));
    private Map<String, String> host = System.getenv();
    private Duration grace = Duration.ofSeconds(2);
    private int maxLineBytes = 64 * 1024;
    private Duration probeTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** The container engine's command, {@code docker} by default; {@code podman} works too. */
    public Builder engine(String command) {
      this.engine = requireNonNull(command, "command");
      return this;
    }

    /** Lets the client see the host variable {@code name} (the container sees only the step's). */
    public Builder allowHostVariable(String name) {
      allowed.add(requireNonNull(name, "name"));
      return this;
    }

    public Builder hostEnvironment(Map<String, String> environment) {
      this.host = Map.copyOf(requireNonNull(environment, "environment"));
      return this;
    }

    public Builder grace(Duration grace) {
      this.grace = ProcessRunner.checkGrace(requireNonNull(grace, "grace"));
      return this;
    }

    public Builder maxLineBytes(int bytes) {
      this.maxLineBytes = ProcessRunner.checkMaxLineBytes(bytes);
      return this;
    }

    /** How long to wait for the engine to answer whether it runs. */
    public Builder probeTimeout(Duration timeout) {
      this.probeTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    public ContainerExecutor build() {
      return new ContainerExecutor(this);
    }
  }
}

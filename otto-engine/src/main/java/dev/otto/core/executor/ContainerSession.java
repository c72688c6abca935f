package dev.otto.core.executor;

import com.google.common.hash.Hashing;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.Service;
import dev.otto.core.secret.SecretMasker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers of one stage: a network of the stage's own with its services on it, each
 * reached by its name, and one container from the stage's image whose shell runs every step, as
 * the local executor's stage shell does. Everything carries the label {@value #LABEL} with the
 * session's id, so that a later engine after a crash finds and removes it all, and nothing else;
 * and {@value #INSTANCE_LABEL} with this object's own id, since a session ended (by a stage's
 * timeout) may be opened again (for its notifications) while the first is still being removed.
 */
final class ContainerSession {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerSession.class);
  /** The label every container and network of a session carries, with the session's id as its value. */
  static final String LABEL = "dev.otto.session";
  /** The label that tells the containers of one opening of a session from those of another. */
  static final String INSTANCE_LABEL = "dev.otto.instance";
  /** The label that carries the run's id, when the request names its run. */
  static final String RUN_LABEL = "dev.otto.run";
  private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(1);
  private static final Duration HEALTH_ATTEMPT = Duration.ofSeconds(10);
  private static final Duration SHELL_EXIT = Duration.ofSeconds(2);

  private final ContainerEngine engine;
  private final String id;
  private final String instance = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> labels;
  private final Path secrets;
  private final int maxLineBytes;
  /** The secrets the session's steps have seen, for masking output that surfaces later. */
  final ShellSession.Secrets seen = new ShellSession.Secrets();
  private volatile ShellSession shell;
  private volatile String shellName;
  private int shells;
  private volatile boolean servicesTried;
  private boolean network;
  private String servicesFailed;
  private volatile boolean closed;

  ContainerSession(ContainerEngine engine, String session, Optional<String> run, int maxLineBytes) throws IOException {
    this.engine = engine;
    this.id = id(session);
    List<String> labels = new ArrayList<>(List.of("--label", LABEL + "=" + id,
        "--label", INSTANCE_LABEL + "=" + instance));
    run.ifPresent(value -> labels.addAll(List.of("--label", RUN_LABEL + "=" + value)));
    this.labels = List.copyOf(labels);
    this.secrets = SecretFiles.privateDirectory(null);
    this.maxLineBytes = maxLineBytes;
  }

  /** The id of {@code session} in labels: the same for every engine that holds the run. */
  static String id(String session) {
    return Hashing.sha256().hashString(session, StandardCharsets.UTF_8).toString().substring(0, 16);
  }

  /** The start of the names of this opening's containers and network. */
  private String name() {
    return "otto-" + id + "-" + instance;
  }

  /** The private directory whose files the containers see at {@link ContainerExecutor#SECRETS}. */
  Path secrets() {
    return secrets;
  }

  private String network() {
    return name();
  }

  /**
   * Starts the network and the services once, before the session's first step; empty when they
   * are ready (or there are none), else why not. A later request hears the same reason.
   */
  synchronized Optional<String> startServices(List<Service> services, SecretMasker masker, Consumer<String> lines,
      Cancellation cancellation) throws IOException {
    if (servicesTried || services.isEmpty()) {
      return Optional.ofNullable(servicesFailed);
    }
    servicesTried = true;
    List<String> create = new ArrayList<>(List.of("network", "create"));
    create.addAll(labels);
    create.add(network());
    ContainerEngine.Result created = engine.call(create, Duration.ofSeconds(60), cancellation);
    network = created.ok();
    servicesFailed = ContainerEngine.failure("creating the stage's network '" + network() + "'", created).orElse(null);
    for (Service service : services) {
      if (servicesFailed != null || closed) {
        break;
      }
      servicesFailed = start(service, masker, lines, cancellation).orElse(null);
    }
    if (closed) {
      cleanUp();
    }
    return Optional.ofNullable(servicesFailed);
  }

  /** The command that starts {@code service} on the stage's network, reachable by its name. */
  List<String> serviceCommand(Service service) {
    List<String> run = new ArrayList<>(List.of("run", "--detach", "--name", name() + "-" + service.name()));
    run.addAll(labels);
    run.addAll(List.of("--network", network(), "--network-alias", service.name()));
    service.env().forEach((name, value) -> run.addAll(List.of("--env", name + "=" + value)));
    run.add(engine.image(service.image()));
    run.addAll(service.command());
    return run;
  }

  private Optional<String> start(Service service, SecretMasker masker, Consumer<String> lines,
      Cancellation cancellation) throws IOException {
    String what = "service '" + service.name() + "' (" + service.image() + ")";
    String container = name() + "-" + service.name();
    long started = System.nanoTime();
    long deadline = started + service.startTimeout().toNanos();
    lines.accept("starting " + what);
    ContainerEngine.Result run = engine.call(serviceCommand(service), left(deadline), cancellation);
    if (!run.ok()) {
      return Optional.of(masker.mask(ContainerEngine.failure("starting the " + what, run).orElseThrow()));
    }
    if (service.healthCheck().isEmpty()) {
      return Optional.empty();
    }
    String check = service.healthCheck().get();
    while (!cancellation.isCancelled() && !closed) {
      // The last attempt gets time of its own, so that it can answer rather than be cut short.
      Duration attempt = left(deadline).compareTo(HEALTH_ATTEMPT) < 0 ? HEALTH_ATTEMPT : left(deadline);
      ContainerEngine.Result answer = engine.call(List.of("exec", container, "/bin/sh", "-c", check), attempt,
          cancellation);
      if (answer.ok()) {
        lines.accept(what + " is ready after " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        return Optional.empty();
      }
      ContainerEngine.Result running = engine.call(List.of("inspect", "--format", "{{.State.Running}}", container),
          Duration.ofSeconds(30), cancellation);
      boolean stopped = running.ok() && running.output().strip().equals("false");
      if (stopped || System.nanoTime() >= deadline) {
        logs(container, service.name(), masker, lines);
        return Optional.of(masker.mask("the " + what + (stopped ? " stopped before it was ready"
            : " was not ready within " + service.startTimeout()) + "; its health check '" + check + "' last "
            + said(answer)));
      }
      pause(cancellation);
    }
    return Optional.of("cancelled while the " + what + " started");
  }

  private static String said(ContainerEngine.Result answer) {
    if (answer.exit() == -1) {
      return "gave no answer within " + HEALTH_ATTEMPT.toSeconds() + " s";
    }
    return "said: " + (answer.lastLine().isEmpty() ? "exit status " + answer.exit() : answer.lastLine());
  }

  /** The last lines the service printed, to the step's output: why a service did not start is there. */
  private void logs(String container, String service, SecretMasker masker, Consumer<String> lines) throws IOException {
    ContainerEngine.Result logs = engine.call(List.of("logs", "--tail", "20", container), Duration.ofSeconds(30),
        Cancellation.create());
    logs.output().lines().forEach(line -> lines.accept(masker.mask("service " + service + ": " + line)));
  }

  private static void pause(Cancellation cancellation) {
    try {
      cancellation.future().get(HEALTH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // Time for the next attempt.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancellation.cancel();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
  }

  /** The running shell of the stage's container, started when there is none. */
  synchronized ShellSession shell(Runtime.Container image, Path workspace, List<String> identity) throws IOException {
    if (closed) {
      throw new IOException("the stage has ended");
    }
    ShellSession open = shell;
    if (open != null && open.isAlive()) {
      return open;
    }
    String container = name() + (shells++ == 0 ? "" : "-" + shells);
    List<String> command = new ArrayList<>(List.of(engine.command));
    command.addAll(shellCommand(image, workspace, container, identity));
    open = new ShellSession(command, engine.env(), workspace, maxLineBytes);
    shell = open;
    shellName = container;
    if (closed) {
      stopShell();
      throw new IOException("the stage has ended");
    }
    return open;
  }

  /**
   * The arguments that start the stage's container: its shell reads steps from standard input,
   * with standard error joined to standard output inside the container, so that a step's output
   * and the marker after it arrive in the order they were written.
   */
  List<String> shellCommand(Runtime.Container image, Path workspace, String name, List<String> identity) {
    List<String> run = new ArrayList<>(List.of("run", "--interactive", "--rm", "--init", "--name", name));
    run.addAll(labels);
    if (network) {
      run.addAll(List.of("--network", network()));
    }
    run.addAll(List.of("--workdir", ContainerExecutor.WORKSPACE,
        "--volume", workspace.toAbsolutePath() + ":" + ContainerExecutor.WORKSPACE,
        "--volume", secrets.toAbsolutePath() + ":" + ContainerExecutor.SECRETS + ":ro"));
    run.addAll(identity);
    run.addAll(List.of("--entrypoint", "/bin/sh", engine.image(image.image()), "-c", "exec 2>&1; exec /bin/sh -s"));
    return run;
  }

  /** Stops the stage's container and its shell, leaving the services: a timeout or a cancellation of one step. */
  void stopShell() {
    ShellSession open = shell;
    String name = shellName;
    if (open == null) {
      return;
    }
    shell = null;
    engine.cleanup(List.of("kill", name));
    open.close();
    try {
      if (!open.process().waitFor(SHELL_EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
        open.process().destroyForcibly().waitFor(SHELL_EXIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      open.process().destroyForcibly();
    }
    open.awaitReader(1000);
    engine.cleanup(List.of("rm", "--force", name));
  }

  /**
   * Ends the session: the shell reads the end of its input and exits, then whatever carries the
   * session's label is killed and removed, the network removed and the secrets' directory deleted.
   */
  void close() {
    closed = true;
    ShellSession open = shell;
    if (open != null) {
      open.close();
      try {
        if (!open.process().waitFor(SHELL_EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
          open.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        open.process().destroyForcibly();
      }
      open.awaitReader(1000);
    }
    cleanUp();
  }

  private void cleanUp() {
    engine.removeLabelled(INSTANCE_LABEL + "=" + instance);
    // A creation stopped by a cancellation may have made the network all the same.
    if (servicesTried) {
      engine.cleanup(List.of("network", "rm", network()));
    }
    try {
      Files.deleteIfExists(secrets);
    } catch (IOException e) {
      LOG.warn("could not remove the secrets' directory {}: {}", secrets, e.getMessage());
    }
  }

  /**
   * Removes every container and network of the session {@code id}, whoever opened it; returns how
   * many containers there were.
   */
  static int removeAll(ContainerEngine engine, String id) {
    int removed = engine.removeLabelled(LABEL + "=" + id);
    ContainerEngine.Result networks = engine.cleanup(List.of("network", "ls", "--quiet", "--filter",
        "label=" + LABEL + "=" + id));
    if (networks.ok()) {
      networks.output().lines().map(String::strip).filter(line -> !line.isEmpty())
          .forEach(network -> engine.cleanup(List.of("network", "rm", network)));
    }
    return removed;
  }
}

package dev.otto.core.executor;

import static java.util.Objects.requireNonNull;

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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs processes on this machine, each with {@code /bin/sh -c SCRIPT} in the workspace.
 *
 * <p>A process sees a clean environment: only the host variables on the allow list ({@code PATH},
 * {@code HOME}, {@code LANG}, {@code TMPDIR} and those the host adds), the plain variables of its
 * op (environment settings, then its own), the variables the engine adds, and the secrets it
 * binds. A secret bound as a file is written to a private temporary file (mode 0600 in a 0700
 * directory) that is removed when the process ends. Secret values never appear on a command
 * line, and everything the process prints is masked before it becomes a line.
 *
 * <p>The process starts in a session of its own. When it times out, is cancelled, or ends while
 * processes it started are still running, the whole tree is stopped: its process group, its
 * descendants, and on Linux every process that inherited its cookie variable, so background
 * jobs, {@code nohup}, double-forked and {@code setsid} children go too. A child that keeps the
 * output open does not hold the step past the grace period.
 *
 * <p>The steps of a stage (requests that share a session) run in one shell of the stage's, each
 * in a subshell; the stage's shell carries the stage's cookie, so what any step started carries
 * it too, and the stage's end stops whatever does. Outside a sandbox, that shell is a child of a
 * shell this executor keeps for the purpose, which starts one stage's shell after another: a
 * stage costs a fork of a running shell rather than a process spawned from the JVM. A kept shell
 * holds no secret and no stage's cookie; it serves another stage only after its last stage
 * ended cleanly, what that stage left running was stopped, and nothing else is left in its
 * process group or session (a process that cleared the cookie from its environment would write
 * into the next stage's output); it ends, with its group, after 30 seconds unused. A step that
 * comes after its stage ended does not start.
 *
 * <p>Without a sandbox, a step is a process of the engine's user: it can read what that user can,
 * the environment of the user's other processes included ({@code /proc/<pid>/environ}), and
 * reach the network. With {@link Builder#sandbox}, each stage's shell runs in a bubblewrap
 * {@link Sandbox} of its own (the executor is then named {@code sandbox}): the host read-only,
 * the workspace writable, its own processes only, and no network unless the stage's runtime asks.
 * A process without a stage session gets a sandbox of its own, ended with it.
 *
 * <pre>{@code
 * Executor local = LocalProcessExecutor.builder().allowHostVariable("JAVA_HOME").build();
 * ProcessOutcome outcome = local.run(request, line -> events.output(step, line), Cancellation.create());
 * }</pre>
 */
public final class LocalProcessExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(LocalProcessExecutor.class);
  /** The variable each process's cookie travels in. */
  public static final String COOKIE_VARIABLE = "OTTO_PROCESS_COOKIE";

  private final List<String> shell;
  private final Set<String> allowed;
  private final Map<String, String> host;
  private final boolean setsid;
  private final ProcessRunner runner;
  private final boolean persistentShell;
  private final Set<String> labels;
  private final int maxLineBytes;
  private final Sandbox sandbox;
  private final java.util.concurrent.ConcurrentMap<String, Session> sessions =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** The shells that host stages' shells, one stage after another; none in a sandbox. */
  private final StageShells hosts;

  private LocalProcessExecutor(Builder builder) {
    this.shell = List.copyOf(builder.shell);
    this.allowed = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(builder.allowed));
    this.host = Map.copyOf(builder.host);
    this.setsid = builder.setsid;
    this.runner = new ProcessRunner(builder.grace, builder.maxLineBytes, builder.setsid);
    this.persistentShell = builder.persistentShell;
    this.labels = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(builder.labels));
    this.maxLineBytes = builder.maxLineBytes;
    this.sandbox = builder.sandbox;
    List<String> host = new ArrayList<>();
    if (setsid) {
      host.add("setsid");
    }
    host.add(shell.get(0));
    host.add("-s");
    this.hosts = sandbox != null ? null : new StageShells(host, setsid, shellEnvironment(), shell.get(0), maxLineBytes,
        Math.max(4, java.lang.Runtime.getRuntime().availableProcessors()));
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
    return sandbox == null ? "local" : "sandbox";
  }

  @Override
  public Optional<String> whyNot(Runtime runtime) {
    if (runtime instanceof Runtime.Local) {
      return sandbox == null ? Optional.empty() : sandbox.unavailable();
    }
    if (runtime instanceof Runtime.Agent agent) {
      if (sandbox != null && labels.contains(agent.label())) {
        return sandbox.unavailable();
      }
      return labels.contains(agent.label()) ? Optional.empty()
          : Optional.of("this machine does not carry the agent label '" + agent.label() + "'"
              + (labels.isEmpty() ? "" : " (it carries " + labels + ")"));
    }
    return Optional.of("the local executor runs local processes, not a " + runtime.describe()
        + "; use an executor for that runtime, or run the stage locally");
  }

  @Override
  public Optional<String> isolation(Runtime runtime) {
    return Optional.of(sandbox == null
        ? "none (a process of this machine's user: it sees the user's files, processes and network)"
        : sandbox.describe(runtime.network()));
  }

  /** Looks for the tools on this machine, on the PATH its processes get, in a sandbox if they run in one. */
  @Override
  public Optional<List<Tool>> findTools(List<String> tools) {
    return Optional.of(ToolProbe.find(sandbox == null ? List.of() : sandbox.command(null, false, null),
        shellEnvironment(), List.copyOf(tools)));
  }

  /** The variables of a stage's shell: the allowed host variables; in a sandbox, its own {@code /tmp}. */
  private Map<String, String> shellEnvironment() {
    Map<String, String> env = ProcessRunner.allowed(allowed, host);
    if (sandbox != null) {
      env.computeIfPresent("TMPDIR", (name, value) -> "/tmp");
    }
    return env;
  }

  @Override
  public ProcessOutcome run(ProcessRequest request, Consumer<String> lines, Cancellation cancellation) {
    requireNonNull(request, "request");
    requireNonNull(lines, "lines");
    requireNonNull(cancellation, "cancellation");
    Op.RunProcess op = request.op();
    SecretMasker masker;
    try {
      masker = ProcessRunner.masker(request);
    } catch (IllegalArgumentException e) {
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO, e.getMessage());
    }
    if (!request.services().isEmpty()) {
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO,
          "the local executor runs no services; run the stage in a container, where its steps reach its services");
    }
    if (cancellation.isCancelled()) {
      return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), Duration.ZERO,
          "cancelled before it started");
    }
    if (request.session().isPresent() && persistentShell) {
      return runInSession(request, request.session().get(), masker, lines, cancellation);
    }
    if (sandbox != null) {
      // A sandbox of its own, ended with the process: nothing it started outlives it.
      String own = "sandbox-" + UUID.randomUUID();
      try {
        return runInSession(request, own, masker, lines, cancellation);
      } finally {
        endSession(own);
      }
    }
    String cookieValue = request.session().orElseGet(() -> UUID.randomUUID().toString());
    SecretFiles files = new SecretFiles();
    try {
      Map<String, String> env = ProcessRunner.allowed(allowed, host);
      env.putAll(op.env());
      env.putAll(request.extraEnv());
      for (SecretBinding binding : op.secrets()) {
        SecretValue value = request.secrets().get(binding.secret());
        env.put(binding.variable(), binding.delivery() == SecretBinding.Delivery.ENV
            ? value.reveal() : files.write(value).toString());
      }
      env.put(COOKIE_VARIABLE, cookieValue);
      List<String> command = new ArrayList<>();
      if (setsid) {
        command.add("setsid");
      }
      command.addAll(shell);
      command.add(op.script());
      return runner.run(new ProcessRunner.Launch(command, env, request.workspace(), op.timeout()),
          op.label(), COOKIE_VARIABLE + "=" + cookieValue, request.session().isEmpty(), masker, lines,
          cancellation);
    } catch (IOException | UncheckedIOException e) {
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO,
          masker.mask("could not prepare '" + op.label() + "': " + e.getMessage()));
    } finally {
      files.delete();
    }
  }

  /**
   * Runs a step of a stage in the stage's shell, started on the stage's first step: a subshell
   * instead of a process spawned from the JVM.
   */
  private ProcessOutcome runInSession(ProcessRequest request, String name, SecretMasker stepMasker,
      Consumer<String> lines, Cancellation cancellation) {
    long started = System.nanoTime();
    Op.RunProcess op = request.op();
    String cookie = COOKIE_VARIABLE + "=" + name;
    Session session;
    try {
      // No shell is opened for a step stopped on its way: the stop may have ended the stage's last one.
      session = sessions.computeIfAbsent(name, key -> cancellation.isCancelled() ? null
          : openSession(key, request.workspace(), request.runtime()));
    } catch (UncheckedIOException e) {
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO,
          "could not start the stage's shell: " + e.getCause().getMessage());
    }
    if (session == null) {
      return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), elapsed(started),
          "cancelled before it started");
    }
    SecretFiles files = SecretFiles.under(session.secretFolder);
    try {
      Map<String, String> env = new LinkedHashMap<>(op.env());
      env.putAll(request.extraEnv());
      for (SecretBinding binding : op.secrets()) {
        SecretValue value = request.secrets().get(binding.secret());
        env.put(binding.variable(), binding.delivery() == SecretBinding.Delivery.ENV
            ? value.reveal() : files.write(value).toString());
      }
      // Output of background processes may surface in a later step: mask every secret seen so far.
      SecretMasker masker = session.secrets.masker(request);
      String marker = "OTTO_END_" + UUID.randomUUID().toString().replace("-", "");
      ShellSession.Step step;
      synchronized (session) {
        // Stopped on its way here: the stop may have ended the stage's session, or be ending it.
        if (cancellation.isCancelled()) {
          return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), elapsed(started),
              "cancelled before it started");
        }
        // A stage ended while its step was on its way: the step does not start, in a shell that is
        // leaving or already serves another stage.
        if (session.ended) {
          return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), elapsed(started),
              "its stage ended before it started");
        }
        step = session.shell.start(ShellSession.command(env, op.script(), marker), marker, masker, lines);
      }
      return ShellSession.await(step, op.timeout(), cancellation, () -> kill(name, session, cookie),
          why -> "the stage's shell ended while the step ran: " + why.getMessage(),
          "every process its stage started", masker, started);
    } catch (IOException | UncheckedIOException | java.util.concurrent.CompletionException e) {
      kill(name, session, cookie);
      return new ProcessOutcome(ProcessOutcome.Status.FAILED, OptionalInt.empty(), elapsed(started),
          stepMasker.mask("the step could not run in the stage's shell: " + e.getMessage()));
    } catch (InterruptedException e) {
      kill(name, session, cookie);
      Thread.currentThread().interrupt();
      return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), elapsed(started),
          "interrupted, and stopped with every process its stage started");
    } finally {
      files.delete();
    }
  }

  /**
   * Starts a stage's shell: a child of a shell kept for the purpose; in a sandbox, a sandbox of the
   * stage's own, with a private folder for the files of secrets bound into it.
   */
  private Session openSession(String name, Path workspace, Runtime runtime) {
    if (hosts != null) {
      try {
        StageShells.Host host = hosts.enter(workspace, COOKIE_VARIABLE, name);
        return new Session(host.shell(), null, host);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, String> env = shellEnvironment();
    env.put(COOKIE_VARIABLE, name);
    List<String> command = new ArrayList<>();
    if (setsid) {
      command.add("setsid");
    }
    Path secretFolder = null;
    try {
      if (sandbox != null) {
        secretFolder = Files.createTempDirectory("otto-sandbox-",
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        command.addAll(sandbox.command(workspace, runtime.network(), secretFolder));
      }
      command.add(shell.get(0));
      command.add("-s");
      return new Session(new ShellSession(command, env, workspace, maxLineBytes), secretFolder, null);
    } catch (IOException e) {
      removeSecretFolder(secretFolder);
      throw new UncheckedIOException(e);
    }
  }

  private void kill(String name, Session session, String cookie) {
    session.end();
    if (session.host != null) {
      // The host's group and descendants go with it, then whatever else carries the stage's cookie.
      hosts.stop(session.host);
      ProcessTree.killCarrying(cookie);
    } else {
      session.shell.close();
      ProcessTree.kill(session.shell.process().toHandle(), setsid, cookie);
    }
    // Only now: an end of the stage meanwhile (a stop of the stage cancels its step, then ends it)
    // finds the session and stops its group at once, rather than its processes one by one under a
    // living shell, which would report their deaths as output.
    sessions.remove(name, session);
    session.shell.awaitReader(1000);
    removeSecretFolder(session.secretFolder);
  }

  /** Removes a sandbox's folder of secret files, which each step has emptied of its own. */
  private static void removeSecretFolder(Path folder) {
    if (folder == null) {
      return;
    }
    try {
      Files.deleteIfExists(folder);
    } catch (IOException e) {
      LOG.warn("could not remove the sandbox's folder of secret files {}: {}", folder, e.getMessage());
    }
  }

  /**
   * A stage's shell (or the shell that hosts it), the secrets its steps have seen, and, in a
   * sandbox, the folder of their files.
   */
  private static final class Session {
    final ShellSession shell;
    final Path secretFolder;
    /** The host of the stage's shell; null for a shell of the stage's own, in a sandbox. */
    final StageShells.Host host;
    final ShellSession.Secrets secrets = new ShellSession.Secrets();
    /** Whether the stage has ended: no step starts any more; guarded by this session. */
    private boolean ended;

    Session(ShellSession shell, Path secretFolder, StageShells.Host host) {
      this.shell = shell;
      this.secretFolder = secretFolder;
      this.host = host;
    }

    /** Lets no step start any more; a step that is starting has started once this returns. */
    synchronized void end() {
      ended = true;
    }
  }

  private static Duration elapsed(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  @Override
  public int endSession(String session) {
    requireNonNull(session, "session");
    String cookie = COOKIE_VARIABLE + "=" + session;
    Session open = sessions.remove(session);
    if (open == null) {
      return ProcessTree.killCarrying(cookie);
    }
    open.end();
    ProcessHandle shellProcess = open.shell.process().toHandle();
    if (open.host != null) {
      return endHosted(open, cookie);
    }
    // What a sandboxed stage left running dies with its sandbox when the shell ends: count it first.
    int leftInSandbox = sandbox == null ? 0 : leftInSandbox(shellProcess);
    // An idle shell exits at the end of its input: what the stage left running is stopped meanwhile, and a process
    // that kept the shell's output open no longer holds up its reader. A shell still running a step (the stage was
    // stopped) ends first, so that it does not report the step's death as output; a sandbox ends with its shell.
    boolean idle = sandbox == null && open.shell.idle();
    open.shell.close();
    // The stage's own shell is not a process the stage left running.
    int left = idle ? ProcessTree.killCarrying(cookie, shellProcess) : 0;
    try {
      if (!open.shell.process().waitFor(2, TimeUnit.SECONDS)) {
        shellProcess.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shellProcess.destroyForcibly();
    }
    open.shell.awaitReader(1000);
    removeSecretFolder(open.secretFolder);
    return idle ? left : leftInSandbox + ProcessTree.killCarrying(cookie, shellProcess);
  }

  /**
   * Ends a stage whose shell a kept shell hosts. When no step runs, the stage's shell is asked
   * to end, so what carries the stage's cookie afterwards is what the stage left running; it is
   * stopped before the host serves another stage. When a step still runs (the stage was
   * stopped), the host goes with the stage, and the count leaves the stage's shell out.
   */
  private int endHosted(Session open, String cookie) {
    if (open.shell.idle()) {
      boolean left = hosts.leave(open.host);
      if (!left) {
        hosts.stop(open.host);
      }
      int stopped = ProcessTree.killCarrying(cookie);
      if (left) {
        stopped += hosts.keep(open.host);
      }
      return stopped;
    }
    Set<ProcessHandle> left = ProcessTree.carrying(cookie);
    open.shell.process().toHandle().children().forEach(left::remove);
    // The whole group at once, so that no shell reports the death of its child as output.
    hosts.stop(open.host);
    ProcessTree.killCarrying(cookie);
    return left.size();
  }

  /**
   * The processes a stage left running in its sandbox: everything under the sandbox's init but
   * the stage's shell, the init's first child. A background job whose step has ended belongs to
   * the init by then.
   */
  private static int leftInSandbox(ProcessHandle sandbox) {
    return sandbox.children().findFirst().map(init -> {
      java.util.Comparator<ProcessHandle> started = java.util.Comparator.comparing(
          process -> process.info().startInstant().orElse(java.time.Instant.MAX));
      Optional<ProcessHandle> shell = init.children().min(started);
      return (int) init.descendants().filter(process -> shell.map(s -> !s.equals(process)).orElse(true)).count();
    }).orElse(0);
  }

  /** Configures a {@link LocalProcessExecutor}. */
  public static final class Builder {
    private List<String> shell = List.of("/bin/sh", "-c");
    private final Set<String> allowed = new LinkedHashSet<>(List.of("PATH", "HOME", "LANG", "TMPDIR"));
    private Map<String, String> host = System.getenv();
    private Duration grace = Duration.ofSeconds(2);
    private int maxLineBytes = 64 * 1024;
    private boolean persistentShell = true;
    private final Set<String> labels = new java.util.TreeSet<>();
    private Sandbox sandbox;
    private boolean setsid = Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"));

    private Builder() {}

    /** The shell and its option before the script, {@code /bin/sh -c} by default. */
    public Builder shell(List<String> shellAndOption) {
      if (shellAndOption.isEmpty()) {
        throw new IllegalArgumentException("the shell command is empty; give at least the program, e.g. /bin/sh -c");
      }
      this.shell = List.copyOf(shellAndOption);
      return this;
    }

    /** Lets processes see the host variable {@code name}. */
    public Builder allowHostVariable(String name) {
      allowed.add(requireNonNull(name, "name"));
      return this;
    }

    /** The host environment to take allowed variables from; {@code System.getenv()} by default. */
    public Builder hostEnvironment(Map<String, String> environment) {
      this.host = Map.copyOf(requireNonNull(environment, "environment"));
      return this;
    }

    /** How long output may stay open after the process has exited. */
    public Builder grace(Duration grace) {
      this.grace = ProcessRunner.checkGrace(requireNonNull(grace, "grace"));
      return this;
    }

    /** The longest output line, in bytes, kept whole; longer lines are cut with a marker. */
    public Builder maxLineBytes(int bytes) {
      this.maxLineBytes = ProcessRunner.checkMaxLineBytes(bytes);
      return this;
    }

    /** Agent labels this machine carries: stages whose runtime is one of them run here. */
    public Builder agentLabels(String... names) {
      for (String name : names) {
        labels.add(requireNonNull(name, "label"));
      }
      return this;
    }

    /**
     * Whether the steps of a stage (requests sharing a session) run in one shell, each in a
     * subshell; true by default. Off, every step is a process of its own.
     */
    public Builder persistentShell(boolean enabled) {
      this.persistentShell = enabled;
      return this;
    }

    /**
     * Runs every stage's shell, and the steps in it, in a {@link Sandbox} of its own: the host
     * read-only, the workspace writable, no network unless the stage's runtime asks, and no
     * sight of other processes. Without this (the default), steps are processes of this
     * machine's user, which see everything that user may see.
     */
    public Builder sandbox(Sandbox sandbox) {
      this.sandbox = requireNonNull(sandbox, "sandbox");
      return this;
    }

    public LocalProcessExecutor build() {
      return new LocalProcessExecutor(this);
    }
  }
}

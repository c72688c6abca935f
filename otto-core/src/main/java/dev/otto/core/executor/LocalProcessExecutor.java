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

  private LocalProcessExecutor(Builder builder) {
    this.shell = List.copyOf(builder.shell);
    this.allowed = Set.copyOf(builder.allowed);
    this.host = Map.copyOf(builder.host);
    this.setsid = builder.setsid;
    this.runner = new ProcessRunner(builder.grace, builder.maxLineBytes, builder.setsid);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public Optional<String> whyNot(Runtime runtime) {
    if (runtime instanceof Runtime.Local) {
      return Optional.empty();
    }
    return Optional.of("the local executor runs local processes, not a " + runtime.describe()
        + "; use an executor for that runtime, or run the stage locally");
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
    if (cancellation.isCancelled()) {
      return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), Duration.ZERO,
          "cancelled before it started");
    }
    String cookieValue = request.session().orElseGet(() -> UUID.randomUUID().toString());
    SecretFiles files = new SecretFiles();
    try {
      Map<String, String> env = new LinkedHashMap<>();
      for (String name : allowed) {
        String value = host.get(name);
        if (value != null) {
          env.put(name, value);
        }
      }
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
      return runner.run(new ProcessRunner.Launch(command, env, request.workspace(), op.timeout(), () -> {}),
          op.label(), COOKIE_VARIABLE + "=" + cookieValue, request.session().isEmpty(), masker, lines, cancellation);
    } catch (IOException | UncheckedIOException e) {
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO,
          masker.mask("could not prepare '" + op.label() + "': " + e.getMessage()));
    } finally {
      files.delete();
    }
  }

  @Override
  public int endSession(String session) {
    return ProcessTree.killCarrying(COOKIE_VARIABLE + "=" + requireNonNull(session, "session"));
  }

  /** Configures a {@link LocalProcessExecutor}. */
  public static final class Builder {
    private List<String> shell = List.of("/bin/sh", "-c");
    private final Set<String> allowed = new LinkedHashSet<>(List.of("PATH", "HOME", "LANG", "TMPDIR"));
    private Map<String, String> host = System.getenv();
    private Duration grace = Duration.ofSeconds(2);
    private int maxLineBytes = 64 * 1024;
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
      requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("the grace period must not be negative, not " + grace);
      }
      this.grace = grace;
      return this;
    }

    /** The longest output line, in bytes, kept whole; longer lines are cut with a marker. */
    public Builder maxLineBytes(int bytes) {
      this.maxLineBytes = bytes;
      return this;
    }

    public LocalProcessExecutor build() {
      return new LocalProcessExecutor(this);
    }
  }
}

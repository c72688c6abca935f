package dev.otto.core.executor;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.output.OutputLines;
import dev.otto.core.plan.Op;
import dev.otto.core.secret.SecretMasker;
import dev.otto.core.secret.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  private final Duration grace;
  private final int maxLineBytes;
  private final boolean setsid;

  private LocalProcessExecutor(Builder builder) {
    this.shell = List.copyOf(builder.shell);
    this.allowed = Set.copyOf(builder.allowed);
    this.host = Map.copyOf(builder.host);
    this.grace = builder.grace;
    this.maxLineBytes = builder.maxLineBytes;
    this.setsid = builder.setsid;
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
    long started = System.nanoTime();
    Op.RunProcess op = request.op();
    SecretMasker masker;
    try {
      SecretMasker.Builder maskerBuilder = SecretMasker.builder();
      request.secrets().forEach((name, value) -> maskerBuilder.add(name, value.reveal()));
      masker = maskerBuilder.build();
    } catch (IllegalArgumentException e) {
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), Duration.ZERO, e.getMessage());
    }
    if (cancellation.isCancelled()) {
      return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), Duration.ZERO,
          "cancelled before it started");
    }
    String cookieValue = UUID.randomUUID().toString();
    String cookie = COOKIE_VARIABLE + "=" + cookieValue;
    Path secretDir = null;
    Process process = null;
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
        if (binding.delivery() == SecretBinding.Delivery.ENV) {
          env.put(binding.variable(), value.reveal());
        } else {
          if (secretDir == null) {
            secretDir = Files.createTempDirectory("otto-secrets-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
          }
          Path file = Files.createTempFile(secretDir, "secret-", "",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, value.reveal(), StandardCharsets.UTF_8);
          env.put(binding.variable(), file.toString());
        }
      }
      env.put(COOKIE_VARIABLE, cookieValue);
      List<String> command = new ArrayList<>();
      if (setsid) {
        command.add("setsid");
      }
      command.addAll(shell);
      command.add(op.script());
      ProcessBuilder builder = new ProcessBuilder(command).directory(request.workspace().toFile())
          .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().clear();
      builder.environment().putAll(env);
      process = builder.start();
    } catch (IOException | UncheckedIOException e) {
      deleteQuietly(secretDir);
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), elapsed(started),
          masker.mask("could not start '" + op.label() + "': " + e.getMessage()));
    }
    Process running = process;
    CompletableFuture<Void> output = CompletableFuture.runAsync(() -> pump(running.getInputStream(), masker, lines),
        command -> {
          Thread thread = new Thread(command, "otto-output-" + running.pid());
          thread.setDaemon(true);
          thread.start();
        });
    try {
      ProcessOutcome.Status status;
      OptionalInt exit = OptionalInt.empty();
      String detail;
      long timeoutMillis = op.timeout().map(Duration::toMillis).orElse(Long.MAX_VALUE);
      try {
        CompletableFuture.anyOf(process.onExit(), cancellation.future()).get(timeoutMillis, TimeUnit.MILLISECONDS);
        if (process.isAlive() && cancellation.isCancelled()) {
          ProcessTree.kill(process.toHandle(), setsid, cookie);
          status = ProcessOutcome.Status.CANCELLED;
          detail = "cancelled";
        } else {
          int code = process.waitFor();
          exit = OptionalInt.of(code);
          status = code == 0 ? ProcessOutcome.Status.SUCCEEDED : ProcessOutcome.Status.FAILED;
          detail = "exited with status " + code;
        }
      } catch (TimeoutException e) {
        ProcessTree.kill(process.toHandle(), setsid, cookie);
        status = ProcessOutcome.Status.TIMED_OUT;
        detail = "timed out after " + op.timeout().orElseThrow() + " and was stopped with every process it started";
      }
      try {
        output.get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        int stopped = ProcessTree.kill(process.toHandle(), setsid, cookie);
        LOG.debug("stopped {} processes of '{}' that kept its output open", stopped, op.label());
        detail += "; processes it left running kept its output open and were stopped after " + grace;
        try {
          output.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException stillOpen) {
          process.getInputStream().close();
        }
      }
      int leftovers = ProcessTree.kill(process.toHandle(), setsid, cookie);
      if (leftovers > 0) {
        detail += "; " + leftovers + " processes it left running were stopped";
      }
      return new ProcessOutcome(status, exit, elapsed(started), masker.mask(detail));
    } catch (InterruptedException e) {
      ProcessTree.kill(process.toHandle(), setsid, cookie);
      Thread.currentThread().interrupt();
      return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), elapsed(started),
          "interrupted, and stopped with every process it started");
    } catch (ExecutionException | IOException e) {
      ProcessTree.kill(process.toHandle(), setsid, cookie);
      return new ProcessOutcome(ProcessOutcome.Status.FAILED, OptionalInt.empty(), elapsed(started),
          masker.mask("its output could not be read: " + e.getMessage()));
    } finally {
      deleteQuietly(secretDir);
    }
  }

  private void pump(InputStream in, SecretMasker masker, Consumer<String> lines) {
    try (InputStream input = in; OutputStream out = masker.wrap(new OutputLines(maxLineBytes, lines))) {
      byte[] buffer = new byte[8192];
      for (int n; (n = input.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Duration elapsed(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.warn("could not remove the secret files in {}: {}", dir, e.getMessage());
    }
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

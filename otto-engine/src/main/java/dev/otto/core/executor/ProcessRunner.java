package dev.otto.core.executor;

import dev.otto.core.output.OutputLines;
import dev.otto.core.secret.SecretMasker;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one prepared command to its end for an executor: streams its masked output as lines,
 * enforces the timeout, honours cancellation, and stops everything the command left running.
 */
final class ProcessRunner {
  /**
   * How much output a read takes at most: what a Linux pipe holds, so that a step printing faster
   * than its output is handled is read in a few large pieces rather than many 8 KiB ones.
   */
  static final int READ_BYTES = 1 << 16;

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);

  /** A command ready to start. */
  record Launch(List<String> command, Map<String, String> env, Path directory, Optional<Duration> timeout) {}

  private final Duration grace;
  private final int maxLineBytes;
  private final boolean ownGroup;

  ProcessRunner(Duration grace, int maxLineBytes, boolean ownGroup) {
    this.grace = grace;
    this.maxLineBytes = maxLineBytes;
    this.ownGroup = ownGroup;
  }

  /** Checks a grace period where an executor's builder takes it. */
  static Duration checkGrace(Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("the grace period must not be negative, not " + grace);
    }
    return grace;
  }

  /** Checks a line limit where an executor's builder takes it, rather than when output arrives. */
  static int checkMaxLineBytes(int bytes) {
    if (bytes < 16) {
      throw new IllegalArgumentException("maxLineBytes must be at least 16, not " + bytes);
    }
    return bytes;
  }

  /** The variables of {@code host} named in {@code allowed}, in the order of {@code allowed}. */
  static Map<String, String> allowed(java.util.Set<String> allowed, Map<String, String> host) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (String name : allowed) {
      String value = host.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    return env;
  }

  /** A masker for the request's secrets; throws when one is too short to mask. */
  static SecretMasker masker(ProcessRequest request) {
    SecretMasker.Builder builder = SecretMasker.builder();
    request.allMasked().forEach((name, value) -> builder.add(name, value.reveal()));
    return builder.build();
  }

  /**
   * Runs the launch. With {@code sweep}, processes it leaves running are stopped when it ends;
   * without, they may live on until their session ends.
   */
  ProcessOutcome run(Launch launch, String label, String cookie, boolean sweep, SecretMasker masker,
      Consumer<String> lines, Cancellation cancellation) {
    long started = System.nanoTime();
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(launch.command()).directory(launch.directory().toFile())
          .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().clear();
      builder.environment().putAll(launch.env());
      process = builder.start();
    } catch (IOException | UncheckedIOException e) {
      return new ProcessOutcome(ProcessOutcome.Status.NOT_STARTED, OptionalInt.empty(), elapsed(started),
          masker.mask("could not start '" + label + "': " + e.getMessage()));
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
      long timeoutMillis = launch.timeout().map(Duration::toMillis).orElse(Long.MAX_VALUE);
      try {
        CompletableFuture.anyOf(process.onExit(), cancellation.future()).get(timeoutMillis, TimeUnit.MILLISECONDS);
        if (process.isAlive() && cancellation.isCancelled()) {
          stop(process, cookie);
          status = ProcessOutcome.Status.CANCELLED;
          detail = "cancelled";
        } else {
          int code = process.waitFor();
          exit = OptionalInt.of(code);
          status = code == 0 ? ProcessOutcome.Status.SUCCEEDED : ProcessOutcome.Status.FAILED;
          detail = "exited with status " + code;
        }
      } catch (TimeoutException e) {
        stop(process, cookie);
        status = ProcessOutcome.Status.TIMED_OUT;
        detail = "timed out after " + launch.timeout().orElseThrow() + " and was stopped with every process it started";
      }
      try {
        output.get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        int stopped = ProcessTree.kill(process.toHandle(), ownGroup, cookie);
        LOG.debug("stopped {} processes of '{}' that kept its output open", stopped, label);
        detail += "; processes it left running kept its output open and were stopped after " + grace;
        try {
          output.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException stillOpen) {
          process.getInputStream().close();
        }
      }
      int leftovers = sweep ? ProcessTree.kill(process.toHandle(), ownGroup, cookie) : 0;
      if (leftovers > 0) {
        detail += "; " + leftovers + " processes it left running were stopped";
      }
      return new ProcessOutcome(status, exit, elapsed(started), masker.mask(detail));
    } catch (InterruptedException e) {
      stop(process, cookie);
      Thread.currentThread().interrupt();
      return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), elapsed(started),
          "interrupted, and stopped with every process it started");
    } catch (ExecutionException | IOException e) {
      stop(process, cookie);
      return new ProcessOutcome(ProcessOutcome.Status.FAILED, OptionalInt.empty(), elapsed(started),
          masker.mask("its output could not be read: " + e.getMessage()));
    }
  }

  private void stop(Process process, String cookie) {
    ProcessTree.kill(process.toHandle(), ownGroup, cookie);
  }

  private void pump(InputStream in, SecretMasker masker, Consumer<String> lines) {
    try (InputStream input = in; OutputStream out = masker.wrap(new OutputLines(maxLineBytes, lines))) {
      byte[] buffer = new byte[READ_BYTES];
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
}

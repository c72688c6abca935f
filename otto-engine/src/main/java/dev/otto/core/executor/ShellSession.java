package dev.otto.core.executor;

import dev.otto.core.output.ByteSearch;
import dev.otto.core.output.OutputLines;
import dev.otto.core.secret.SecretMasker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
 * One long-lived shell that runs the steps of one stage, each in a subshell of its own: spawning
 * a shell from the JVM for every step costs more than a whole build tool's run, while a subshell
 * forked by a running shell costs little.
 *
 * <p>Each step is written to the shell's standard input as
 * {@code ( export NAME='value' ...; eval "$OTTO_SCRIPT" ) </dev/null; printf '\001MARK %d\n' $?}:
 * its variables exist only in its subshell, it cannot read the commands that follow, and the
 * random marker after it carries its exit status. Values travel through the pipe, never on a
 * command line. The reader finds the marker in the raw output, so what a step prints is masked
 * with the step's own secrets and cut into lines by itself.
 *
 * <p>The shell may run in a container, its engine's client in between ({@code docker run
 * --interactive}): the protocol is the same.
 *
 * <p>A shell can also host one stage after another ({@link #enter}, {@link #leave}): each
 * stage's shell is a child it starts with the stage's cookie in its environment, reading the same
 * pipe, so a stage costs a fork of a running shell rather than a process spawned from the JVM,
 * and the stage's processes carry its cookie as they do in a shell of its own.
 */
final class ShellSession {
  private static final Logger LOG = LoggerFactory.getLogger(ShellSession.class);
  private static final int HELD_WITHOUT_STEP = 1 << 20;
  private static final int TAIL_BYTES = 4096;
  private static final long EXIT_AFTER_OUTPUT_MILLIS = 5_000;

  private final Process shell;
  private final OutputStream commands;
  private final Object lock = new Object();
  private final int maxLineBytes;
  private Step current;
  /** While a stage's shell runs as this shell's child, the marker this shell prints when it ends. */
  private byte[] childEnd;
  /** Whether the stage's shell ended before it was asked to ({@link #leave}). */
  private boolean childGone;
  private byte[] pending = new byte[0];
  private volatile byte[] tail = new byte[0];
  private final Thread reader;

  /**
   * The shell ended while a step ran: its exit status (-1 when it did not say) and the last line
   * it printed, which is where a container engine that could not start the container says why.
   */
  static final class Ended extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String lastLine;

    Ended(int status, String lastLine) {
      super("the shell ended before the step finished" + (status < 0 ? "" : " (exit status " + status + ")")
          + (lastLine.isEmpty() ? "" : ": " + lastLine));
      this.status = status;
      this.lastLine = lastLine;
    }
  }

  /** A step in progress: where its output goes, and its exit status when its marker is read. */
  static final class Step {
    final byte[] marker;
    final OutputStream out;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /** Whether this is a stage's entry: status 0 means the stage's shell now reads the pipe. */
    private final boolean enters;

    Step(String marker, SecretMasker masker, Consumer<String> lines, int maxLineBytes) {
      this(marker, masker, lines, maxLineBytes, false);
    }

    private Step(String marker, SecretMasker masker, Consumer<String> lines, int maxLineBytes, boolean enters) {
      this.marker = ("\u0001" + marker + " ").getBytes(StandardCharsets.UTF_8);
      this.out = masker.wrap(new OutputLines(maxLineBytes, lines));
      this.enters = enters;
    }
  }

  ShellSession(List<String> command, Map<String, String> env, Path directory, int maxLineBytes) throws IOException {
    this.maxLineBytes = maxLineBytes;
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    this.shell = builder.start();
    this.commands = shell.getOutputStream();
    this.reader = new Thread(this::read, "otto-shell-" + shell.pid());
    reader.setDaemon(true);
    reader.start();
  }

  Process process() {
    return shell;
  }

  boolean isAlive() {
    return shell.isAlive();
  }

  /** Whether no step runs: the last one's marker was read. */
  boolean idle() {
    synchronized (lock) {
      return current == null;
    }
  }

  /** Starts a step; its exit status completes {@link Step#exit} when its marker is read. */
  Step start(String command, String marker, SecretMasker masker, Consumer<String> lines) throws IOException {
    Step step = new Step(marker, masker, lines, maxLineBytes);
    synchronized (lock) {
      if (childGone) {
        throw new Ended(-1, lastLine());
      }
      begin(step);
    }
    send(command);
    return step;
  }

  /** Makes {@code step} the current one, with what was printed since the last; under the lock. */
  private void begin(Step step) throws IOException {
    current = step;
    if (pending.length > 0) {
      byte[] held = pending;
      pending = new byte[0];
      step.out.write(held);
    }
  }

  private void send(String command) throws IOException {
    commands.write(command.getBytes(StandardCharsets.UTF_8));
    commands.flush();
  }

  /**
   * Starts a stage's shell ({@code program -s}) as a child of this one, in {@code directory},
   * with {@code variable} set to {@code value} in its environment, and returns once this shell
   * has read the request: what is written next goes to the child. Returns false, with this shell
   * ready again, when the directory cannot be entered. What the stage printed before is dropped.
   *
   * <p>This shell answers with a marker, status 0, before it starts the child, and prints the
   * same marker, status 1, when the child has ended: {@link #leave} waits for it, and a step
   * that runs when the child ends unasked fails as when a shell of its own ends. This shell
   * stays in the directory, so that a command the child left unread runs where the stage's do.
   */
  boolean enter(String program, Path directory, String variable, String value, Duration wait)
      throws IOException, InterruptedException, TimeoutException {
    String marker = "OTTO_STAGE_" + java.util.UUID.randomUUID().toString().replace("-", "");
    Step entry = new Step(marker, SecretMasker.none(), line -> { }, maxLineBytes, true);
    synchronized (lock) {
      childGone = false;
      begin(entry);
    }
    send("cd -- " + quote(directory.toAbsolutePath().toString()) + " && printf '\\001%s %d\\n' '" + marker
        + "' 0 && " + variable + "=" + quote(value) + " " + quote(program) + " -s; printf '\\001%s %d\\n' '"
        + marker + "' 1\n");
    int status = status(entry, wait);
    if (status < 0) {
      throw new Ended(-1, lastLine());
    }
    return status == 0;
  }

  /**
   * Ends the stage's shell started by {@link #enter} and waits until this shell is ready for the
   * next; returns whether it is. What the stage printed meanwhile is dropped.
   */
  boolean leave(Duration wait) throws InterruptedException {
    try {
      Step exit;
      synchronized (lock) {
        if (childGone || childEnd == null) {
          childGone = false;
          childEnd = null;
          return current == null;
        }
        // Decided under the lock: the marker the child's end prints is now this step's.
        exit = new Step(new String(childEnd, 1, childEnd.length - 2, StandardCharsets.UTF_8),
            SecretMasker.none(), line -> { }, maxLineBytes);
        childEnd = null;
        begin(exit);
      }
      send("exit\n");
      return status(exit, wait) == 1;
    } catch (IOException | TimeoutException e) {
      return false;
    }
  }

  private static int status(Step step, Duration wait) throws InterruptedException, TimeoutException {
    try {
      return step.exit.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return -1;
    }
  }

  /** Ends the shell: no more steps. */
  void close() {
    try {
      commands.close();
    } catch (IOException e) {
      LOG.debug("could not close the commands of shell {}", shell.pid());
    }
  }

  /** Waits a little for the reader to drain what the shell printed last. */
  void awaitReader(long millis) {
    try {
      reader.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void read() {
    byte[] buffer = new byte[ProcessRunner.READ_BYTES];
    byte[] window = new byte[0];
    try (InputStream in = shell.getInputStream()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        byte[] data = new byte[window.length + n];
        System.arraycopy(window, 0, data, 0, window.length);
        System.arraycopy(buffer, 0, data, window.length, n);
        keepTail(buffer, n);
        try {
          window = consume(data);
        } catch (RuntimeException e) {
          // A consumer of the step's lines failed: the step fails, and the shell's output is still
          // read, so that the shell does not block on a full pipe while its stage is stopped.
          LOG.warn("the output of shell {} could not be handed over: {}", shell.pid(), e.getClass().getName());
          synchronized (lock) {
            if (current != null) {
              Step failed = current;
              current = null;
              failed.exit.completeExceptionally(unhandled(e));
            }
          }
          window = new byte[0];
        }
      }
      Ended ended = ended();
      synchronized (lock) {
        if (window.length > 0) {
          forward(window, 0, window.length);
        }
        if (current != null) {
          closeStep(current);
          current.exit.completeExceptionally(ended);
          current = null;
        }
      }
    } catch (IOException e) {
      synchronized (lock) {
        if (current != null) {
          current.exit.completeExceptionally(e);
        }
      }
    }
  }

  private void keepTail(byte[] buffer, int n) {
    if (n >= TAIL_BYTES) {
      tail = java.util.Arrays.copyOfRange(buffer, n - TAIL_BYTES, n);
      return;
    }
    byte[] more = java.util.Arrays.copyOf(tail, tail.length + n);
    System.arraycopy(buffer, 0, more, tail.length, n);
    tail = more.length <= TAIL_BYTES ? more : java.util.Arrays.copyOfRange(more, more.length - TAIL_BYTES, more.length);
  }

  /** How the shell ended, once its output has: it exits at once, or its status is not known. */
  private Ended ended() {
    int status = -1;
    try {
      if (shell.waitFor(EXIT_AFTER_OUTPUT_MILLIS, TimeUnit.MILLISECONDS)) {
        status = shell.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Ended(status, lastLine());
  }

  /**
   * The last line the shell printed, which says why when a shell could not start; the lines of
   * this protocol's markers are left out.
   */
  private String lastLine() {
    List<String> lines = new String(tail, StandardCharsets.UTF_8).lines()
        .filter(line -> !line.startsWith("\u0001") && !line.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }

  /** Forwards what is settled; returns the bytes held back because they may begin a marker. */
  private byte[] consume(byte[] data) throws IOException {
    synchronized (lock) {
      int from = 0;
      while (true) {
        byte[] marker = current == null ? null : current.marker;
        int at = marker == null ? -1 : ByteSearch.indexOf(data, marker, from, data.length);
        int childAt = childEnd == null ? -1 : ByteSearch.indexOf(data, childEnd, from, data.length);
        boolean childEnded = childAt >= 0 && (at < 0 || childAt < at);
        if (!childEnded && at < 0) {
          int held = Math.max(marker == null ? 0 : partialMatch(data, from, marker),
              childEnd == null ? 0 : partialMatch(data, from, childEnd));
          int settled = data.length - held;
          forward(data, from, settled - from);
          return java.util.Arrays.copyOfRange(data, settled, data.length);
        }
        int begins = childEnded ? childAt : at;
        int end = lineEnd(data, begins + (childEnded ? childEnd : marker).length);
        forward(data, from, begins - from);
        if (end < 0) {
          return java.util.Arrays.copyOfRange(data, begins, data.length);
        }
        if (childEnded) {
          // The stage's shell ended unasked: a step that runs cannot finish.
          childEnd = null;
          childGone = true;
          if (current != null) {
            Step broken = current;
            current = null;
            closeStep(broken);
            broken.exit.completeExceptionally(new Ended(-1, lastLine()));
          }
        } else {
          String status = new String(data, at + marker.length, end - at - marker.length, StandardCharsets.US_ASCII);
          Step done = current;
          current = null;
          closeStep(done);
          try {
            int code = Integer.parseInt(status.strip());
            if (done.enters && code == 0) {
              childEnd = done.marker;
            }
            done.exit.complete(code);
          } catch (NumberFormatException e) {
            done.exit.completeExceptionally(new IOException("unreadable exit status '" + status + "'"));
          }
        }
        from = end + 1;
        // What a shell printed before a marker is no step's reason to end from then on; a stage's
        // output stays out of the next stage's messages.
        tail = java.util.Arrays.copyOfRange(data, Math.max(from, data.length - TAIL_BYTES), data.length);
      }
    }
  }

  private static int lineEnd(byte[] data, int from) {
    return ByteSearch.indexOf(data, (byte) '\n', from, data.length);
  }

  private void forward(byte[] data, int from, int length) throws IOException {
    if (length <= 0) {
      return;
    }
    if (current != null) {
      current.out.write(data, from, length);
    } else if (pending.length < HELD_WITHOUT_STEP) {
      // Output of background processes between steps goes to the next step.
      int keep = Math.min(length, HELD_WITHOUT_STEP - pending.length);
      byte[] more = java.util.Arrays.copyOf(pending, pending.length + keep);
      System.arraycopy(data, from, more, pending.length, keep);
      pending = more;
    }
  }

  /**
   * Closes a step's output, which hands its last line over. A step whose output could not be
   * handed over (a consumer failed) fails: its status, if it comes, is not heard.
   */
  private static void closeStep(Step step) {
    try {
      step.out.close();
    } catch (IOException | RuntimeException e) {
      step.exit.completeExceptionally(unhandled(e));
    }
  }

  /** Why a step fails whose output could not be handed over; its own message may quote the output. */
  private static Unhandled unhandled(Exception e) {
    return new Unhandled("its output could not be handed over: " + e.getClass().getName());
  }

  /** A step's output could not be handed over: a consumer of its lines failed. */
  static final class Unhandled extends IOException {
    private static final long serialVersionUID = 1L;

    Unhandled(String message) {
      super(message);
    }
  }

  /** The length of the longest end of {@code data} (after {@code from}) that begins {@code needle}. */
  private static int partialMatch(byte[] data, int from, byte[] needle) {
    for (int length = Math.min(needle.length - 1, data.length - from); length > 0; length--) {
      boolean match = true;
      for (int j = 0; j < length && match; j++) {
        match = data[data.length - length + j] == needle[j];
      }
      if (match) {
        return length;
      }
    }
    return 0;
  }

  /**
   * Waits for {@code step} to end, for at most {@code timeout}, and says how it ended. On a
   * timeout, a cancellation, or the end of {@code place} (the session's shell or container),
   * {@code stop} first stops what the stage runs; {@code stoppedWith} names it in the outcome, and
   * {@code ended} says why the step could not finish from what ended its place.
   */
  static ProcessOutcome await(Step step, Optional<Duration> timeout, Cancellation cancellation, Runnable stop,
      java.util.function.Function<Throwable, String> ended, String stoppedWith, SecretMasker masker, long started)
      throws InterruptedException {
    long timeoutMillis = timeout.map(Duration::toMillis).orElse(Long.MAX_VALUE);
    try {
      CompletableFuture.anyOf(step.exit, cancellation.future()).get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      stop.run();
      return new ProcessOutcome(ProcessOutcome.Status.TIMED_OUT, OptionalInt.empty(), elapsed(started),
          "timed out after " + timeout.orElseThrow() + " and was stopped with " + stoppedWith);
    } catch (ExecutionException e) {
      stop.run();
      if (cancellation.isCancelled()) {
        // Stopping the stage ended its place as the cancellation came.
        return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), elapsed(started), "cancelled");
      }
      return new ProcessOutcome(ProcessOutcome.Status.FAILED, OptionalInt.empty(), elapsed(started),
          masker.mask(e.getCause() instanceof Unhandled unhandled
              ? unhandled.getMessage() + ", and it was stopped with " + stoppedWith : ended.apply(e.getCause())));
    }
    // Cancelled: stopping the stage may end its place before this thread looks, so a step that
    // did not exit on its own is cancelled, whichever of the two this thread sees first.
    if (!step.exit.isDone() || step.exit.isCompletedExceptionally()) {
      stop.run();
      return new ProcessOutcome(ProcessOutcome.Status.CANCELLED, OptionalInt.empty(), elapsed(started), "cancelled");
    }
    int code = step.exit.join();
    return new ProcessOutcome(code == 0 ? ProcessOutcome.Status.SUCCEEDED : ProcessOutcome.Status.FAILED,
        OptionalInt.of(code), elapsed(started), "exited with status " + code);
  }

  private static Duration elapsed(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /**
   * The secrets the steps of one session have seen or had to mask: output of a background process
   * may surface in a later step, so each step's output is masked with all of them.
   */
  static final class Secrets {
    private final Map<String, String> seen = new java.util.LinkedHashMap<>();
    /** The masker of what {@link #seen} holds; null when a secret was added or changed since. */
    private SecretMasker built;

    /**
     * A masker for every secret seen so far, {@code request}'s included: the one the last step
     * had, when the step brought no new secret or value (a masker takes long to build for many).
     */
    synchronized SecretMasker masker(ProcessRequest request) {
      request.allMasked().forEach((secret, value) -> {
        String revealed = value.reveal();
        if (!revealed.equals(seen.put(secret, revealed))) {
          built = null;
        }
      });
      if (built == null) {
        SecretMasker.Builder builder = SecretMasker.builder();
        seen.forEach(builder::add);
        built = builder.build();
      }
      return built;
    }
  }

  /** The text that runs one step in a subshell and reports its status after {@code marker}. */
  static String command(Map<String, String> env, String script, String marker) {
    StringBuilder out = new StringBuilder(256 + script.length());
    out.append("( ");
    for (Map.Entry<String, String> variable : env.entrySet()) {
      out.append("export ").append(variable.getKey()).append('=').append(quote(variable.getValue())).append("; ");
    }
    out.append("OTTO_SCRIPT=").append(quote(script)).append("; eval \"$OTTO_SCRIPT\"\n) </dev/null; ");
    out.append("printf '\\001%s %d\\n' '").append(marker).append("' $?\n");
    return out.toString();
  }

  static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}

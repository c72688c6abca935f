package dev.otto.cli;

import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunListener;
import dev.otto.core.engine.RunResult;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a run shows in a terminal: finished stages, output lines and waits as lines, and below
 * them one line per running stage with its elapsed time, redrawn in place. When the output is
 * not a terminal, plain lines only. Colours unless {@code NO_COLOR} is set.
 *
 * <p>Lines are gathered and written together every {@value #FLUSH_MILLIS} ms, with the running
 * stages drawn once below them: a step that prints a line at a time costs one write, and one
 * drawing of the running stages, per batch rather than per line.
 */
final class Progress implements RunListener, AutoCloseable {
  private static final String[] SPINNER = {"|", "/", "-", "\\"};
  /** How often lines gathered are written; the spinner turns every fourth time. */
  static final int FLUSH_MILLIS = 50;
  private static final int TICKS_A_FRAME = 4;

  /** Where lines gather until the next flush. */
  private final PrintStream out;
  private final boolean live;
  private final boolean color;
  private final Map<String, Long> running = new LinkedHashMap<>();
  private final ScheduledExecutorService ticker;
  private int drawn;
  private int frame;
  private int ticks;
  /** Whether something was printed since the last flush. */
  private boolean pending;

  Progress(PrintStream out, boolean live, boolean color) {
    this(out, live, color, true);
  }

  /** @param ticking whether a thread flushes every {@value #FLUSH_MILLIS} ms; else {@link #tick} does, when called */
  Progress(PrintStream out, boolean live, boolean color, boolean ticking) {
    this.out = new PrintStream(new BufferedOutputStream(out, 1 << 16), false, StandardCharsets.UTF_8);
    this.live = live;
    this.color = color;
    if (ticking) {
      ticker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "otto-progress");
        thread.setDaemon(true);
        return thread;
      });
      ticker.scheduleAtFixedRate(this::tick, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      ticker = null;
    }
  }

  /** A display for standard output: live when it is a terminal, coloured unless NO_COLOR says otherwise. */
  static Progress forTerminal(PrintStream out) {
    boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    String noColor = System.getenv("NO_COLOR");
    return new Progress(out, terminal, terminal && (noColor == null || noColor.isEmpty()));
  }

  @Override
  public synchronized void onEvent(RunEvent event) {
    if (event instanceof RunEvent.StageStarted started) {
      running.put(started.stage(), System.nanoTime());
      if (!live) {
        line("> " + started.stage());
      } else {
        // drawn again, with the stage, at the next flush
        clear();
        pending = true;
      }
    } else if (event instanceof RunEvent.StageFinished finished) {
      running.remove(finished.stage());
      boolean ok = finished.status() == RunResult.Status.SUCCEEDED;
      line(paint(ok ? "32" : "31", ok ? "ok  " : finished.status().name().toLowerCase(Locale.ROOT) + " ")
          + finished.stage() + "  " + seconds(finished.duration()));
    } else if (event instanceof RunEvent.StageSkipped skipped) {
      line(paint("33", "skip") + " " + skipped.stage() + ": " + skipped.reason());
    } else if (event instanceof RunEvent.StageReused reused) {
      line(paint("36", "kept") + " " + reused.stage() + " (from run " + reused.fromRun() + ")");
    } else if (event instanceof RunEvent.OutputLine output) {
      line("  " + output.stage() + " | " + output.line());
    } else if (event instanceof RunEvent.WaitStarted wait) {
      line(paint("35", "wait") + " " + wait.stage() + ": " + wait.kind().replace("await-", "") + " '"
          + wait.description() + "' until " + wait.deadline() + " (run " + wait.run() + ", wait '" + wait.waitId()
          + "'" + wait.token().map(t -> ", callback token " + t).orElse("") + ")");
    } else if (event instanceof RunEvent.WaitEnded ended) {
      line("     " + ended.stage() + ": " + ended.outcome() + ended.by().map(by -> " by " + by).orElse(""));
    } else if (event instanceof RunEvent.PollAttempt attempt && !attempt.succeeded()) {
      line("     " + attempt.stage() + ": poll attempt " + attempt.attempt() + " " + attempt.detail());
    } else if (event instanceof RunEvent.CacheEvent cache) {
      line(paint("36", "cache") + " " + cache.stage() + ": " + cache.detail());
    } else if (event instanceof RunEvent.Warning warning) {
      line(paint("33", "warn") + " " + warning.message());
    } else if (event instanceof RunEvent.RunResumed resumed) {
      line("resumed run " + resumed.run());
    } else if (event instanceof RunEvent.WorkspacePrepared workspace) {
      line("workspace: " + workspace.source() + " (" + workspace.files() + " files, "
          + String.format(Locale.ROOT, "%.1f MiB", workspace.bytes() / 1048576.0)
          + workspace.revision().map(commit -> ", commit " + commit.substring(0, Math.min(12, commit.length())))
              .orElse("") + ", in " + seconds(workspace.duration()) + ")");
    } else if (event instanceof RunEvent.RunStarted started) {
      line("run " + started.run() + " of pipeline '" + started.pipeline() + "': " + started.stages() + (started.stages() == 1 ? " stage" : " stages"));
    }
  }

  /** Prints a permanent line above the live block, which is drawn again at the next flush. */
  private void line(String text) {
    clear();
    out.println(text);
    pending = true;
  }

  /** Writes the lines gathered, below them the running stages, and turns the spinner now and then. */
  synchronized void tick() {
    if (live && ++ticks % TICKS_A_FRAME == 0) {
      frame++;
      clear();
      pending = true;
    }
    if (pending) {
      if (drawn == 0) {
        draw();
      }
      out.flush();
      pending = false;
    }
  }

  private void clear() {
    if (live && drawn > 0) {
      out.print("\033[" + drawn + "F\033[J");
      drawn = 0;
    }
  }

  private void draw() {
    if (!live) {
      return;
    }
    long now = System.nanoTime();
    for (Map.Entry<String, Long> stage : running.entrySet()) {
      out.println(paint("36", SPINNER[frame % SPINNER.length]) + " " + stage.getKey() + "  "
          + seconds(Duration.ofNanos(now - stage.getValue())));
    }
    drawn = running.size();
  }

  private String paint(String code, String text) {
    return color ? "\033[" + code + "m" + text + "\033[0m" : text;
  }

  static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
  }

  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    clear();
    out.flush();
  }
}

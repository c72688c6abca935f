package dev.otto.report;

import static java.util.Objects.requireNonNull;

import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run report needs of a run, recorded as it happens in bounded memory: every event but
 * output lines, and of each step's output only its last lines (at most {@link #MAX_LINES} lines
 * and {@link #MAX_BYTES} characters per step) with a count of those left out. A step printing a
 * million lines costs a report what one printing two thousand does.
 *
 * <pre>{@code
 * RunRecord record = new RunRecord();
 * LocalEngine engine = LocalEngine.builder(root).listener(record).build();
 * RunResult result = engine.run(plan);
 * Files.writeString(Path.of("run.html"), HtmlReport.run(plan, result, record));
 * }</pre>
 *
 * <p>Safe to use from several threads.
 */
public final class RunRecord implements RunListener {
  /** The most output lines kept for a step; a longer output keeps its end. */
  public static final int MAX_LINES = 2000;
  /** The most characters of output kept for a step. */
  public static final int MAX_BYTES = 1 << 20;

  private final List<RunEvent> events = new ArrayList<>();
  private final Map<String, Tail> output = new LinkedHashMap<>();

  /** The output a step printed last, and how many of its lines were left out before it. */
  public record StepOutput(List<String> lines, long omitted) {
    public StepOutput {
      lines = List.copyOf(lines);
    }
  }

  /** A record of the events given, in order, as a listener would have seen them. */
  public static RunRecord of(List<RunEvent> events) {
    RunRecord record = new RunRecord();
    requireNonNull(events, "events").forEach(record::onEvent);
    return record;
  }

  @Override
  public synchronized void onEvent(RunEvent event) {
    requireNonNull(event, "event");
    if (event instanceof RunEvent.OutputLine line) {
      output.computeIfAbsent(key(line.stage(), line.step()), k -> new Tail()).add(line.line());
    } else {
      events.add(event);
    }
  }

  /** Every event recorded except output lines, in order. */
  public synchronized List<RunEvent> events() {
    return List.copyOf(events);
  }

  /** The end of the output of step {@code step} (from 1) of stage {@code stage}. */
  public synchronized StepOutput output(String stage, int step) {
    Tail tail = output.get(key(stage, step));
    return tail == null ? new StepOutput(List.of(), 0) : new StepOutput(List.copyOf(tail.lines), tail.omitted);
  }

  private static String key(String stage, int step) {
    return stage + "#" + step;
  }

  /** The last lines of one step, within both bounds. */
  private static final class Tail {
    final ArrayDeque<String> lines = new ArrayDeque<>();
    long chars;
    long omitted;

    void add(String line) {
      lines.addLast(line);
      chars += line.length();
      while (lines.size() > MAX_LINES || (chars > MAX_BYTES && lines.size() > 1)) {
        chars -= lines.removeFirst().length();
        omitted++;
      }
    }
  }
}

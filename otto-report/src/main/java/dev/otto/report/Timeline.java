package dev.otto.report;

import static dev.otto.report.HtmlReport.escape;

import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's timeline as SVG: a row per stage, its bar from start to end with its steps inside and
 * its waits hatched over it, each wait told under the bar ({@code waited 2 h for approval by ops
 * · approved by alice}); a skipped stage's row says why it was skipped.
 */
final class Timeline {
  private static final int LABEL = 200;
  private static final int WIDTH = 660;
  private static final int ROW = 26;
  private static final int WAIT_LINE = 15;
  /** About how wide a character of a wait's line is, to keep the line inside the picture. */
  private static final double CHAR_WIDTH = 6.2;

  private Timeline() {}

  private record Span(Instant start, Instant end, String kind) {}

  static void draw(StringBuilder out, Plan plan, RunResult result, List<RunEvent> events, WaitLog waits) {
    Instant origin = HtmlReport.start(events);
    Map<String, Instant> stageStarts = new LinkedHashMap<>();
    Map<String, Span> stages = new LinkedHashMap<>();
    Map<String, Instant> stepStarts = new LinkedHashMap<>();
    Map<String, List<Span>> steps = new LinkedHashMap<>();
    Instant last = origin;
    for (RunEvent event : events) {
      last = event.at().isAfter(last) ? event.at() : last;
      if (event instanceof RunEvent.StageStarted started) {
        stageStarts.put(started.stage(), started.at());
      } else if (event instanceof RunEvent.StageFinished finished) {
        stages.put(finished.stage(), new Span(stageStarts.getOrDefault(finished.stage(), finished.at()),
            finished.at(), "bar " + HtmlReport.word(finished.status())));
      } else if (event instanceof RunEvent.StepStarted step) {
        stepStarts.put(step.stage() + "#" + step.step(), step.at());
      } else if (event instanceof RunEvent.StepFinished step) {
        steps.computeIfAbsent(step.stage(), k -> new ArrayList<>()).add(new Span(
            stepStarts.getOrDefault(step.stage() + "#" + step.step(), step.at()), step.at(),
            "step " + HtmlReport.word(step.status())));
      }
    }
    Scale scale = new Scale(origin, Math.max(1, Duration.between(origin, last).toMillis()));
    List<RunResult.StageResult> rows = result.stages().stream()
        .filter(s -> stages.containsKey(s.id()) || s.status() == RunResult.Status.SKIPPED).toList();
    int height = 10 + 34;
    for (RunResult.StageResult row : rows) {
      height += ROW + WAIT_LINE * waits.of(row.id()).size();
    }
    out.append("<div class=\"graph-box\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"")
        .append(LABEL + WIDTH + 20).append("\" height=\"").append(height)
        .append("\" role=\"img\" aria-label=\"when each stage, step and wait ran\">\n")
        .append("<defs>");
    for (String kind : List.of("approval", "webhook", "poll", "lock")) {
      out.append("<pattern id=\"otto-hatch-").append(kind).append("\" width=\"6\" height=\"6\"")
          .append(" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect class=\"hatch-ground ")
          .append(kind).append("\" width=\"6\" height=\"6\"/><rect class=\"hatch-line ").append(kind)
          .append("\" width=\"2.5\" height=\"6\"/></pattern>");
    }
    out.append("</defs>\n");
    int y = 10;
    for (RunResult.StageResult row : rows) {
      out.append("<text class=\"label\" x=\"4\" y=\"").append(y + 17).append("\">")
          .append(escape(GraphPicture.clip(row.id(), 30))).append("</text>");
      Span span = stages.get(row.id());
      if (span == null) {
        out.append("<text class=\"skip-note\" x=\"").append(LABEL).append("\" y=\"").append(y + 17).append("\">")
            .append(escape(GraphPicture.clip("skipped: " + row.reason().orElse(""), 100))).append("</text>\n");
        y += ROW;
        continue;
      }
      bar(out, span, scale, y + 3, ROW - 6);
      for (Span step : steps.getOrDefault(row.id(), List.of())) {
        bar(out, step, scale, y + 8, ROW - 16);
      }
      y = waits(out, plan.stage(row.id()).orElse(null), waits.of(row.id()), scale, last, y);
      out.append('\n');
    }
    axis(out, scale, y);
    out.append("</svg></div>\n");
  }

  /** Hatches each wait of a stage over its bar and tells it on a line of its own; returns the next row's top. */
  private static int waits(StringBuilder out, PlannedStage stage, List<WaitLog.Entry> entries, Scale scale,
      Instant last, int y) {
    int line = y + ROW;
    for (WaitLog.Entry entry : entries) {
      Instant end = entry.ended().map(RunEvent::at).orElse(last);
      Op.Wait wait = stage == null ? null : stage.waits().stream()
          .filter(w -> w.id().equals(entry.started().waitId())).findFirst().orElse(null);
      String kind = wait == null ? entry.started().kind() : Gates.kind(wait);
      String told = wait == null ? entry.started().description() : Gates.waited(entry, wait);
      out.append("<g class=\"wait ").append(kind).append(' ').append(Gates.state(entry)).append("\"><title>")
          .append(escape(told)).append("</title>");
      bar(out, new Span(entry.started().at(), end, "wait-bar " + kind), scale, y + 3, ROW - 6);
      tell(out, kind, told, scale.x(entry.started().at()), scale.x(end), line);
      line += WAIT_LINE;
    }
    return line;
  }

  /**
   * Writes a wait's line with its symbol: from where the wait began if it fits there, else
   * ending where the wait ended, else from the left of the bars.
   */
  private static void tell(StringBuilder out, String kind, String told, double from, double to, int line) {
    double length = told.length() * CHAR_WIDTH + 14;
    double x = from + length <= LABEL + WIDTH + 16 ? from : to - length >= LABEL ? to - length : LABEL;
    GraphPicture.symbol(out, kind, (int) Math.round(x + 5), line + 7);
    out.append("<text class=\"wait-text\" x=\"").append(format(x + 14)).append("\" y=\"").append(line + 11)
        .append("\">").append(escape(told)).append("</text></g>");
  }

  private static void bar(StringBuilder out, Span span, Scale scale, int y, int height) {
    long length = Math.max(0, Duration.between(span.start(), span.end()).toMillis());
    double width = Math.max(3, (double) length / scale.total() * WIDTH);
    out.append("<rect class=\"").append(span.kind()).append("\" x=\"").append(format(scale.x(span.start())))
        .append("\" y=\"").append(y).append("\" width=\"").append(format(width)).append("\" height=\"")
        .append(height).append("\" rx=\"3\"><title>").append(span(Duration.ofMillis(length))).append("</title></rect>");
  }

  /** A line under the rows with the run's start, its end and three marks between. */
  private static void axis(StringBuilder out, Scale scale, int y) {
    out.append("<line class=\"axis\" x1=\"").append(LABEL).append("\" y1=\"").append(y + 4).append("\" x2=\"")
        .append(LABEL + WIDTH).append("\" y2=\"").append(y + 4).append("\"/>");
    for (int i = 0; i <= 4; i++) {
      int x = LABEL + WIDTH * i / 4;
      out.append("<line class=\"axis\" x1=\"").append(x).append("\" y1=\"").append(y).append("\" x2=\"").append(x)
          .append("\" y2=\"").append(y + 8).append("\"/><text class=\"tick\" x=\"").append(x).append("\" y=\"")
          .append(y + 22).append("\" text-anchor=\"").append(i == 0 ? "start" : i == 4 ? "end" : "middle")
          .append("\">").append(i == 0 ? "0" : span(Duration.ofMillis(scale.total() * i / 4))).append("</text>");
    }
    out.append('\n');
  }

  /** A duration as a person says it: {@code 850 ms}, {@code 4.2 s}, {@code 3 min 10 s}, {@code 2 h 5 min}, {@code 1 d 2 h}. */
  static String span(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 1) {
      return duration.toMillis() + " ms";
    }
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
    if (seconds < 3600) {
      return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
    }
    if (seconds < 86400) {
      return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
    }
    return seconds / 86400 + " d" + (seconds % 86400 / 3600 == 0 ? "" : " " + seconds % 86400 / 3600 + " h");
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /** Where an instant of the run falls on the picture. */
  private record Scale(Instant origin, long total) {
    double x(Instant at) {
      return LABEL + (double) Duration.between(origin, at).toMillis() / total * WIDTH;
    }
  }
}

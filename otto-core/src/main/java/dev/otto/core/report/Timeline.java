package dev.otto.core.report;

import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run's timeline as SVG: a row per stage that ran, its bar from start to end, its steps inside. */
final class Timeline {
  private static final int LABEL = 220;
  private static final int WIDTH = 720;
  private static final int ROW = 26;

  private Timeline() {}

  private record Span(Instant start, Instant end, RunResult.Status status) {}

  static void draw(StringBuilder out, RunResult result, List<RunEvent> events) {
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
            finished.at(), finished.status()));
      } else if (event instanceof RunEvent.StepStarted step) {
        stepStarts.put(step.stage() + "#" + step.step(), step.at());
      } else if (event instanceof RunEvent.StepFinished step) {
        steps.computeIfAbsent(step.stage(), k -> new java.util.ArrayList<>()).add(new Span(
            stepStarts.getOrDefault(step.stage() + "#" + step.step(), step.at()), step.at(), step.status()));
      }
    }
    long total = Math.max(1, Duration.between(origin, last).toMillis());
    List<RunResult.StageResult> rows = result.stages().stream().filter(s -> stages.containsKey(s.id())).toList();
    int height = (rows.size() + 1) * ROW + 10;
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"").append(LABEL + WIDTH + 20)
        .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"when each stage and step ran\">\n");
    int y = 10;
    for (RunResult.StageResult row : rows) {
      Span span = stages.get(row.id());
      out.append("<text class=\"label\" x=\"4\" y=\"").append(y + 16).append("\">")
          .append(HtmlReport.escape(row.id().length() > 32 ? row.id().substring(0, 31) + "…" : row.id()))
          .append("</text>");
      bar(out, "bar", span, origin, total, y + 3, ROW - 6);
      for (Span step : steps.getOrDefault(row.id(), List.of())) {
        bar(out, "step", step, origin, total, y + 8, ROW - 16);
      }
      out.append('\n');
      y += ROW;
    }
    out.append("<line class=\"axis\" x1=\"").append(LABEL).append("\" y1=\"").append(y + 4).append("\" x2=\"")
        .append(LABEL + WIDTH).append("\" y2=\"").append(y + 4).append("\"/><text class=\"label\" x=\"")
        .append(LABEL + WIDTH - 60).append("\" y=\"").append(y + 20).append("\">")
        .append(HtmlReport.seconds(Duration.ofMillis(total))).append("</text>\n</svg>\n");
  }

  private static void bar(StringBuilder out, String kind, Span span, Instant origin, long total, int y, int height) {
    long from = Duration.between(origin, span.start()).toMillis();
    long length = Math.max(0, Duration.between(span.start(), span.end()).toMillis());
    double x = LABEL + (double) from / total * WIDTH;
    double width = Math.max(3, (double) length / total * WIDTH);
    out.append("<rect class=\"").append(kind).append(' ').append(HtmlReport.word(span.status())).append("\" x=\"")
        .append(String.format(java.util.Locale.ROOT, "%.1f", x)).append("\" y=\"").append(y).append("\" width=\"")
        .append(String.format(java.util.Locale.ROOT, "%.1f", width)).append("\" height=\"").append(height)
        .append("\" rx=\"3\"><title>").append(HtmlReport.seconds(Duration.ofMillis(length))).append("</title></rect>");
  }
}

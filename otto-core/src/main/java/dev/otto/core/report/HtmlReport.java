package dev.otto.core.report;

import static java.util.Objects.requireNonNull;

import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.explain.Explain;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.StageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Self-contained HTML pages with pictures: a plan's graph, and for a run, a timeline of its
 * stages and steps, their results and their (masked) output. Everything is in the page: the
 * pictures are SVG that Otto draws, with no script and no external resource. The page is also
 * well-formed XML.
 *
 * <pre>{@code
 * Files.writeString(Path.of("plan.html"), HtmlReport.explain(plan));
 * RunRecord record = new RunRecord();   // a listener of the engine that ran the plan
 * Files.writeString(Path.of("run.html"), HtmlReport.run(plan, result, record));
 * }</pre>
 *
 * <p>A run's page takes memory in proportion to its stages and steps, not to their output: it
 * shows the end of each step's output as a {@link RunRecord} keeps it.
 */
public final class HtmlReport {
  static final int BOX_WIDTH = 200;
  static final int BOX_HEIGHT = 46;
  static final int GAP_X = 60;
  static final int GAP_Y = 18;

  private HtmlReport() {}

  /** A page with the plan's graph and its explanation. */
  public static String explain(Plan plan) {
    requireNonNull(plan, "plan");
    StringBuilder out = page("pipeline '" + plan.pipeline() + "'", plan.pipeline() + " (" + plan.context() + ")");
    out.append("<p class=\"facts\">").append(escape(plan.context().toString())).append(" · fingerprint ")
        .append(escape(plan.fingerprint())).append("</p>\n<h2>Stages</h2>\n");
    graph(out, plan, stage -> planStatus(stage));
    out.append("<h2>Plan</h2>\n<pre class=\"plan\">").append(escape(Explain.text(plan))).append("</pre>\n");
    return end(out);
  }

  /**
   * A page with the run's graph coloured by result, its timeline, its stages and each step's
   * output, from events recorded in a list; {@link #run(Plan, RunResult, RunRecord)} does the same
   * in bounded memory for any output.
   */
  public static String run(Plan plan, RunResult result, List<RunEvent> events) {
    return run(plan, result, RunRecord.of(events));
  }

  /** A page with the run's graph coloured by result, its timeline, its stages and the end of each step's output. */
  public static String run(Plan plan, RunResult result, RunRecord record) {
    requireNonNull(plan, "plan");
    requireNonNull(result, "result");
    List<RunEvent> events = requireNonNull(record, "record").events();
    StringBuilder out = page("run " + result.run(), "run " + result.run() + " of pipeline '" + plan.pipeline() + "'");
    out.append("<p class=\"facts\"><span class=\"status ").append(word(result.status())).append("\">")
        .append(word(result.status())).append("</span> in ").append(seconds(result.duration())).append(" · ")
        .append(escape(plan.context().toString())).append("</p>\n<h2>Stages</h2>\n");
    Map<String, RunResult.Status> statuses = new LinkedHashMap<>();
    result.stages().forEach(s -> statuses.put(s.id(), s.status()));
    graph(out, plan, stage -> statuses.containsKey(stage.id()) ? word(statuses.get(stage.id())) : "pending");
    out.append("<h2>Timeline</h2>\n");
    Timeline.draw(out, result, events);
    out.append("<h2>Results</h2>\n<table class=\"results\"><tr><th>stage</th><th>status</th><th>duration</th>"
        + "<th>reason</th></tr>\n");
    for (RunResult.StageResult stage : result.stages()) {
      out.append("<tr><td>").append(escape(stage.id())).append("</td><td class=\"").append(word(stage.status()))
          .append("\">").append(word(stage.status())).append("</td><td>").append(seconds(stage.duration()))
          .append("</td><td>").append(escape(stage.reason().orElse(""))).append("</td></tr>\n");
    }
    out.append("</table>\n<h2>Output</h2>\n");
    logs(out, events, record);
    return end(out);
  }

  /** The plan's graph alone, as an SVG element, its stages classed by status (runs, skipped, conditional). */
  public static String graph(Plan plan) {
    StringBuilder out = new StringBuilder(4096);
    graph(out, requireNonNull(plan, "plan"), HtmlReport::planStatus);
    return out.toString();
  }

  private static void graph(StringBuilder out, Plan plan, java.util.function.Function<PlannedStage, String> status) {
    StageGraph graph = new StageGraph(plan);
    int width = Math.max(1, graph.columns) * (BOX_WIDTH + GAP_X) - GAP_X + 20;
    int height = Math.max(1, graph.rows) * (BOX_HEIGHT + GAP_Y) - GAP_Y + 20;
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"the stages and what waits for what\">\n");
    for (PlannedStage stage : graph.nodes) {
      for (String source : graph.arrowsInto.get(stage.id())) {
        int x1 = x(graph, source) + BOX_WIDTH;
        int y1 = y(graph, source) + BOX_HEIGHT / 2;
        int x2 = x(graph, stage.id());
        int y2 = y(graph, stage.id()) + BOX_HEIGHT / 2;
        int mid = (x1 + x2) / 2;
        out.append("<path class=\"arrow\" d=\"M").append(x1).append(',').append(y1).append(" C").append(mid)
            .append(',').append(y1).append(' ').append(mid).append(',').append(y2).append(' ').append(x2).append(',')
            .append(y2).append("\"/>\n");
      }
    }
    for (PlannedStage stage : graph.nodes) {
      int x = x(graph, stage.id());
      int y = y(graph, stage.id());
      List<String> names = stage.path().names();
      String group = String.join(" > ", names.subList(0, names.size() - 1));
      out.append("<g class=\"stage ").append(status.apply(stage)).append("\"><title>").append(escape(stage.id()))
          .append("</title><rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(BOX_WIDTH)
          .append("\" height=\"").append(BOX_HEIGHT).append("\" rx=\"6\"/>");
      if (!group.isEmpty()) {
        out.append("<text class=\"group\" x=\"").append(x + 10).append("\" y=\"").append(y + 17).append("\">")
            .append(escape(clip(group, 30))).append("</text>");
      }
      out.append("<text class=\"name\" x=\"").append(x + 10).append("\" y=\"").append(y + (group.isEmpty() ? 28 : 36))
          .append("\">").append(escape(clip(stage.name(), 24))).append("</text></g>\n");
    }
    out.append("</svg>\n");
  }

  private static int x(StageGraph graph, String id) {
    return 10 + graph.column.get(id) * (BOX_WIDTH + GAP_X);
  }

  private static int y(StageGraph graph, String id) {
    return 10 + graph.row.get(id) * (BOX_HEIGHT + GAP_Y);
  }

  private static void logs(StringBuilder out, List<RunEvent> events, RunRecord record) {
    Map<String, String> titles = new LinkedHashMap<>();
    Map<String, RunEvent.StepStarted> steps = new LinkedHashMap<>();
    for (RunEvent event : events) {
      if (event instanceof RunEvent.StepStarted step) {
        String key = step.stage() + "#" + step.step();
        titles.put(key, step.stage() + " › step " + step.step() + ": " + step.label());
        steps.put(key, step);
      } else if (event instanceof RunEvent.StepFinished step) {
        titles.put(step.stage() + "#" + step.step(), step.stage() + " › step " + step.step() + ": " + step.label()
            + " — " + word(step.status()) + " in " + seconds(step.duration()));
      }
    }
    for (Map.Entry<String, String> step : titles.entrySet()) {
      RunEvent.StepStarted started = steps.get(step.getKey());
      RunRecord.StepOutput shown = started == null ? new RunRecord.StepOutput(List.of(), 0)
          : record.output(started.stage(), started.step());
      out.append("<details class=\"log\"><summary>").append(escape(step.getValue())).append("</summary><pre>");
      if (shown.omitted() > 0) {
        out.append("<span class=\"omitted\">… ").append(shown.omitted())
            .append(" earlier lines not shown</span>\n");
      }
      for (String line : shown.lines()) {
        out.append(escape(line)).append('\n');
      }
      out.append("</pre></details>\n");
    }
  }

  static String planStatus(PlannedStage stage) {
    return stage.status() == StageStatus.RUN ? "runs" : stage.status() == StageStatus.SKIP ? "skipped" : "conditional";
  }

  static String word(RunResult.Status status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  private static String clip(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length - 1) + "…";
  }

  /** Text for HTML and XML: markup characters escaped, control characters other than tab dropped. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c >= 0x20 || c == '\t' || c == '\n') {
            out.append(c);
          } else {
            out.append('\uFFFD');
          }
        }
      }
    }
    return out.toString();
  }

  private static StringBuilder page(String title, String heading) {
    StringBuilder out = new StringBuilder(8192);
    out.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
        + "<meta charset=\"utf-8\"/>\n<title>").append(escape(title)).append("</title>\n<style>\n").append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>").append(escape(heading)).append("</h1>\n");
    return out;
  }

  private static String end(StringBuilder out) {
    return out.append("</body>\n</html>\n").toString();
  }

  /**
   * The style of {@link #graph(Plan)}'s SVG, for pages that show it: boxes coloured by status,
   * arrows, captions.
   */
  public static String graphStyle() {
    return GRAPH_STYLE;
  }

  private static final String GRAPH_STYLE = """
      svg text { font: 12px system-ui, sans-serif; }
      .stage rect { stroke-width: 2; }
      .stage .name { font-weight: 600; fill: #111827; } .stage .group { fill: #6b7280; font-size: 11px; }
      .runs rect, .pending rect { fill: #dbeafe; stroke: #2563eb; }
      .conditional rect { fill: #fef3c7; stroke: #d97706; stroke-dasharray: 6 3; }
      .skipped rect { fill: #f3f4f6; stroke: #9ca3af; stroke-dasharray: 4 3; }
      .succeeded rect { fill: #bbf7d0; stroke: #16a34a; } .failed rect { fill: #fecaca; stroke: #dc2626; }
      .cancelled rect { fill: #fed7aa; stroke: #ea580c; }
      .arrow { fill: none; stroke: #6b7280; stroke-width: 1.5; }
      """;

  /** The page's style: the graph's, then the timeline's and the table's, in the same status colours. */
  private static final String STYLE = """
      body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1f2937; background: #fff; }
      h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
      .facts { color: #4b5563; }
      """ + GRAPH_STYLE + """
      .bar.succeeded { fill: #22c55e; } .bar.failed { fill: #ef4444; } .bar.cancelled { fill: #f97316; }
      .bar.skipped { fill: #d1d5db; } .step.succeeded { fill: #15803d; } .step.failed { fill: #991b1b; }
      .step.cancelled { fill: #c2410c; } .axis { stroke: #9ca3af; } .label { fill: #111827; }
      table.results { border-collapse: collapse; } table.results td, table.results th { border: 1px solid #e5e7eb;
        padding: 4px 8px; text-align: left; }
      td.succeeded, .status.succeeded { color: #15803d; font-weight: 600; }
      td.failed, .status.failed { color: #b91c1c; font-weight: 600; }
      td.skipped { color: #6b7280; } td.cancelled, .status.cancelled { color: #c2410c; }
      .omitted { color: #6b7280; font-style: italic; }
      details.log { margin: 4px 0; } details.log pre { background: #f9fafb; padding: 8px; overflow-x: auto; }
      pre.plan { background: #f9fafb; padding: 12px; overflow-x: auto; }
      """;

  static Instant start(List<RunEvent> events) {
    return events.isEmpty() ? Instant.EPOCH : events.get(0).at();
  }
}

package dev.otto.report;

import static java.util.Objects.requireNonNull;

import dev.otto.core.engine.Deployment;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.explain.Explain;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.StageStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Self-contained HTML pages with pictures: a plan's graph, and for a run, a timeline of its
 * stages and steps, their results and their (masked) output. Everything is in the page: the
 * pictures are SVG that Otto draws, with no script and no external resource. The page is also
 * well-formed XML, and the same plan or run always gives the same bytes: the graph's layout
 * (Eclipse ELK's layered algorithm) is seeded and rounded to whole pixels.
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
  private HtmlReport() {}

  /** A page with the plan's graph and its explanation. */
  public static String explain(Plan plan) {
    requireNonNull(plan, "plan");
    StringBuilder out = page("pipeline '" + plan.pipeline() + "'", plan.pipeline() + " (" + plan.context() + ")");
    out.append("<p class=\"facts\">").append(escape(plan.context().toString())).append(" · fingerprint ")
        .append(escape(plan.fingerprint())).append("</p>\n<h2>Stages</h2>\n");
    GraphPicture.draw(out, plan, HtmlReport::planCard, false);
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
    return run(plan, result, record, List.of());
  }

  /**
   * The same page, saying what the run deployed where: {@code deployments} are the run's entries
   * in the records of its environments ({@link dev.otto.core.engine.LocalEngine#deployments}).
   */
  public static String run(Plan plan, RunResult result, RunRecord record, List<Deployment> deployments) {
    requireNonNull(plan, "plan");
    requireNonNull(deployments, "deployments");
    requireNonNull(result, "result");
    List<RunEvent> events = requireNonNull(record, "record").events();
    StringBuilder out = page("run " + result.run(), "run " + result.run() + " of pipeline '" + plan.pipeline() + "'");
    out.append("<p class=\"facts\"><span class=\"status ").append(word(result.status())).append("\">")
        .append(word(result.status())).append("</span> in ").append(Timeline.span(result.duration())).append(" · ")
        .append(escape(plan.context().toString())).append("</p>\n<h2>Stages</h2>\n");
    Map<String, RunResult.StageResult> results = new LinkedHashMap<>();
    result.stages().forEach(s -> results.put(s.id(), s));
    WaitLog waits = new WaitLog(events);
    GraphPicture.draw(out, plan, stage -> runCard(stage, results.get(stage.id()), waits), true);
    out.append("<h2>Timeline</h2>\n");
    Timeline.draw(out, plan, result, events, waits);
    out.append("<h2>Results</h2>\n<table class=\"results\"><tr><th>stage</th><th>status</th><th>duration</th>"
        + "<th>reason</th></tr>\n");
    for (RunResult.StageResult stage : result.stages()) {
      out.append("<tr><td>").append(escape(stage.id())).append("</td><td class=\"").append(word(stage.status()))
          .append("\">").append(word(stage.status())).append("</td><td>").append(Timeline.span(stage.duration()))
          .append("</td><td>").append(escape(stage.reason().orElse(""))).append("</td></tr>\n");
    }
    out.append("</table>\n");
    deployments(out, deployments);
    out.append("<h2>Output</h2>\n");
    logs(out, events, record);
    return end(out);
  }

  private static void deployments(StringBuilder out, List<Deployment> deployments) {
    if (deployments.isEmpty()) {
      return;
    }
    out.append("<h2>Deployments</h2>\n<table class=\"results deployments\"><tr><th>environment</th><th>stage</th>"
        + "<th>status</th><th>approved by</th><th>commit</th><th>artifacts</th></tr>\n");
    for (Deployment d : deployments) {
      out.append("<tr><td>").append(escape(d.environment())).append("</td><td>").append(escape(d.stage()))
          .append("</td><td class=\"").append(word(d.status())).append("\">").append(word(d.status()))
          .append("</td><td>").append(escape(d.approvedBy().orElse(""))).append("</td><td>")
          .append(escape(d.commit().orElse(""))).append("</td><td>");
      d.artifacts().forEach(a -> out.append(escape(a.name())).append(" <code>").append(escape(a.digest()))
          .append("</code><br/>"));
      out.append("</td></tr>\n");
    }
    out.append("</table>\n");
  }

  /**
   * The plan's graph with its legend, as an HTML fragment for a page that has {@link
   * #graphStyle()}: an SVG in a box that scrolls sideways when the graph is wider than the page,
   * its stages classed by status (runs, skipped, conditional) and showing their gates.
   */
  public static String graph(Plan plan) {
    StringBuilder out = new StringBuilder(4096);
    GraphPicture.draw(out, requireNonNull(plan, "plan"), HtmlReport::planCard, false);
    return out.toString();
  }

  private static GraphPicture.Card planCard(PlannedStage stage) {
    return new GraphPicture.Card(planStatus(stage), stage.reason(), Gates.planned(stage));
  }

  /** A stage of a run: its result and why, its gates and who opened them; {@code pending} where the run never got to it. */
  private static GraphPicture.Card runCard(PlannedStage stage, RunResult.StageResult result, WaitLog waits) {
    if (result == null) {
      return new GraphPicture.Card("pending", Optional.empty(), Gates.planned(stage));
    }
    return new GraphPicture.Card(word(result.status()), result.reason(), Gates.ran(stage, waits));
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
            + " — " + word(step.status()) + " in " + Timeline.span(step.duration()));
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
   * The style of {@link #graph(Plan)}'s picture, for pages that show it: its scrolling box, boxes
   * coloured by status, gates, arrows, captions and the legend.
   */
  public static String graphStyle() {
    return GRAPH_STYLE;
  }

  private static final String GRAPH_STYLE = """
      .graph-box { display: inline-block; vertical-align: top; overflow-x: auto; max-width: 100%;
        box-sizing: border-box; border: 1px solid #e5e7eb; border-radius: 6px;
        background: linear-gradient(to right, #fff 30%, rgba(255,255,255,0)) left / 40px 100% no-repeat local,
          linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) right / 40px 100% no-repeat local,
          radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.2), transparent) left / 14px 100% no-repeat scroll,
          radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.2), transparent) right / 14px 100% no-repeat scroll;
        }
      .graph-box svg { display: block; }
      svg text { font: 12px system-ui, sans-serif; }
      .stage rect { stroke-width: 2; }
      .stage .name { font-weight: 600; font-size: 13px; fill: #111827; }
      .stage .group, .stage .env { fill: #6b7280; font-size: 11px; } .stage .env { font-style: italic; }
      .stage .note { fill: #4b5563; font-size: 11px; font-style: italic; }
      .runs rect, .pending rect { fill: #dbeafe; stroke: #2563eb; } .pending rect { stroke-dasharray: 2 3; }
      .conditional rect { fill: #fef3c7; stroke: #d97706; stroke-dasharray: 6 3; }
      .skipped rect { fill: #f3f4f6; stroke: #9ca3af; stroke-dasharray: 4 3; } .skipped .name { fill: #6b7280; }
      .succeeded rect { fill: #dcfce7; stroke: #16a34a; } .failed rect { fill: #fee2e2; stroke: #dc2626; }
      .cancelled rect { fill: #ffedd5; stroke: #ea580c; }
      .arrow { fill: none; stroke: #4b5563; stroke-width: 1.5; } .arrow.to-skipped { stroke: #9ca3af;
        stroke-dasharray: 5 4; }
      .arrowhead { fill: #4b5563; }
      .gate { stroke-width: 1.6; fill: #fff; } .gate.approval { stroke: #7c3aed; fill: #ede9fe; }
      .gate.webhook { stroke: #0e7490; } .gate-dot.webhook { fill: #0e7490; }
      .gate.poll { stroke: #b45309; } .gate-hands { fill: none; stroke: #b45309; stroke-width: 1.4; }
      .gate.lock { stroke: #374151; fill: #e5e7eb; }
      .gate-text { font-size: 11px; fill: #1f2937; } .refused .gate-text { fill: #b91c1c; font-weight: 600; }
      .passed .gate-text { fill: #166534; } .waiting .gate-text { fill: #6d28d9; font-weight: 600; }
      .not-reached .gate-text { fill: #9ca3af; }
      .legend { display: flex; max-width: 100%; flex-wrap: wrap; gap: 4px 16px; margin: 6px 2px 0; font: 12px system-ui, sans-serif;
        color: #374151; }
      .legend span { display: inline-flex; align-items: center; gap: 5px; }
      """;

  /** The page's style: the graph's, then the timeline's and the table's, in the same status colours. */
  private static final String STYLE = """
      body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1f2937; background: #fff; }
      h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
      .facts { color: #4b5563; }
      """ + GRAPH_STYLE + """
      .bar.succeeded { fill: #86efac; } .bar.failed { fill: #fca5a5; } .bar.cancelled { fill: #fdba74; }
      .bar.skipped { fill: #d1d5db; } .step.succeeded { fill: #15803d; } .step.failed { fill: #b91c1c; }
      .step.cancelled { fill: #c2410c; } .axis { stroke: #9ca3af; } .label { fill: #111827; }
      .tick { fill: #6b7280; font-size: 11px; } .skip-note { fill: #6b7280; font-style: italic; font-size: 11px; }
      .wait-bar { stroke-width: 1; } .wait-bar.approval { fill: url(#otto-hatch-approval); stroke: #7c3aed; }
      .wait-bar.webhook { fill: url(#otto-hatch-webhook); stroke: #0e7490; }
      .wait-bar.poll { fill: url(#otto-hatch-poll); stroke: #b45309; }
      .wait-bar.lock { fill: url(#otto-hatch-lock); stroke: #374151; }
      .hatch-ground { fill: #fff; } .hatch-line.approval { fill: #a78bfa; } .hatch-line.webhook { fill: #67e8f9; }
      .hatch-line.poll { fill: #fcd34d; } .hatch-line.lock { fill: #9ca3af; }
      .wait-text { font-size: 11px; fill: #4c1d95; } .wait.refused .wait-text { fill: #b91c1c; }
      .wait.webhook .wait-text { fill: #155e75; } .wait.poll .wait-text { fill: #78350f; }
      .wait.lock .wait-text { fill: #374151; }
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

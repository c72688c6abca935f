package dev.otto.cli;

import dev.otto.core.engine.LocalEngine;
import dev.otto.core.explain.Explain;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code otto explain}: what a run would do, before anything runs. */
@Command(name = "explain", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
    description = "Shows what a run would do: every stage, whether it runs and why, where, with which "
        + "environment, caches, gates and secrets (by name), the isolation its steps get (in text), and its ops. "
        + "Without a context option, conditions are left undecided; with any (--trigger push, --changed-since BASE), "
        + "the branch or tag is found as 'otto run' finds it, from git, unless --branch or --tag says. The "
        + "pipeline's warnings are listed in the text, and printed to the error output with the other formats.")
final class ExplainCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "the folder; the current one by default")
  Path dir = Path.of(".");

  @Mixin
  DependencyOptions dependencies;

  @Mixin
  ContextOptions context;

  @Mixin
  SourceOptions source;

  @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json, mermaid, dot, or html: a page with the "
      + "pipeline drawn as a graph")
  String format = "text";

  @Option(names = "--runs", paramLabel = "DIR", description = "where runs keep their records of what was deployed "
      + "where, which say what a promotion would take; DIR/.otto/runs by default")
  Path runs;

  @Mixin
  IsolationOptions isolation;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PipelineSource.Loaded loaded = PipelineSource.load(dir, context.onlyChanged, dependencies);
    Plan plan = Planner.plan(loaded.pipeline(), context.contextOrUnknown(dir));
    context.onlyChangedNote(loaded, plan).ifPresent(note -> {
      PrintWriter err = spec.commandLine().getErr();
      err.println(note);
      err.flush();
    });
    PrintWriter out = spec.commandLine().getOut();
    if (format.equals("json") && out instanceof StandardOutput standard) {
      // Megabytes for a large pipeline, UTF-8 already: never made a string to be encoded again.
      standard.writeBytes(bytes -> Explain.writeJson(plan, bytes));
    } else {
      out.print(render(plan));
      out.flush();
    }
    if (!format.equals("text")) {
      // The text lists the warnings itself; the other formats are for tools, so people get them apart.
      PrintWriter err = spec.commandLine().getErr();
      plan.warnings().forEach(warning -> err.println("otto: " + warning));
      err.flush();
    }
    return ExitCodes.OK;
  }

  private String render(Plan plan) {
    return switch (format) {
      case "text" -> Explain.text(plan, notes(plan)) + "\nworkspace: " + source.source(dir).description()
          + "\n";
      case "json" -> Explain.json(plan);
      case "mermaid" -> Explain.mermaid(plan);
      case "dot" -> Explain.dot(plan);
      case "html" -> dev.otto.report.HtmlReport.explain(plan);
      default -> throw new CliException(ExitCodes.USAGE, "unknown format '" + format
          + "'; use text, json, mermaid, dot or html");
    };
  }

  /** The isolation of each stage's steps, and what each promotion would take from the records as they are. */
  private Map<String, String> notes(Plan plan) {
    Map<String, String> notes = new LinkedHashMap<>(isolation.notes(plan));
    LocalEngine.builder(runs != null ? runs : dir.resolve(".otto").resolve("runs")).build().promotionsFor(plan)
        .forEach((stage, note) -> notes.merge(stage, note, (first, second) -> first + "; " + second));
    return notes;
  }
}

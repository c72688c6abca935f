package dev.otto.examples;

import dev.otto.core.OttoException;
import dev.otto.core.engine.Engine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs an example on this machine with the local engine and prints what happens:
 *
 * <pre>
 * run failing [--branch B]
 * </pre>
 *
 * <p>Only examples whose stages run as local processes and hold no waits can run this way today.
 */
public final class RunExample {
  private RunExample() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    if (args.length == 0) {
      System.err.println("run: name an example first, e.g. failing");
      System.exit(2);
    }
    String branch = args.length >= 3 && args[1].equals("--branch") ? args[2] : "main";
    try {
      Path runs = Files.createTempDirectory("otto-runs");
      RunResult result = Engine.builder(runs).listener(event -> out.println(describe(event))).build()
          .run(Planner.plan(Examples.get(args[0]), RunContext.branch(branch)));
      out.println();
      for (RunResult.StageResult stage : result.stages()) {
        out.printf("%-22s %-9s %s%n", stage.id(), stage.status(), stage.reason().orElse(""));
      }
      System.exit(result.status() == RunResult.Status.SUCCEEDED ? 0 : 1);
    } catch (IllegalArgumentException | OttoException e) {
      System.err.println("run: " + e.getMessage());
      System.exit(2);
    }
  }

  static String describe(RunEvent event) {
    if (event instanceof RunEvent.OutputLine line) {
      return "  " + line.stage() + " | " + line.line();
    }
    if (event instanceof RunEvent.StageStarted started) {
      return "> " + started.stage();
    }
    if (event instanceof RunEvent.StageFinished finished) {
      return "< " + finished.stage() + " " + finished.status();
    }
    if (event instanceof RunEvent.StageSkipped skipped) {
      return "- " + skipped.stage() + " skipped: " + skipped.reason();
    }
    if (event instanceof RunEvent.StepStarted step) {
      return "  " + step.stage() + " step " + step.step() + ": " + step.label();
    }
    if (event instanceof RunEvent.RunStarted started) {
      return "run of '" + started.pipeline() + "': " + started.stages() + " stages";
    }
    if (event instanceof RunEvent.StepFinished step) {
      return "  " + step.stage() + " step " + step.step() + " " + step.status() + ": " + step.detail();
    }
    if (event instanceof RunEvent.Emitted emitted) {
      return "  " + emitted.stage() + " " + emitted.event() + ": " + emitted.message();
    }
    if (event instanceof RunEvent.RunFinished finished) {
      return "run " + finished.status();
    }
    return "  " + event.getClass().getSimpleName();
  }
}

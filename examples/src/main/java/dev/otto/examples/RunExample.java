package dev.otto.examples;

import dev.otto.core.OttoException;
import dev.otto.core.engine.Decision;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs an example on this machine with the local engine and prints what happens:
 *
 * <pre>
 * run failing [--branch B]
 * </pre>
 *
 * <p>When a stage waits, it asks on the console: approve or reject an approval, or send a
 * webhook's callback. Examples whose stages run in containers or on agents need an engine that
 * runs those runtimes.
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
      Map<String, String> tokens = new ConcurrentHashMap<>();
      LocalEngine engine = LocalEngine.builder(runs).listener(event -> {
        out.println(describe(event));
        if (event instanceof RunEvent.WaitStarted started && started.token().isPresent()) {
          tokens.put(started.waitId(), started.token().get());
        }
      }).build();
      RunHandle run = engine.start(Planner.plan(Examples.get(args[0]), RunContext.branch(branch)));
      RunResult result = answerWaits(engine, run, tokens, out);
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

  /** Asks on the console about each wait until the run ends. */
  private static RunResult answerWaits(LocalEngine engine, RunHandle run, Map<String, String> tokens, PrintStream out)
      throws Exception {
    BufferedReader console = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    while (!run.result().isDone()) {
      List<PendingWait> waits = run.waits();
      if (waits.isEmpty()) {
        Thread.sleep(50);
        continue;
      }
      PendingWait wait = waits.get(0);
      if (wait.kind().equals("await-approval")) {
        out.printf("%s asks: %s approve? [y/N] ", wait.stage(), wait.description());
        String answer = console.readLine();
        String by = System.getProperty("user.name", "someone");
        engine.decide(run.id(), wait.id(),
            answer != null && answer.trim().equalsIgnoreCase("y") ? Decision.approve(by) : Decision.reject(by));
      } else if (wait.kind().equals("await-webhook") && tokens.containsKey(wait.id())) {
        out.printf("%s waits for '%s'; press enter to send its callback ", wait.stage(), wait.description());
        console.readLine();
        engine.callback(tokens.get(wait.id()), "{}");
      } else {
        Thread.sleep(50);
      }
    }
    return run.result().join();
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
    if (event instanceof RunEvent.WaitStarted started) {
      return "  " + started.stage() + " waits: " + started.kind() + " '" + started.description() + "' until "
          + started.deadline();
    }
    if (event instanceof RunEvent.WaitEnded ended) {
      return "  " + ended.stage() + " wait " + ended.outcome() + ended.by().map(by -> " by " + by).orElse("");
    }
    if (event instanceof RunEvent.RunFinished finished) {
      return "run " + finished.status();
    }
    return "  " + event.getClass().getSimpleName();
  }
}

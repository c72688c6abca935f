package dev.otto.cli;

import dev.otto.core.engine.PlanMismatchException;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code otto resume}: takes over a run whose process died. */
@Command(name = "resume", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
    description = "Takes over a run whose otto process died, from its journal: what was done is not done again, "
        + "waits come back, and a step that was running runs again. Give the same folder and context as the run.")
final class ResumeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "the run's id")
  String runId;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", description = "the folder; the current one by default")
  Path dir = Path.of(".");

  @Mixin
  DependencyOptions dependencies;

  @Mixin
  ContextOptions context;

  @Mixin
  RunCommand.EngineOptions engine;

  @Override
  public Integer call() throws IOException {
    return engine.resume(dir, runId, context, dependencies, spec.commandLine().getErr(), (built, plan) -> {
      // A run whose engine died after its last op, before its end was recorded, ends at once
      // when resumed: that one did not end before.
      boolean ended = built.hasEnded(runId);
      engine.nothingRuns = ended;
      RunHandle run;
      try {
        run = built.resume(runId, plan);
      } catch (PlanMismatchException e) {
        String folder = RunCommand.EngineOptions.shellWord(dir.toString());
        throw new CliException(ExitCodes.CANNOT_RUN, e.getMessage() + ". 'otto resume' planned the pipeline of "
            + dir.toAbsolutePath().normalize() + ": give the folder the run was started from, with its pipeline as "
            + "it was then; 'otto restart " + runId + " " + folder + "' runs the pipeline as it is now");
      }
      if (ended) {
        RunResult.Status status = run.result().join().status();
        java.io.PrintWriter err = spec.commandLine().getErr();
        err.println("otto: run " + runId + " had finished (" + status.name().toLowerCase(Locale.ROOT)
            + "): nothing was left to resume; its summary follows. " + (status == RunResult.Status.SUCCEEDED
            ? "'otto run' starts a new run" : "'" + RunCommand.EngineOptions.goOnCommand("restart", runId, dir)
            + "' runs again what it did not get done"));
        err.flush();
      }
      return run;
    });
  }
}

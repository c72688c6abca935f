package dev.otto.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code otto restart}: runs again, in a new run, what a finished run did not get done. */
@Command(name = "restart", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
    description = "Runs again what a finished run did not get done, in a new run whose workspace starts as a copy "
        + "of that run's: its stages that failed, were cancelled or never ran, those whose definition changed, and "
        + "the stages that depend on them; the others keep their results. Changes to the folder's files since the run are "
        + "not in that workspace: 'otto run' takes them. Give the same folder and context as the run; it is planned "
        + "for the branch or tag the run was, unless --branch or --tag says.")
final class RestartCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "the finished run's id, as its summary shows it")
  String runId;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", description = "the folder; the current one by default")
  Path dir = Path.of(".");

  @Option(names = "--stage", paramLabel = "STAGE", description = "run this stage and every stage after it again "
      + "too, even if they succeeded: its id as the summary shows it, e.g. 'Deploy > Production'")
  String stage;

  @Mixin
  DependencyOptions dependencies;

  @Mixin
  ContextOptions context;

  @Mixin
  RunCommand.EngineOptions engine;

  @Override
  public Integer call() throws IOException {
    if (stage != null && stage.isBlank()) {
      throw new CliException(ExitCodes.USAGE, "--stage names a stage of the run, e.g. Build; it is blank");
    }
    return engine.goOn(dir, runId, context, dependencies, spec.commandLine().getErr(), (built, plan) -> {
      refuseWithoutWorkspace();
      return stage == null ? built.restart(runId, plan) : built.restart(runId, plan, stage);
    });
  }

  /**
   * Refuses a run whose workspace 'otto prune' removed, which a restart starts from a copy of, in
   * the words of this command rather than the engine's, which speak of its API.
   */
  private void refuseWithoutWorkspace() {
    if (!Files.isDirectory(engine.runsFolder(dir).resolve(runId).resolve("workspace"))) {
      throw new CliException(ExitCodes.CANNOT_RUN, "run " + runId + " has no workspace any more ('otto prune' "
          + "removes those of finished runs but the newest), and a restart starts from a copy of it; '"
          + "otto run" + RunCommand.EngineOptions.folderArgument(dir) + "' starts a new run from the folder's files");
    }
  }
}

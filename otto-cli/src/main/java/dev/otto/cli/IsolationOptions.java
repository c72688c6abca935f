package dev.otto.cli;

import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.executor.Sandbox;
import dev.otto.core.model.Runtime;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.StageStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** How steps run on this machine are kept from it: {@code --isolation none|sandbox}, shared by run and explain. */
final class IsolationOptions {
  @Option(names = "--isolation", paramLabel = "MODE", description = "none (default): steps run on this machine are "
      + "processes of this user, which see its files, processes and network; sandbox: each stage runs in a "
      + "bubblewrap sandbox: the host read-only, the workspace writable, its own processes only, no network unless "
      + "its runtime asks")
  String isolation = "none";

  /** The executor of stages that run on this machine, sandboxed if asked. */
  LocalProcessExecutor.Builder local() {
    LocalProcessExecutor.Builder builder = LocalProcessExecutor.builder();
    return switch (isolation) {
      case "none" -> builder;
      case "sandbox" -> builder.sandbox(Sandbox.bubblewrap());
      default -> throw new CliException(ExitCodes.USAGE, "--isolation is none or sandbox, not '" + isolation + "'");
    };
  }

  /**
   * A note per stage that runs processes: the isolation it gets. Plan-time only: nothing is asked
   * of a container engine or of bubblewrap, so a container stage names both places it may run.
   */
  Map<String, String> notes(Plan plan) {
    LocalProcessExecutor local = local().build();
    Map<String, String> notes = new LinkedHashMap<>();
    for (PlannedStage stage : plan.stages()) {
      if (stage.status() == StageStatus.SKIP || !stage.runsProcesses()) {
        continue;
      }
      Runtime runtime = stage.runtime();
      String here = local.isolation(new Runtime.Local(runtime.tools(), runtime.network())).orElseThrow();
      notes.put(stage.id(), "isolation: " + (runtime instanceof Runtime.Container
          ? "its container; as local processes (--containers local, no container engine): " + here : here));
    }
    return notes;
  }
}

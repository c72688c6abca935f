package dev.otto.cli.temporal;

import dev.otto.temporal.WorkerMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code otto worker}: runs an Otto worker of a Temporal cluster on this machine until stopped. */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Runs an Otto worker on this machine: it polls the Temporal task queues given (and those named "
        + "after this machine's agent labels), runs run workflows and the stages routed to those queues, and stops "
        + "its processes when stopped.",
    footer = "%nExit codes:%n  0  stopped (SIGINT or SIGTERM), its processes stopped%n  2  usage error%n"
        + "  4  the Temporal frontend could not be reached at --address%n")
final class WorkerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--address", paramLabel = "HOST:PORT", description = "the Temporal frontend; ${DEFAULT-VALUE} by "
      + "default")
  String address = "127.0.0.1:7233";

  @Option(names = "--namespace", paramLabel = "NAME", description = "the Temporal namespace; ${DEFAULT-VALUE} by "
      + "default")
  String namespace = "default";

  @Option(names = "--task-queue", paramLabel = "QUEUE", description = "a task queue to poll; repeat for several; "
      + "otto by default")
  List<String> taskQueues = new ArrayList<>();

  @Option(names = "--label", paramLabel = "LABEL", description = "an agent label of this machine: stages on agents "
      + "with it run here; repeat for several")
  List<String> labels = new ArrayList<>();

  @Option(names = "--root", paramLabel = "DIR", description = "where run workspaces live; ${DEFAULT-VALUE} by "
      + "default")
  Path root = Path.of("otto-worker");

  @Option(names = "--caches", paramLabel = "DIR", description = "the cache and artifact store all workers share")
  Path caches;

  @Option(names = "--secrets-dir", paramLabel = "DIR", description = "read each secret from a file of this folder; "
      + "from the environment by default (heroku-api-key from HEROKU_API_KEY)")
  Path secretsDir;

  @Option(names = "--parallelism", paramLabel = "N", description = "how many activities run at once; the number "
      + "of processors by default")
  Integer parallelism;

  @Option(names = "--container-fallback", description = "run container stages as local processes when no "
      + "executor here runs containers")
  boolean containerFallback;

  @Override
  public Integer call() throws InterruptedException {
    WorkerMain.Options options;
    try {
      options = new WorkerMain.Options(address, namespace, taskQueues, labels, root, caches, secretsDir,
          parallelism != null ? parallelism : Math.max(1, Runtime.getRuntime().availableProcessors()),
          containerFallback);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      WorkerMain.run(options);
    } catch (WorkerMain.Unreachable e) {
      spec.commandLine().getErr().println("otto worker: " + e.getMessage());
      return 4;
    }
    return 0;
  }
}

package dev.otto.cli;

import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RemovedWorkspaces;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code otto prune}: frees the disk the runs of a folder take. */
@Command(name = "prune", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
    description = "Frees the disk the runs of a folder take: removes the workspaces of finished runs but the newest. "
        + "Journals, stored artifacts and the record of deployments stay; a run that has not finished keeps its "
        + "workspace, for 'otto resume'.")
final class PruneCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "the folder; the current one by default")
  Path dir = Path.of(".");

  @Option(names = "--runs", paramLabel = "DIR", description = "where the runs are kept; DIR/.otto/runs by default")
  Path runs;

  @Option(names = "--keep", paramLabel = "N", description = "how many of the newest finished runs keep their "
      + "workspaces; 5 by default, 0 for none")
  int keep = 5;

  @Override
  public Integer call() {
    if (keep < 0) {
      throw new CliException(ExitCodes.USAGE, "--keep is how many finished runs keep their workspaces, 0 or more, "
          + "not " + keep);
    }
    Path folder = runs != null ? runs : dir.resolve(".otto").resolve("runs");
    if (!Files.isDirectory(folder)) {
      throw new CliException(ExitCodes.USAGE, "there are no runs in " + folder + (runs != null ? ""
          : "; give the folder the runs were made in, or --runs with the folder that 'otto run --runs' was given"));
    }
    RemovedWorkspaces removed;
    try {
      removed = LocalEngine.builder(folder).build().removeWorkspaces(keep);
    } catch (UncheckedIOException e) {
      throw new CliException(ExitCodes.CANNOT_RUN, e.getMessage());
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    for (String run : removed.removed()) {
      out.println("removed the workspace of run " + run);
    }
    for (String other : removed.leftAlone()) {
      out.println("left alone " + other + " (remove it by hand when no otto is making that run)");
    }
    for (String run : removed.failed()) {
      System.err.println("otto: could not remove the whole workspace of run " + run);
    }
    int kept = removed.kept().size();
    int unfinished = removed.unfinished().size();
    out.printf(Locale.ROOT, "removed %d %s (%s); %s%s%n", removed.removed().size(),
        removed.removed().size() == 1 ? "workspace" : "workspaces", size(removed.bytes()),
        kept == 0 ? "no finished run keeps its workspace" : "the " + (kept == 1 ? "newest finished run keeps its"
            : kept + " newest finished runs keep their") + " workspace" + (kept == 1 ? "" : "s"),
        unfinished == 0 ? "" : "; " + unfinished + (unfinished == 1 ? " unfinished run keeps its own"
            : " unfinished runs keep their own") + ", for otto resume");
    return removed.failed().isEmpty() ? ExitCodes.OK : ExitCodes.CANNOT_RUN;
  }

  static String size(long bytes) {
    double mib = bytes / (1024.0 * 1024.0);
    return mib >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", mib / 1024)
        : String.format(Locale.ROOT, "%.1f MiB", mib);
  }
}

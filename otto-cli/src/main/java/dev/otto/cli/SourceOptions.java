package dev.otto.cli;

import dev.otto.core.workspace.WorkspaceSource;
import dev.otto.core.workspace.WorkspaceSources;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --from}: what a run's workspace starts as, shared by run and explain. */
final class SourceOptions {
  @Option(names = "--from", paramLabel = "SOURCE", description = "what the run's workspace starts as: worktree "
      + "(default): DIR's files as git sees them, tracked and untracked but not ignored, or a plain copy when DIR is "
      + "not in a git work tree; head: DIR's last commit; empty: an empty folder")
  String from = "worktree";

  WorkspaceSource source(Path dir) {
    return switch (from) {
      case "worktree" -> WorkspaceSources.workingTree(dir);
      case "head" -> WorkspaceSources.head(dir);
      case "empty" -> WorkspaceSources.empty();
      default -> throw new CliException(ExitCodes.USAGE, "--from is worktree, head or empty, not '" + from + "'");
    };
  }
}

package dev.otto.cli;

import dev.otto.core.workspace.WorkspaceSource;
import dev.otto.core.workspace.WorkspaceSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --from}: what a run's workspace starts as, shared by run and explain. */
final class SourceOptions {
  @Option(names = "--from", paramLabel = "SOURCE", description = "what the run's workspace starts as: worktree "
      + "(default): DIR's files as git sees them, tracked and untracked but not ignored, or a plain copy when DIR is "
      + "not in a git work tree; head: DIR's last commit; empty: an empty folder")
  String from = "worktree";

  WorkspaceSource source(Path dir) {
    return source(dir, null);
  }

  /**
   * The workspace source for {@code dir}; the folder secrets are read from ({@code secretsDir},
   * or null) is never copied into a workspace when it lies inside {@code dir}.
   */
  WorkspaceSource source(Path dir, Path secretsDir) {
    List<Path> leftOut = secretsInside(dir, secretsDir);
    return switch (from) {
      case "worktree" -> WorkspaceSources.workingTree(dir, leftOut);
      case "head" -> WorkspaceSources.head(dir);
      case "empty" -> WorkspaceSources.empty();
      default -> throw new CliException(ExitCodes.USAGE, "--from is worktree, head or empty, not '" + from + "'");
    };
  }

  /** {@code secretsDir} relative to {@code dir} when it lies inside it; nothing otherwise. */
  private static List<Path> secretsInside(Path dir, Path secretsDir) {
    if (secretsDir == null) {
      return List.of();
    }
    Path project;
    Path secrets;
    try {
      project = dir.toRealPath();
      secrets = secretsDir.toRealPath();
    } catch (IOException e) {
      return List.of(); // a folder that is not there is refused with the other options
    }
    if (secrets.equals(project)) {
      throw new CliException(ExitCodes.USAGE, "--secrets-dir is the project folder itself, so every run's workspace "
          + "would get a copy of each secret's file; keep the secrets in a folder of their own");
    }
    return secrets.startsWith(project) ? List.of(project.relativize(secrets)) : List.of();
  }
}

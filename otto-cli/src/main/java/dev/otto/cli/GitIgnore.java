package dev.otto.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps {@code .otto/} (a folder's runs, caches and compiled Ottofile) out of git: appends it to
 * the folder's {@code .gitignore}, creating one in a git work tree, unless a {@code .gitignore}
 * of the folder or of a folder above it in the work tree ignores it already.
 */
final class GitIgnore {
  static final String ENTRY = ".otto/";
  /** Lines that ignore {@code .otto} in the folder of their .gitignore and in every folder below. */
  private static final Set<String> EVERYWHERE = Set.of(".otto", ".otto/", "**/.otto", "**/.otto/");
  /** Lines that ignore {@code .otto} only in the folder of their .gitignore. */
  private static final Set<String> HERE = Set.of("/.otto", "/.otto/");

  private GitIgnore() {}

  /** What was done, to tell the user: added, already ignored, or how to do it by hand. */
  enum Outcome { ADDED, IGNORED_ALREADY, NO_GIT }

  /** Ignores {@code .otto/} in {@code folder} (absolute), where there is a .gitignore or a git work tree. */
  static Outcome ignoreOttoFolder(Path folder) throws IOException {
    Optional<Path> workTree = workTree(folder);
    Path file = folder.resolve(".gitignore");
    if (workTree.isEmpty() && !Files.isRegularFile(file)) {
      return Outcome.NO_GIT;
    }
    for (Path dir = folder; dir != null; dir = dir.getParent()) {
      if (ignores(dir.resolve(".gitignore"), dir.equals(folder))) {
        return Outcome.IGNORED_ALREADY;
      }
      if (workTree.isEmpty() || dir.equals(workTree.get())) {
        break;
      }
    }
    String existing = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    String separator = existing.isEmpty() || existing.endsWith("\n") ? "" : "\n";
    Files.writeString(file, separator + ENTRY + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    return Outcome.ADDED;
  }

  /**
   * Makes {@code ottoFolder} (a project's {@code .otto/}) ignore itself, as tools' cache folders
   * do, so that a run's workspaces and caches stay out of {@code git status} and {@code git add -A}
   * even where no {@code .gitignore} names the folder: a {@code .gitignore} in it that ignores
   * everything, itself included. One there already is left as it is.
   */
  static void ignoreItself(Path ottoFolder) throws IOException {
    Files.createDirectories(ottoFolder);
    Path file = ottoFolder.resolve(".gitignore");
    if (Files.notExists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.writeString(file, "# Otto's runs and caches: kept out of git.\n*\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE_NEW);
      } catch (java.nio.file.FileAlreadyExistsException made) {
        // another otto command made it meanwhile
      }
    }
  }

  /** The root of the git work tree {@code folder} is in: the nearest folder with a .git (a folder, or a file for worktrees). */
  private static Optional<Path> workTree(Path folder) {
    for (Path dir = folder; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(".git"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  private static boolean ignores(Path gitignore, boolean inFolder) throws IOException {
    if (!Files.isRegularFile(gitignore)) {
      return false;
    }
    List<String> lines = Files.readAllLines(gitignore, StandardCharsets.UTF_8);
    return lines.stream().map(String::strip)
        .anyMatch(line -> EVERYWHERE.contains(line) || inFolder && HERE.contains(line));
  }
}

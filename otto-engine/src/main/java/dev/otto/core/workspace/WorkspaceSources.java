package dev.otto.core.workspace;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The workspace sources Otto has built in.
 *
 * <ul>
 *   <li>{@link #empty()}: an empty folder, for hosts that fill it themselves or pipelines that
 *       fetch what they need;
 *   <li>{@link #copyOf(Path)}: a copy of a folder as it is;
 *   <li>{@link #workingTree(Path)}: a project's files as git sees them, what {@code otto run}
 *       uses: tracked files and untracked files that are not ignored, as a commit of the work tree
 *       would see them, with a {@code .git} that shares the project's objects so steps can ask git
 *       about the commit; a submodule's files are taken as its own git sees them;
 *   <li>{@link #head(Path)}: the project's last commit, without the changes of its work tree;
 *   <li>{@link #gitCheckout(String, String)}: a clone of a repository, local or remote, at a
 *       branch, tag or commit.
 * </ul>
 *
 * <p>None of them writes into the project it copies: they read it, and git commands that only
 * read. Otto's own state ({@code .otto/}) is never copied.
 */
public final class WorkspaceSources {
  private WorkspaceSources() {}

  /** An empty folder. */
  public static WorkspaceSource empty() {
    return new WorkspaceSource() {
      @Override
      public String description() {
        return "an empty folder";
      }

      @Override
      public Filled fill(Path workspace) {
        return new Filled(0, 0, Optional.empty());
      }
    };
  }

  /** A copy of {@code folder} as it is, links as links, without its {@code .otto/}. */
  public static WorkspaceSource copyOf(Path folder) {
    return copyOf(folder, List.of());
  }

  /**
   * A copy of {@code folder} as it is, links as links, without its {@code .otto/} and without
   * the folders {@code leftOut} names, relative to {@code folder}: what a run must not carry,
   * such as the folder its secrets are read from.
   */
  public static WorkspaceSource copyOf(Path folder, List<Path> leftOut) {
    Path from = absolute(folder, "folder");
    List<Path> kept = relativeFolders(leftOut);
    return new WorkspaceSource() {
      @Override
      public String description() {
        return "a copy of " + from;
      }

      @Override
      public Filled fill(Path workspace) throws IOException {
        requireFolder(from);
        Copying copying = new Copying(from, workspace, kept);
        copying.tree(from, workspace);
        return new Filled(copying.files(), copying.bytes(), Optional.empty());
      }
    };
  }

  /**
   * {@code project}'s files as git sees them: tracked, and untracked but not ignored; a plain
   * {@linkplain #copyOf(Path) copy} when {@code project} is not in a git work tree. When
   * {@code project} is the top of its work tree, the workspace also gets a {@code .git}: a clone
   * that shares the project's objects (git's {@code --shared}), whose index is the project's last
   * commit, so that {@code git status} in the workspace shows the work tree's changes.
   */
  public static WorkspaceSource workingTree(Path project) {
    return workingTree(project, List.of());
  }

  /**
   * {@code project}'s files as git sees them, as {@link #workingTree(Path)}, without the folders
   * {@code leftOut} names, relative to {@code project}, even where git would list their files.
   */
  public static WorkspaceSource workingTree(Path project, List<Path> leftOut) {
    Path from = absolute(project, "project");
    List<Path> kept = relativeFolders(leftOut);
    Optional<Path> top = Git.topLevel(from);
    if (top.isEmpty()) {
      return copyOf(from, kept);
    }
    boolean atTop = top.get().equals(realOrSelf(from));
    return new WorkspaceSource() {
      @Override
      public String description() {
        return "the files of " + from + " as git sees them (tracked, and untracked that are not ignored)";
      }

      @Override
      public Filled fill(Path workspace) throws IOException {
        Optional<String> head = Git.head(from);
        if (atTop) {
          Git.run(workspace, "clone", "--quiet", "--shared", "--no-checkout", "--", from.toString(), ".");
          if (head.isPresent()) {
            Git.run(workspace, "read-tree", head.get());
          }
        }
        Copying copying = new Copying(from, workspace, kept);
        copyGitVisible(from, "", copying);
        return new Filled(copying.files(), copying.bytes(), head);
      }
    };
  }

  /**
   * Copies the files git sees in the work tree {@code folder} (at {@code prefix} in the project).
   * Git lists a submodule, or a repository nested in the work tree, as one entry: its files are
   * taken as its own git sees them, so its ignored files stay out, and so does its {@code .git}
   * link, which points into the project's {@code .git} and would break git in the workspace.
   */
  private static void copyGitVisible(Path folder, String prefix, Copying copying) throws IOException {
    String listed = Git.run(folder, "ls-files", "-z", "--cached", "--others", "--exclude-standard");
    String previous = null;
    for (String entry : listed.split("\0")) {
      String file = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
      if (file.isEmpty() || file.equals(previous)) {
        continue;
      }
      previous = file;
      Path path = folder.resolve(file);
      if (holdsRepository(path) && !copying.leftOut(prefix + file)) {
        copyGitVisible(path, prefix + file + "/", copying);
      } else {
        copying.copy(prefix + file);
      }
    }
  }

  /** {@code folders}, each checked to be a path inside the folder it is relative to. */
  private static List<Path> relativeFolders(List<Path> folders) {
    requireNonNull(folders, "leftOut");
    for (Path folder : folders) {
      requireNonNull(folder, "a folder left out");
      if (folder.isAbsolute() || folder.normalize().startsWith("..") || folder.normalize().toString().isEmpty()) {
        throw new IllegalArgumentException("a folder left out of a workspace is a path inside the project, relative "
            + "to it, not '" + folder + "'");
      }
    }
    return List.copyOf(folders);
  }

  /** Whether {@code path} is a folder with a {@code .git} of its own: a submodule or a nested repository. */
  private static boolean holdsRepository(Path path) {
    return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
        && Files.exists(path.resolve(".git"), LinkOption.NOFOLLOW_LINKS);
  }

  /** The last commit of the git work tree whose top is {@code project}, without the work tree's changes. */
  public static WorkspaceSource head(Path project) {
    Path from = absolute(project, "project");
    return new WorkspaceSource() {
      @Override
      public String description() {
        return "the last commit (HEAD) of " + from;
      }

      @Override
      public Filled fill(Path workspace) throws IOException {
        Optional<Path> top = Git.topLevel(from);
        if (top.isEmpty() || !top.get().equals(realOrSelf(from))) {
          throw new IOException(from + " is not the top of a git work tree; run from the folder that holds .git, or "
              + "take the files as they are");
        }
        String commit = Git.head(from).orElseThrow(() -> new IOException(from + " has no commit yet"));
        return checkout(from.toString(), commit, workspace, true);
      }
    };
  }

  /**
   * A clone of {@code repository} (a URL git understands, or a local repository's path) at
   * {@code ref}: a branch, a tag or a commit. A local repository is cloned sharing its objects.
   * Git reaches the repository with the host's own configuration and credentials.
   */
  public static WorkspaceSource gitCheckout(String repository, String ref) {
    requireNonNull(repository, "repository");
    requireNonNull(ref, "ref");
    if (repository.isBlank() || repository.startsWith("-")) {
      throw new IllegalArgumentException("'" + repository + "' is not a repository: give a URL or a path");
    }
    if (ref.isBlank() || ref.startsWith("-") || ref.contains("..")) {
      throw new IllegalArgumentException("'" + ref + "' is not a branch, tag or commit");
    }
    return new WorkspaceSource() {
      @Override
      public String description() {
        return "a checkout of " + repository + " at " + ref;
      }

      @Override
      public Filled fill(Path workspace) throws IOException {
        boolean local = !repository.contains("://") && !repository.contains("@")
            && Files.isDirectory(Path.of(repository));
        return checkout(repository, ref, workspace, local);
      }
    };
  }

  private static WorkspaceSource.Filled checkout(String repository, String ref, Path workspace, boolean shared)
      throws IOException {
    if (shared) {
      Git.run(workspace, "clone", "--quiet", "--shared", "--no-checkout", "--", repository, ".");
    } else {
      Git.run(workspace, "clone", "--quiet", "--no-checkout", "--", repository, ".");
    }
    String commit = resolve(workspace, ref);
    Git.run(workspace, "checkout", "--quiet", "--detach", commit);
    long[] totals = count(workspace);
    return new WorkspaceSource.Filled(totals[0], totals[1], Optional.of(commit));
  }

  /** The commit {@code ref} names in a fresh clone: a commit, a tag, or a branch of the origin. */
  private static String resolve(Path clone, String ref) throws IOException {
    for (String candidate : new String[] {ref, "origin/" + ref}) {
      try {
        return Git.run(clone, "rev-parse", "--verify", "--quiet", candidate + "^{commit}").strip();
      } catch (IOException e) {
        // try the next spelling
      }
    }
    throw new IOException("the repository has no branch, tag or commit '" + ref + "'");
  }

  /** Files and bytes of a checkout, leaving out {@code .git}. */
  private static long[] count(Path workspace) throws IOException {
    long[] totals = new long[2];
    try (var walk = Files.walk(workspace)) {
      walk.filter(p -> !p.startsWith(workspace.resolve(".git")))
          .filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .forEach(p -> {
            totals[0]++;
            try {
              totals[1] += Files.isSymbolicLink(p) ? 0 : Files.size(p);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }
    return totals;
  }

  private static Path absolute(Path path, String what) {
    return requireNonNull(path, what).toAbsolutePath().normalize();
  }

  private static Path realOrSelf(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path;
    }
  }

  private static void requireFolder(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IOException(folder + " is not a folder");
    }
  }
}

package dev.otto.core.workspace;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Copies files into a workspace: links as links, modes and times kept, never a byte written at
 * the source. Files are copied, not hard-linked: a step that appends to a file in place must not
 * change the project's own copy.
 */
final class Copying {
  /** The folder of a project that holds Otto's own state (runs, caches); never part of a workspace. */
  static final String OTTO_STATE = ".otto";

  private final Path from;
  private final Path to;
  /** The folder of {@code from} that holds {@code to}, when the workspace is inside the project: never copied. */
  private final Path holdsTarget;
  /** Folders of the project the host keeps out of workspaces, such as the folder secrets are read from. */
  private final List<Path> kept;
  private long files;
  private long bytes;

  Copying(Path from, Path to, List<Path> keptOut) {
    this.from = from;
    this.to = to;
    this.kept = keptOut.stream().map(path -> from.resolve(path).normalize()).toList();
    this.holdsTarget = to.startsWith(from) && !to.equals(from) ? from.resolve(from.relativize(to).getName(0)) : null;
  }

  /**
   * Whether {@code relative} (a path in the project) is Otto's state, holds the workspace itself
   * or is in a folder kept out.
   */
  boolean leftOut(String relative) {
    Path path = from.resolve(relative).normalize();
    return path.startsWith(from.resolve(OTTO_STATE)) || (holdsTarget != null && path.startsWith(holdsTarget))
        || kept.stream().anyMatch(path::startsWith);
  }

  long files() {
    return files;
  }

  long bytes() {
    return bytes;
  }

  /** Copies {@code relative} from the project to the same place in the workspace; a folder is copied whole. */
  void copy(String relative) throws IOException {
    if (leftOut(relative)) {
      return;
    }
    Path source = from.resolve(relative);
    Path target = to.resolve(relative);
    if (!target.normalize().startsWith(to)) {
      throw new IOException("'" + relative + "' is not inside " + to);
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return; // a tracked file deleted in the work tree: the commit would not see it either
    }
    if (attributes.isDirectory()) {
      tree(source, target);
      return;
    }
    Files.createDirectories(target.getParent());
    file(source, target, attributes);
  }

  /** Copies the folder {@code source} of the project to {@code target}, leaving out what {@link #leftOut} says. */
  void tree(Path source, Path target) throws IOException {
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (leftOut(from.relativize(dir).toString())) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(target.resolve(source.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (!leftOut(from.relativize(file).toString())) {
          Copying.this.file(file, target.resolve(source.relativize(file).toString()), attrs);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private void file(Path source, Path target, BasicFileAttributes attributes) throws IOException {
    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    files++;
    bytes += attributes.isSymbolicLink() ? 0 : attributes.size();
  }
}

package dev.otto.core.engine;

import dev.otto.core.journal.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Removes the workspaces of finished runs, to free the disk they take: see {@link LocalEngine#removeWorkspaces}. */
final class Workspaces {
  private Workspaces() {}

  /** A run of the runs folder, as its journal tells it. */
  private record Found(String id, Instant started, boolean finished) {}

  static RemovedWorkspaces remove(Path root, Journal journal, Predicate<String> runningHere, int keepNewest) {
    if (keepNewest < 0) {
      throw new IllegalArgumentException("the number of finished runs that keep their workspaces must not be "
          + "negative, not " + keepNewest);
    }
    List<Found> runs = new ArrayList<>();
    try (Stream<Path> folders = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
      for (Path folder : (Iterable<Path>) folders.sorted()::iterator) {
        if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
          find(folder.getFileName().toString(), journal, runningHere).ifPresent(runs::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the runs in " + root, e);
    }
    runs.sort(Comparator.comparing(Found::started).thenComparing(Found::id).reversed());
    List<String> removed = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    List<String> unfinished = new ArrayList<>();
    long bytes = 0;
    for (Found run : runs) {
      if (!run.finished()) {
        unfinished.add(run.id());
      } else if (kept.size() < keepNewest) {
        kept.add(run.id());
      } else {
        Path workspace = root.resolve(run.id()).resolve("workspace");
        if (Files.isDirectory(workspace, LinkOption.NOFOLLOW_LINKS)) {
          bytes += delete(workspace);
          removed.add(run.id());
        }
      }
    }
    return new RemovedWorkspaces(removed, bytes, kept, unfinished);
  }

  /** The run of that folder, when it is one whose journal can be read; a run of this engine is not finished. */
  private static java.util.Optional<Found> find(String id, Journal journal, Predicate<String> runningHere) {
    try {
      Recovery recovery = Recovery.read(id, journal.read(id));
      return java.util.Optional.of(new Found(id, recovery.started,
          recovery.finalStatus != null && !runningHere.test(id)));
    } catch (RuntimeException notARun) {
      // Not a run's folder (the locks' folder, say), or a journal that cannot be read: left as it is.
      return java.util.Optional.empty();
    }
  }

  /**
   * Removes {@code folder} and what it holds, links as links, making the folders it holds
   * writable first (some tools leave theirs read-only, as Go does its module cache); returns the
   * bytes its files took.
   */
  static long delete(Path folder) {
    long[] bytes = {0};
    try {
      Files.walkFileTree(folder, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
          if (!Files.isWritable(dir) || !Files.isExecutable(dir)) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            permissions.addAll(List.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
            Files.setPosixFilePermissions(dir, permissions);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
          bytes[0] += attributes.isRegularFile() ? attributes.size() : 0;
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + folder + ": " + e.getMessage(), e);
    }
    return bytes[0];
  }
}

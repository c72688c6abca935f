package dev.otto.core.engine;

import dev.otto.core.journal.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
  /** A workspace being removed is renamed first, so that nothing takes a half-removed one for a whole one. */
  static final String REMOVING = "workspace.removing";

  private Workspaces() {}

  /** A run of the runs folder, as its journal tells it. */
  private record Found(String id, Instant started, boolean finished) {}

  static RemovedWorkspaces remove(Path root, Journal journal, Predicate<String> runningHere, int keepNewest) {
    if (keepNewest < 0) {
      throw new IllegalArgumentException("the number of finished runs that keep their workspaces must not be "
          + "negative, not " + keepNewest);
    }
    List<Found> runs = new ArrayList<>();
    List<String> leftAlone = new ArrayList<>();
    try (Stream<Path> folders = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
      for (Path folder : (Iterable<Path>) folders.sorted()::iterator) {
        String name = folder.getFileName().toString();
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) || name.startsWith(".")) {
          continue;
        }
        try {
          Recovery recovery = Recovery.read(name, journal.read(name));
          runs.add(new Found(name, recovery.started, recovery.finalStatus != null && !runningHere.test(name)));
        } catch (RuntimeException unreadable) {
          leftAlone.add(name + ": " + unreadable.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the runs in " + root, e);
    }
    runs.sort(Comparator.comparing(Found::started).thenComparing(Found::id).reversed());
    List<String> removed = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    List<String> unfinished = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    long bytes = 0;
    for (Found run : runs) {
      if (!run.finished()) {
        unfinished.add(run.id());
        continue;
      }
      if (kept.size() < keepNewest) {
        kept.add(run.id());
        continue;
      }
      Path folder = root.resolve(run.id());
      Path workspace = folder.resolve("workspace");
      Path removing = folder.resolve(REMOVING);
      try {
        boolean any = false;
        // What an earlier removal left goes first, so that the workspace can take its name.
        if (Files.exists(removing, LinkOption.NOFOLLOW_LINKS)) {
          bytes += delete(removing);
          any = true;
        }
        if (Files.isDirectory(workspace, LinkOption.NOFOLLOW_LINKS)) {
          Files.move(workspace, removing);
          bytes += delete(removing);
          any = true;
        }
        if (any) {
          removed.add(run.id());
        }
      } catch (IOException e) {
        failed.add(run.id() + ": " + e);
      }
    }
    return new RemovedWorkspaces(removed, bytes, kept, unfinished, leftAlone, failed);
  }

  /**
   * Removes {@code path} and, for a folder, what it holds, links as links; a folder its owner may
   * not read, enter or write (some tools leave theirs read-only, as Go does its module cache) is
   * opened up first. Returns the bytes its files took.
   */
  static long delete(Path path) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isDirectory()) {
      Files.delete(path);
      return attributes.isRegularFile() ? attributes.size() : 0;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    if (!permissions.containsAll(List.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE))) {
      permissions.addAll(List.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE));
      Files.setPosixFilePermissions(path, permissions);
    }
    long bytes = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
      for (Path entry : entries) {
        bytes += delete(entry);
      }
    }
    Files.delete(path);
    return bytes;
  }
}

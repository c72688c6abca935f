package dev.otto.core.engine;

import dev.otto.core.cache.CacheKey;
import dev.otto.core.cache.CacheResult;
import dev.otto.core.cache.CacheStore;
import dev.otto.core.plan.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The ops the engine carries out itself on a run's workspace: caches and artifacts. */
final class WorkspaceOps {
  private WorkspaceOps() {}

  /** What became of a cache op: {@code what} is restored, saved, missed, failed, ... */
  record CacheOutcome(String what, String detail) {}

  static CacheOutcome cache(CacheStore caches, Path workspace, String name, List<String> keyFiles, List<String> paths) {
    if (caches == null) {
      return new CacheOutcome(paths == null ? "restore" : "save", "no cache store is configured");
    }
    try {
      CacheKey key = CacheKey.of(name, workspace, keyFiles);
      CacheResult done = paths == null ? caches.restore(key, workspace) : caches.save(key, workspace, paths);
      return new CacheOutcome(done.status().name().toLowerCase(Locale.ROOT), done.detail());
    } catch (UncheckedIOException e) {
      return new CacheOutcome("failed", e.getMessage());
    }
  }

  /** Copies an artifact's paths out of the workspace; returns the number of files, or throws with the problem. */
  static int store(Path workspace, Path artifacts, Op.StoreArtifact artifact) throws ArtifactException {
    Path target = artifacts.resolve(artifact.name());
    int files = 0;
    try {
      for (String path : artifact.paths()) {
        Path source = workspace.resolve(path).normalize();
        if (!source.startsWith(workspace) || !Files.exists(source)) {
          throw new ArtifactException("the artifact '" + artifact.name() + "' has no path '" + path
              + "' in the workspace");
        }
        try (Stream<Path> walk = Files.walk(source)) {
          for (Path file : (Iterable<Path>) walk::iterator) {
            if (Files.isRegularFile(file)) {
              Path copy = target.resolve(workspace.relativize(file).toString());
              Files.createDirectories(copy.getParent());
              Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
              files++;
            }
          }
        }
      }
    } catch (IOException e) {
      throw new ArtifactException("the artifact '" + artifact.name() + "' could not be stored: " + e.getMessage());
    }
    return files;
  }

  /** Copies a stored artifact's files back into the workspace; returns how many, or throws with the problem. */
  static int restore(Path workspace, Path artifacts, String name) throws ArtifactException {
    Path stored = artifacts.resolve(name).normalize();
    if (!stored.startsWith(artifacts) || !Files.isDirectory(stored)) {
      throw new ArtifactException("no artifact '" + name + "' was stored earlier in this run; archive it in a stage "
          + "that runs before this one");
    }
    int files = 0;
    try (Stream<Path> walk = Files.walk(stored)) {
      for (Path file : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(file)) {
          Path copy = workspace.resolve(stored.relativize(file).toString());
          Files.createDirectories(copy.getParent());
          Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
          files++;
        }
      }
    } catch (IOException e) {
      throw new ArtifactException("the artifact '" + name + "' could not be restored: " + e.getMessage());
    }
    return files;
  }

  /** Copies one run's workspace into a new run's, for a restart. */
  static void copyTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  /** Why an artifact could not be stored. */
  static final class ArtifactException extends Exception {
    private static final long serialVersionUID = 1L;

    ArtifactException(String message) {
      super(message);
    }
  }
}

package dev.otto.core.engine;

import dev.otto.core.plan.Op;
import dev.otto.core.validate.Names;
import dev.otto.core.workspace.Confined;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ops the engine carries out itself on a run's workspace besides caches ({@link CacheOps}): artifacts. */
final class WorkspaceOps {
  private static final Logger LOG = LoggerFactory.getLogger(WorkspaceOps.class);

  /** The folder of a run that holds the artifacts it stored. */
  static final String ARTIFACTS = "artifacts";
  /** The folder of a run that holds the artifacts it promoted from an environment's record. */
  static final String PROMOTED = "promoted";

  private WorkspaceOps() {}

  /**
   * Copies an artifact's paths out of the workspace; returns the number of files, or throws with
   * the problem. Links are copied as links; a link that leads out of the workspace is left out,
   * and a path that leads out through a link is refused.
   */
  static int store(Path workspace, Path artifacts, Op.StoreArtifact artifact) throws ArtifactException {
    String name = artifact.name();
    requireArtifactName(name);
    try {
      Path base = Confined.root(workspace);
      List<Confined.Item> items = new ArrayList<>();
      List<String> leftOut = new ArrayList<>();
      for (String path : artifact.paths()) {
        try {
          items.addAll(Confined.items(base, path, leftOut));
        } catch (NoSuchFileException e) {
          throw new ArtifactException("the artifact '" + name + "' has no path '" + path + "' in the workspace");
        }
      }
      for (String link : leftOut) {
        LOG.warn("not keeping the link {} in the artifact {}: it leads out of the workspace", link, name);
      }
      return Confined.place(items, Confined.root(artifacts.resolve(name)), false);
    } catch (Confined.LeavesRootException e) {
      throw new ArtifactException("the artifact '" + name + "' could not be stored: " + e.describe("the workspace"));
    } catch (IOException e) {
      throw new ArtifactException("the artifact '" + name + "' could not be stored: " + e.getMessage());
    }
  }

  /**
   * Copies a stored artifact's files back into the workspace; returns how many, or throws with
   * the problem. Nothing is written through a link of the workspace that leads out of it.
   */
  static int restore(Path workspace, Path artifacts, String name) throws ArtifactException {
    requireArtifactName(name);
    Path stored = artifacts.resolve(name);
    if (!Files.isDirectory(stored, LinkOption.NOFOLLOW_LINKS)) {
      throw new ArtifactException("no artifact '" + name + "' was stored earlier in this run; archive it in a stage "
          + "that runs before this one");
    }
    try {
      List<String> leftOut = new ArrayList<>();
      List<Confined.Item> items = Confined.items(stored.toRealPath(), "", leftOut);
      for (String link : leftOut) {
        LOG.warn("not restoring the link {} of the artifact {}: it leads out of the artifact", link, name);
      }
      return Confined.place(items, Confined.root(workspace), false);
    } catch (Confined.LeavesRootException e) {
      throw new ArtifactException("the artifact '" + name + "' could not be restored: " + e.describe("the workspace"));
    } catch (IOException e) {
      throw new ArtifactException("the artifact '" + name + "' could not be restored: " + e.getMessage());
    }
  }

  /**
   * Refuses a name that is not a plain folder name. Validation reports such names before a run;
   * this guard holds for plans that validation never saw, such as plans read from JSON.
   */
  private static void requireArtifactName(String name) throws ArtifactException {
    if (!Names.isIdentifier(name)) {
      throw new ArtifactException("'" + Names.printable(name) + "' is not a valid artifact name; " + Names.IDENTIFIER_RULE
          + ", e.g. 'dist'");
    }
  }

  /** The digest of the artifact {@code name} stored in {@code artifacts}; see {@link ArtifactDigest}. */
  static String digest(Path artifacts, String name) throws ArtifactException {
    try {
      return ArtifactDigest.of(artifacts.resolve(name));
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ArtifactException("the digest of the artifact '" + name + "' could not be computed: " + e.getMessage());
    }
  }

  /** How many files a copy made, and their bytes. */
  record Copied(long files, long bytes) {}

  /** Copies a tree (one run's workspace into a new run's, for a restart; a promoted artifact). */
  static Copied copyTree(Path from, Path to) throws IOException {
    long files = 0;
    long bytes = 0;
    if (!Files.isDirectory(from)) {
      return new Copied(files, bytes);
    }
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
              LinkOption.NOFOLLOW_LINKS);
          if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            files++;
            bytes += Files.size(source);
          }
        }
      }
    }
    return new Copied(files, bytes);
  }

  /** Why an artifact could not be stored or restored. */
  static final class ArtifactException extends Exception {
    private static final long serialVersionUID = 1L;

    ArtifactException(String message) {
      super(message);
    }
  }
}

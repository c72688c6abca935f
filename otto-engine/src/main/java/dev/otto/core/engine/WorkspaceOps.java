package dev.otto.core.engine;

import dev.otto.core.plan.Op;
import dev.otto.core.validate.Names;
import dev.otto.core.workspace.Confined;
import com.google.common.hash.Funnels;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

  /**
   * The digest of a stored artifact's files, {@code sha256:<hex>}: of every file's, folder's and
   * link's path relative to the artifact, in sorted order, with each file's bytes and each link's
   * target. The same files give the same digest wherever they are stored.
   */
  static String digest(Path artifacts, String name) throws ArtifactException {
    Path stored = artifacts.resolve(name);
    Hasher hasher = Hashing.sha256().newHasher();
    try (Stream<Path> walk = Files.walk(stored)) {
      List<Path> paths = walk.filter(path -> !path.equals(stored))
          .sorted(java.util.Comparator.comparing(path -> relative(stored, path))).toList();
      for (Path path : paths) {
        String relative = relative(stored, path);
        if (Files.isSymbolicLink(path)) {
          hasher.putString("l " + relative + " -> " + Files.readSymbolicLink(path) + "\n", StandardCharsets.UTF_8);
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          hasher.putString("d " + relative + "\n", StandardCharsets.UTF_8);
        } else {
          hasher.putString("f " + relative + " " + Files.size(path) + "\n", StandardCharsets.UTF_8);
          try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            in.transferTo(Funnels.asOutputStream(hasher));
          }
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ArtifactException("the digest of the artifact '" + name + "' could not be computed: " + e.getMessage());
    }
    return "sha256:" + hasher.hash();
  }

  private static String relative(Path root, Path path) {
    return root.relativize(path).toString().replace(java.io.File.separatorChar, '/');
  }

  /** Copies one run's workspace into a new run's, for a restart. */
  static void copyTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
              LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  /** Why an artifact could not be stored or restored. */
  static final class ArtifactException extends Exception {
    private static final long serialVersionUID = 1L;

    ArtifactException(String message) {
      super(message);
    }
  }
}

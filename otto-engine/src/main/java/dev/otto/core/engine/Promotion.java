package dev.otto.core.engine;

import dev.otto.core.plan.Op;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a promotion or a rollback takes an artifact from: the entry of an environment's record
 * ({@link Op.Deployed}) and the digest it holds. The engine finds the files in the folder of the
 * run that made the entry, checks them against the digest, and keeps a copy in the folder of the
 * run that promotes them ({@code promoted/}), so that a later promotion from the environment this
 * run deploys to finds them there in turn.
 */
final class Promotion {
  private Promotion() {}

  /** The entry of a record an artifact is taken from, and the digest it holds of the artifact. */
  record Source(Deployment entry, String digest) {
    /** What a note or an event says of it: {@code sha256:... from run <id> (deployed to 'staging' at <time>)}. */
    String describe() {
      return digest + " from run " + entry.run() + " (deployed to '" + entry.environment() + "' at " + entry.ended()
          + ")";
    }
  }

  /** The source of the artifact {@code name} in {@code from}'s record ({@link DeploymentStore#source}), if any. */
  static Optional<Source> find(DeploymentStore store, String name, Op.Deployed from) {
    return store.source(from.environment(), name, from.previous())
        .map(entry -> new Source(entry, entry.digest(name).orElseThrow()));
  }

  /** Why there is no source: what the record lacks, and what to do. */
  static String missing(String name, Op.Deployed from) {
    return from.missing(name);
  }

  /**
   * Copies the artifact {@code name} that {@code source} names into {@code promoted} (a folder of
   * this run beside its own artifacts, so that what the run builds and what it promotes never
   * mix), from the folder of the run that made the entry, under {@code root}: among the artifacts
   * it stored, or those it promoted in turn. The files must have the recorded digest, before and
   * after the copy; throws with the problem otherwise. A copy the run holds already is kept.
   */
  static void adopt(Path root, Path promoted, String name, Source source) throws WorkspaceOps.ArtifactException {
    String run = source.entry().run();
    if (Files.exists(promoted.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
      String digest = WorkspaceOps.digest(promoted, name);
      if (!digest.equals(source.digest())) {
        throw new WorkspaceOps.ArtifactException("this run promoted another artifact '" + name + "' already ("
            + digest + "); a run promotes one artifact of a name");
      }
      return;
    }
    Path theirs = null;
    String found = null;
    for (String part : List.of(WorkspaceOps.ARTIFACTS, WorkspaceOps.PROMOTED)) {
      Path folder = root.resolve(run).resolve(part);
      if (Files.isDirectory(folder.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        found = WorkspaceOps.digest(folder, name);
        if (found.equals(source.digest())) {
          theirs = folder;
          break;
        }
      }
    }
    if (theirs == null) {
      throw new WorkspaceOps.ArtifactException(found == null
          ? "the artifact '" + name + "' of run " + run + ", which '" + source.entry().environment() + "' deployed, is "
              + "no longer kept in " + root.resolve(run) + "; it cannot be promoted"
          : "the files of the artifact '" + name + "' of run " + run + " have the digest " + found + ", not "
              + source.digest() + " as '" + source.entry().environment() + "' recorded when it deployed them; they "
              + "changed since, so they are not promoted");
    }
    try {
      WorkspaceOps.copyTree(theirs.resolve(name), promoted.resolve(name));
    } catch (java.io.IOException e) {
      throw new WorkspaceOps.ArtifactException("the artifact '" + name + "' of run " + run + " could not be copied: "
          + e.getMessage());
    }
    String copied = WorkspaceOps.digest(promoted, name);
    if (!copied.equals(source.digest())) {
      throw new WorkspaceOps.ArtifactException("the copy of the artifact '" + name + "' of run " + run + " has the "
          + "digest " + copied + ", not " + source.digest() + "; it is not promoted");
    }
  }
}

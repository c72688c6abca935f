package dev.otto.core.engine;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.otto.core.cache.CacheKey;
import dev.otto.core.cache.CacheResult;
import dev.otto.core.cache.CacheStore;
import dev.otto.core.model.Cache;
import dev.otto.core.plan.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every engine carries out {@code restore-cache} and {@code save-cache} ops against a {@link
 * CacheStore}: the local engine in its run's workspace, a Temporal worker in its own. A cache is
 * an optimisation, so neither ever fails a stage; the outcome says what happened.
 *
 * <p>A restore tries the exact key first. When it has no entry (or a damaged one), it tries each
 * of the op's fallbacks in turn and restores the newest entry saved with the same name, paths and
 * content of the key files the fallback keeps ({@code fallback_hit}). A save always writes the
 * exact key's entry, after a fallback restore too, and files it under each fallback key, so that
 * the next change of a lock file starts from it.
 *
 * <p>A host's ops remember how a cache's paths stood in a workspace after they saved its entry
 * from there or restored it there ({@link WorkspaceCaches}): a restore of the same key into the
 * same workspace, with the paths unchanged since, unpacks nothing. A build stage that saves its
 * cache and a test stage after it that restores it, in one workspace, unpack it at most once.
 */
@API(status = INTERNAL, since = "0.1")
public final class CacheOps {
  private static final Logger LOG = LoggerFactory.getLogger(CacheOps.class);

  private CacheOps() {}

  /**
   * What became of a cache op, as {@link RunEvent.CacheEvent} reports it.
   *
   * @param what {@code hit}, {@code fallback_hit} (an older entry restored in place of the key's),
   *     {@code miss}, {@code corrupt} (a damaged entry, removed), {@code saved}, {@code
   *     already_saved}, {@code failed}; or {@code restore} / {@code save} when no store is configured
   * @param detail a sentence for events and logs
   */
  public record Outcome(String what, String detail) {}

  /** Restores {@code op}'s cache into {@code workspace} from {@code store}, which may be null (no store). */
  public static Outcome restore(CacheStore store, Path workspace, Op.RestoreCache op) {
    return restore(store, workspace, op, null);
  }

  /**
   * As {@link #restore(CacheStore, Path, Op.RestoreCache)}; where {@code known} (may be null)
   * knows that the workspace's paths hold the key's entry already, as a stage left them that
   * saved or restored it there, nothing is unpacked.
   */
  static Outcome restore(CacheStore store, Path workspace, Op.RestoreCache op, WorkspaceCaches known) {
    if (store == null) {
      return new Outcome("restore", "no cache store is configured");
    }
    try {
      CacheKey key = CacheKey.of(op.cache(), workspace, op.keyFiles());
      Optional<Integer> there = known == null ? Optional.empty() : unchanged(known, workspace, key, op.paths());
      if (there.isPresent()) {
        return new Outcome(name(CacheResult.Status.HIT), "cache " + key + " is in the workspace already, as a stage "
            + "that saved or restored it there left it: its " + there.get() + (there.get() == 1 ? " file is" : " files are")
            + " unchanged since, so nothing was unpacked");
      }
      CacheResult exact = store.restore(key, workspace);
      if (known != null && exact.status() == CacheResult.Status.HIT) {
        remember(() -> known.restored(workspace, key, op.paths()), key);
      }
      boolean missed = exact.status() == CacheResult.Status.MISS || exact.status() == CacheResult.Status.CORRUPT;
      if (!missed || op.keyFiles().isEmpty() || op.fallbacks().isEmpty()) {
        return outcome(exact);
      }
      for (Cache.Fallback fallback : op.fallbacks()) {
        CacheResult found = store.restoreNewest(prefix(op.cache(), op.paths(), workspace, op.keyFiles(), fallback),
            workspace);
        if (found.restored()) {
          String why = exact.status() == CacheResult.Status.CORRUPT ? exact.detail()
              : "cache " + key + " has no entry yet";
          return new Outcome(name(CacheResult.Status.FALLBACK_HIT), why + "; falling back to the newest entry with "
              + "the same paths" + (fallback.keyFiles().isEmpty() ? "" : " and " + String.join(", ",
                  fallback.keyFiles())) + ": " + found.detail());
        }
        if (found.status() == CacheResult.Status.FAILED) {
          return outcome(found);
        }
      }
      return new Outcome(name(exact.status()), exact.detail() + "; none of its fallback keys has an entry either");
    } catch (UncheckedIOException | IllegalArgumentException e) {
      return new Outcome(name(CacheResult.Status.FAILED), e.getMessage());
    }
  }

  /**
   * Saves {@code op}'s paths in {@code workspace} as its cache's entry in {@code store}, which may
   * be null (no store), filed under each of the op's fallback keys.
   */
  public static Outcome save(CacheStore store, Path workspace, Op.SaveCache op) {
    return save(store, workspace, op, null);
  }

  /**
   * As {@link #save(CacheStore, Path, Op.SaveCache)}; {@code known} (may be null) learns how the
   * paths stood when they were saved, for a later {@link #restore} into the same workspace.
   */
  static Outcome save(CacheStore store, Path workspace, Op.SaveCache op, WorkspaceCaches known) {
    if (store == null) {
      return new Outcome("save", "no cache store is configured");
    }
    try {
      CacheKey key = CacheKey.of(op.cache(), workspace, op.keyFiles());
      List<CacheKey.Prefix> prefixes = op.keyFiles().isEmpty() ? List.of() : op.fallbacks().stream()
          .map(fallback -> prefix(op.cache(), op.paths(), workspace, op.keyFiles(), fallback)).toList();
      WorkspaceCaches.Reading before = known == null ? null : reading(known, workspace, op.paths(), key);
      CacheResult result = store.save(key, prefixes, workspace, op.paths());
      if (before != null && result.status() == CacheResult.Status.SAVED) {
        remember(() -> known.saved(workspace, key, op.paths(), before), key);
      }
      Outcome saved = outcome(result);
      return new Outcome(saved.what(), saved.detail() + missingKeyFiles(workspace, op.keyFiles()));
    } catch (UncheckedIOException | IllegalArgumentException e) {
      return new Outcome(name(CacheResult.Status.FAILED), e.getMessage());
    }
  }

  /**
   * What a save says of key files that are not in the workspace: the key counts them as missing,
   * so it stays the same until they appear, and the entry saved first stays: often a misspelt name.
   */
  private static String missingKeyFiles(Path workspace, List<String> keyFiles) {
    List<String> missing = keyFiles.stream()
        .filter(file -> !java.nio.file.Files.isRegularFile(workspace.resolve(file))).toList();
    if (missing.isEmpty()) {
      return "";
    }
    boolean one = missing.size() == 1;
    return "; its key file" + (one ? " " : "s ") + String.join(", ", missing) + (one ? " is" : " are")
        + " not in the workspace, so its key does not change until " + (one ? "it appears" : "they appear")
        + ": check the name, or leave it out of the key files";
  }

  /** What {@code known} says of the paths of {@code key}; empty when they cannot be read. */
  private static Optional<Integer> unchanged(WorkspaceCaches known, Path workspace, CacheKey key, List<String> paths) {
    try {
      return known.unchanged(workspace, key, paths);
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("could not read the paths of cache {}: {}", key, e.toString());
      return Optional.empty();
    }
  }

  private static WorkspaceCaches.Reading reading(WorkspaceCaches known, Path workspace, List<String> paths,
      CacheKey key) {
    try {
      return known.beforeSave(workspace, paths);
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("could not read the paths of cache {}: {}", key, e.toString());
      return null;
    }
  }

  /** Runs {@code remembering}; a path that cannot be read only means a later restore unpacks. */
  private static void remember(Remembering remembering, CacheKey key) {
    try {
      remembering.run();
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("could not read the paths of cache {}: {}", key, e.toString());
    }
  }

  private interface Remembering {
    void run() throws IOException;
  }

  private static CacheKey.Prefix prefix(String cache, List<String> paths, Path workspace, List<String> keyFiles,
      Cache.Fallback fallback) {
    return CacheKey.prefix(cache, paths, workspace, keyFiles, fallback.keyFiles());
  }

  private static Outcome outcome(CacheResult result) {
    return new Outcome(name(result.status()), result.detail());
  }

  private static String name(CacheResult.Status status) {
    return status.name().toLowerCase(Locale.ROOT);
  }
}

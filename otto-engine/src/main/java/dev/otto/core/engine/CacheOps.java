package dev.otto.core.engine;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.otto.core.cache.CacheKey;
import dev.otto.core.cache.CacheResult;
import dev.otto.core.cache.CacheStore;
import dev.otto.core.model.Cache;
import dev.otto.core.plan.Op;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

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
 */
@API(status = INTERNAL, since = "0.1")
public final class CacheOps {
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
    if (store == null) {
      return new Outcome("restore", "no cache store is configured");
    }
    try {
      CacheKey key = CacheKey.of(op.cache(), workspace, op.keyFiles());
      CacheResult exact = store.restore(key, workspace);
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
    if (store == null) {
      return new Outcome("save", "no cache store is configured");
    }
    try {
      CacheKey key = CacheKey.of(op.cache(), workspace, op.keyFiles());
      List<CacheKey.Prefix> prefixes = op.keyFiles().isEmpty() ? List.of() : op.fallbacks().stream()
          .map(fallback -> prefix(op.cache(), op.paths(), workspace, op.keyFiles(), fallback)).toList();
      Outcome saved = outcome(store.save(key, prefixes, workspace, op.paths()));
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

package dev.otto.core.cache;

import java.nio.file.Path;
import java.util.List;

/**
 * Where caches are kept between stages and between runs. A stage that saves a cache stores the
 * cache's paths under its key; later stages and later runs with the same key restore them. A
 * key without an entry yet (a changed lock file) starts from the newest entry of a fallback
 * key, a {@link CacheKey.Prefix} that the entry was filed under when it was saved.
 *
 * <p>An entry, once saved, does not change. Implementations never throw on I/O trouble: they
 * return a {@link CacheResult} that says what went wrong, and the run goes on.
 *
 * <p>A store written before fallback keys existed implements only {@link #restore} and {@link
 * #save(CacheKey, Path, List)}, and still compiles: its caches then match exact keys only. To
 * support fallback keys, implement {@link #save(CacheKey, List, Path, List)} (file the entry
 * under each prefix, e.g. as an index object per prefix) and {@link #restoreNewest}.
 */
public interface CacheStore {

  /** Restores the entry of {@code key} into {@code workspace}. */
  CacheResult restore(CacheKey key, Path workspace);

  /** Saves {@code paths} (relative to {@code workspace}; directories whole) as the entry of {@code key}. */
  CacheResult save(CacheKey key, Path workspace, List<String> paths);

  /**
   * Saves {@code paths} as the entry of {@code key}, as {@link #save(CacheKey, Path, List)} does,
   * and files the entry under each of {@code prefixes}, so that {@link #restoreNewest} finds it.
   * An entry that was already saved is filed too, so that entries saved before a prefix was
   * declared are found from then on. By default the prefixes are ignored.
   */
  default CacheResult save(CacheKey key, List<CacheKey.Prefix> prefixes, Path workspace, List<String> paths) {
    return save(key, workspace, paths);
  }

  /**
   * Restores the newest entry filed under {@code prefix} into {@code workspace}: {@link
   * CacheResult.Status#FALLBACK_HIT} with a detail that names the entry's key, or a miss. Of
   * entries filed at the same moment, the one with the greatest key hash counts as the newest,
   * so that every engine sharing the store picks the same. By default there is no such entry.
   */
  default CacheResult restoreNewest(CacheKey.Prefix prefix, Path workspace) {
    return new CacheResult(CacheResult.Status.MISS, "this cache store does not look up fallback keys");
  }
}

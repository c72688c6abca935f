package dev.otto.core.cache;

import java.nio.file.Path;
import java.util.List;

/**
 * Where caches are kept between stages and between runs. A stage that saves a cache stores the
 * cache's paths under its key; later stages and later runs with the same key restore them.
 *
 * <p>An entry, once saved, does not change. Implementations never throw on I/O trouble: they
 * return a {@link CacheResult} that says what went wrong, and the run goes on.
 */
public interface CacheStore {

  /** Restores the entry of {@code key} into {@code workspace}. */
  CacheResult restore(CacheKey key, Path workspace);

  /** Saves {@code paths} (relative to {@code workspace}; directories whole) as the entry of {@code key}. */
  CacheResult save(CacheKey key, Path workspace, List<String> paths);
}

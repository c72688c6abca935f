package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.Cache;
import dev.otto.dsl.internal.Args;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Configures a cache: its paths, the key files whose content keys it, and what a restore falls
 * back to when the key has no entry yet.
 *
 * <pre>{@code
 * var npm = p.cache("npm", c -> c
 *     .paths(".npm/")
 *     .keyFiles(".nvmrc", "package-lock.json")
 *     .fallback(".nvmrc")   // first the newest entry with the same .nvmrc,
 *     .fallback());         // then the newest entry of the cache
 * }</pre>
 *
 * <p>Without {@code fallback} or {@code exactKeyOnly}, a cache falls back to its newest entry
 * (same name and paths, any content of the key files), as a dependency cache should: a changed
 * lock file then starts from the packages the last run had, and the tool fetches only what is
 * new. Call {@link #exactKeyOnly()} for a cache whose stale content could mislead a build.
 */
public final class CacheSpec {
  private final String name;
  private final List<String> paths = new ArrayList<>();
  private final List<String> keyFiles = new ArrayList<>();
  private final List<Cache.Fallback> fallbacks = new ArrayList<>();
  private boolean exactKeyOnly;

  CacheSpec(String name) {
    this.name = requireNonNull(name, "cache name");
  }

  /** Workspace paths the cache keeps; directories whole. */
  public CacheSpec paths(String... paths) {
    this.paths.addAll(Arrays.asList(Args.each("path", "paths", paths)));
    return this;
  }

  /** Files whose content keys the cache, lock files typically; the cache's name alone without any. */
  public CacheSpec keyFiles(String... keyFiles) {
    this.keyFiles.addAll(Arrays.asList(Args.each("key file", "keyFiles", keyFiles)));
    return this;
  }

  /**
   * When the key has no entry, restore the newest entry with the same content of {@code
   * keptKeyFiles} (some of the key files) and any content of the others; with none, the newest
   * entry of the cache. Fallbacks are tried in the order declared, and replace the default one.
   */
  public CacheSpec fallback(String... keptKeyFiles) {
    if (exactKeyOnly) {
      throw new IllegalStateException("the cache '" + name + "' is declared exactKeyOnly(), so it has no fallback; "
          + "remove one of the two calls");
    }
    fallbacks.add(new Cache.Fallback(Arrays.asList(Args.each("key file", "keptKeyFiles", keptKeyFiles))));
    return this;
  }

  /** Restores only an entry of the exact key: a changed key file starts from an empty cache. */
  public CacheSpec exactKeyOnly() {
    if (!fallbacks.isEmpty()) {
      throw new IllegalStateException("the cache '" + name + "' declares fallback(...), so it is not exactKeyOnly(); "
          + "remove one of the two calls");
    }
    exactKeyOnly = true;
    return this;
  }

  Cache build() {
    return Cache.of(name, paths, keyFiles, exactKeyOnly ? List.of()
        : fallbacks.isEmpty() ? List.of(Cache.Fallback.ANY_KEY_FILES) : fallbacks);
  }
}

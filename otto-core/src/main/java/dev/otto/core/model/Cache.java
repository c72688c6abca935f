package dev.otto.core.model;

import java.util.List;
import org.immutables.value.Value;

/**
 * Files kept between stages and between runs, such as {@code vendor/}. A stage saves a cache; a
 * later stage, or a later run with the same key, restores it. The key is the cache's name plus
 * a hash of its {@link #keyFiles()} (lock files, typically).
 */
@Value.Immutable
public abstract class Cache {

  public abstract String name();

  /** Paths relative to the workspace. */
  public abstract List<String> paths();

  /** Files whose content keys the cache; the cache name alone when empty. */
  public abstract List<String> keyFiles();

  public static Cache of(String name, List<String> paths, List<String> keyFiles) {
    return ImmutableCache.builder().name(name).paths(paths).keyFiles(keyFiles).build();
  }
}

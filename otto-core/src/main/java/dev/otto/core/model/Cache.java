package dev.otto.core.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.immutables.value.Value;

/**
 * Files kept between stages and between runs, such as {@code vendor/}. A stage saves a cache; a
 * later stage, or a later run with the same key, restores it. The key is the cache's name plus
 * a hash of its {@link #keyFiles()} (lock files, typically).
 *
 * <p>When the key has no entry yet, because a lock file changed, a restore falls back to the
 * newest entry of each of its {@link #fallbacks()} in turn: by default, the newest entry saved
 * with the same name and paths, whatever the key files held. The stage that saves the cache
 * then saves the new key's entry as usual, so the next run matches exactly.
 */
@Value.Immutable
public abstract class Cache {

  public abstract String name();

  /** Paths relative to the workspace. */
  public abstract List<String> paths();

  /** Files whose content keys the cache; the cache name alone when empty. */
  public abstract List<String> keyFiles();

  /**
   * Whether {@code keyFile} reads as a pattern ({@code **}{@code /package-lock.json}), which
   * validation refuses: key files are paths, read as written, and no file is named so.
   */
  public static boolean readsAsPattern(String keyFile) {
    return keyFile.indexOf('*') >= 0 || keyFile.indexOf('?') >= 0;
  }

  /**
   * What a restore falls back to when the key has no entry, tried in order; empty for the exact
   * key only. Unless declared otherwise, one fallback that keeps no key file.
   */
  public abstract List<Fallback> fallbacks();

  /** A cache that falls back to its newest entry with the same name and paths. */
  public static Cache of(String name, List<String> paths, List<String> keyFiles) {
    return of(name, paths, keyFiles, List.of(Fallback.ANY_KEY_FILES));
  }

  public static Cache of(String name, List<String> paths, List<String> keyFiles, List<Fallback> fallbacks) {
    return ImmutableCache.builder().name(name).paths(paths).keyFiles(keyFiles).fallbacks(fallbacks).build();
  }

  /**
   * A fallback key: the cache's name and paths and the content of {@code keyFiles}, some of the
   * cache's key files. Its newest entry is one saved with the same content of these files and
   * any content of the others: with none kept, the newest entry of the cache.
   *
   * @param keyFiles the key files whose content still has to match
   */
  public record Fallback(List<String> keyFiles) {
    /** The fallback to the newest entry of the cache, whatever its key files held. */
    public static final Fallback ANY_KEY_FILES = new Fallback(List.of());

    public Fallback {
      keyFiles = List.copyOf(requireNonNull(keyFiles, "keyFiles"));
    }
  }
}

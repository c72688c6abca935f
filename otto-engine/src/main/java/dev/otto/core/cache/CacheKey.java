package dev.otto.core.cache;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.otto.core.workspace.Confined;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Which entry of a cache a run uses: the cache's name and a hash of its key files' content. Two
 * runs whose lock files are equal share an entry; a changed lock file gives a new one, which
 * starts from the newest entry of a {@link Prefix} the cache falls back to.
 *
 * @param cache the cache's name
 * @param hash hex SHA-256 of the key files' paths and content (or of the name alone)
 */
public record CacheKey(String cache, String hash) {
  public CacheKey {
    requireNonNull(cache, "cache");
    requireNonNull(hash, "hash");
    if (!hash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a cache key hash is 64 lower-case hex digits, not '" + hash + "'");
    }
  }

  /**
   * The key of {@code cache} in {@code workspace}: the name, then each key file's path and
   * content, in the order given. A missing key file counts as missing, not as empty; so does a
   * key file that leads out of the workspace through a link, whose content is never read.
   */
  public static CacheKey of(String cache, Path workspace, List<String> keyFiles) {
    requireNonNull(cache, "cache");
    requireNonNull(workspace, "workspace");
    Hasher hasher = Hashing.sha256().newHasher();
    hasher.putString(cache, StandardCharsets.UTF_8).putByte((byte) 0);
    putKeyFiles(hasher, cache, workspace, keyFiles);
    return new CacheKey(cache, hasher.hash().toString());
  }

  /**
   * The fallback key of {@code cache} in {@code workspace} that keeps {@code keptKeyFiles}: the
   * name, the paths, and the content of those of {@code keyFiles} that are kept, in the order of
   * {@code keyFiles}. Entries saved with other content of the other key files share it.
   */
  public static Prefix prefix(String cache, List<String> paths, Path workspace, List<String> keyFiles,
      List<String> keptKeyFiles) {
    requireNonNull(cache, "cache");
    requireNonNull(workspace, "workspace");
    Hasher hasher = Hashing.sha256().newHasher();
    hasher.putString("fallback", StandardCharsets.UTF_8).putByte((byte) 0);
    hasher.putString(cache, StandardCharsets.UTF_8).putByte((byte) 0);
    for (String path : paths) {
      hasher.putString(path, StandardCharsets.UTF_8).putByte((byte) 0);
    }
    hasher.putByte((byte) 3);
    putKeyFiles(hasher, cache, workspace, keyFiles.stream().filter(keptKeyFiles::contains).toList());
    return new Prefix(cache, hasher.hash().toString());
  }

  private static void putKeyFiles(Hasher hasher, String cache, Path workspace, List<String> keyFiles) {
    for (String keyFile : keyFiles) {
      hasher.putString(keyFile, StandardCharsets.UTF_8).putByte((byte) 0);
      Path file = inside(workspace, keyFile, cache);
      if (file != null && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        hasher.putByte((byte) 1);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
          byte[] buffer = new byte[65536];
          for (int n; (n = in.read(buffer)) > 0; ) {
            hasher.putBytes(buffer, 0, n);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("could not read the key file " + file + " of cache '" + cache + "'", e);
        }
      } else {
        hasher.putByte((byte) 2);
      }
    }
  }

  /** Where {@code keyFile} is, or null when it, or a link on its way, leads out of the workspace. */
  private static Path inside(Path workspace, String keyFile, String cache) {
    try {
      return Files.isDirectory(workspace) ? Confined.resolve(workspace.toRealPath(), keyFile) : null;
    } catch (Confined.LeavesRootException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("could not find the key file " + keyFile + " of cache '" + cache + "'", e);
    }
  }

  @Override
  public String toString() {
    return cache + "@" + hash.substring(0, 12);
  }

  /**
   * A fallback key: what the keys of several entries of a cache share, such as the cache's name
   * and paths with any content of its key files. A store files each saved entry under the
   * prefixes it is given, and {@link CacheStore#restoreNewest} finds the newest entry filed
   * under one, as a prefix of a key finds entries in other CI systems ({@code restore-keys}).
   *
   * @param cache the cache's name
   * @param hash hex SHA-256 of what the entries share
   */
  public record Prefix(String cache, String hash) {
    public Prefix {
      requireNonNull(cache, "cache");
      requireNonNull(hash, "hash");
      if (!hash.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("a cache prefix hash is 64 lower-case hex digits, not '" + hash + "'");
      }
    }

    @Override
    public String toString() {
      return cache + "@" + hash.substring(0, 12) + "*";
    }
  }
}

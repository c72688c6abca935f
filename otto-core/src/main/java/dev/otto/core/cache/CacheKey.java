package dev.otto.core.cache;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which entry of a cache a run uses: the cache's name and a hash of its key files' content. Two
 * runs whose lock files are equal share an entry; a changed lock file gives a new one.
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
   * content, in the order given. A missing key file counts as missing, not as empty.
   */
  public static CacheKey of(String cache, Path workspace, List<String> keyFiles) {
    requireNonNull(cache, "cache");
    requireNonNull(workspace, "workspace");
    Hasher hasher = Hashing.sha256().newHasher();
    hasher.putString(cache, StandardCharsets.UTF_8).putByte((byte) 0);
    for (String keyFile : keyFiles) {
      hasher.putString(keyFile, StandardCharsets.UTF_8).putByte((byte) 0);
      Path file = workspace.resolve(keyFile);
      if (Files.isRegularFile(file)) {
        hasher.putByte((byte) 1);
        try (InputStream in = Files.newInputStream(file)) {
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
    return new CacheKey(cache, hasher.hash().toString());
  }

  @Override
  public String toString() {
    return cache + "@" + hash.substring(0, 12);
  }
}

package dev.otto.core.engine;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.common.hash.Funnels;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The digest of an artifact's files, {@code sha256:<hex>}, as a {@link Deployment} records it:
 * of every file's, folder's and link's path relative to the artifact, in sorted order, with each
 * file's bytes and each link's target. The same files give the same digest wherever they are
 * stored, so every engine records the same digest for the same artifact.
 *
 * <pre>{@code
 * String digest = ArtifactDigest.of(Path.of("runs/20260101-000000-abcd1234/artifacts/app"));
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ArtifactDigest {
  private ArtifactDigest() {}

  /** The digest of the files in {@code folder}, which holds one artifact's paths as they were in the workspace. */
  public static String of(Path folder) throws IOException {
    Hasher hasher = Hashing.sha256().newHasher();
    try (Stream<Path> walk = Files.walk(folder)) {
      List<Path> paths = walk.filter(path -> !path.equals(folder))
          .sorted(Comparator.comparing(path -> relative(folder, path))).toList();
      for (Path path : paths) {
        String relative = relative(folder, path);
        if (Files.isSymbolicLink(path)) {
          hasher.putString("l " + relative + " -> " + Files.readSymbolicLink(path) + "\n", StandardCharsets.UTF_8);
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          hasher.putString("d " + relative + "\n", StandardCharsets.UTF_8);
        } else {
          hasher.putString("f " + relative + " " + Files.size(path) + "\n", StandardCharsets.UTF_8);
          try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            in.transferTo(Funnels.asOutputStream(hasher));
          }
        }
      }
    }
    return "sha256:" + hasher.hash();
  }

  private static String relative(Path root, Path path) {
    return root.relativize(path).toString().replace(java.io.File.separatorChar, '/');
  }
}

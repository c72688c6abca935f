package dev.otto.core.engine;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.HashCode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.otto.core.cache.CacheKey;
import dev.otto.core.workspace.Confined;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What a host knows of the caches in its workspaces: for a workspace and a cache key, how the
 * cache's paths stood right after a stage saved the key's entry from them or restored it into
 * them. A restore of the same key into the same workspace, with the paths still standing so, has
 * nothing to unpack: the usual case is a build stage that saves its cache and a test stage after
 * it, in the same workspace, that restores it.
 *
 * <p>How the paths stand is every file's, directory's and link's name, each file's size,
 * modification time and executable bit, and each link's target, as {@code make} and {@code git}
 * judge a file unchanged. A file modified within {@link #RACY} of that reading could be modified
 * again without its time changing, on a file system whose clock ticks coarsely; as {@code git}
 * does with such files, its content is read then and compared again later.
 *
 * <p>Bounded: the oldest of more than {@value #HELD} readings fall out, and a restore then
 * unpacks as it would have. Thread-safe.
 */
final class WorkspaceCaches {
  /** How many workspace and key pairs are remembered. */
  static final int HELD = 1024;
  /** How recent a modification must be for its file's content to be read as well as its time. */
  static final Duration RACY = Duration.ofSeconds(2);

  private final Cache<String, Reading> held = CacheBuilder.newBuilder().maximumSize(HELD).build();
  private final Clock clock;

  WorkspaceCaches() {
    this(Clock.systemUTC());
  }

  WorkspaceCaches(Clock clock) {
    this.clock = clock;
  }

  /**
   * How the cache's paths stood when its entry was saved from or restored into the workspace,
   * and how many files they held.
   *
   * @param racy the files modified within {@link #RACY} of the reading, whose content it holds too
   */
  record Reading(HashCode state, List<String> racy, HashCode content, int files) {}

  /** Remembers how {@code paths} stand in {@code workspace}, into which the entry of {@code key} was just restored. */
  void restored(Path workspace, CacheKey key, List<String> paths) throws IOException {
    held.put(id(workspace, key), read(workspace, paths, Optional.empty(), clock.instant()));
  }

  /** How {@code paths} stand in {@code workspace} before a save: what {@link #saved} compares with. */
  Reading beforeSave(Path workspace, List<String> paths) throws IOException {
    return read(workspace, paths, Optional.empty(), clock.instant());
  }

  /**
   * Remembers how {@code paths} stand in {@code workspace}, from which the entry of {@code key}
   * was just saved, when they stood so throughout the save ({@code before}): a file written
   * meanwhile may differ from the entry's.
   */
  void saved(Path workspace, CacheKey key, List<String> paths, Reading before) throws IOException {
    Reading after = read(workspace, paths, Optional.of(before.racy()), Instant.MIN);
    if (after.equals(before)) {
      held.put(id(workspace, key), before);
    } else {
      held.invalidate(id(workspace, key));
    }
  }

  /**
   * How many files {@code paths} hold, when they stand in {@code workspace} as they did when
   * {@link #hold} last saw them hold the entry of {@code key}: a restore has nothing to do.
   * Empty when they may stand otherwise, or nothing was held.
   */
  Optional<Integer> unchanged(Path workspace, CacheKey key, List<String> paths) throws IOException {
    Reading before = held.getIfPresent(id(workspace, key));
    if (before == null) {
      return Optional.empty();
    }
    Reading now = read(workspace, paths, Optional.of(before.racy()), Instant.MIN);
    return now.equals(before) ? Optional.of(now.files()) : Optional.empty();
  }

  private static String id(Path workspace, CacheKey key) {
    return workspace.toAbsolutePath().normalize() + "\u0000" + key.cache() + "\u0000" + key.hash();
  }

  /**
   * Reads how {@code paths} stand: the content of the files {@code racy} names when given, else
   * of those modified less than {@link #RACY} before {@code now}.
   */
  private static Reading read(Path workspace, List<String> paths, Optional<List<String>> racy, Instant now)
      throws IOException {
    Path root = Confined.root(workspace);
    Hasher state = Hashing.sha256().newHasher();
    TreeSet<String> recent = new TreeSet<>();
    int files = 0;
    for (String path : paths) {
      state.putString(path, StandardCharsets.UTF_8).putByte((byte) 0);
      List<Confined.Item> items;
      try {
        items = Confined.items(root, path, new ArrayList<>());
      } catch (NoSuchFileException e) {
        state.putByte((byte) 1);
        continue;
      }
      for (Confined.Item item : items) {
        state.putString(item.name(), StandardCharsets.UTF_8).putByte((byte) 0).putInt(item.kind().ordinal());
        switch (item.kind()) {
          case FILE -> {
            BasicFileAttributes attributes =
                Files.readAttributes(item.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Instant modified = attributes.lastModifiedTime().toInstant();
            state.putLong(attributes.size()).putLong(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS))
                .putBoolean(Files.isExecutable(item.file()));
            if (racy.isEmpty() && !modified.isBefore(now.minus(RACY))) {
              recent.add(item.name());
            }
            files++;
          }
          case LINK -> state.putString(Files.readSymbolicLink(item.file()).toString(), StandardCharsets.UTF_8)
              .putByte((byte) 0);
          case DIRECTORY -> { }
        }
      }
    }
    List<String> contentOf = racy.orElseGet(() -> List.copyOf(recent));
    Hasher content = Hashing.sha256().newHasher();
    for (String name : contentOf) {
      content.putString(name, StandardCharsets.UTF_8).putByte((byte) 0);
      Path file = Confined.place(root, name);
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        content.putByte((byte) 1);
        continue;
      }
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        byte[] buffer = new byte[65536];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          content.putBytes(buffer, 0, n);
        }
      }
      content.putByte((byte) 0);
    }
    return new Reading(state.hash(), contentOf, content.hash(), files);
  }
}

package dev.otto.core.engine;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What a host knows of the caches in its workspaces: for a workspace and a cache key, how the
 * cache's paths stood right after a stage saved the key's entry from them or restored it into
 * them. A restore places each of the entry's files, directories and links, replacing what is at
 * its place, and leaves everything else; so where every item that stood there then stands there
 * still, unchanged, a restore of the same key into the same workspace has nothing to do, whatever
 * was added beside them. The usual cases: a build stage saves its cache and a test stage after
 * it, in the same workspace, restores it; or a build stage restores the cache, its tool adds to
 * it (logs, new downloads), and the test stage restores it again.
 *
 * <p>How an item stands is its name and kind, a file's size, modification time and executable
 * bit, and a link's target, as {@code make} and {@code git} judge a file unchanged. A file
 * modified within {@link #RACY} of the reading could be written again without its time
 * changing, on a file system whose clock ticks coarsely; as {@code git} does with such files,
 * its content is read then and compared again later.
 *
 * <p>Bounded: readings of more than {@value #HELD_ITEMS} items in all fall out, the oldest first,
 * and a restore then unpacks as it would have. Thread-safe.
 */
final class WorkspaceCaches {
  /** How many items of all readings are remembered, at 16 bytes each. */
  static final long HELD_ITEMS = 1L << 20;
  /** How recent a modification must be for its file's content to be read as well as its time. */
  static final Duration RACY = Duration.ofSeconds(2);

  private final Cache<String, Reading> held = CacheBuilder.newBuilder().maximumWeight(HELD_ITEMS)
      .<String, Reading>weigher((id, reading) -> reading.names.length + 1).build();
  private final Clock clock;

  WorkspaceCaches() {
    this(Clock.systemUTC());
  }

  WorkspaceCaches(Clock clock) {
    this.clock = clock;
  }

  /**
   * How a cache's paths stood: each item's name and state as 64-bit hashes, sorted by name, the
   * names of the files whose content the state holds as well, and how many files there were.
   */
  static final class Reading {
    private final long[] names;
    private final long[] states;
    private final Set<String> racy;
    private final int files;
    /** Whether two items of different states had one name hash: such a reading tells nothing. */
    private final boolean ambiguous;

    private Reading(long[] names, long[] states, Set<String> racy, int files, boolean ambiguous) {
      this.names = names;
      this.states = states;
      this.racy = racy;
      this.files = files;
      this.ambiguous = ambiguous;
    }

    private boolean sameAs(Reading other) {
      return !ambiguous && !other.ambiguous && Arrays.equals(names, other.names) && Arrays.equals(states, other.states);
    }
  }

  /** Remembers how {@code paths} stand in {@code workspace}, into which the entry of {@code key} was just restored. */
  void restored(Path workspace, CacheKey key, List<String> paths) throws IOException {
    hold(id(workspace, key), read(workspace, paths, Optional.empty(), clock.instant()));
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
    Reading after = read(workspace, paths, Optional.of(before.racy), Instant.MIN);
    if (after.sameAs(before)) {
      hold(id(workspace, key), before);
    } else {
      held.invalidate(id(workspace, key));
    }
  }

  private void hold(String id, Reading reading) {
    if (reading.ambiguous) {
      held.invalidate(id);
    } else {
      held.put(id, reading);
    }
  }

  /**
   * How many files the entry of {@code key} holds, when every item {@link #restored} or
   * {@link #saved} saw in {@code paths} of {@code workspace} stands there still, unchanged: a
   * restore of the entry has nothing to do. Empty when one may stand otherwise, or nothing was
   * seen.
   */
  Optional<Integer> unchanged(Path workspace, CacheKey key, List<String> paths) throws IOException {
    Reading before = held.getIfPresent(id(workspace, key));
    if (before == null) {
      return Optional.empty();
    }
    Reading now = read(workspace, paths, Optional.of(before.racy), Instant.MIN);
    if (now.ambiguous) {
      return Optional.empty();
    }
    int matched = 0;
    for (int i = 0; i < now.names.length; i++) {
      int at = Arrays.binarySearch(before.names, now.names[i]);
      if (at < 0) {
        continue;
      }
      if (before.states[at] != now.states[i]) {
        return Optional.empty();
      }
      matched++;
    }
    return matched == before.names.length ? Optional.of(before.files) : Optional.empty();
  }

  private static String id(Path workspace, CacheKey key) {
    return workspace.toAbsolutePath().normalize() + "\u0000" + key.cache() + "\u0000" + key.hash();
  }

  /**
   * Reads how {@code paths} stand: with the content of the files {@code racy} names when given,
   * else of those modified less than {@link #RACY} before {@code now}.
   */
  private static Reading read(Path workspace, List<String> paths, Optional<Set<String>> racy, Instant now)
      throws IOException {
    Path root = Confined.root(workspace);
    TreeMap<Long, Long> items = new TreeMap<>();
    Set<String> recent = new TreeSet<>();
    int files = 0;
    boolean clash = false;
    for (String path : paths) {
      List<Confined.Item> found;
      try {
        found = Confined.items(root, path, new ArrayList<>());
      } catch (NoSuchFileException e) {
        continue;
      }
      for (Confined.Item item : found) {
        Hasher state = Hashing.murmur3_128().newHasher().putInt(item.kind().ordinal());
        switch (item.kind()) {
          case FILE -> {
            BasicFileAttributes attributes =
                Files.readAttributes(item.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            state.putLong(attributes.size()).putLong(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS))
                .putBoolean(Files.isExecutable(item.file()));
            boolean readWhole = racy.map(names -> names.contains(item.name()))
                .orElseGet(() -> !attributes.lastModifiedTime().toInstant().isBefore(now.minus(RACY)));
            if (readWhole) {
              recent.add(item.name());
              putContent(state, item.file());
            }
            files++;
          }
          case LINK -> state.putString(Files.readSymbolicLink(item.file()).toString(), StandardCharsets.UTF_8);
          case DIRECTORY -> { }
        }
        long name = Hashing.murmur3_128().hashString(item.name(), StandardCharsets.UTF_8).asLong();
        long read = state.hash().asLong();
        Long earlier = items.put(name, read);
        // The same item twice (paths that overlap) reads the same; two names with one hash cannot be told apart.
        clash |= earlier != null && earlier != read;
      }
    }
    long[] names = new long[items.size()];
    long[] states = new long[names.length];
    int i = 0;
    for (var entry : items.entrySet()) {
      names[i] = entry.getKey();
      states[i++] = entry.getValue();
    }
    return new Reading(names, states, racy.orElse(recent), files, clash);
  }

  private static void putContent(Hasher state, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[65536];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        state.putBytes(buffer, 0, n);
      }
    }
  }
}

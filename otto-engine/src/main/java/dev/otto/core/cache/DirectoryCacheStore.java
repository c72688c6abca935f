package dev.otto.core.cache;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.Hashing;
import com.google.common.hash.HashingInputStream;
import com.google.common.hash.HashingOutputStream;
import com.google.common.io.ByteStreams;
import dev.otto.core.validate.Names;
import dev.otto.core.workspace.Confined;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps cache entries as gzip-compressed tar archives in a directory, which may be shared by
 * several engines on one machine or on a shared file system.
 *
 * <p>Layout: {@code ROOT/CACHE/HASH-SHA.tar.gz} holds an entry and {@code ROOT/CACHE/HASH.entry}
 * names the archive's SHA-256. An archive is written to a temporary file, synced, and renamed
 * into place; the entry file is written the same way afterwards, so a reader sees a complete
 * entry or none. On restore the archive's checksum is verified first: a truncated or damaged
 * entry is removed and counts as a miss, with a warning.
 *
 * <p>No link is ever followed out of the workspace. A save keeps links as links, and leaves out,
 * with a warning, a link that leads out of the workspace; a cache path that leads out through a
 * link fails the save. A restore unpacks the archive into a temporary folder inside the
 * workspace, following each entry's path on the file system as it is being built: an entry that
 * would land outside, or a link that leads out once every entry is in, makes the archive
 * damaged, and nothing of it reaches the workspace. The entries are then moved into place, but
 * never through a link of the workspace that leads out of it.
 *
 * <p>Two runs saving one key at once both succeed; the entry file then names whichever archive
 * was renamed last, and both archives are complete.
 *
 * <p>Fallback keys: {@code ROOT/CACHE/PREFIX.fallback/HASH} is an empty file, written after the
 * entry it names (to a temporary file, renamed into place), whose modification time is when the
 * entry was saved. The newest entry of a prefix is found by listing that one folder, which
 * holds one file per entry saved under the prefix: the latest time wins, and of equal times
 * (two saves in one clock tick, or a file system with coarse times) the greatest hash, so that
 * every engine sharing the store picks the same entry. A file whose entry is gone, or damaged,
 * is removed and the next newest is tried.
 */
public final class DirectoryCacheStore implements CacheStore {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryCacheStore.class);

  private final Path root;
  private final Clock clock;

  public DirectoryCacheStore(Path root) {
    this(root, Clock.systemUTC());
  }

  /**
   * A store whose entries are filed under their fallback keys at {@code clock}'s time, which
   * decides which entry is the newest: for tests, and for hosts that keep their own time.
   */
  public DirectoryCacheStore(Path root, Clock clock) {
    this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
    this.clock = requireNonNull(clock, "clock");
  }

  public Path root() {
    return root;
  }

  private Path directory(String cache) {
    Path dir = root.resolve(cache).normalize();
    if (!root.equals(dir.getParent())) {
      throw new IllegalArgumentException("the cache name '" + cache + "' is not a plain directory name");
    }
    return dir;
  }

  @Override
  public CacheResult save(CacheKey key, Path workspace, List<String> paths) {
    return save(key, List.of(), workspace, paths);
  }

  @Override
  public CacheResult save(CacheKey key, List<CacheKey.Prefix> prefixes, Path workspace, List<String> paths) {
    requireNonNull(key, "key");
    requireNonNull(workspace, "workspace");
    requireNonNull(paths, "paths");
    for (CacheKey.Prefix prefix : prefixes) {
      if (!prefix.cache().equals(key.cache())) {
        throw new IllegalArgumentException("the entry of " + key + " cannot be filed under " + prefix
            + ", a fallback key of another cache");
      }
    }
    Path dir = directory(key.cache());
    Path entry = dir.resolve(key.hash() + ".entry");
    if (Files.exists(entry)) {
      return new CacheResult(CacheResult.Status.ALREADY_SAVED, "cache " + key + " is already saved; it stays as it is"
          + file(dir, key, prefixes, false));
    }
    Path temporary = null;
    try {
      Path base = Confined.root(workspace);
      Files.createDirectories(dir);
      temporary = Files.createTempFile(dir, ".saving-", ".tar.gz");
      int[] counts = new int[1];
      List<String> missing = new ArrayList<>();
      String sha;
      try (HashingOutputStream hashing = new HashingOutputStream(Hashing.sha256(),
              new BufferedOutputStream(Files.newOutputStream(temporary), 65536));
          TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(hashing, 65536))) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (String path : paths) {
          add(tar, base, path, counts, missing);
        }
        tar.finish();
        tar.flush();
        tar.close();
        sha = hashing.hash().toString();
      }
      if (Files.exists(entry)) {
        // Another run saved the same key while this one archived: its entry stands, and this archive would only
        // take the disk.
        return new CacheResult(CacheResult.Status.ALREADY_SAVED, "cache " + key + " was saved by another run "
            + "meanwhile; it stays as that run saved it" + file(dir, key, prefixes, false));
      }
      sync(temporary);
      Path archive = dir.resolve(key.hash() + "-" + sha + ".tar.gz");
      Files.move(temporary, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temporary = Files.createTempFile(dir, ".entry-", ".tmp");
      Files.writeString(temporary, sha + "\n", StandardCharsets.UTF_8);
      sync(temporary);
      if (!publish(temporary, entry)) {
        // Another run's entry came first and stands: this archive goes, unless it is that entry's too.
        if (!Files.readString(entry, StandardCharsets.UTF_8).strip().equals(sha)) {
          deleteQuietly(archive);
        }
        return new CacheResult(CacheResult.Status.ALREADY_SAVED, "cache " + key + " was saved by another run "
            + "meanwhile; it stays as that run saved it" + file(dir, key, prefixes, false));
      }
      temporary = null;
      return new CacheResult(CacheResult.Status.SAVED, "saved cache " + key + ": " + counts[0]
          + (counts[0] == 1 ? " file" : " files") + (missing.isEmpty() ? "" : "; " + missing.size()
              + (missing.size() == 1 ? " path" : " paths") + " not in the workspace: " + String.join(", ", missing))
          + file(dir, key, prefixes, true));
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      LOG.warn("could not save cache {}: {}", key, e.getMessage());
      return new CacheResult(CacheResult.Status.FAILED, "could not save cache " + key + ": " + e.getMessage()
          + "; the run goes on without it");
    } finally {
      deleteQuietly(temporary);
    }
  }

  /**
   * Puts {@code temporary} in place as {@code entry} unless an entry is there already, at once:
   * a hard link, which fails when the name is taken; where the file system has none, a rename,
   * which may replace an entry written in the same instant. Returns whether this one is in place.
   */
  private static boolean publish(Path temporary, Path entry) throws IOException {
    try {
      Files.createLink(entry, temporary);
      Files.delete(temporary);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException taken) {
      return false;
    } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
      Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return true;
    }
  }

  /**
   * Files the entry of {@code key} under each of {@code prefixes}, as saved now; an entry filed
   * already keeps its time unless {@code again}. Returns what went wrong, for the result's
   * detail: a save that could not be filed is still a save.
   */
  private String file(Path dir, CacheKey key, List<CacheKey.Prefix> prefixes, boolean again) {
    for (CacheKey.Prefix prefix : prefixes) {
      Path folder = dir.resolve(prefix.hash() + ".fallback");
      Path filed = folder.resolve(key.hash());
      if (!again && Files.exists(filed, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Path temporary = null;
      try {
        Files.createDirectories(folder);
        temporary = Files.createTempFile(folder, ".filing-", ".tmp");
        Files.setLastModifiedTime(temporary, FileTime.from(clock.instant()));
        Files.move(temporary, filed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        temporary = null;
      } catch (IOException e) {
        LOG.warn("could not file cache {} under its fallback key {}: {}", key, prefix, e.getMessage());
        return "; it could not be filed under its fallback key " + prefix + " (" + e.getMessage() + ")";
      } finally {
        deleteQuietly(temporary);
      }
    }
    return "";
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.debug("could not remove {}", file);
      }
    }
  }

  /** Adds the items under {@code path} to {@code tar}, counting its files; a path not in the workspace goes to {@code missing}. */
  private static void add(TarArchiveOutputStream tar, Path base, String path, int[] counts, List<String> missing)
      throws IOException {
    List<Confined.Item> items;
    List<String> leftOut = new ArrayList<>();
    try {
      items = Confined.items(base, path, leftOut);
    } catch (NoSuchFileException e) {
      missing.add(path);
      return;
    } catch (Confined.LeavesRootException e) {
      throw new IOException("the cache path " + e.describe("the workspace"));
    }
    for (String link : leftOut) {
      LOG.warn("not caching the link {}: it leads out of the workspace", link);
    }
    for (Confined.Item item : items) {
      Path file = item.file();
      if (item.kind() == Confined.Kind.LINK) {
        TarArchiveEntry link = new TarArchiveEntry(item.name(), TarArchiveEntry.LF_SYMLINK);
        link.setLinkName(Files.readSymbolicLink(file).toString().replace('\\', '/'));
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
      } else if (item.kind() == Confined.Kind.DIRECTORY) {
        tar.putArchiveEntry(new TarArchiveEntry(file, item.name() + "/", LinkOption.NOFOLLOW_LINKS));
        tar.closeArchiveEntry();
      } else {
        TarArchiveEntry entry = new TarArchiveEntry(file, item.name(), LinkOption.NOFOLLOW_LINKS);
        entry.setMode(mode(file));
        tar.putArchiveEntry(entry);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
          in.transferTo(tar);
        }
        tar.closeArchiveEntry();
        counts[0]++;
      }
    }
  }

  private static int mode(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      return 0100000 | (permissions.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644);
    } catch (UnsupportedOperationException | IOException e) {
      return 0100644;
    }
  }

  private static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  @Override
  public CacheResult restore(CacheKey key, Path workspace) {
    requireNonNull(key, "key");
    requireNonNull(workspace, "workspace");
    Path dir;
    try {
      dir = directory(key.cache());
    } catch (IllegalArgumentException e) {
      return new CacheResult(CacheResult.Status.FAILED, e.getMessage());
    }
    return restore(dir, key, workspace, CacheResult.Status.HIT, "cache " + key);
  }

  @Override
  public CacheResult restoreNewest(CacheKey.Prefix prefix, Path workspace) {
    requireNonNull(prefix, "prefix");
    requireNonNull(workspace, "workspace");
    Path dir;
    try {
      dir = directory(prefix.cache());
    } catch (IllegalArgumentException e) {
      return new CacheResult(CacheResult.Status.FAILED, e.getMessage());
    }
    Path folder = dir.resolve(prefix.hash() + ".fallback");
    List<Filed> newestFirst;
    try {
      newestFirst = filed(folder);
    } catch (IOException e) {
      LOG.warn("could not look up the fallback key {}: {}", prefix, e.getMessage());
      return new CacheResult(CacheResult.Status.FAILED, "could not look up the fallback key " + prefix + ": "
          + e.getMessage() + "; the run goes on without it");
    }
    for (Filed candidate : newestFirst) {
      CacheKey key = new CacheKey(prefix.cache(), candidate.hash());
      CacheResult done = restore(dir, key, workspace, CacheResult.Status.FALLBACK_HIT, "cache " + key
          + " (the newest entry under " + prefix + ")");
      if (done.status() != CacheResult.Status.MISS && done.status() != CacheResult.Status.CORRUPT) {
        return done;
      }
      deleteQuietly(folder.resolve(candidate.hash()));
    }
    return new CacheResult(CacheResult.Status.MISS, "the fallback key " + prefix + " has no entry yet");
  }

  /** An entry filed under a fallback key, and when. */
  private record Filed(String hash, FileTime at) {}

  /** The entries filed in {@code folder}, newest first; of equal times, the greatest hash first. */
  private static List<Filed> filed(Path folder) throws IOException {
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<Filed> filed = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.matches("[0-9a-f]{64}")) {
          try {
            filed.add(new Filed(name, Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS)));
          } catch (NoSuchFileException e) {
            LOG.debug("{} was removed while the fallback key was looked up", file);
          }
        }
      }
    }
    filed.sort(Comparator.comparing(Filed::at).thenComparing(Filed::hash).reversed());
    return filed;
  }

  /** Restores the entry of {@code key}, reported as {@code hit} of {@code what} when it is there. */
  private CacheResult restore(Path dir, CacheKey key, Path workspace, CacheResult.Status hit, String what) {
    Path entry = dir.resolve(key.hash() + ".entry");
    if (!Files.exists(entry)) {
      return new CacheResult(CacheResult.Status.MISS, "cache " + key + " has no entry yet: no earlier run saved "
          + "these paths with key files of the same content");
    }
    Path archive = null;
    try {
      String sha = Files.readString(entry, StandardCharsets.UTF_8).strip();
      if (!sha.matches("[0-9a-f]{64}")) {
        return corrupt(key, entry, null, "its entry file does not name an archive");
      }
      archive = dir.resolve(key.hash() + "-" + sha + ".tar.gz");
      if (!Files.isRegularFile(archive)) {
        return corrupt(key, entry, null, "its archive is missing");
      }
      String actual;
      try (HashingInputStream in = new HashingInputStream(Hashing.sha256(), Files.newInputStream(archive))) {
        ByteStreams.exhaust(in);
        actual = in.hash().toString();
      }
      if (!actual.equals(sha)) {
        return corrupt(key, entry, archive, "its archive does not match its checksum (truncated or damaged)");
      }
      int files = extract(archive, workspace);
      return new CacheResult(hit, "restored " + what + ": " + files + " files from a "
          + String.format(java.util.Locale.ROOT, "%.1f MiB", Files.size(archive) / 1048576.0) + " archive");
    } catch (UnsafeEntryException e) {
      return corrupt(key, entry, archive, e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not restore cache {}: {}", key, e.getMessage());
      return new CacheResult(CacheResult.Status.FAILED, "could not restore cache " + key + ": " + e.getMessage()
          + "; the run goes on without it");
    }
  }

  private CacheResult corrupt(CacheKey key, Path entry, Path archive, String why) {
    LOG.warn("cache {} is damaged and is removed: {}", key, why);
    try {
      Files.deleteIfExists(entry);
      if (archive != null) {
        Files.deleteIfExists(archive);
      }
    } catch (IOException e) {
      LOG.debug("could not remove the damaged cache {}", key);
    }
    return new CacheResult(CacheResult.Status.CORRUPT, "cache " + key + " was damaged (" + why
        + "); it was removed and counts as a miss");
  }

  /**
   * Unpacks {@code archive} into a temporary folder of the workspace and, when every entry is
   * good, moves the entries into place; returns the number of files.
   */
  private static int extract(Path archive, Path workspace) throws IOException {
    Path base = Confined.root(workspace);
    Path unpacked = Files.createTempDirectory(base, ".otto-restore-");
    try {
      unpack(archive, unpacked);
      List<String> leftOut = new ArrayList<>();
      List<Confined.Item> items = Confined.items(unpacked, "", leftOut);
      if (!leftOut.isEmpty()) {
        throw new UnsafeEntryException("the archive's link '" + leftOut.get(0) + "' leads out of the workspace");
      }
      return Confined.place(items, base, true);
    } catch (Confined.LeavesRootException e) {
      throw new IOException(e.describe("the workspace"), e);
    } finally {
      Confined.delete(unpacked);
    }
  }

  /**
   * Writes the entries of {@code archive} under {@code root}, each one's path followed on the
   * file system as it stands after the entries before it. Any entry that does not fit makes the
   * archive unsafe.
   */
  private static void unpack(Path archive, Path root) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 65536), 65536))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        String name = entry.getName();
        if (name.startsWith("/") || Arrays.asList(name.split("/")).contains("..")) {
          throw new UnsafeEntryException("the archive holds '" + Names.printable(name) + "', outside the workspace");
        }
        try {
          if (entry.isDirectory()) {
            Files.createDirectories(Confined.resolve(root, name));
          } else if (entry.isSymbolicLink()) {
            link(root, name, entry.getLinkName());
          } else if (entry.getLinkFlag() == TarArchiveEntry.LF_NORMAL
              || entry.getLinkFlag() == TarArchiveEntry.LF_OLDNORM) {
            file(tar, root, entry);
          } else {
            throw new UnsafeEntryException("the archive holds '" + Names.printable(name)
                + "', which is neither a file, a directory nor a link");
          }
        } catch (Confined.LeavesRootException e) {
          throw new UnsafeEntryException("the archive holds " + e.describe("the workspace"));
        } catch (FileAlreadyExistsException e) {
          throw new UnsafeEntryException("the archive holds '" + Names.printable(name) + "' both as a file and as a directory");
        }
      }
    }
  }

  private static void link(Path root, String name, String target) throws IOException {
    Path link = Path.of(target);
    if (!Confined.staysInside(root, name, link)) {
      throw new UnsafeEntryException("the archive's link '" + Names.printable(name) + "' leads out of the workspace");
    }
    Path place = replaceable(root, name);
    Files.createSymbolicLink(place, link);
  }

  private static void file(TarArchiveInputStream tar, Path root, TarArchiveEntry entry) throws IOException {
    Path place = replaceable(root, entry.getName());
    try (OutputStream out = Files.newOutputStream(place, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      tar.transferTo(out);
    }
    if ((entry.getMode() & 0100) != 0) {
      place.toFile().setExecutable(true, false);
    }
    Files.setLastModifiedTime(place, FileTime.from(entry.getModTime().toInstant()));
  }

  /** Where the file or link {@code name} goes, with whatever file or link was there removed. */
  private static Path replaceable(Path root, String name) throws IOException {
    Path place = Confined.place(root, name);
    Files.createDirectories(place.getParent());
    if (Files.isDirectory(place, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(name);
    }
    Files.deleteIfExists(place);
    return place;
  }

  /** An archive entry that would be written outside the workspace. */
  private static final class UnsafeEntryException extends IOException {
    private static final long serialVersionUID = 1L;

    UnsafeEntryException(String message) {
      super(message);
    }
  }
}

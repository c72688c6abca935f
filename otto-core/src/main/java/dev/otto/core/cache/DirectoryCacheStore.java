package dev.otto.core.cache;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.Hashing;
import com.google.common.hash.HashingInputStream;
import com.google.common.hash.HashingOutputStream;
import com.google.common.io.ByteStreams;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
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
 * entry is removed and counts as a miss, with a warning. Archive entries that would land
 * outside the workspace are refused.
 *
 * <p>Two runs saving one key at once both succeed; the entry file then names whichever archive
 * was renamed last, and both archives are complete.
 */
public final class DirectoryCacheStore implements CacheStore {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryCacheStore.class);

  private final Path root;

  public DirectoryCacheStore(Path root) {
    this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  private Path directory(CacheKey key) {
    Path dir = root.resolve(key.cache()).normalize();
    if (!root.equals(dir.getParent())) {
      throw new IllegalArgumentException("the cache name '" + key.cache() + "' is not a plain directory name");
    }
    return dir;
  }

  @Override
  public CacheResult save(CacheKey key, Path workspace, List<String> paths) {
    requireNonNull(key, "key");
    Path base = requireNonNull(workspace, "workspace").toAbsolutePath().normalize();
    requireNonNull(paths, "paths");
    Path dir = directory(key);
    Path entry = dir.resolve(key.hash() + ".entry");
    if (Files.exists(entry)) {
      return new CacheResult(CacheResult.Status.ALREADY_SAVED, "cache " + key + " is already saved; it stays as it is");
    }
    Path temporary = null;
    try {
      Files.createDirectories(dir);
      temporary = Files.createTempFile(dir, ".saving-", ".tar.gz");
      int[] counts = new int[2];
      String sha;
      try (HashingOutputStream hashing = new HashingOutputStream(Hashing.sha256(),
              new BufferedOutputStream(Files.newOutputStream(temporary), 65536));
          TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(hashing, 65536))) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (String path : paths) {
          add(tar, base, path, counts);
        }
        tar.finish();
        tar.flush();
        tar.close();
        sha = hashing.hash().toString();
      }
      sync(temporary);
      Path archive = dir.resolve(key.hash() + "-" + sha + ".tar.gz");
      Files.move(temporary, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temporary = Files.createTempFile(dir, ".entry-", ".tmp");
      Files.writeString(temporary, sha + "\n", StandardCharsets.UTF_8);
      sync(temporary);
      Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temporary = null;
      return new CacheResult(CacheResult.Status.SAVED, "saved cache " + key + ": " + counts[0] + " files"
          + (counts[1] > 0 ? ", " + counts[1] + " paths missing" : ""));
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      LOG.warn("could not save cache {}: {}", key, e.getMessage());
      return new CacheResult(CacheResult.Status.FAILED, "could not save cache " + key + ": " + e.getMessage()
          + "; the run goes on without it");
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException e) {
          LOG.debug("could not remove {}", temporary);
        }
      }
    }
  }

  private static void add(TarArchiveOutputStream tar, Path base, String path, int[] counts) throws IOException {
    Path start = base.resolve(path).normalize();
    if (!start.startsWith(base)) {
      throw new IllegalArgumentException("the cache path '" + path + "' is outside the workspace");
    }
    if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
      counts[1]++;
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(start)) {
      walk.forEach(all::add);
    }
    all.sort(null);
    for (Path file : all) {
      String name = base.relativize(file).toString().replace('\\', '/');
      if (Files.isSymbolicLink(file)) {
        Path target = Files.readSymbolicLink(file);
        if (target.isAbsolute() || !file.getParent().resolve(target).normalize().startsWith(base)) {
          LOG.warn("not caching the link {}: it points outside the workspace", name);
          continue;
        }
        TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        link.setLinkName(target.toString().replace('\\', '/'));
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
      } else if (Files.isDirectory(file)) {
        TarArchiveEntry dir = new TarArchiveEntry(file.toFile(), name + "/");
        tar.putArchiveEntry(dir);
        tar.closeArchiveEntry();
      } else if (Files.isRegularFile(file)) {
        TarArchiveEntry entry = new TarArchiveEntry(file.toFile(), name);
        entry.setMode(mode(file));
        tar.putArchiveEntry(entry);
        try (InputStream in = Files.newInputStream(file)) {
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
    Path base = requireNonNull(workspace, "workspace").toAbsolutePath().normalize();
    Path dir;
    try {
      dir = directory(key);
    } catch (IllegalArgumentException e) {
      return new CacheResult(CacheResult.Status.FAILED, e.getMessage());
    }
    Path entry = dir.resolve(key.hash() + ".entry");
    if (!Files.exists(entry)) {
      return new CacheResult(CacheResult.Status.MISS, "cache " + key + " has no entry yet");
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
      int files = extract(archive, base);
      return new CacheResult(CacheResult.Status.HIT, "restored cache " + key + ": " + files + " files");
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

  private static int extract(Path archive, Path base) throws IOException {
    int files = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 65536), 65536))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        Path target = base.resolve(entry.getName()).normalize();
        if (!target.startsWith(base) || target.equals(base) && !entry.isDirectory()) {
          throw new UnsafeEntryException("the archive holds '" + entry.getName() + "', outside the workspace");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isSymbolicLink()) {
          Path link = Path.of(entry.getLinkName());
          if (link.isAbsolute() || !target.getParent().resolve(link).normalize().startsWith(base)) {
            throw new UnsafeEntryException("the archive holds a link '" + entry.getName() + "' out of the workspace");
          }
          Files.createDirectories(target.getParent());
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, link);
        } else if (entry.isFile()) {
          Files.createDirectories(target.getParent());
          if (Files.isSymbolicLink(target)) {
            Files.delete(target);
          }
          try (OutputStream out = Files.newOutputStream(target)) {
            tar.transferTo(out);
          }
          if ((entry.getMode() & 0100) != 0) {
            target.toFile().setExecutable(true, false);
          }
          Files.setLastModifiedTime(target, FileTime.from(entry.getModTime().toInstant()));
          files++;
        }
      }
    } catch (FileAlreadyExistsException e) {
      throw new IOException("could not replace " + e.getFile(), e);
    }
    return files;
  }

  /** An archive entry that would be written outside the workspace. */
  private static final class UnsafeEntryException extends IOException {
    private static final long serialVersionUID = 1L;

    UnsafeEntryException(String message) {
      super(message);
    }
  }
}

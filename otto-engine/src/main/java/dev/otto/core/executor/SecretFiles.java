package dev.otto.core.executor;

import dev.otto.core.secret.SecretValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Secret values delivered as files: private files (0600) in a private directory (0700), removed after. */
final class SecretFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);
  private final Path parent;
  private Path directory;
  private final boolean keptElsewhere;
  private final List<Path> written = new ArrayList<>();

  private SecretFiles(Path parent, Path directory) {
    this.parent = parent;
    this.directory = directory;
    this.keptElsewhere = directory != null;
  }

  /** Files in a new directory of the system's temporary folder, created on the first write and removed with them. */
  SecretFiles() {
    this(null, null);
  }

  /** Files in a new directory of {@code parent}, e.g. a folder a sandbox shows its steps, removed with them. */
  static SecretFiles under(Path parent) {
    return new SecretFiles(parent, null);
  }

  /** Files in {@code directory}, a private directory someone else keeps (a stage's, mounted in its container). */
  static SecretFiles keptIn(Path directory) {
    return new SecretFiles(null, directory);
  }

  /** A new private directory (0700) for files of secrets, in {@code parent} or, when null, the temporary folder. */
  static Path privateDirectory(Path parent) throws IOException {
    var privateDirectory = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    return parent == null ? Files.createTempDirectory("otto-secrets-", privateDirectory)
        : Files.createTempDirectory(parent, "otto-secrets-", privateDirectory);
  }

  /** Writes {@code value} to a new private file and returns its path. */
  Path write(SecretValue value) throws IOException {
    if (directory == null) {
      directory = privateDirectory(parent);
    }
    Path file = Files.createTempFile(directory, "secret-", "",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    written.add(file);
    Files.writeString(file, value.reveal(), StandardCharsets.UTF_8);
    return file;
  }

  /** The directory holding the files, or null when none was written. */
  Path directory() {
    return directory;
  }

  /** Removes the files written, and the directory unless someone else keeps it. */
  void delete() {
    try {
      for (Path file : written) {
        Files.deleteIfExists(file);
      }
      written.clear();
      if (directory != null && !keptElsewhere) {
        Files.deleteIfExists(directory);
      }
    } catch (IOException e) {
      LOG.warn("could not remove the secret files in {}: {}", directory, e.getMessage());
    }
  }
}

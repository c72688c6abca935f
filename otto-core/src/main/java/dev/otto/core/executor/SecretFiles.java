package dev.otto.core.executor;

import dev.otto.core.secret.SecretValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Secret values delivered as files: one private directory (0700) of private files (0600), removed after. */
final class SecretFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);
  private final Path parent;
  private Path directory;

  /** Files in a new directory of the system's temporary folder. */
  SecretFiles() {
    this(null);
  }

  /** Files in a new directory of {@code parent}, e.g. a folder a sandbox shows its steps; null for the temporary folder. */
  SecretFiles(Path parent) {
    this.parent = parent;
  }

  /** Writes {@code value} to a new private file and returns its path. */
  Path write(SecretValue value) throws IOException {
    if (directory == null) {
      var privateDirectory = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
      directory = parent == null ? Files.createTempDirectory("otto-secrets-", privateDirectory)
          : Files.createTempDirectory(parent, "otto-secrets-", privateDirectory);
    }
    Path file = Files.createTempFile(directory, "secret-", "",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, value.reveal(), StandardCharsets.UTF_8);
    return file;
  }

  /** The directory holding the files, or null when none was written. */
  Path directory() {
    return directory;
  }

  void delete() {
    if (directory == null) {
      return;
    }
    try (var files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      LOG.warn("could not remove the secret files in {}: {}", directory, e.getMessage());
    }
  }
}

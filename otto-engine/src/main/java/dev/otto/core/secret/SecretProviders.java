package dev.otto.core.secret;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The secret providers Otto ships. */
public final class SecretProviders {
  private static final Logger LOG = LoggerFactory.getLogger(SecretProviders.class);
  private static final int MAX_VALUE_BYTES = 1 << 20;

  private SecretProviders() {}

  /** Values held in memory, for tests and for hosts that fetch secrets themselves. */
  public static SecretProvider inMemory(Map<String, String> values) {
    Map<String, String> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(requireNonNull(k, "secret name"), requireNonNull(v, "value of secret " + k)));
    return new Looked(name -> copy.containsKey(name) ? SecretMasker.tooShort(name, copy.get(name))
        : Optional.of("the secret '" + name + "' is not among the " + copy.size()
            + " secrets given to the in-memory provider " + copy.keySet()),
        name -> SecretValue.of(name, copy.get(name)));
  }

  /**
   * A provider that can tell, without reading a value, whether it has a secret: {@code missing}
   * says why not, and {@code read} reads the value of one it has.
   */
  private record Looked(java.util.function.Function<String, Optional<String>> missing,
      java.util.function.Function<String, SecretValue> read) implements SecretProvider {
    @Override
    public SecretValue resolve(String name) {
      requireNonNull(name, "name");
      Optional<String> why = missing.apply(name);
      if (why.isPresent()) {
        throw new SecretResolutionException(name, why.get());
      }
      return read.apply(name);
    }

    @Override
    public Optional<String> whyNot(String name) {
      return missing.apply(requireNonNull(name, "name"));
    }
  }

  /**
   * Values from environment variables: the secret {@code heroku-api-key} is read from
   * {@code HEROKU_API_KEY} (letters upper-cased, other characters turned into {@code _}).
   *
   * @param environment the variables to read, usually {@code System.getenv()}
   */
  public static SecretProvider environment(Map<String, String> environment) {
    return environment(environment, "");
  }

  /** As {@link #environment(Map)}, with {@code prefix} before every variable name, e.g. {@code OTTO_SECRET_}. */
  public static SecretProvider environment(Map<String, String> environment, String prefix) {
    Map<String, String> variables = Map.copyOf(requireNonNull(environment, "environment"));
    requireNonNull(prefix, "prefix");
    return new Looked(name -> variables.containsKey(prefix + variableName(name))
        ? SecretMasker.tooShort(name, variables.get(prefix + variableName(name)))
        : Optional.of("the secret '" + name + "' is read from the environment variable $" + prefix
            + variableName(name) + ", which is not set; set it in the environment that starts the engine"),
        name -> SecretValue.of(name, variables.get(prefix + variableName(name))));
  }

  /** The environment variable a secret is read from: {@code heroku-api-key} becomes {@code HEROKU_API_KEY}. */
  public static String variableName(String secret) {
    StringBuilder out = new StringBuilder(secret.length());
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      out.append(c < 128 && Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
    }
    return out.toString();
  }

  /**
   * Values from files in {@code directory}, one file a secret, named like the secret, as
   * container platforms mount them. A single trailing line end is not part of the value. A file
   * others may read is used, with a warning.
   */
  public static SecretProvider directory(Path directory) {
    Path root = requireNonNull(directory, "directory").toAbsolutePath().normalize();
    SecretProvider files = name -> {
      requireNonNull(name, "name");
      Path file = root.resolve(name).normalize();
      if (!file.getParent().equals(root) || name.startsWith(".")) {
        throw new SecretResolutionException(name, "the secret name '" + name + "' does not name a file directly in "
            + root + "; secret names are plain file names");
      }
      try {
        if (Files.isSymbolicLink(file) && !Files.exists(file)) {
          throw new NoSuchFileException(file.toString());
        }
        if (Files.size(file) > MAX_VALUE_BYTES) {
          throw new SecretResolutionException(name, "the file " + file + " of secret '" + name + "' is larger than "
              + MAX_VALUE_BYTES + " bytes, which is not a secret value");
        }
        warnIfOpen(name, file);
        return SecretValue.of(name, withoutTrailingLineEnd(Files.readString(file, StandardCharsets.UTF_8)));
      } catch (NoSuchFileException e) {
        throw new SecretResolutionException(name, "the secret '" + name + "' has no file " + file
            + (Files.isDirectory(root) ? "" : " (the folder " + root + " does not exist)") + "; put its value in that file",
            e);
      } catch (IOException e) {
        throw new SecretResolutionException(name, "the file " + file + " of secret '" + name + "' could not be read: "
            + e.getClass().getSimpleName(), e);
      }
    };
    return new SecretProvider() {
      @Override
      public SecretValue resolve(String name) {
        return files.resolve(name);
      }

      @Override
      public Optional<String> whyNot(String name) {
        Path file = root.resolve(requireNonNull(name, "name")).normalize();
        if (!file.getParent().equals(root) || name.startsWith(".")) {
          return Optional.of("the secret name '" + name + "' does not name a file directly in " + root
              + "; secret names are plain file names");
        }
        if (!Files.exists(file)) {
          return Optional.of("the secret '" + name + "' has no file " + file
              + (Files.isDirectory(root) ? "" : " (the folder " + root + " does not exist)")
              + "; put its value in that file");
        }
        try {
          // A value too short to mask is refused here, before the run, as the masker would refuse it at its step; a
          // file that is not a regular one (a pipe a helper writes when read) is left for the step to read.
          return !Files.isRegularFile(file) || Files.size(file) > MAX_VALUE_BYTES ? Optional.empty()
              : SecretMasker.tooShort(name, withoutTrailingLineEnd(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
          return Optional.empty();
        }
      }
    };
  }

  private static void warnIfOpen(String name, Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
        LOG.warn("the file {} of secret '{}' can be read by every user of this machine; make it 0600", file, name);
      }
    } catch (UnsupportedOperationException | IOException e) {
      LOG.debug("could not read the permissions of {}", file);
    }
  }

  /**
   * Values printed by a helper command, as git credential helpers do: the command runs with the
   * secret's name as its last argument and prints the value on standard output. The name, never
   * a value, is on its command line. A helper that fails, prints nothing, or runs past
   * {@code timeout} is an error; what it printed is not repeated, as it may hold the value.
   *
   * @param command the helper and its first arguments, e.g. {@code ["vault-get", "--field=value"]}
   */
  public static SecretProvider command(List<String> command, Duration timeout) {
    List<String> base = List.copyOf(requireNonNull(command, "command"));
    if (base.isEmpty()) {
      throw new IllegalArgumentException("the secret helper command is empty; give the program to run");
    }
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the secret helper timeout must be positive, not " + timeout);
    }
    return name -> runHelper(base, requireNonNull(name, "name"), timeout);
  }

  private static SecretValue runHelper(List<String> base, String name, Duration timeout) {
    List<String> argv = new ArrayList<>(base);
    argv.add(name);
    String helper = base.get(0);
    Process process;
    try {
      process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      throw new SecretResolutionException(name, "the secret helper '" + helper + "' for secret '" + name
          + "' could not be started: " + e.getMessage(), e);
    }
    try {
      process.getOutputStream().close();
      java.util.concurrent.FutureTask<byte[]> reading = new java.util.concurrent.FutureTask<>(() -> {
        try (InputStream in = process.getInputStream()) {
          return in.readNBytes(MAX_VALUE_BYTES + 1);
        }
      });
      Thread reader = new Thread(reading, "otto-secret-helper-" + name);
      reader.setDaemon(true);
      reader.start();
      byte[] output;
      try {
        output = reading.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
          throw new java.util.concurrent.TimeoutException();
        }
      } catch (java.util.concurrent.TimeoutException e) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new SecretResolutionException(name, "the secret helper '" + helper + "' for secret '" + name
            + "' ran longer than " + timeout + " and was stopped");
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException(e.getCause());
      }
      if (process.exitValue() != 0) {
        throw new SecretResolutionException(name, "the secret helper '" + helper + "' for secret '" + name
            + "' exited with status " + process.exitValue() + "; run it by hand to see why");
      }
      if (output.length > MAX_VALUE_BYTES) {
        throw new SecretResolutionException(name, "the secret helper '" + helper + "' for secret '" + name
            + "' printed more than " + MAX_VALUE_BYTES + " bytes");
      }
      String value = withoutTrailingLineEnd(new String(output, StandardCharsets.UTF_8));
      if (value.isEmpty()) {
        throw new SecretResolutionException(name, "the secret helper '" + helper + "' for secret '" + name
            + "' printed nothing");
      }
      return SecretValue.of(name, value);
    } catch (IOException e) {
      process.destroyForcibly();
      throw new SecretResolutionException(name, "could not read the output of the secret helper '" + helper
          + "' for secret '" + name + "': " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SecretResolutionException(name, "interrupted while the secret helper '" + helper + "' for secret '"
          + name + "' ran", e);
    }
  }

  private static String withoutTrailingLineEnd(String value) {
    if (value.endsWith("\r\n")) {
      return value.substring(0, value.length() - 2);
    }
    if (value.endsWith("\n")) {
      return value.substring(0, value.length() - 1);
    }
    return value;
  }
}

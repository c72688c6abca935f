package dev.otto.conventions;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of the repository a convention looks at: what files it holds, read-only. Paths are
 * relative to the repository's root, with {@code /} between names; the root is {@code ""}.
 */
public final class Folder {
  /** Folders no convention looks into: tools' output and dependencies, and hidden folders. */
  static final Set<String> SKIPPED = Set.of("node_modules", "target", "build", "dist", "vendor", "out", "bin",
      "obj", "__pycache__", "venv");

  private final Path repository;
  private final String path;

  Folder(Path repository, String path) {
    this.repository = repository;
    this.path = path;
  }

  /** The folder's path from the repository's root; {@code ""} for the root itself. */
  public String path() {
    return path;
  }

  /** Where the folder is, for messages: {@code at the root} or {@code in services/api}. */
  public String where() {
    return path.isEmpty() ? "at the root" : "in " + path;
  }

  private Path resolve(String file) {
    requireNonNull(file, "file");
    return (path.isEmpty() ? repository : repository.resolve(path)).resolve(file);
  }

  /** Whether the folder holds the file (or folder) {@code file}, a path relative to it. */
  public boolean has(String file) {
    return Files.exists(resolve(file));
  }

  /** The first of {@code files} the folder holds. */
  public Optional<String> first(String... files) {
    for (String file : files) {
      if (has(file)) {
        return Optional.of(file);
      }
    }
    return Optional.empty();
  }

  /** The text of {@code file}, or empty when the folder does not hold it. */
  public Optional<String> read(String file) {
    Path target = resolve(file);
    if (!Files.isRegularFile(target)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(target, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + target, e);
    }
  }

  /**
   * Every file named {@code name} in the folder and its subfolders (up to {@code depth} levels
   * down, skipping dependencies and tools' output), relative to the folder, sorted.
   */
  public List<String> find(String name, int depth) {
    return walk(file -> file.equals(name), depth);
  }

  /** Like {@link #find}, for every file whose name ends with {@code suffix}, e.g. {@code .csproj}. */
  public List<String> findEndingWith(String suffix, int depth) {
    requireNonNull(suffix, "suffix");
    return walk(file -> file.endsWith(suffix), depth);
  }

  /** The names of the files directly in the folder, sorted. */
  public List<String> files() {
    return walk(file -> true, 0);
  }

  private List<String> walk(java.util.function.Predicate<String> named, int depth) {
    Path base = resolve("");
    List<String> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(base, depth + 1)) {
      walk.filter(p -> !p.equals(base) && named.test(p.getFileName().toString()) && Files.isRegularFile(p))
          .filter(p -> base.relativize(p).getNameCount() <= depth + 1)
          .filter(p -> {
            for (Path part : base.relativize(p)) {
              String text = part.toString();
              if (SKIPPED.contains(text) || text.startsWith(".")) {
                return false;
              }
            }
            return true;
          })
          .map(p -> base.relativize(p).toString().replace('\\', '/')).sorted().forEach(found::add);
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + base, e);
    }
    return found;
  }

  /** A path of the folder as seen from the repository's root, e.g. {@code services/api/pom.xml}. */
  public String fromRoot(String file) {
    return path.isEmpty() ? file : path + "/" + file;
  }
}

package dev.otto.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Maven artifacts and repositories an Ottofile declares in comment lines, as JBang's scripts
 * do, so that the file alone says what it compiles against:
 *
 * <pre>
 * //DEPS org.example:blueprints:1.2.0 org.example:steps:0.3.1
 * //REPOS https://maven.example.org/releases
 * </pre>
 *
 * <p>A line holds one or more entries, separated by spaces or commas.
 *
 * @param artifacts Maven coordinates, {@code groupId:artifactId:version} (or with an extension and
 *     a classifier: {@code groupId:artifactId:extension[:classifier]:version})
 * @param repositories URLs of Maven repositories to resolve from, before Maven Central
 */
record OttofileDependencies(List<String> artifacts, List<String> repositories) {
  private static final Pattern DEPS = Pattern.compile("^\\s*//DEPS\\s+(.*)$");
  private static final Pattern REPOS = Pattern.compile("^\\s*//REPOS\\s+(.*)$");
  private static final Pattern COORDINATES = Pattern.compile("[^:\\s]+:[^:\\s]+(:[^:\\s]+){1,3}");

  OttofileDependencies {
    artifacts = List.copyOf(artifacts);
    repositories = List.copyOf(repositories);
  }

  /** What {@code ottofile} declares; a malformed coordinate fails with its line. */
  static OttofileDependencies of(Path ottofile) {
    List<String> lines;
    try {
      lines = Files.readAllLines(ottofile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + ottofile, e);
    }
    List<String> artifacts = new ArrayList<>();
    List<String> repositories = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      var deps = DEPS.matcher(lines.get(i));
      var repos = REPOS.matcher(lines.get(i));
      if (deps.matches()) {
        for (String entry : entries(deps.group(1))) {
          checkCoordinates(entry, ottofile.getFileName() + ":" + (i + 1) + ": //DEPS",
              ExitCodes.CANNOT_RUN);
          artifacts.add(entry);
        }
      } else if (repos.matches()) {
        repositories.addAll(entries(repos.group(1)));
      }
    }
    return new OttofileDependencies(artifacts, repositories);
  }

  static List<String> entries(String text) {
    return List.of(text.strip().split("[\\s,]+")).stream().filter(entry -> !entry.isEmpty()).toList();
  }

  /** Fails with {@code exitCode} and a message saying how to write it when {@code entry} is not Maven coordinates. */
  static void checkCoordinates(String entry, String where, int exitCode) {
    if (!COORDINATES.matcher(entry).matches()) {
      throw new CliException(exitCode, where + " '" + entry + "' is not a Maven artifact: write "
          + "groupId:artifactId:version, e.g. org.example:blueprints:1.0 (or "
          + "groupId:artifactId:extension[:classifier]:version)");
    }
  }
}

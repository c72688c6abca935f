package dev.otto.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What an Ottofile compiles and runs against besides Otto's API: jars and class folders given
 * with {@code --class-path}, and Maven artifacts, given with {@code --deps} or declared in the
 * Ottofile ({@link OttofileDependencies}), resolved with their dependencies by {@link MavenResolver}.
 */
final class DependencyOptions {
  @Option(names = "--class-path", paramLabel = "PATH", description = "jars and class folders the Ottofile "
      + "compiles and runs against, besides Otto; separated by ':' (';' on Windows), or repeated")
  List<String> classPath = new ArrayList<>();

  @Option(names = "--deps", paramLabel = "G:A:V", description = "a Maven artifact the Ottofile compiles and runs "
      + "against, with its dependencies, as a //DEPS line in the Ottofile declares one; may be repeated")
  List<String> artifacts = new ArrayList<>();

  @Option(names = "--repository", paramLabel = "URL", description = "a Maven repository to resolve artifacts from, "
      + "before Maven Central; may be repeated")
  List<String> repositories = new ArrayList<>();

  @Option(names = "--local-repository", paramLabel = "DIR", description = "where resolved artifacts are kept; "
      + "Maven's, ~/.m2/repository, by default")
  Path localRepository;

  @Option(names = "--offline", description = "resolve artifacts from the local repository only")
  boolean offline;

  /**
   * The class path {@code ottofile} needs besides the command's: the {@code --class-path} entries,
   * then the artifacts it and {@code --deps} name, resolved with their dependencies.
   */
  List<Path> classPath(Path ottofile) {
    List<Path> entries = new ArrayList<>();
    for (String given : classPath) {
      for (String entry : given.split(File.pathSeparator)) {
        if (entry.isEmpty()) {
          continue;
        }
        Path path = Path.of(entry).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
          throw new CliException(ExitCodes.USAGE, "--class-path names " + entry + ", which does not exist");
        }
        entries.add(path);
      }
    }
    artifacts.forEach(entry -> OttofileDependencies.checkCoordinates(entry, "--deps", ExitCodes.USAGE));
    OttofileDependencies declared = OttofileDependencies.of(ottofile);
    List<String> wanted = new ArrayList<>(declared.artifacts());
    wanted.addAll(artifacts);
    if (!wanted.isEmpty()) {
      List<String> from = new ArrayList<>(repositories);
      from.addAll(declared.repositories());
      entries.addAll(MavenResolver.resolve(wanted, from, localRepository(), offline, ottofile));
    }
    return List.copyOf(entries);
  }

  /**
   * Refuses a class path or artifacts given for a folder without an Ottofile, whose pipeline the
   * conventions make: nothing would compile against them, and saying nothing would hide the mistake.
   */
  void refuseWithoutOttofile(Path dir) {
    List<String> given = new ArrayList<>();
    // Empty entries, as an empty variable gives, name nothing, as they do for an Ottofile.
    if (classPath.stream().anyMatch(entries -> !entries.replace(File.pathSeparator, "").isBlank())) {
      given.add("--class-path");
    }
    if (!artifacts.isEmpty()) {
      given.add("--deps");
    }
    if (!given.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, String.join(" and ", given) + (given.size() == 1 ? " adds" : " add")
          + " to the class path of an Ottofile.java, and " + dir + " has none: its pipeline comes from the "
          + "conventions. Leave " + (given.size() == 1 ? "it" : "them") + " out, or write an Ottofile ('otto init').");
    }
  }

  private Path localRepository() {
    if (localRepository != null) {
      return localRepository.toAbsolutePath().normalize();
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }
}

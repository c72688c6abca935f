package dev.otto.conventions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CMake: {@code CMakeLists.txt}, configured into a build folder of the workspace, built, and tested with
 * {@code ctest} when the project enables testing. Its image is the Debian one Make uses, which lacks CMake: the
 * build installs it there first (as root, as a container runs), and a machine that runs it as a local process
 * needs its own CMake.
 */
final class CMakeConvention implements Convention {
  private static final Pattern TESTING = Pattern.compile("(?im)^\\s*(enable_testing|add_test|include\\s*\\(\\s*CTest)");
  /** A project's top CMakeLists.txt calls project() itself, as CMake requires; one in a subfolder of it does not. */
  private static final Pattern PROJECT = Pattern.compile("(?im)^\\s*project\\s*\\(");
  private static final String BUILD_DIR = ".cmake-build";

  @Override
  public String id() {
    return "cmake";
  }

  @Override
  public List<String> lookedFor() {
    return List.of("CMakeLists.txt");
  }

  @Override
  public Optional<Project> detect(Folder folder) {
    if (!folder.read("CMakeLists.txt").map(text -> PROJECT.matcher(text).find()).orElse(false)) {
      return Optional.empty();
    }
    boolean testing = folder.find("CMakeLists.txt", 3).stream().map(folder::read).flatMap(Optional::stream)
        .anyMatch(text -> TESTING.matcher(text).find());
    List<String> build = new ArrayList<>();
    build.add("command -v cmake >/dev/null || (apt-get update -qq && apt-get install -y -qq cmake >/dev/null)");
    build.add("cmake -S . -B " + BUILD_DIR + " -DCMAKE_BUILD_TYPE=RelWithDebInfo");
    build.add("cmake --build " + BUILD_DIR + " --parallel");
    List<String> test = testing ? List.of("cd " + BUILD_DIR + " && ctest --output-on-failure") : List.of();
    return Optional.of(BuiltIn.project(id(), folder, "found CMakeLists.txt " + folder.where()
        + (testing ? "" : "; no Test stage, it does not enable testing"),
        "buildpack-deps:" + Versions.DEFAULTS.get("debian"), List.of("cmake", "make"), build, test, Map.of(), null,
        List.of(), List.of()));
  }
}

package dev.otto.conventions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
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
  /** Where the project() call's arguments begin. */
  private static final Pattern PROJECT_CALL = Pattern.compile("(?i)^\\s*project\\s*\\(", Pattern.MULTILINE);
  /** The oldest CMake the project accepts: {@code cmake_minimum_required(VERSION 3.10)}, or 3.10 of {@code 3.10...3.28}. */
  private static final Pattern MINIMUM =
      Pattern.compile("(?i)cmake_minimum_required\\s*\\(\\s*VERSION\\s+(\\d+(?:\\.\\d+){0,3})");
  /** project()'s keywords besides LANGUAGES, each followed by one value. */
  private static final List<String> KEYWORDS = List.of("VERSION", "DESCRIPTION", "HOMEPAGE_URL");
  /** A word of CMake's arguments: a quoted one may hold spaces. */
  private static final Pattern WORD = Pattern.compile("\"[^\"]*\"|[^\\s\"]+");
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
    // As many jobs and tests at once as the machine has processors: a bare --parallel leaves the count to the native
    // tool, which for make is -j without a limit.
    String processors = "\"$(nproc 2>/dev/null || echo 2)\"";
    build.add("cmake --build " + BUILD_DIR + " --parallel " + processors);
    List<String> test = testing
        ? List.of("cd " + BUILD_DIR + " && ctest --output-on-failure --parallel " + processors)
        : List.of();
    String lists = folder.read("CMakeLists.txt").orElse("");
    List<String> tools = new ArrayList<>();
    Matcher minimum = MINIMUM.matcher(withoutComments(lists));
    tools.add(minimum.find() ? "cmake>=" + minimum.group(1) : "cmake");
    tools.add("make");
    tools.addAll(compilers(withoutComments(lists)));
    return Optional.of(BuiltIn.project(id(), folder, "found CMakeLists.txt " + folder.where()
        + (testing ? "" : "; no Test stage, it does not enable testing" + makeTest(folder)),
        "buildpack-deps:" + Versions.DEFAULTS.get("debian"), tools, build, test, Map.of(), null,
        List.of(), List.of()));
  }

  /**
   * What to add where the project's Makefile beside its CMakeLists.txt has a {@code test} target,
   * which the Make convention would run and this one does not: how to run it.
   */
  private static String makeTest(Folder folder) {
    return folder.first("GNUmakefile", "Makefile", "makefile")
        .filter(file -> BuiltIn.Make.targets(folder.read(file).orElse("")).contains("test"))
        .map(file -> " (its " + file + " has a test target, which this convention does not run: adjust the project "
            + "with withTest(\"make test\") to run it)")
        .orElse("");
  }

  /**
   * The compilers the languages of the project's {@code project()} call need: {@code cc} for C,
   * {@code c++} for CXX, both when it names none (CMake's default), none for {@code NONE}.
   * Other languages (CUDA, Fortran, ASM) are left to CMake to look for.
   */
  static List<String> compilers(String lists) {
    Matcher call = PROJECT_CALL.matcher(lists);
    if (!call.find()) {
      return List.of();
    }
    List<String> words = new ArrayList<>();
    for (Matcher word = WORD.matcher(arguments(lists, call.end())); word.find(); ) {
      words.add(word.group());
    }
    List<String> languages = new ArrayList<>();
    boolean listed = false;
    for (int i = 1; i < words.size(); i++) {
      String word = words.get(i).toUpperCase(Locale.ROOT);
      if (KEYWORDS.contains(word)) {
        i++;
      } else if (word.equals("LANGUAGES")) {
        listed = true;
      } else if (!word.startsWith("\"") && !word.startsWith("$")) {
        listed = true;
        languages.add(word);
      }
    }
    if (!listed) {
      languages = List.of("C", "CXX");
    }
    List<String> compilers = new ArrayList<>();
    if (languages.contains("C")) {
      compilers.add("cc");
    }
    if (languages.contains("CXX")) {
      compilers.add("c++");
    }
    return compilers;
  }

  /** The arguments of a call from {@code from} to its closing parenthesis, which a quoted argument may hold. */
  private static String arguments(String lists, int from) {
    boolean quoted = false;
    for (int i = from; i < lists.length(); i++) {
      char c = lists.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ')' && !quoted) {
        return lists.substring(from, i);
      }
    }
    return lists.substring(from);
  }

  /** The file without its comments: from a {@code #} outside quotes to the end of its line. */
  private static String withoutComments(String lists) {
    StringBuilder kept = new StringBuilder(lists.length());
    boolean quoted = false;
    boolean comment = false;
    for (int i = 0; i < lists.length(); i++) {
      char c = lists.charAt(i);
      if (comment) {
        if (c == '\n') {
          comment = false;
          kept.append(c);
        }
        continue;
      }
      if (c == '\\' && quoted && i + 1 < lists.length()) {
        kept.append(c).append(lists.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '#' && !quoted) {
        comment = true;
        continue;
      }
      kept.append(c);
    }
    return kept.toString();
  }
}

package dev.otto.conventions;

import dev.otto.conventions.Versions.Version;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK a Maven or Gradle build runs on. {@code .java-version} and a Gradle toolchain name the JDK itself: a
 * toolchain is matched by its exact language version, so the image holds that one. A compiler release
 * ({@code maven.compiler.release}, {@code java.version}, {@code sourceCompatibility}) only says what the build
 * compiles for, which any newer JDK does: such a build runs on the default JDK, or on the release when it is newer.
 */
final class Jvm {
  /** The pom's elements that name a release, the first found counting. */
  private static final List<String> MAVEN = List.of("maven.compiler.release", "java.version", "release",
      "maven.compiler.source");
  private static final Pattern TOOLCHAIN =
      Pattern.compile("(?:JavaLanguageVersion\\.of|jvmToolchain)\\s*\\(\\s*[\"']?(\\d+)");
  private static final Pattern COMPATIBILITY = Pattern.compile(
      "(?:source|target)Compatibility\\s*=\\s*(?:JavaVersion\\.VERSION_(?:1_)?(\\d+)|['\"]?(?:1\\.)?(\\d+))");

  private Jvm() {}

  /**
   * The JDK of a Maven build: {@code .java-version}, else the newer of the default and the pom's
   * release, or for a release the default no longer compiles for (Java 7 and older), the newest
   * JDK that does.
   */
  static Version maven(Folder folder) {
    return Versions.first("java", List.of(pinned(folder), mavenRelease(folder).flatMap(Jvm::ifNewer),
        mavenRelease(folder).flatMap(Jvm::newestFor)));
  }

  /**
   * The oldest JDK a Maven build works with, as a tool requirement ({@code java>=17}): what
   * {@code .java-version} pins, else the release the pom compiles for; plain {@code java} when
   * neither says.
   */
  static String mavenTool(Folder folder) {
    return tool(pinned(folder).or(() -> mavenRelease(folder)));
  }

  /**
   * The oldest JDK a Gradle build works with: what {@code .java-version} pins, else the release it
   * compiles for. A toolchain asks for none: Gradle finds or provisions the toolchain's JDK itself,
   * whatever JDK runs Gradle.
   */
  static String gradleTool(Folder folder, List<String> buildFiles) {
    Version[] declared = gradleDeclared(folder, buildFiles);
    return declared[0] != null ? tool(pinned(folder))
        : tool(pinned(folder).or(() -> Optional.ofNullable(declared[1])));
  }

  /**
   * {@code java>=R} for the release R asked for; for a release that newer JDKs no longer compile
   * for, also the first of them: {@code java>=6,<12}.
   */
  private static String tool(Optional<Version> asked) {
    return asked.map(version -> "java>=" + version.value()
        + firstTooNew(Integer.parseInt(version.value())).map(tooNew -> ",<" + tooNew).orElse("")).orElse("java");
  }

  /**
   * The first JDK whose compiler no longer compiles for {@code release}: JDK 9 dropped Java 5 and
   * older, JDK 12 dropped 6, JDK 20 dropped 7; empty for 8 and newer.
   */
  static Optional<Integer> firstTooNew(int release) {
    return release <= 5 ? Optional.of(9) : release == 6 ? Optional.of(12) : release == 7 ? Optional.of(20)
        : Optional.empty();
  }

  /**
   * The newest long-term JDK that still compiles for {@code release}, when the default no longer
   * does: 8 for Java 5 and older, 11 for 6, 17 for 7.
   */
  private static Optional<Version> newestFor(Version release) {
    int asked = Integer.parseInt(release.value());
    return firstTooNew(asked).filter(tooNew -> tooNew <= Integer.parseInt(Versions.DEFAULTS.get("java")))
        .map(tooNew -> new Version("java", asked <= 5 ? "8" : asked == 6 ? "11" : "17", release.source()
            + ", which compiles for Java " + asked + ", as JDK " + tooNew + " and later no longer do"));
  }

  /** The release the pom compiles for, the first of {@link #MAVEN} it names. */
  private static Optional<Version> mavenRelease(Folder folder) {
    return folder.read("pom.xml").flatMap(pom -> MAVEN.stream().flatMap(element -> {
      Matcher m = Pattern.compile("<" + Pattern.quote(element) + ">\\s*(?:1\\.)?(\\d+)\\s*<").matcher(pom);
      return m.find() ? java.util.stream.Stream.of(new Version("java", m.group(1), element + " in pom.xml"))
          : java.util.stream.Stream.empty();
    }).findFirst());
  }

  /**
   * The JDK of a Gradle build: {@code .java-version}, else the toolchain its build files name (the newest, when
   * several do), else the newer of the default and their {@code sourceCompatibility}.
   */
  static Version gradle(Folder folder, List<String> buildFiles) {
    Version[] declared = gradleDeclared(folder, buildFiles);
    return Versions.first("java", List.of(pinned(folder), Optional.ofNullable(declared[0]),
        Optional.ofNullable(declared[1]).flatMap(Jvm::ifNewer), Optional.ofNullable(declared[1]).flatMap(Jvm::newestFor)));
  }

  /** The newest toolchain and the newest release the build files name, each null when none does. */
  private static Version[] gradleDeclared(Folder folder, List<String> buildFiles) {
    Version toolchain = null;
    Version compatibility = null;
    for (String file : buildFiles) {
      String text = folder.read(file).orElse("");
      for (Matcher m = TOOLCHAIN.matcher(text); m.find(); ) {
        toolchain = newer(toolchain, new Version("java", m.group(1), "the Java toolchain in " + file));
      }
      for (Matcher m = COMPATIBILITY.matcher(text); m.find(); ) {
        String release = m.group(1) != null ? m.group(1) : m.group(2);
        compatibility = newer(compatibility, new Version("java", release, "sourceCompatibility in " + file));
      }
    }
    return new Version[] {toolchain, compatibility};
  }

  /** Gradle's image for a JDK; Gradle 8 runs on JDKs up to 24, Gradle 9 on newer ones. */
  static String gradleImage(Version java) {
    return "gradle:" + (Integer.parseInt(java.value()) >= 25 ? "9" : "8") + "-jdk" + java.value();
  }

  private static Optional<Version> pinned(Folder folder) {
    // jenv writes 17 or 17.0.2; the JDK's major release is what images are tagged by.
    return folder.read(".java-version").flatMap(Versions::pinned)
        .map(v -> new Version("java", v.startsWith("1.") ? v.split("\\.")[1] : v.split("\\.")[0], ".java-version"));
  }

  /**
   * The release when it is the default JDK or newer (the default compiles for older ones): the
   * reason then names where the build asks for it.
   */
  private static Optional<Version> ifNewer(Version release) {
    return Integer.parseInt(release.value()) >= Integer.parseInt(Versions.DEFAULTS.get("java"))
        ? Optional.of(release) : Optional.empty();
  }

  private static Version newer(Version a, Version b) {
    return a == null || Integer.parseInt(b.value()) > Integer.parseInt(a.value()) ? b : a;
  }
}

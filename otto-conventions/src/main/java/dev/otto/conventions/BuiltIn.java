package dev.otto.conventions;

import dev.otto.conventions.Versions.Version;
import dev.otto.core.model.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The conventions Otto ships. Each keeps its caches inside the workspace, so the cache store can keep them, and
 * names the tools its commands call (a wrapper script needs only the JVM), so that a stage run on the engine's
 * machine is refused before the run when one is missing.
 */
final class BuiltIn {
  private BuiltIn() {}

  static List<Convention> all() {
    return List.of(new Maven(), new Gradle(), new NodeConvention(), new Ruby(), new Rust(), new Go(),
        new PythonConvention(), new DotnetConvention(), new CMakeConvention(), new Make());
  }

  static Project project(String id, Folder folder, String reason, String image, List<String> tools,
      List<String> build, List<String> test, Map<String, String> env, String cache, List<String> paths,
      List<String> keyFiles) {
    return new Project(id, folder.path(), reason, image, tools, build, test, env,
        cache == null ? Optional.empty() : Optional.of(new Project.Cache(cache, paths, keyFiles)));
  }

  static List<String> present(Folder folder, String... files) {
    return Stream.of(files).filter(folder::has).toList();
  }

  /** Maven: {@code pom.xml}; the wrapper when there is one; the local repository inside the workspace. */
  static final class Maven implements Convention {
    @Override
    public String id() {
      return "maven";
    }

    @Override
    public List<String> lookedFor() {
      return List.of("pom.xml");
    }

    @Override
    public Optional<Project> detect(Folder folder) {
      if (!folder.has("pom.xml")) {
        return Optional.empty();
      }
      boolean wrapper = folder.has("mvnw");
      Optional<String> signing = signing(folder);
      String mvn = (wrapper ? "./mvnw" : "mvn") + " -B -ntp -Dmaven.repo.local=.m2/repository"
          + (signing.isPresent() ? " -Dgpg.skip" : "");
      // One verify compiles, tests and packages: a Test stage of its own would compile and package again. A wrapper
      // that reads MAVEN_USER_HOME keeps the Maven it downloads there, here in the workspace and its cache: its jar
      // does, and its script from 3.3.2 on. The script of 3.3.0 and 3.3.1 keeps it under the user's home.
      boolean keepsMaven = wrapper && folder.read("mvnw")
          .map(script -> script.contains("MAVEN_USER_HOME") || script.contains("maven-wrapper.jar")).orElse(false);
      // A wrapper that runs its jar downloads the jar into the project when it is not committed: cached too. A jar
      // that .gitignore leaves out is not in the workspace even when this folder holds one.
      boolean fetchesJar = wrapper && folder.read("mvnw").map(script -> script.contains("maven-wrapper.jar"))
          .orElse(false) && (!folder.has(".mvn/wrapper/maven-wrapper.jar") || ignoresWrapperJar(folder));
      List<String> cached = new ArrayList<>(List.of(".m2/repository/"));
      if (keepsMaven) {
        cached.add(".m2/wrapper/");
      }
      if (fetchesJar) {
        cached.add(".mvn/wrapper/maven-wrapper.jar");
      }
      List<String> keys = new ArrayList<>(folder.find("pom.xml", 3));
      keys.addAll(present(folder, ".mvn/wrapper/maven-wrapper.properties"));
      Version java = Jvm.maven(folder);
      String how = !wrapper ? "" : keepsMaven ? ", with the Maven wrapper"
          : ", with a Maven wrapper that keeps the Maven it downloads in the user's home (~/.m2/wrapper), outside "
              + "the workspace and its cache (a wrapper of 3.3.2 or later keeps it in both)";
      return Optional.of(project(id(), folder, "found pom.xml " + folder.where() + how
          + "; built and tested in one mvn verify; " + java.describe() + defaultGoal(folder) + licenseAudit(folder)
          + signing.map(pom -> "; " + pom + " names maven-gpg-plugin, which signs the build's artifacts with a "
              + "secret key that a CI build does not hold (gpg: no default secret key): -Dgpg.skip leaves the "
              + "signing out").orElse("")
          + folder.first(Gradle.FILES.toArray(String[]::new)).map(gradle -> "; " + gradle + " is here too, a Gradle "
              + "build set aside: Maven builds the project").orElse(""),
          "maven:3-eclipse-temurin-" + java.value(), wrapper ? List.of(Jvm.mavenTool(folder))
              : List.of("mvn", Jvm.mavenTool(folder)),
          List.of(mvn + " verify"),
          List.of(), keepsMaven ? Map.of("MAVEN_USER_HOME", ".m2") : Map.of(), "maven",
          cached, keys));
    }
  }

  /**
   * What explain says of the {@code <defaultGoal>} of the folder's {@code pom.xml}: the goals a bare {@code mvn}
   * runs, which a project's own CI often does (checks such as checkstyle or a license audit), and Otto does not.
   */
  private static String defaultGoal(Folder folder) {
    String pom = XML_COMMENT.matcher(folder.read("pom.xml").orElse("")).replaceAll("");
    Matcher goal = DEFAULT_GOAL.matcher(pom);
    if (!goal.find()) {
      return "";
    }
    String goals = goal.group(1).trim().replaceAll("\\s+", " ");
    return goals.isEmpty() || goals.equals("verify") ? "" : "; pom.xml's defaultGoal (" + goals + "), which a bare mvn "
        + "runs, is not run (adjust the stage to run those goals)";
  }

  /**
   * What explain says of apache-rat, the license audit Apache projects run in their build (their
   * pom names it, or inherits it from commons-parent): it reads every file of the project folder,
   * the downloaded {@code .m2/} among them, and fails on them.
   */
  private static String licenseAudit(Folder folder) {
    String pom = XML_COMMENT.matcher(folder.read("pom.xml").orElse("")).replaceAll("");
    boolean rat = pom.contains("apache-rat-plugin") || COMMONS_PARENT.matcher(pom).find();
    return !rat ? "" : "; its build runs apache-rat, whose license audit reads every file of the project, the "
        + "downloaded .m2/ among them, and fails on them: exclude .m2/** in its configuration, or adjust the stage "
        + "(-Drat.skip=true skips the audit)";
  }

  /**
   * The first {@code pom.xml} of the folder that names maven-gpg-plugin, whose sign goal, bound to
   * verify outside a release profile (stleary/JSON-java), fails a build without the maintainer's
   * secret key and makes {@code ~/.gnupg} in the user's home: a CI build signs nothing, so the
   * convention passes {@code -Dgpg.skip}, which a build that does not sign ignores.
   */
  private static Optional<String> signing(Folder folder) {
    return folder.find("pom.xml", 3).stream()
        .filter(pom -> XML_COMMENT.matcher(folder.read(pom).orElse("")).replaceAll("").contains("maven-gpg-plugin"))
        .findFirst();
  }

  private static final Pattern COMMONS_PARENT = Pattern.compile(
      "<parent>\\s*<groupId>org\\.apache\\.commons</groupId>\\s*<artifactId>commons-parent</artifactId>");
  private static final Pattern XML_COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
  private static final Pattern DEFAULT_GOAL = Pattern.compile("<defaultGoal>([^<]*)</defaultGoal>");

  /**
   * Whether the folder's {@code .gitignore} leaves the Maven wrapper's jar out: a line naming it,
   * {@code *.jar} or the wrapper's folder, not negated by a later {@code !} line.
   */
  static boolean ignoresWrapperJar(Folder folder) {
    boolean ignored = false;
    for (String line : folder.read(".gitignore").orElse("").split("\\R")) {
      String rule = line.strip();
      boolean negated = rule.startsWith("!");
      String pattern = (negated ? rule.substring(1) : rule).replaceFirst("^/", "").replaceFirst("^\\*\\*/", "");
      if (pattern.equals(".mvn/wrapper/maven-wrapper.jar") || pattern.equals("maven-wrapper.jar")
          || pattern.equals("*.jar") || pattern.equals(".mvn/wrapper/*.jar") || pattern.equals(".mvn/wrapper/")
          || pattern.equals(".mvn/wrapper")) {
        ignored = !negated;
      }
    }
    return ignored;
  }

  /** Gradle: settings or build files in Groovy or Kotlin; the wrapper when there is one. */
  static final class Gradle implements Convention {
    static final List<String> FILES = List.of("settings.gradle.kts", "settings.gradle", "build.gradle.kts",
        "build.gradle");

    @Override
    public String id() {
      return "gradle";
    }

    @Override
    public List<String> lookedFor() {
      return FILES;
    }

    @Override
    public Optional<Project> detect(Folder folder) {
      Optional<String> file = folder.first(FILES.toArray(String[]::new));
      // a project with both builds (Spring's petclinic) is one project: Maven, which comes first, builds it
      if (file.isEmpty() || folder.has("pom.xml")) {
        return Optional.empty();
      }
      boolean wrapper = folder.has("gradlew");
      String gradle = (wrapper ? "./gradlew" : "gradle") + " --no-daemon";
      Set<String> keys = new LinkedHashSet<>();
      for (String name : FILES) {
        keys.addAll(folder.find(name, 3));
      }
      List<String> buildFiles = new ArrayList<>(keys);
      keys.addAll(present(folder, "gradle/libs.versions.toml", "gradle/wrapper/gradle-wrapper.properties"));
      Version java = Jvm.gradle(folder, buildFiles);
      return Optional.of(project(id(), folder, "found " + file.get() + " " + folder.where()
          + (wrapper ? ", with the Gradle wrapper" : "") + "; " + java.describe(), Jvm.gradleImage(java),
          wrapper ? List.of(Jvm.gradleTool(folder, buildFiles)) : List.of("gradle", Jvm.gradleTool(folder, buildFiles)),
          List.of(gradle + " assemble"),
          List.of(gradle + " check"), Map.of("GRADLE_USER_HOME", ".gradle-home"), "gradle",
          List.of(".gradle-home/caches/", ".gradle-home/wrapper/"), new ArrayList<>(keys)));
    }
  }

  /**
   * Ruby and Rails: {@code Gemfile}; a Rails app by {@code config/application.rb}, with the
   * database its {@code config/database.yml} names as a service of its test stage.
   */
  static final class Ruby implements Convention {
    /** {@code ruby "3.3.5"} or {@code ruby '~> 3.2'}; {@code ruby file: ".ruby-version"} reads that file. */
    private static final Pattern GEMFILE_RUBY =
        Pattern.compile("ruby\\s*\\(?\\s*[\"']([^\"']+)[\"'].*");

    @Override
    public String id() {
      return "ruby";
    }

    @Override
    public List<String> lookedFor() {
      return List.of("Gemfile");
    }

    @Override
    public Optional<Project> detect(Folder folder) {
      if (!folder.has("Gemfile")) {
        return Optional.empty();
      }
      boolean rails = folder.has("config/application.rb");
      boolean rspec = folder.has("spec") || folder.has(".rspec");
      List<String> test = new ArrayList<>();
      Map<String, String> env = new LinkedHashMap<>();
      Optional<String> adapter = rails ? folder.read("config/database.yml").flatMap(Databases::adapter)
          : Optional.empty();
      Optional<Databases.Database> database = adapter.flatMap(Databases::of);
      if (rails) {
        env.put("RAILS_ENV", "test");
        database.ifPresent(db -> env.put("DATABASE_URL", db.url()));
        if (folder.has("db/migrate")) {
          test.add("bundle exec rails db:prepare");
        }
        test.add(rspec ? "bundle exec rspec" : "bundle exec rails test");
      } else if (rspec) {
        test.add("bundle exec rspec");
      } else if (folder.has("Rakefile")) {
        test.add("bundle exec rake");
      }
      String reason = "found Gemfile " + folder.where() + (rails ? " and config/application.rb: a Rails app"
          + (folder.has("db/migrate") ? " with database migrations" : "") : "")
          + adapter.map(name -> ", on " + name + " (config/database.yml)").orElse("");
      Version ruby = version(folder);
      return Optional.of(project(id(), folder, reason + "; " + ruby.describe(), "ruby:" + ruby.value(),
          List.of("ruby", "bundle"),
          List.of("bundle config set --local path vendor/bundle && bundle install"), test, env, "bundle",
          List.of("vendor/bundle/"), List.of(folder.has("Gemfile.lock") ? "Gemfile.lock" : "Gemfile"))
          .withServices(database.map(Databases.Database::service).stream().toArray(Service[]::new)));
    }

    /** Ruby's version from {@code .ruby-version}, else the {@code ruby} line of the Gemfile, else the default. */
    static Version version(Folder folder) {
      Optional<Version> file = folder.read(".ruby-version").flatMap(Versions::pinned)
          .map(v -> new Version("ruby", v, ".ruby-version"));
      Optional<Version> gemfile = folder.read("Gemfile").flatMap(text -> text.lines()
          .map(line -> GEMFILE_RUBY.matcher(line.strip())).filter(Matcher::matches).findFirst())
          .flatMap(m -> m.group(1).matches("\\d+(\\.\\d+)*") ? Optional.of(m.group(1))
              : Versions.within(m.group(1), "ruby", 2))
          .map(v -> new Version("ruby", v, "the Gemfile's ruby line"));
      return Versions.first("ruby", List.of(file, gemfile));
    }
  }

  /** Rust: {@code Cargo.toml}; {@code --locked} when {@code Cargo.lock} is checked in. */
  static final class Rust implements Convention {
    private static final Pattern CHANNEL = Pattern.compile("channel\\s*=\\s*\"([^\"]+)\"");

    @Override
    public String id() {
      return "rust";
    }

    @Override
    public List<String> lookedFor() {
      return List.of("Cargo.toml");
    }

    @Override
    public Optional<Project> detect(Folder folder) {
      if (!folder.has("Cargo.toml")) {
        return Optional.empty();
      }
      boolean locked = folder.has("Cargo.lock");
      String cargo = "CARGO_HOME=\"$PWD/.cargo-home\" cargo";
      String flags = locked ? " --locked" : "";
      Version rust = version(folder);
      String image = rust.value().startsWith("nightly") ? "rustlang/rust:nightly" : "rust:"
          + (rust.value().matches("\\d+(\\.\\d+)*") ? rust.value() : Versions.DEFAULTS.get("rust"));
      return Optional.of(project(id(), folder, "found Cargo.toml " + folder.where()
          + (locked ? ", with Cargo.lock" : "") + "; " + rust.describe(), image, List.of("cargo", "rustc"),
          List.of(cargo + " build" + flags),
          List.of(cargo + " test" + flags), Map.of(), "cargo", List.of(".cargo-home/registry/", "target/"),
          List.of(locked ? "Cargo.lock" : "Cargo.toml")));
    }

    /**
     * The toolchain {@code rust-toolchain.toml} (its {@code channel}) or {@code rust-toolchain} names, else the
     * default. Rustup in the image installs a named toolchain it lacks; the image is chosen to hold it already.
     */
    static Version version(Folder folder) {
      Optional<Version> toml = folder.read("rust-toolchain.toml").flatMap(text -> text.lines()
          .map(line -> CHANNEL.matcher(line.strip()))
          .filter(Matcher::matches).map(m -> m.group(1)).findFirst())
          .map(channel -> new Version("rust", channel, "rust-toolchain.toml"));
      Optional<Version> plain = folder.read("rust-toolchain").map(String::strip).filter(t -> !t.contains("\n")
          && !t.isEmpty()).map(channel -> new Version("rust", channel, "rust-toolchain"));
      return Versions.first("rust", List.of(toml, plain));
    }
  }

  /** Go: {@code go.mod}; the module cache inside the workspace. */
  static final class Go implements Convention {
    @Override
    public String id() {
      return "go";
    }

    @Override
    public List<String> lookedFor() {
      return List.of("go.mod");
    }

    @Override
    public Optional<Project> detect(Folder folder) {
      if (!folder.has("go.mod")) {
        return Optional.empty();
      }
      String go = "GOMODCACHE=\"$PWD/.go/mod\" GOCACHE=\"$PWD/.go/build\" go";
      Version version = version(folder.read("go.mod").orElse(""));
      return Optional.of(project(id(), folder, "found go.mod " + folder.where() + "; " + version.describe(),
          "golang:" + version.value(), List.of(minimum(folder.read("go.mod").orElse(""))),
          List.of(go + " build ./..."), List.of(go + " test ./..."), Map.of(), "go", List.of(".go/"),
          List.of(folder.has("go.sum") ? "go.sum" : "go.mod")));
    }

    /**
     * The Go that go.mod asks for, as {@code actions/setup-go} reads it: its {@code toolchain} line when it has
     * one, else its {@code go} line's release (the newest patch of {@code go 1.25.0} is {@code 1.25}).
     */
    /** The go.mod's go line as a tool requirement, the oldest Go that builds the module ({@code go>=1.22}). */
    static String minimum(String mod) {
      Matcher go = Pattern.compile("(?m)^go\\s+(\\d+\\.\\d+(?:\\.\\d+)?)\\s*$").matcher(mod);
      return go.find() ? "go>=" + go.group(1) : "go";
    }

    static Version version(String mod) {
      Matcher toolchain = Pattern.compile("(?m)^toolchain\\s+go(\\d+\\.\\d+(?:\\.\\d+)?)\\s*$")
          .matcher(mod);
      if (toolchain.find()) {
        return new Version("go", toolchain.group(1), "go.mod's toolchain line");
      }
      Matcher go = Pattern.compile("(?m)^go\\s+(\\d+\\.\\d+)").matcher(mod);
      return go.find() ? new Version("go", go.group(1), "go.mod's go line") : Versions.byDefault("go");
    }
  }

  /** Make, the last resort: {@code make}, then {@code make test} when the Makefile has that target. */
  static final class Make implements Convention {
    /** A rule's targets: names before a colon that is not the start of {@code :=}. */
    private static final Pattern RULE =
        Pattern.compile("(?m)^([A-Za-z0-9_./-]+(?:[ \\t]+[A-Za-z0-9_./-]+)*)[ \\t]*::?(?!=)");

    @Override
    public String id() {
      return "make";
    }

    @Override
    public List<String> lookedFor() {
      return List.of("GNUmakefile", "Makefile", "makefile");
    }

    @Override
    public boolean lastResort() {
      return true;
    }

    @Override
    public Optional<Project> detect(Folder folder) {
      Optional<String> file = folder.first("GNUmakefile", "Makefile", "makefile");
      if (file.isEmpty()) {
        return Optional.empty();
      }
      List<String> targets = targets(folder.read(file.get()).orElse(""));
      boolean test = targets.contains("test");
      // make builds the first target: when that is test, make alone would run the tests, and make test again.
      boolean testFirst = test && targets.get(0).equals("test");
      String build = !testFirst ? "make" : targets.contains("all") ? "make all" : targets.contains("build")
          ? "make build" : null;
      String image = "buildpack-deps:" + Versions.DEFAULTS.get("debian");
      String reason = "found " + file.get() + " " + folder.where() + " and nothing more specific";
      if (build == null) {
        return Optional.of(project(id(), folder, reason + "; its first target is test, so the tests run in Build",
            image, List.of("make"), List.of("make test"), List.of(), Map.of(), null, List.of(), List.of()));
      }
      return Optional.of(project(id(), folder, reason, image, List.of("make"), List.of(build),
          test ? List.of("make test") : List.of(), Map.of(), null, List.of(), List.of()));
    }

    /** The Makefile's targets in order, without special ({@code .PHONY}) and pattern ({@code %.o}) ones. */
    static List<String> targets(String makefile) {
      Matcher rule = RULE.matcher(makefile);
      List<String> targets = new ArrayList<>();
      while (rule.find()) {
        for (String target : rule.group(1).split("[ \\t]+")) {
          if (!target.startsWith(".") && !targets.contains(target)) {
            targets.add(target);
          }
        }
      }
      return targets;
    }
  }
}

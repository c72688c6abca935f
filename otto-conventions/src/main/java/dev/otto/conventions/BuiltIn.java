package dev.otto.conventions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.otto.core.model.Service;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The conventions Otto ships. Each keeps its caches inside the workspace, so the cache store can keep them, and
 * names the tools its commands call (a wrapper script needs only the JVM), so that a stage run on the engine's
 * machine is refused before the run when one is missing.
 */
final class BuiltIn {
  private BuiltIn() {}

  static List<Convention> all() {
    return List.of(new Maven(), new Gradle(), new Node(), new Ruby(), new Rust(), new Go(), new Python(), new Make());
  }

  private static Project project(String id, Folder folder, String reason, String image, List<String> tools,
      List<String> build, List<String> test, Map<String, String> env, String cache, List<String> paths,
      List<String> keyFiles) {
    return new Project(id, folder.path(), reason, image, tools, build, test, env,
        cache == null ? Optional.empty() : Optional.of(new Project.Cache(cache, paths, keyFiles)));
  }

  private static List<String> present(Folder folder, String... files) {
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
      String mvn = (wrapper ? "./mvnw" : "mvn") + " -B -ntp -Dmaven.repo.local=.m2/repository";
      // One verify compiles, tests and packages: a Test stage of its own would compile and package again. The
      // wrapper keeps the Maven it downloads under MAVEN_USER_HOME, here in the workspace and its cache.
      return Optional.of(project(id(), folder, "found pom.xml " + folder.where()
          + (wrapper ? ", with the Maven wrapper" : "") + "; built and tested in one mvn verify",
          "maven:3-eclipse-temurin-17", wrapper ? List.of("java") : List.of("mvn", "java"), List.of(mvn + " verify"),
          List.of(), wrapper ? Map.of("MAVEN_USER_HOME", ".m2") : Map.of(), "maven",
          wrapper ? List.of(".m2/repository/", ".m2/wrapper/") : List.of(".m2/repository/"), folder.find("pom.xml", 3)));
    }
  }

  /** Gradle: settings or build files in Groovy or Kotlin; the wrapper when there is one. */
  static final class Gradle implements Convention {
    private static final List<String> FILES = List.of("settings.gradle.kts", "settings.gradle", "build.gradle.kts",
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
      if (file.isEmpty()) {
        return Optional.empty();
      }
      boolean wrapper = folder.has("gradlew");
      String gradle = (wrapper ? "./gradlew" : "gradle") + " --no-daemon";
      Set<String> keys = new LinkedHashSet<>();
      for (String name : FILES) {
        keys.addAll(folder.find(name, 3));
      }
      keys.addAll(present(folder, "gradle/libs.versions.toml", "gradle/wrapper/gradle-wrapper.properties"));
      return Optional.of(project(id(), folder, "found " + file.get() + " " + folder.where()
          + (wrapper ? ", with the Gradle wrapper" : ""), "gradle:8-jdk17",
          wrapper ? List.of("java") : List.of("gradle", "java"), List.of(gradle + " assemble"),
          List.of(gradle + " check"), Map.of("GRADLE_USER_HOME", ".gradle-home"), "gradle",
          List.of(".gradle-home/caches/", ".gradle-home/wrapper/"), new ArrayList<>(keys)));
    }
  }

  /** Node: {@code package.json}, with npm, Yarn or pnpm chosen by the lock file. */
  static final class Node implements Convention {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String id() {
      return "node";
    }

    @Override
    public List<String> lookedFor() {
      return List.of("package.json");
    }

    @Override
    public Optional<Project> detect(Folder folder) {
      Optional<String> manifest = folder.read("package.json");
      if (manifest.isEmpty()) {
        return Optional.empty();
      }
      Map<String, String> scripts = scripts(manifest.get(), folder);
      String manager;
      String install;
      String lock;
      String cacheDir;
      if (folder.has("pnpm-lock.yaml")) {
        manager = "pnpm";
        lock = "pnpm-lock.yaml";
        cacheDir = ".pnpm-store/";
        install = "pnpm install --frozen-lockfile --store-dir .pnpm-store";
      } else if (folder.has("yarn.lock")) {
        manager = "yarn";
        lock = "yarn.lock";
        cacheDir = ".yarn-cache/";
        install = "yarn install --frozen-lockfile --cache-folder .yarn-cache";
      } else {
        manager = "npm";
        lock = folder.has("package-lock.json") ? "package-lock.json" : null;
        cacheDir = ".npm/";
        install = lock != null ? "npm ci --cache .npm" : "npm install --cache .npm";
      }
      List<String> build = new ArrayList<>(List.of(install));
      if (scripts.containsKey("build")) {
        build.add(manager + " run build");
      }
      boolean placeholder = isPlaceholderTest(scripts.get("test"));
      List<String> test = scripts.containsKey("test") && !placeholder ? List.of(manager + " test") : List.of();
      return Optional.of(project(id(), folder, "found package.json " + folder.where() + ", "
          + (lock == null ? "without a lock file" : "with " + lock) + ": " + manager
          + (placeholder ? "; no Test stage, its test script is npm's placeholder that only fails" : ""), "node:20",
          List.of("node", manager), build, test, Map.of(),
          manager, List.of(cacheDir), List.of(lock == null ? "package.json" : lock)));
    }

    /**
     * Whether a test script is the one {@code npm init} writes, which only prints "Error: no test
     * specified" and fails: a project with it has no tests, not failing ones.
     */
    static boolean isPlaceholderTest(String script) {
      return script != null && script.contains("no test specified") && script.contains("exit 1");
    }

    /** The scripts package.json declares, by name. */
    private static Map<String, String> scripts(String manifest, Folder folder) {
      Map<String, String> names = new LinkedHashMap<>();
      try (JsonParser json = JSON.createParser(manifest)) {
        if (json.nextToken() != JsonToken.START_OBJECT) {
          throw new ConventionException("package.json " + folder.where() + " is not a JSON object");
        }
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String field = json.currentName();
          JsonToken value = json.nextToken();
          if (field.equals("scripts") && value == JsonToken.START_OBJECT) {
            while (json.nextToken() == JsonToken.FIELD_NAME) {
              String name = json.currentName();
              JsonToken script = json.nextToken();
              names.put(name, script == JsonToken.VALUE_STRING ? json.getText() : "");
              json.skipChildren();
            }
          } else {
            json.skipChildren();
          }
        }
      } catch (IOException e) {
        throw new ConventionException("package.json " + folder.where() + " is not valid JSON: "
            + e.getMessage().lines().findFirst().orElse(""));
      }
      return names;
    }
  }

  /**
   * Ruby and Rails: {@code Gemfile}; a Rails app by {@code config/application.rb}, with the
   * database its {@code config/database.yml} names as a service of its test stage.
   */
  static final class Ruby implements Convention {
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
      return Optional.of(project(id(), folder, reason, "ruby:3.3", List.of("ruby", "bundle"),
          List.of("bundle config set --local path vendor/bundle && bundle install"), test, env, "bundle",
          List.of("vendor/bundle/"), List.of(folder.has("Gemfile.lock") ? "Gemfile.lock" : "Gemfile"))
          .withServices(database.map(Databases.Database::service).stream().toArray(Service[]::new)));
    }
  }

  /** Rust: {@code Cargo.toml}; {@code --locked} when {@code Cargo.lock} is checked in. */
  static final class Rust implements Convention {
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
      return Optional.of(project(id(), folder, "found Cargo.toml " + folder.where()
          + (locked ? ", with Cargo.lock" : ""), "rust:1", List.of("cargo", "rustc"), List.of(cargo + " build" + flags),
          List.of(cargo + " test" + flags), Map.of(), "cargo", List.of(".cargo-home/registry/", "target/"),
          List.of(locked ? "Cargo.lock" : "Cargo.toml")));
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
      return Optional.of(project(id(), folder, "found go.mod " + folder.where(), "golang:1.22", List.of("go"),
          List.of(go + " build ./..."), List.of(go + " test ./..."), Map.of(), "go", List.of(".go/"),
          List.of(folder.has("go.sum") ? "go.sum" : "go.mod")));
    }
  }

  /** Python: {@code pyproject.toml} or {@code requirements.txt}, in a virtual environment, tested with pytest. */
  static final class Python implements Convention {
    @Override
    public String id() {
      return "python";
    }

    @Override
    public List<String> lookedFor() {
      return List.of("pyproject.toml", "requirements.txt");
    }

    @Override
    public Optional<Project> detect(Folder folder) {
      Optional<String> file = folder.first("pyproject.toml", "requirements.txt");
      if (file.isEmpty()) {
        return Optional.empty();
      }
      String pip = ".venv/bin/pip install --cache-dir .pip-cache";
      List<String> build = new ArrayList<>(List.of("python3 -m venv .venv"));
      build.add(file.get().equals("requirements.txt") ? pip + " -r requirements.txt" : pip + " .");
      if (folder.has("requirements-dev.txt")) {
        build.add(pip + " -r requirements-dev.txt");
      }
      build.add(pip + " pytest");
      return Optional.of(project(id(), folder, "found " + file.get() + " " + folder.where(), "python:3.12",
          List.of("python3"), build,
          // pytest exits with 5 when it collects no test: a project without tests, not a failure.
          List.of(".venv/bin/python -m pytest; status=$?; if [ $status -eq 5 ]; then echo 'pytest collected no "
              + "tests'; exit 0; fi; exit $status"), Map.of(), "pip", List.of(".pip-cache/"),
          present(folder, "requirements.txt", "requirements-dev.txt", "pyproject.toml", "poetry.lock")));
    }
  }

  /** Make, the last resort: {@code make}, then {@code make test} when the Makefile has that target. */
  static final class Make implements Convention {
    @Override
    public String id() {
      return "make";
    }

    @Override
    public List<String> lookedFor() {
      return List.of("Makefile");
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
      boolean test = folder.read(file.get()).orElse("").lines().anyMatch(line -> line.matches("test\\s*:.*"));
      return Optional.of(project(id(), folder, "found " + file.get() + " " + folder.where()
          + " and nothing more specific", "buildpack-deps:bookworm", List.of("make"), List.of("make"),
          test ? List.of("make test") : List.of(), Map.of(), null, List.of(), List.of()));
    }
  }
}

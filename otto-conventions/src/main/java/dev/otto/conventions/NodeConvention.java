package dev.otto.conventions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.otto.conventions.Versions.Version;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Node: {@code package.json}, installed with the package manager the project uses (its {@code packageManager}
 * field, else its lock file), as that manager's own CI guidance does it: npm with {@code npm ci}, pnpm and Yarn 2+
 * through corepack at the version the project pins, Yarn 1 with {@code --frozen-lockfile}.
 */
final class NodeConvention implements Convention {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Pattern MANAGER = Pattern.compile("(npm|pnpm|yarn)@(\\d+)[^+]*");
  /** Node's long-term-support lines by the code name {@code .nvmrc} may give as {@code lts/<name>}. */
  private static final Map<String, String> LTS = Map.of("hydrogen", "18", "iron", "20", "jod", "22", "krypton", "24");
  /**
   * How a command calls a package manager corepack provides: corepack's shims, put in the workspace (installing
   * them beside node needs root), come first on the path, for the project's own scripts too.
   */
  static final String COREPACK = "PATH=\"$PWD/.corepack/bin:$PATH\" ";
  /** Corepack downloads the pinned manager without asking, and never writes a pin into package.json. */
  private static final Map<String, String> COREPACK_ENV = corepackEnv();

  private static Map<String, String> corepackEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("COREPACK_ENABLE_DOWNLOAD_PROMPT", "0");
    env.put("COREPACK_ENABLE_AUTO_PIN", "0");
    return java.util.Collections.unmodifiableMap(env);
  }

  @Override
  public String id() {
    return "node";
  }

  @Override
  public List<String> lookedFor() {
    return List.of("package.json");
  }

  /** What a {@code package.json} says that a convention uses. */
  record Manifest(Map<String, String> scripts, Optional<String> engine, Optional<String> packageManager,
      boolean workspaces) {
    /**
     * Whether it only carries tooling for the repository (linters, hooks): no build or test script and no
     * workspaces, so it is no project of its own and the projects below it are looked for.
     */
    boolean toolingOnly() {
      return !workspaces && !scripts.containsKey("build") && (!scripts.containsKey("test")
          || isPlaceholderTest(scripts.get("test")));
    }
  }

  /** A package manager as the project uses it. */
  private record Manager(String name, String lock, String install, String run, List<String> cache, String tools,
      String described, Map<String, String> env) {}

  @Override
  public Optional<Project> detect(Folder folder) {
    Optional<String> text = folder.read("package.json");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Manifest manifest = manifest(text.get(), folder);
    Manager manager = manager(folder, manifest);
    Version node = version(folder, manifest);
    List<String> build = new ArrayList<>();
    if (manager.run().startsWith(COREPACK)) {
      build.add("mkdir -p .corepack/bin && corepack enable --install-directory .corepack/bin");
    }
    build.add(manager.install());
    if (manifest.scripts().containsKey("build")) {
      build.add(manager.run() + " run build");
    }
    boolean placeholder = isPlaceholderTest(manifest.scripts().get("test"));
    List<String> test = manifest.scripts().containsKey("test") && !placeholder ? List.of(manager.run() + " test")
        : List.of();
    List<String> keys = new ArrayList<>(List.of(manager.lock() == null ? "package.json" : manager.lock()));
    return Optional.of(BuiltIn.project(id(), folder, "found package.json " + folder.where() + ", "
        + (manager.lock() == null ? "without a lock file" : "with " + manager.lock()) + ": " + manager.described()
        + "; " + node.describe()
        + (placeholder ? "; no Test stage, its test script is npm's placeholder that only fails" : ""),
        "node:" + node.value(), List.of(tool(folder, manifest), manager.tools()), build, test, manager.env(),
        manager.name(),
        manager.cache(), keys));
  }

  @Override
  public boolean yieldsToProjectsBelow(Folder folder) {
    return !folder.has("pnpm-workspace.yaml")
        && folder.read("package.json").map(text -> manifest(text, folder).toolingOnly()).orElse(false);
  }

  /** The manager its {@code packageManager} field names, else the one its lock file belongs to, else npm. */
  private static Manager manager(Folder folder, Manifest manifest) {
    Optional<Matcher> declared = manifest.packageManager().map(MANAGER::matcher).filter(Matcher::lookingAt);
    String name = declared.map(m -> m.group(1)).orElse(folder.has("pnpm-lock.yaml") ? "pnpm"
        : folder.has("yarn.lock") ? "yarn" : "npm");
    String pinned = declared.map(m -> m.group(0)).map(spec -> spec + " from packageManager").orElse("");
    String source = pinned.isEmpty() ? name : name + " (" + pinned + ")";
    // Corepack takes the newest release of a pnpm nothing pins (runs change when it releases), and Yarn 1 for such a
    // yarn, which refuses Yarn 2's flags unless .yarnrc.yml's yarnPath hands over to a release the project keeps.
    String pin = " (\"packageManager\": \"" + name + "@<version>\" pins it)";
    String unpinned = !pinned.isEmpty() ? "" : name.equals("pnpm") ? ", its newest release, as package.json pins none"
        + pin : folder.read(".yarnrc.yml").orElse("").contains("yarnPath:")
        ? ", the release .yarnrc.yml's yarnPath names" : "; package.json pins none, so corepack takes Yarn 1, which "
        + "refuses --immutable" + pin;
    switch (name) {
      case "pnpm" -> {
        return new Manager("pnpm", present(folder, "pnpm-lock.yaml"),
            COREPACK + "pnpm install --frozen-lockfile --store-dir .pnpm-store", COREPACK + "pnpm",
            List.of(".pnpm-store/"), "corepack", source + " through corepack" + unpinned, COREPACK_ENV);
      }
      case "yarn" -> {
        boolean berry = declared.map(m -> Integer.parseInt(m.group(2)) >= 2).orElse(false)
            || folder.has(".yarnrc.yml") || folder.read("yarn.lock").orElse("").contains("__metadata:");
        if (berry) {
          // Yarn 2+ refuses Yarn 1's flags; its cache goes to the workspace instead of the user's home.
          Map<String, String> env = new LinkedHashMap<>(COREPACK_ENV);
          env.put("YARN_ENABLE_GLOBAL_CACHE", "false");
          env.put("YARN_CACHE_FOLDER", ".yarn-cache");
          return new Manager("yarn", present(folder, "yarn.lock"), COREPACK + "yarn install --immutable",
              COREPACK + "yarn", List.of(".yarn-cache/"), "corepack", source + ", Yarn 2 or later through corepack"
              + unpinned, env);
        }
        return new Manager("yarn", present(folder, "yarn.lock"),
            "yarn install --frozen-lockfile --cache-folder .yarn-cache", "yarn", List.of(".yarn-cache/"), "yarn",
            source + ", Yarn 1", Map.of());
      }
      default -> {
        String lock = present(folder, "package-lock.json");
        // npm ci takes the lock file's versions, which the cache holds; npm install resolves ranges, whose newest
        // releases only the registry knows. Every other npm and npx call, npm test and the scripts' own among them,
        // finds the same cache (and writes its logs there, not in ~/.npm/_logs) through npm_config_cache, relative to
        // where npm runs: the project's folder, unless a script changes folder first.
        return new Manager("npm", lock,
            lock != null ? "npm ci --cache .npm --prefer-offline" : "npm install --cache .npm", "npm",
            List.of(".npm/"), "npm", source, Map.of("npm_config_cache", ".npm"));
      }
    }
  }

  private static String present(Folder folder, String file) {
    return folder.has(file) ? file : null;
  }

  /** Node's version from {@code .nvmrc}, {@code .node-version} or {@code engines.node}, else the default. */
  static Version version(Folder folder, Manifest manifest) {
    return Versions.first("node", List.of(pinnedIn(folder, ".nvmrc"), pinnedIn(folder, ".node-version"),
        manifest.engine().flatMap(range -> Versions.within(range, "node", 1)
            .map(v -> new Version("node", v, "engines.node \"" + range + "\" in package.json")))));
  }

  /**
   * Node as a tool requirement: the version {@code .nvmrc} or {@code .node-version} pins, else the
   * oldest {@code engines.node} allows, to the patch ({@code node>=18}, {@code node>=20.19} of
   * {@code >=20.19.0}); plain {@code node} when none says.
   */
  static String tool(Folder folder, Manifest manifest) {
    return java.util.stream.Stream.of(".nvmrc", ".node-version").map(folder::read).flatMap(Optional::stream)
        .findFirst().flatMap(NodeConvention::pinnedValue)
        .or(() -> manifest.engine().flatMap(range -> Versions.oldest(range, 3)).map(NodeConvention::shortest))
        .map(version -> "node>=" + version).orElse("node");
  }

  /** A version without the zero parts it ends with: {@code 20.19} for {@code 20.19.0}, {@code 18} for {@code 18.0.0}. */
  private static String shortest(String version) {
    return version.replaceAll("(\\.0)+$", "");
  }

  /** The version a file pins, where an LTS line Otto does not know by name runs on the default. */
  private static Optional<Version> pinnedIn(Folder folder, String file) {
    return folder.read(file).flatMap(text -> {
      String line = text.strip().toLowerCase(java.util.Locale.ROOT);
      if (line.startsWith("lts/")) {
        String lts = pinnedValue(line).orElse(Versions.DEFAULTS.get("node"));
        return Optional.of(new Version("node", lts, file + " (" + line + ")"));
      }
      return pinnedValue(text).map(v -> new Version("node", v, file));
    });
  }

  /**
   * What a version file names: a version, or the major of an LTS line Otto knows by name; empty
   * for others ({@code lts/gallium}, {@code lts/*}, {@code system}).
   */
  private static Optional<String> pinnedValue(String text) {
    String line = text.strip().toLowerCase(java.util.Locale.ROOT);
    return line.startsWith("lts/") ? Optional.ofNullable(LTS.get(line.substring(4))) : Versions.pinned(text);
  }

  /**
   * Whether a test script is the one {@code npm init} writes, which only prints "Error: no test
   * specified" and fails: a project with it has no tests, not failing ones.
   */
  static boolean isPlaceholderTest(String script) {
    return script != null && script.contains("no test specified") && script.contains("exit 1");
  }

  /** What package.json declares: its scripts by name, {@code engines.node}, {@code packageManager}, workspaces. */
  static Manifest manifest(String manifest, Folder folder) {
    Map<String, String> names = new LinkedHashMap<>();
    String engine = null;
    String packageManager = null;
    boolean workspaces = false;
    try (JsonParser json = JSON.createParser(manifest)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new ConventionException("package.json " + folder.where() + " is not a JSON object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (field.equals("scripts") && value == JsonToken.START_OBJECT) {
          names.putAll(strings(json));
        } else if (field.equals("engines") && value == JsonToken.START_OBJECT) {
          engine = strings(json).get("node");
        } else if (field.equals("packageManager") && value == JsonToken.VALUE_STRING) {
          packageManager = json.getText();
        } else {
          workspaces |= field.equals("workspaces");
          json.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new ConventionException("package.json " + folder.where() + " is not valid JSON: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    return new Manifest(names, Optional.ofNullable(engine), Optional.ofNullable(packageManager), workspaces);
  }

  /** The string fields of the object the parser is at; other values as empty strings. */
  private static Map<String, String> strings(JsonParser json) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String name = json.currentName();
      JsonToken value = json.nextToken();
      fields.put(name, value == JsonToken.VALUE_STRING ? json.getText() : "");
      json.skipChildren();
    }
    return fields;
  }
}

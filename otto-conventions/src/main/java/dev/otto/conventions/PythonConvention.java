package dev.otto.conventions;

import dev.otto.conventions.Versions.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python: {@code pyproject.toml} or {@code requirements.txt}, installed with the tool the project uses (uv with
 * {@code uv.lock}, Poetry with {@code poetry.lock} or {@code [tool.poetry]}, else pip in a virtual environment),
 * with the test dependencies it declares (a {@code test} extra or dependency group), and tested with pytest.
 */
final class PythonConvention implements Convention {
  /** The names projects give the extras and dependency groups their tests need. */
  private static final List<String> TEST_SETS = List.of("test", "tests", "testing", "dev");
  private static final Pattern QUOTED_PYTEST = Pattern.compile("[\"']pytest\\s*([<>=~!\\[;]|[\"'])");
  private static final Pattern REQUIRED_PYTEST = Pattern.compile("(?m)^\\s*pytest\\s*([<>=~!\\[;]|$)");
  /** pytest exits with 5 when it collects no test: a project without tests, not a failure. */
  private static final String NO_TESTS_PASS = "; status=$?; if [ $status -eq 5 ]; then echo 'pytest collected no "
      + "tests'; exit 0; fi; exit $status";

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
    Map<String, List<String>> pyproject = sections(folder.read("pyproject.toml").orElse(""));
    Version python = version(folder, pyproject);
    String reason = "found " + file.get() + " " + folder.where();
    // A tox or nox file holds the test environments' own dependencies, variables and commands, which are not read.
    List<String> runners = new ArrayList<>();
    folder.first("tox.ini", "tox.toml").ifPresent(runners::add);
    if (runners.isEmpty() && pyproject.keySet().stream().anyMatch(name -> name.equals("tool.tox")
        || name.startsWith("tool.tox."))) {
      runners.add("pyproject.toml's [tool.tox]");
    }
    if (runners.isEmpty() && folder.read("setup.cfg").orElse("").contains("[tox:tox]")) {
      runners.add("setup.cfg's [tox:tox]");
    }
    folder.first("noxfile.py").ifPresent(runners::add);
    String unread = runners.isEmpty() ? "" : "; " + String.join(" and ", runners) + (runners.size() == 1 ? " is" : " are")
        + " not read: the test environments' dependencies, variables and commands there are not the Test stage's "
        + "(adjust the stage to run " + (runners.size() == 2 ? "tox or nox" : runners.get(0).startsWith("nox") ? "nox"
        : "tox") + " for them)";
    if (folder.has("uv.lock")) {
      return Optional.of(uv(folder, pyproject, python, reason + ", with uv.lock: uv; " + python.describe() + unread));
    }
    if (folder.has("poetry.lock") || pyproject.keySet().stream().anyMatch(name -> name.startsWith("tool.poetry"))) {
      return Optional.of(poetry(folder, python, reason + ": Poetry; " + python.describe() + unread));
    }
    return Optional.of(pip(folder, file.get(), pyproject, python, reason + ": pip; " + python.describe() + unread));
  }

  /** {@code uv sync --frozen}: the locked dependencies, the default {@code dev} group and the test groups. */
  private Project uv(Folder folder, Map<String, List<String>> pyproject, Version python, String reason) {
    StringBuilder sync = new StringBuilder("uv sync --frozen");
    for (String group : testSets(pyproject, "dependency-groups")) {
      if (!group.equals("dev")) {
        sync.append(" --group ").append(group);
      }
    }
    for (String extra : testSets(pyproject, "project.optional-dependencies")) {
      sync.append(" --extra ").append(extra);
    }
    List<String> test = List.of((declaresPytest(folder) ? "uv run --frozen pytest" : "uv run --frozen --with pytest "
        + "pytest") + NO_TESTS_PASS);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("UV_CACHE_DIR", ".uv-cache");
    env.put("UV_LINK_MODE", "copy");
    return BuiltIn.project(id(), folder, reason, "ghcr.io/astral-sh/uv:python" + line(python) + "-trixie",
        List.of("uv"), List.of(sync.toString()), test, env, "uv", List.of(".uv-cache/"), List.of("uv.lock"));
  }

  /** {@code poetry install}: the project and its non-optional groups, in {@code .venv}; Poetry in its own one. */
  private Project poetry(Folder folder, Version python, String reason) {
    String poetry = ".poetry/bin/poetry";
    List<String> build = new ArrayList<>(List.of("python3 -m venv .poetry",
        ".poetry/bin/pip install --cache-dir .pip-cache poetry", poetry + " install --no-interaction"));
    if (!declaresPytest(folder)) {
      build.add(poetry + " run python -m pip install --cache-dir .pip-cache pytest");
    }
    List<String> test = List.of(poetry + " run python -m pytest" + NO_TESTS_PASS);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("POETRY_VIRTUALENVS_IN_PROJECT", "true");
    env.put("POETRY_CACHE_DIR", ".poetry-cache");
    return BuiltIn.project(id(), folder, reason, "python:" + python.value(), List.of(tool(folder)), build, test, env,
        "poetry", List.of(".pip-cache/", ".poetry-cache/"), BuiltIn.present(folder, "poetry.lock", "pyproject.toml"));
  }

  /** pip in {@code .venv}: the requirements or the project with its test extras and groups, and pytest if absent. */
  private Project pip(Folder folder, String file, Map<String, List<String>> pyproject, Version python,
      String reason) {
    String pip = ".venv/bin/pip install --cache-dir .pip-cache";
    List<String> build = new ArrayList<>(List.of("python3 -m venv .venv"));
    List<String> groups = testSets(pyproject, "dependency-groups");
    if (!groups.isEmpty()) {
      // pip reads dependency groups from 25.1 on
      build.add(".venv/bin/python -m pip install --cache-dir .pip-cache --upgrade 'pip>=25.1'");
    }
    List<String> extras = testSets(pyproject, "project.optional-dependencies");
    if (file.equals("pyproject.toml")) {
      build.add(pip + (extras.isEmpty() ? " ." : " '.[" + String.join(",", extras) + "]'"));
    }
    // requirements files beside a pyproject.toml hold what its tests need (httpx's, say): installed too
    for (String requirements : BuiltIn.present(folder, "requirements.txt", "requirements-dev.txt")) {
      build.add(pip + " -r " + requirements);
    }
    groups.forEach(group -> build.add(pip + " --group " + group));
    if (!declaresPytest(folder)) {
      build.add(pip + " pytest");
    }
    return BuiltIn.project(id(), folder, reason, "python:" + python.value(), List.of(tool(folder)), build,
        List.of(".venv/bin/python -m pytest" + NO_TESTS_PASS), Map.of(), "pip", List.of(".pip-cache/"),
        BuiltIn.present(folder, "requirements.txt", "requirements-dev.txt", "pyproject.toml"));
  }

  /** The test extras or groups of a pyproject section, in the order {@link #TEST_SETS} gives. */
  private static List<String> testSets(Map<String, List<String>> pyproject, String section) {
    List<String> keys = pyproject.getOrDefault(section, List.of());
    return TEST_SETS.stream().filter(keys::contains).toList();
  }

  /**
   * Whether the project's own files require pytest, so that installing them installs it: a quoted requirement in
   * pyproject.toml (not its {@code [tool.pytest.ini_options]}), or a line of a requirements file.
   */
  private static boolean declaresPytest(Folder folder) {
    return folder.read("pyproject.toml").filter(text -> QUOTED_PYTEST.matcher(text).find()).isPresent()
        || BuiltIn.present(folder, "requirements.txt", "requirements-dev.txt").stream().map(folder::read)
            .flatMap(Optional::stream).anyMatch(text -> REQUIRED_PYTEST.matcher(text).find());
  }

  /** Python's version from {@code .python-version}, else within {@code requires-python}, else the default. */
  static Version version(Folder folder, Map<String, List<String>> pyproject) {
    Optional<Version> file = folder.read(".python-version").flatMap(Versions::pinned)
        .map(v -> new Version("python", v, ".python-version"));
    Optional<Version> requires = folder.read("pyproject.toml").flatMap(text -> {
      Matcher m = Pattern.compile("(?m)^requires-python\\s*=\\s*[\"']([^\"']+)[\"']").matcher(text);
      return m.find() ? Versions.within(m.group(1), "python", 2)
          .map(v -> new Version("python", v, "requires-python \"" + m.group(1) + "\" in pyproject.toml"))
          : Optional.empty();
    });
    return Versions.first("python", List.of(file, requires));
  }

  /**
   * Python as a tool requirement: the version {@code .python-version} pins, else the oldest
   * {@code requires-python} allows ({@code python3>=3.10}); plain {@code python3} when none says.
   */
  static String tool(Folder folder) {
    return folder.read(".python-version").flatMap(Versions::pinned)
        .or(() -> folder.read("pyproject.toml").flatMap(text -> {
          Matcher m = Pattern.compile("(?m)^requires-python\\s*=\\s*[\"']([^\"']+)[\"']").matcher(text);
          return m.find() ? Versions.oldest(m.group(1), 2) : Optional.empty();
        })).map(version -> "python3>=" + version).orElse("python3");
  }

  /** The minor line of a version, {@code 3.12} of {@code 3.12.4}: uv's images are tagged by it. */
  private static String line(Version python) {
    String[] parts = python.value().split("\\.");
    return parts.length < 2 ? python.value() : parts[0] + "." + parts[1];
  }

  /**
   * The keys of each table of a TOML file, as far as conventions need them: names only. A table
   * is a {@code [section]}, or what dotted keys ({@code optional-dependencies.tests = [...]} in
   * {@code [project]}) and inline tables ({@code optional-dependencies = { tests = [...] }}) make:
   * each is listed under its full name, {@code project.optional-dependencies}.
   */
  static Map<String, List<String>> sections(String toml) {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    String section = "";
    // A [table], or an [[array of tables]], whose keys belong to each element: listed under its name too.
    Pattern header = Pattern.compile("^\\[\\[?([^\\[\\]]+)]]?\\s*(#.*)?$");
    Pattern key = Pattern.compile("^\\s*((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)(?:\\s*\\.\\s*(?:\"[^\"]*\"|'[^']*'|"
        + "[A-Za-z0-9_-]+))*)\\s*=\\s*(.*)$");
    for (String line : toml.lines().toList()) {
      Matcher h = header.matcher(line.strip());
      if (h.matches()) {
        section = name(h.group(1));
        sections.computeIfAbsent(section, s -> new ArrayList<>());
        continue;
      }
      Matcher k = key.matcher(line);
      if (k.find()) {
        String table = section;
        List<String> parts = List.of(name(k.group(1)).split("\\.", -1));
        for (int i = 0; i < parts.size(); i++) {
          if (!table.isEmpty()) {
            List<String> keys = sections.computeIfAbsent(table, t -> new ArrayList<>());
            if (!keys.contains(parts.get(i))) {
              keys.add(parts.get(i));
            }
          }
          table = table.isEmpty() ? parts.get(i) : table + "." + parts.get(i);
        }
        String value = k.group(2).strip();
        if (value.startsWith("{")) {
          sections.computeIfAbsent(table, t -> new ArrayList<>()).addAll(inlineKeys(value));
        }
      }
    }
    return sections;
  }

  /** A key or table name without quotes and blanks around its dots: {@code project . "a"} is {@code project.a}. */
  private static String name(String dotted) {
    return dotted.strip().replaceAll("\\s*\\.\\s*", ".").replace("\"", "").replace("'", "");
  }

  /** The keys of an inline table's first level: {@code tests} and {@code docs} of {@code { tests = [..], docs = [..] }}. */
  private static List<String> inlineKeys(String table) {
    List<String> keys = new ArrayList<>();
    int depth = 0;
    char quote = 0;
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < table.length(); i++) {
      char c = table.charAt(i);
      boolean quoted = quote != 0;
      if (quote == 0 && (c == '"' || c == '\'') || c == quote) {
        quote = quote == 0 ? c : 0;
      } else if (!quoted && (c == '{' || c == '[')) {
        depth++;
        word.setLength(0);
      } else if (!quoted && (c == '}' || c == ']')) {
        depth--;
      } else if (!quoted && depth == 1 && c == ',') {
        word.setLength(0);
      } else if (!quoted && depth == 1 && c == '=') {
        String key = word.toString().strip();
        if (!key.isEmpty() && !keys.contains(key)) {
          keys.add(key);
        }
        word.setLength(0);
      } else if (depth == 1) {
        word.append(c);
      }
    }
    return keys;
  }
}

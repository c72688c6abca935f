package dev.otto.conventions;

import static dev.otto.testkit.OttoAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.model.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conventions on small trees shaped like real repositories: what they declare decides versions and tools. */
class RepositoryShapesTest {
  @TempDir
  Path repo;

  /** Writes {@code files}: a path, then its content, and so on. */
  private Path tree(String... files) {
    try {
      for (int i = 0; i < files.length; i += 2) {
        Path file = repo.resolve(files[i]);
        Files.createDirectories(file.getParent());
        Files.writeString(file, files[i + 1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return repo;
  }

  private Project only(Path root) {
    List<Project> projects = Conventions.in(root).projects();
    assertThat(projects).hasSize(1);
    return projects.get(0);
  }

  @Nested
  class DeclaredVersions {
    @Test
    void should_take_node_from_nvmrc_before_engines_and_say_so() {
      Project node = only(tree(".nvmrc", "v22.11.0\n", "package.json", "{\"engines\":{\"node\":\">=18\"}}"));

      assertThat(node.image()).isEqualTo("node:22.11.0");
      assertThat(node.reason()).contains("node 22.11.0 from .nvmrc");
    }

    @Test
    void should_take_node_within_engines_and_an_lts_name_from_node_version() {
      assertThat(only(tree("package.json", "{\"engines\":{\"node\":\"^20 || ^22\"}}")).reason())
          .contains("node 22 from engines.node \"^20 || ^22\" in package.json");
      assertThat(only(tree(".node-version", "lts/iron")).image()).isEqualTo("node:20");
      assertThat(only(repo).tools()).containsExactly("node>=20", "npm");
    }

    @Test
    void should_ask_for_no_node_version_an_lts_name_it_does_not_know_names() {
      assertThat(only(tree("package.json", "{}", ".nvmrc", "lts/gallium\n")).tools()).containsExactly("node", "npm");
      assertThat(only(tree(".nvmrc", "lts/*\n")).tools()).containsExactly("node", "npm");
      assertThat(only(tree(".nvmrc", "22.11.0\n")).tools()).containsExactly("node>=22.11.0", "npm");
    }

    @Test
    void should_ask_for_the_oldest_node_a_hyphen_range_allows() {
      assertThat(only(tree("package.json", "{\"engines\":{\"node\":\"18 - 22\"}}")).tools())
          .containsExactly("node>=18", "npm");
    }

    @Test
    void should_ask_for_the_minor_and_patch_engines_node_names() {
      // As fb55/entities asks, where Node 20.10 lacks util.styleText that its tests use.
      assertThat(only(tree("package.json", "{\"engines\":{\"node\":\">=20.19.0\"}}")).tools())
          .containsExactly("node>=20.19", "npm");
      assertThat(only(tree("package.json", "{\"engines\":{\"node\":\"^18.18.2 || >=20\"}}")).tools())
          .containsExactly("node>=18.18.2", "npm");
    }

    @Test
    void should_take_go_from_the_toolchain_line_else_the_go_line() {
      assertThat(only(tree("go.mod", "module x\n\ngo 1.25.0\n\ntoolchain go1.25.3\n")).image())
          .isEqualTo("golang:1.25.3");
      Path plain = tree("go.mod", "module x\n\ngo 1.24.2\n");
      assertThat(only(plain).image()).isEqualTo("golang:1.24");
      assertThat(only(plain).reason()).contains("go 1.24 from go.mod's go line");
      assertThat(only(plain).tools()).containsExactly("go>=1.24.2");
    }

    @Test
    void should_take_ruby_from_ruby_version_else_the_gemfile() {
      assertThat(only(tree("Gemfile", "source 'https://rubygems.org'\nruby '3.3.5'\n")).image())
          .isEqualTo("ruby:3.3.5");
      assertThat(only(tree(".ruby-version", "ruby-3.2.2\n")).reason()).contains("ruby 3.2.2 from .ruby-version");
    }

    @Test
    void should_run_a_gradle_toolchain_on_its_own_jdk() {
      Project gradle = only(tree("build.gradle.kts", "java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }"));

      assertThat(gradle.image()).isEqualTo("gradle:8-jdk17");
      assertThat(gradle.reason()).contains("java 17 from the Java toolchain in build.gradle.kts");
    }

    @Test
    void should_build_an_older_maven_release_on_the_default_jdk_and_a_newer_one_on_its_own() {
      assertThat(only(tree("pom.xml", "<project><properties><maven.compiler.release>17</maven.compiler.release>"
          + "</properties></project>")).image()).isEqualTo("maven:3-eclipse-temurin-21");
      Project newer = only(tree("pom.xml", "<project><properties><java.version>25</java.version></properties>"
          + "</project>"));
      assertThat(newer.image()).isEqualTo("maven:3-eclipse-temurin-25");
      assertThat(newer.reason()).contains("java 25 from java.version in pom.xml");
      assertThat(only(tree(".java-version", "17.0.2\n")).image()).isEqualTo("maven:3-eclipse-temurin-17");
    }

    @Test
    void should_build_a_release_that_newer_jdks_no_longer_compile_for_on_the_newest_jdk_that_does() {
      // given builds for Java 6 (as Jackson 2.18 still compiles) and for Java 7
      Project six = only(tree("pom.xml", "<project><properties><maven.compiler.source>1.6</maven.compiler.source>"
          + "<maven.compiler.target>1.6</maven.compiler.target></properties></project>"));
      Project seven = only(tree("pom.xml", "<project><properties><maven.compiler.release>7</maven.compiler.release>"
          + "</properties></project>"));

      // then each runs on a JDK that compiles for it, says why, and asks for no newer one where it runs locally
      assertThat(six.image()).isEqualTo("maven:3-eclipse-temurin-11");
      assertThat(six.reason()).contains("java 11 from maven.compiler.source in pom.xml, which compiles for Java 6, as "
          + "JDK 12 and later no longer do");
      assertThat(six.tools()).containsExactly("mvn", "java>=6,<12");
      assertThat(seven.image()).isEqualTo("maven:3-eclipse-temurin-17");
      assertThat(seven.tools()).containsExactly("mvn", "java>=7,<20");
    }

    @Test
    void should_build_a_gradle_release_that_newer_jdks_no_longer_compile_for_on_the_newest_jdk_that_does() {
      Project five = only(tree("build.gradle", "java { sourceCompatibility = '1.5' }"));

      assertThat(five.image()).isEqualTo("gradle:8-jdk8");
      assertThat(five.tools()).containsExactly("gradle", "java>=5,<9");
    }

    @Test
    void should_say_that_an_apache_license_audit_reads_the_downloaded_repository() {
      Project commons = only(tree("pom.xml", "<project><parent>\n  <groupId>org.apache.commons</groupId>\n"
          + "  <artifactId>commons-parent</artifactId>\n  <version>78</version>\n</parent></project>"));

      assertThat(commons.reason()).endsWith("; its build runs apache-rat, whose license audit reads every file of the "
          + "project, the downloaded .m2/ among them, and fails on them: exclude .m2/** in its configuration, or "
          + "adjust the stage (-Drat.skip=true skips the audit)");
      assertThat(only(tree("pom.xml", "<project><!-- apache-rat-plugin --></project>")).reason())
          .doesNotContain("apache-rat");
    }

    @Test
    void should_skip_the_signing_of_a_build_whose_pom_binds_maven_gpg_plugin_and_say_so() {
      // given the pom of stleary/JSON-java, which signs in verify outside any profile
      Project signed = only(tree("pom.xml", """
          <project><build><plugins><plugin>
            <groupId>org.apache.maven.plugins</groupId>
            <artifactId>maven-gpg-plugin</artifactId>
            <executions><execution><id>sign-artifacts</id><phase>verify</phase>
              <goals><goal>sign</goal></goals></execution></executions>
          </plugin></plugins></build></project>
          """));
      Project commented = only(tree("pom.xml", "<project><!-- maven-gpg-plugin --></project>"));

      // then
      assertThat(signed.build()).containsExactly("mvn -B -ntp -Dmaven.repo.local=.m2/repository -Dgpg.skip verify");
      assertThat(signed.reason()).endsWith("; pom.xml names maven-gpg-plugin, which signs the build's artifacts with "
          + "a secret key that a CI build does not hold (gpg: no default secret key): -Dgpg.skip leaves the signing "
          + "out");
      assertThat(commented.build()).containsExactly("mvn -B -ntp -Dmaven.repo.local=.m2/repository verify");
      assertThat(commented.reason()).doesNotContain("gpg");
    }

    @Test
    void should_build_a_project_with_both_builds_with_maven_and_say_the_gradle_one_is_set_aside() {
      // given a pom beside a Gradle build, as stleary/JSON-java has
      Project both = only(tree("pom.xml", "<project/>", "build.gradle", "plugins { id 'java' }", "gradlew", "#!/bin/sh"));

      // then
      assertThat(both.build()).containsExactly("mvn -B -ntp -Dmaven.repo.local=.m2/repository verify");
      assertThat(both.reason()).endsWith("; build.gradle is here too, a Gradle build set aside: Maven builds the "
          + "project");
    }

    @Test
    void should_say_that_the_goals_a_bare_mvn_runs_are_not_run() {
      Project checks = only(tree("pom.xml", "<project><build><!-- <defaultGoal>site</defaultGoal> -->\n"
          + "<defaultGoal>clean verify\n  apache-rat:check checkstyle:check</defaultGoal></build></project>"));
      Project plain = only(tree("pom.xml", "<project><build><defaultGoal>verify</defaultGoal></build></project>"));

      assertThat(checks.reason()).endsWith("; pom.xml's defaultGoal (clean verify apache-rat:check checkstyle:check), "
          + "which a bare mvn runs, is not run (adjust the stage to run those goals)");
      assertThat(checks.build()).containsExactly("mvn -B -ntp -Dmaven.repo.local=.m2/repository verify");
      assertThat(plain.reason()).doesNotContain("defaultGoal");
    }

    @Test
    void should_ask_for_the_oldest_jdk_a_java_build_works_with() {
      assertThat(only(tree("pom.xml", "<project><properties><maven.compiler.release>17</maven.compiler.release>"
          + "</properties></project>")).tools()).containsExactly("mvn", "java>=17");
    }

    @Test
    void should_ask_for_no_version_of_java_when_a_build_names_none() {
      assertThat(only(tree("pom.xml", "<project/>")).tools()).containsExactly("mvn", "java");
    }

    @Test
    void should_ask_for_no_jdk_for_a_gradle_toolchain_which_gradle_finds_itself() {
      assertThat(only(tree("build.gradle.kts", "java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }"))
          .tools()).containsExactly("gradle", "java");
    }

    @Test
    void should_ask_for_the_jdk_of_a_gradle_release() {
      assertThat(only(tree("build.gradle", "java { sourceCompatibility = JavaVersion.VERSION_11 }")).tools())
          .containsExactly("gradle", "java>=11");
    }

    @Test
    void should_take_rust_from_its_toolchain_file() {
      Project pinned = only(tree("Cargo.toml", "[package]\nname = \"x\"\n", "rust-toolchain.toml",
          "[toolchain]\nchannel = \"1.85.0\"\n"));
      assertThat(pinned.image()).isEqualTo("rust:1.85.0");
      repo.resolve("rust-toolchain.toml").toFile().delete();
      assertThat(only(tree("rust-toolchain", "nightly-2026-01-01\n")).image()).isEqualTo("rustlang/rust:nightly");
    }

    @Test
    void should_take_python_from_python_version_else_within_requires_python() {
      assertThat(only(tree("pyproject.toml", "[project]\nname = \"x\"\nrequires-python = \">=3.9,<3.12\"\n")).image())
          .isEqualTo("python:3.11");
      assertThat(only(tree(".python-version", "3.12\n")).reason()).contains("python 3.12 from .python-version");
    }

    @Test
    void should_ask_for_the_oldest_python_requires_python_allows() {
      assertThat(only(tree("pyproject.toml", "[project]\nname = \"x\"\nrequires-python = \">=3.9,<3.12\"\n")).tools())
          .containsExactly("python3>=3.9");
    }
  }

  @Nested
  class PackageManagers {
    @Test
    void should_keep_maven_in_the_workspace_only_with_a_wrapper_that_reads_maven_user_home() {
      // given the scripts of the Maven wrapper 3.3.1, which keeps Maven under $HOME, and 3.3.2, which reads
      // MAVEN_USER_HOME, and a wrapper that runs its jar
      String pom = "<project><modelVersion>4.0.0</modelVersion></project>";
      Project old = only(tree("pom.xml", pom, "mvnw",
          "#!/bin/sh\nMAVEN_HOME=\"$HOME/.m2/wrapper/dists/${distributionUrlNameMain-}\"\n"));
      Project reads = only(tree("mvnw", "#!/bin/sh\nMAVEN_HOME=\"${MAVEN_USER_HOME:-$HOME/.m2}/wrapper/dists\"\n"));
      String runsJar = "#!/bin/sh\nWRAPPER_JAR=\"$MAVEN_PROJECTBASEDIR/.mvn/wrapper/maven-wrapper.jar\"\n";
      Project jar = only(tree("mvnw", runsJar, ".mvn/wrapper/maven-wrapper.properties", "wrapperVersion=3.1.0\n"));
      Project committedJar = only(tree("mvnw", runsJar, ".mvn/wrapper/maven-wrapper.jar", "PK"));
      Project ignoredJar = only(tree(".gitignore", "target/\n.mvn/wrapper/maven-wrapper.jar\n"));

      // then
      assertThat(old.env()).doesNotContainKey("MAVEN_USER_HOME");
      assertThat(old.cache().orElseThrow().paths()).containsExactly(".m2/repository/");
      assertThat(old.reason()).contains("keeps the Maven it downloads in the user's home (~/.m2/wrapper)");
      for (Project kept : List.of(reads, jar, committedJar)) {
        assertThat(kept.env()).containsEntry("MAVEN_USER_HOME", ".m2");
        assertThat(kept.reason()).contains("with the Maven wrapper;");
      }
      assertThat(reads.cache().orElseThrow().paths()).containsExactly(".m2/repository/", ".m2/wrapper/");
      assertThat(committedJar.cache().orElseThrow().paths()).containsExactly(".m2/repository/", ".m2/wrapper/");
      // A wrapper jar that is not committed is downloaded by the script into the project: cached, and keyed by
      // the wrapper's properties, which say which jar and which Maven.
      assertThat(jar.cache().orElseThrow().paths())
          .containsExactly(".m2/repository/", ".m2/wrapper/", ".mvn/wrapper/maven-wrapper.jar");
      assertThat(jar.cache().orElseThrow().keyFiles()).contains(".mvn/wrapper/maven-wrapper.properties");
      // A jar this folder holds that .gitignore leaves out of the workspace is downloaded there too.
      assertThat(ignoredJar.cache().orElseThrow().paths()).contains(".mvn/wrapper/maven-wrapper.jar");
    }

    @Test
    void should_say_that_a_tox_file_is_not_read() {
      // The files add up: the project first, then its tox.ini.
      Project plain = only(tree("pyproject.toml", "[project]\nname = 'x'\n"));
      Project tox = only(tree("tox.ini", "[tox]\nenv_list = py3\n"));

      assertThat(plain.reason()).doesNotContain("is not read");
      assertThat(tox.reason()).contains("; tox.ini is not read: the test environments' dependencies, variables and "
          + "commands there are not the Test stage's (adjust the stage to run tox for them)");
    }

    @Test
    void should_say_that_tox_in_pyproject_and_a_nox_file_beside_it_are_not_read() {
      Project both = only(tree("pyproject.toml", "[project]\nname = 'x'\n[tool.tox.env_run_base]\ncommands = []\n",
          "noxfile.py", "import nox\n"));

      assertThat(both.reason()).contains("; pyproject.toml's [tool.tox] and noxfile.py are not read", "run tox or nox");
    }

    @Test
    void should_say_that_a_nox_file_is_not_read() {
      Project nox = only(tree("requirements.txt", "requests\n", "noxfile.py", "import nox\n"));

      assertThat(nox.reason()).contains("; noxfile.py is not read", "to run nox for them");
    }

    @Test
    void should_say_what_an_unpinned_yarn_2_gets_through_corepack() {
      // The files add up: a Yarn 2 lock file first, then a yarnPath in .yarnrc.yml.
      Project unpinned = only(tree("package.json", "{\"scripts\":{\"test\":\"jest\"}}", "yarn.lock",
          "__metadata:\n  version: 8\n", ".yarnrc.yml", "nodeLinker: node-modules\n"));
      Project kept = only(tree(".yarnrc.yml", "yarnPath: .yarn/releases/yarn-4.5.0.cjs\n"));

      assertThat(unpinned.reason()).contains("Yarn 2 or later through corepack; package.json pins none, so corepack "
          + "takes Yarn 1, which refuses --immutable (\"packageManager\": \"yarn@<version>\" pins it)");
      assertThat(kept.reason()).contains("Yarn 2 or later through corepack, the release .yarnrc.yml's yarnPath names");
    }

    @Test
    void should_install_pnpm_through_corepack_at_the_version_package_json_pins() {
      // given
      Pipeline pnpm = Conventions.in(tree("package.json", "{\"packageManager\":\"pnpm@10.7.0+sha512.abc\","
          + "\"scripts\":{\"test\":\"vitest\"}}", "pnpm-lock.yaml", "")).pipeline("app");

      // then
      assertThat(pnpm).stage("Build").runsScriptContaining("corepack enable --install-directory .corepack/bin")
          .runsScriptContaining("PATH=\"$PWD/.corepack/bin:$PATH\" pnpm install --frozen-lockfile")
          .cameFrom("pnpm (pnpm@10.7.0 from packageManager) through corepack");
      assertThat(pnpm).stage("Test").runsScriptContaining("pnpm test");
    }

    @Test
    void should_install_yarn_berry_immutably_with_its_cache_in_the_workspace() {
      // given a Yarn 4 project, known by its .yarnrc.yml
      Project berry = only(tree("package.json", "{\"scripts\":{\"build\":\"tsc\"}}", "yarn.lock",
          "__metadata:\n  version: 8\n", ".yarnrc.yml", "nodeLinker: node-modules\n"));

      // then it gets none of Yarn 1's flags
      assertThat(berry.build()).contains("PATH=\"$PWD/.corepack/bin:$PATH\" yarn install --immutable");
      assertThat(String.join("\n", berry.build())).doesNotContain("--frozen-lockfile");
      assertThat(berry.env()).containsEntry("YARN_CACHE_FOLDER", ".yarn-cache")
          .containsEntry("YARN_ENABLE_GLOBAL_CACHE", "false");
      assertThat(berry.cache()).hasValueSatisfying(cache -> assertThat(cache.paths()).containsExactly(".yarn-cache/"));
    }

    @Test
    void should_keep_yarn_1_flags_for_a_classic_lock_file() {
      assertThat(only(tree("package.json", "{}", "yarn.lock", "# yarn lockfile v1\n")).build())
          .containsExactly("yarn install --frozen-lockfile --cache-folder .yarn-cache");
    }

    @Test
    void should_sync_a_uv_project_with_its_test_group_and_run_pytest_through_uv() {
      Project uv = only(tree("pyproject.toml", "[project]\nname = \"x\"\n\n[dependency-groups]\ndev = [\"ruff\"]\n"
          + "tests = [\"pytest\"]\n", "uv.lock", ""));

      assertThat(uv.build()).containsExactly("uv sync --frozen --group tests");
      assertThat(uv.test()).singleElement().asString().startsWith("uv run --frozen pytest");
      assertThat(uv.image()).isEqualTo("ghcr.io/astral-sh/uv:python3.13-trixie");
      assertThat(uv.reason()).contains("with uv.lock: uv");
    }

    @Test
    void should_install_a_pip_project_with_its_test_extra_and_not_add_pytest_it_declares() {
      Project pip = only(tree("pyproject.toml", "[project]\nname = \"x\"\n\n[project.optional-dependencies]\n"
          + "test = [\"pytest>=8\"]\ndocs = [\"sphinx\"]\n"));

      assertThat(pip.build()).containsExactly("python3 -m venv .venv",
          ".venv/bin/pip install --cache-dir .pip-cache '.[test]'");
    }

    @Test
    void should_find_a_test_extra_written_with_dotted_keys_or_as_an_inline_table() {
      // As python-humanize writes it, in [project].
      Project dotted = only(tree("pyproject.toml", """
          [project]
          name = "x"
          optional-dependencies.docs = ["mkdocs"]
          optional-dependencies.tests = [ "freezegun", "pytest", "pytest-cov" ]
          """));
      assertThat(dotted.build()).containsExactly("python3 -m venv .venv",
          ".venv/bin/pip install --cache-dir .pip-cache '.[tests]'");

      Project inline = only(tree("pyproject.toml", """
          [project]
          name = "x"
          optional-dependencies = { docs = ["mkdocs"], "test" = ["pytest>=8", "it's = not a key"] }
          """));
      assertThat(inline.build()).containsExactly("python3 -m venv .venv",
          ".venv/bin/pip install --cache-dir .pip-cache '.[test]'");

      Project arrays = only(tree("pyproject.toml", """
          [project]
          name = "x"
          [project.optional-dependencies]
          'test' = ["pytest"]
          [[tool.uv.index]]
          name = "internal"
          url = "https://example.org/simple"
          """));
      assertThat(arrays.build()).containsExactly("python3 -m venv .venv",
          ".venv/bin/pip install --cache-dir .pip-cache '.[test]'");

      Project top = only(tree("pyproject.toml", """
          project.name = "x"
          project . optional-dependencies . testing = ["pytest"]
          """));
      assertThat(top.build()).containsExactly("python3 -m venv .venv",
          ".venv/bin/pip install --cache-dir .pip-cache '.[testing]'");
    }

    @Test
    void should_install_the_requirements_beside_a_pyproject_and_take_pytest_from_them() {
      Project pip = only(tree("pyproject.toml", "[project]\nname = \"x\"\n\n[tool.pytest.ini_options]\naddopts = \"-q\"\n",
          "requirements.txt", "-e .[http2]\npytest==8.3.3\n"));

      assertThat(pip.build()).containsExactly("python3 -m venv .venv", ".venv/bin/pip install --cache-dir .pip-cache .",
          ".venv/bin/pip install --cache-dir .pip-cache -r requirements.txt");
    }

    @Test
    void should_install_pytest_when_pyproject_only_configures_it() {
      Project pip = only(tree("pyproject.toml", "[project]\nname = \"x\"\n\n[tool.pytest.ini_options]\naddopts = \"-q\"\n"));

      assertThat(pip.build()).endsWith(".venv/bin/pip install --cache-dir .pip-cache pytest");
    }

    @Test
    void should_install_a_poetry_project_with_poetry() {
      Project poetry = only(tree("pyproject.toml", "[tool.poetry]\nname = \"x\"\n", "poetry.lock", ""));

      assertThat(poetry.build()).contains(".poetry/bin/poetry install --no-interaction");
      assertThat(poetry.test()).singleElement().asString().startsWith(".poetry/bin/poetry run python -m pytest");
      assertThat(poetry.env()).containsEntry("POETRY_VIRTUALENVS_IN_PROJECT", "true");
    }

    @Test
    void should_not_run_tests_twice_when_the_makefiles_first_target_is_test() {
      Project first = only(tree("Makefile", ".PHONY: test\nCC := cc\ntest: shop\n\t./shop --self-test\nshop:\n\tcc -o shop shop.c\n"));

      assertThat(first.build()).containsExactly("make test");
      assertThat(first.test()).isEmpty();
      assertThat(first.reason()).contains("its first target is test, so the tests run in Build");
      assertThat(BuiltIn.Make.targets("test: all\nall:\n\tcc x.c\n")).containsExactly("test", "all");
    }

    @Test
    void should_build_the_all_target_when_test_comes_first_and_all_exists() {
      Project first = only(tree("Makefile", "test: all\n\t./run\nall:\n\tcc x.c\n"));

      assertThat(first.build()).containsExactly("make all");
      assertThat(first.test()).containsExactly("make test");
    }
  }

  @Nested
  class Monorepos {
    @Test
    void should_look_past_a_root_package_json_that_only_carries_tooling() {
      // given a root with husky and a linter, and services below
      Path root = tree("package.json", "{\"devDependencies\":{\"husky\":\"9\"},\"scripts\":{\"prepare\":\"husky\"}}",
          "services/api/go.mod", "module api\n\ngo 1.26\n", "services/web/package.json",
          "{\"scripts\":{\"build\":\"vite build\"}}");

      // then
      assertThat(Conventions.in(root).projects()).extracting(Project::folder)
          .containsExactly("services/api", "services/web");
    }

    @Test
    void should_let_a_tooling_only_package_json_give_way_to_the_project_beside_it() {
      Path root = tree("package.json", "{\"private\":true,\"devDependencies\":{\"prettier\":\"3\"}}", "go.mod",
          "module x\n\ngo 1.26\n", "docs/package.json", "{\"scripts\":{\"build\":\"vitepress build\"}}");

      assertThat(only(root).convention()).isEqualTo("go");
    }

    @Test
    void should_build_a_project_with_both_a_pom_and_a_gradle_build_once_with_maven() {
      assertThat(only(tree("pom.xml", "<project/>", "build.gradle", "plugins { id 'java' }")).convention())
          .isEqualTo("maven");
    }

    @Test
    void should_keep_a_tooling_only_root_when_nothing_is_below_it() {
      assertThat(only(tree("package.json", "{\"scripts\":{\"lint\":\"eslint .\"}}")).folder()).isEmpty();
    }

    @Test
    void should_build_a_c_project_with_its_root_makefile_not_the_package_json_of_its_test_data() {
      // given
      Path root = tree("Makefile", "all:\n\tcc -o jsmn jsmn.c\n", "test/package.json", "{\"scripts\":{\"test\":\"x\"}}",
          "fixtures/py/requirements.txt", "requests\n");

      // then
      assertThat(only(root).convention()).isEqualTo("make");
    }

    @Test
    void should_take_test_folders_as_projects_when_nothing_else_matches() {
      assertThat(only(tree("examples/demo/package.json", "{}")).folder()).isEqualTo("examples/demo");
    }

    @Test
    void should_let_a_root_cmake_build_own_its_subfolders() {
      Path root = tree("CMakeLists.txt", "project(x C)\nenable_testing()\nadd_subdirectory(bindings)\n",
          "bindings/python/pyproject.toml", "[project]\nname = \"x\"\n");

      assertThat(only(root).convention()).isEqualTo("cmake");
    }

    @Test
    void should_list_folders_of_ecosystems_without_a_convention_in_explain() {
      // given
      Path root = tree("api/pom.xml", "<project/>", "site/composer.json", "{}");

      // when
      Pipeline pipeline = Conventions.in(root).pipeline("mixed");

      // then
      assertThat(Conventions.in(root).unsupported()).containsExactly("found composer.json in site (PHP), no convention");
      assertThat(pipeline).stage("Projects").cameFrom("found composer.json in site (PHP), no convention");
    }

    @Test
    void should_build_a_pipeline_whose_key_files_lie_under_a_folder_named_with_a_star_or_a_question_mark() {
      // given Maven modules in folders whose names read as patterns, which key files may not be
      Path root = tree("pom.xml", "<project/>", "what?/pom.xml", "<project/>", "a*b/pom.xml", "<project/>");

      // when
      Pipeline pipeline = Conventions.in(root).pipeline("odd");

      // then it is valid, keyed by the pom at the root
      assertThat(dev.otto.core.validate.Validator.validate(pipeline)).isEmpty();
      assertThat(pipeline.caches().get(0).keyFiles()).containsExactly("pom.xml");
    }

    @Test
    void should_name_unsupported_folders_when_nothing_matches() {
      assertThatThrownBy(() -> Conventions.in(tree("mix.exs", "")).projects())
          .isInstanceOf(ConventionException.class).hasMessageContaining("found mix.exs at the root (Elixir), no convention");
    }
  }

  @Nested
  class NewEcosystems {
    @Test
    void should_configure_build_and_ctest_a_cmake_project_that_enables_testing() {
      Project cmake = only(tree("CMakeLists.txt", "project(x C)\ninclude(CTest)\n"));

      assertThat(cmake.build()).contains("cmake -S . -B .cmake-build -DCMAKE_BUILD_TYPE=RelWithDebInfo",
          "cmake --build .cmake-build --parallel \"$(nproc 2>/dev/null || echo 2)\"");
      assertThat(cmake.test()).containsExactly(
          "cd .cmake-build && ctest --output-on-failure --parallel \"$(nproc 2>/dev/null || echo 2)\"");
      assertThat(only(tree("CMakeLists.txt", "project(x C)\n")).test()).isEmpty();
    }

    @Test
    void should_say_how_to_run_the_test_target_of_a_makefile_beside_a_cmake_project_without_tests() {
      // given a CMake project that does not enable testing, whose Makefile runs its tests (as parson's does)
      Project cmake = only(tree("CMakeLists.txt", "project(parson C)\n", "Makefile",
          "all: test testcpp\n\ntest: tests.c\n\t$(CC) -o $@ tests.c && ./$@\n"));

      // then
      assertThat(cmake.test()).isEmpty();
      assertThat(cmake.reason()).endsWith("; no Test stage, it does not enable testing (its Makefile has a test "
          + "target, which this convention does not run: adjust the project with withTest(\"make test\") to run it)");
    }

    @Test
    void should_ask_for_the_cmake_its_project_requires_and_the_compilers_of_its_languages() {
      assertThat(only(tree("CMakeLists.txt", "cmake_minimum_required(VERSION 3.10...3.28)\nproject(x C)\n")).tools())
          .containsExactly("cmake>=3.10", "make", "cc");
      assertThat(only(tree("CMakeLists.txt", "project(x)\n")).tools()).containsExactly("cmake", "make", "cc", "c++");
      assertThat(only(tree("CMakeLists.txt", """
          # project(old C)
          CMAKE_MINIMUM_REQUIRED(VERSION 3.14.2)
          project(
            lib VERSION 1.2.3
            DESCRIPTION "A library for C and C++ users"
            HOMEPAGE_URL "https://example.org"
            LANGUAGES CXX)
          """)).tools()).containsExactly("cmake>=3.14.2", "make", "c++");
      assertThat(only(tree("CMakeLists.txt", "project(x VERSION 1.0 DESCRIPTION \"C tools\")\n")).tools())
          .containsExactly("cmake", "make", "cc", "c++");
      assertThat(only(tree("CMakeLists.txt", "project(docs NONE)\n")).tools()).containsExactly("cmake", "make");
      assertThat(only(tree("CMakeLists.txt", "cmake_minimum_required(VERSION 3.10)\nproject(demo VERSION 1.0 "
          + "DESCRIPTION \"A demo (fast) lib, C# bindings\" LANGUAGES CXX)\n")).tools())
          .containsExactly("cmake>=3.10", "make", "c++");
    }

    @Test
    void should_take_no_cmake_file_without_project_for_a_project_and_point_to_the_repository_s_root() throws Exception {
      // given the tests folder of a CMake project, whose CMakeLists.txt the project's own adds
      Files.createDirectories(repo.resolve(".git"));
      tree("CMakeLists.txt", "cmake_minimum_required(VERSION 3.10)\nPROJECT(lib C)\nadd_subdirectory(tests)\n",
          "tests/CMakeLists.txt", "add_executable(lib_test lib_test.c)\nadd_test(lib_test lib_test)\n");

      // then
      assertThat(only(repo).convention()).isEqualTo("cmake");
      assertThatThrownBy(() -> Conventions.in(repo.resolve("tests")).projects())
          .isInstanceOf(ConventionException.class)
          .hasMessageContaining("This folder lies inside the git repository " + repo.toAbsolutePath().normalize()
              + ", whose root may hold the project: run otto there");
    }

    @Test
    void should_restore_build_and_test_a_dotnet_solution_on_the_sdk_its_projects_target() {
      // given
      Project dotnet = only(tree("App.sln", "", "src/App/App.csproj",
          "<Project><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>",
          "test/App.Tests/App.Tests.csproj", "<Project><PropertyGroup><TargetFrameworks>net8.0;net9.0"
              + "</TargetFrameworks></PropertyGroup><ItemGroup><PackageReference Include=\"Microsoft.NET.Test.Sdk\" />"
              + "</ItemGroup></Project>"));

      // then
      assertThat(dotnet.image()).isEqualTo("mcr.microsoft.com/dotnet/sdk:9.0");
      assertThat(dotnet.build()).containsExactly("NUGET_PACKAGES=\"$PWD/.nuget/packages\" dotnet restore 'App.sln'",
          "NUGET_PACKAGES=\"$PWD/.nuget/packages\" dotnet build --no-restore 'App.sln'");
      assertThat(dotnet.test()).containsExactly("NUGET_PACKAGES=\"$PWD/.nuget/packages\" dotnet test --no-build 'App.sln'");
    }

    @Test
    void should_take_the_dotnet_sdk_global_json_pins() {
      assertThat(only(tree("App.csproj", "<Project/>", "global.json", "{\"sdk\":{\"version\":\"8.0.404\"}}")).image())
          .isEqualTo("mcr.microsoft.com/dotnet/sdk:8.0.404");
      assertThat(only(tree("global.json", "{\"sdk\":{\"version\":\"9.0.100\",\"rollForward\":\"latestFeature\"}}"))
          .image()).isEqualTo("mcr.microsoft.com/dotnet/sdk:9.0");
    }
  }
}

package dev.otto.conventions;

import static dev.otto.dsl.Otto.sh;
import static dev.otto.testkit.OttoAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.explain.Explain;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.Runtime;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.Planner;
import dev.otto.testkit.Snapshots;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConventionsTest {
  static final Path REPOS = Path.of("src/test/resources/repos");

  static Pipeline pipeline(String repo) {
    return Conventions.in(REPOS.resolve(repo)).pipeline(repo);
  }

  @ParameterizedTest
  @ValueSource(strings = {"maven", "gradle-kotlin", "gradle-groovy", "node-npm", "node-yarn", "node-pnpm", "node-bare",
      "ruby-gem", "rails", "rails-postgres", "rust", "go", "python-pyproject", "python-requirements", "make", "monorepo", "node-yarn-berry", "python-uv",
      "cmake", "dotnet", "monorepo-tooling"})
  void explains_the_pipeline_of_each_fixture_as_its_golden_file_says(String repo) {
    Pipeline pipeline = pipeline(repo);

    assertThat(pipeline).isValid();
    Snapshots.assertMatches(Path.of("src/test/resources/golden/" + repo + ".txt"),
        Explain.text(Planner.plan(pipeline)));
  }

  @Nested
  class Detection {
    @Test
    void maven_uses_the_wrapper_and_keys_its_cache_by_every_pom() {
      Pipeline maven = pipeline("maven");

      assertThat(maven).stage("Build").cameFrom("convention maven: found pom.xml at the root, with the Maven wrapper; "
              + "built and tested in one mvn verify; java 21, the default")
          .runsScriptContaining("./mvnw -B -ntp -Dmaven.repo.local=.m2/repository verify")
          .savesCache("maven").runsOn("container maven:3-eclipse-temurin-21");
      assertThat(maven).doesNotHaveStage("Test");
      Assertions.assertThat(maven.caches()).singleElement().satisfies(cache -> {
        Assertions.assertThat(cache.paths()).containsExactly(".m2/repository/", ".m2/wrapper/");
        Assertions.assertThat(cache.keyFiles()).containsExactly("module-a/pom.xml", "pom.xml");
      });
    }

    @Test
    void each_convention_names_the_tools_its_commands_call_and_asks_for_the_network() {
      // when
      Map<String, List<String>> tools = new java.util.LinkedHashMap<>();
      for (String repo : List.of("maven", "gradle-kotlin", "node-npm", "node-pnpm", "ruby-gem", "rust", "go",
          "python-requirements", "make")) {
        Project project = Conventions.in(REPOS.resolve(repo)).projects().get(0);
        tools.put(repo, project.tools());
      }
      Runtime go = Planner.plan(pipeline("go")).stage("Test").orElseThrow().runtime();

      // then: a wrapper needs only the JVM
      Assertions.assertThat(tools).containsExactly(Map.entry("maven", List.of("java")),
          Map.entry("gradle-kotlin", List.of("java")), Map.entry("node-npm", List.of("node", "npm")),
          Map.entry("node-pnpm", List.of("node", "corepack")), Map.entry("ruby-gem", List.of("ruby", "bundle")),
          Map.entry("rust", List.of("cargo", "rustc")), Map.entry("go", List.of("go")),
          Map.entry("python-requirements", List.of("python3")), Map.entry("make", List.of("make")));
      Assertions.assertThat(go.tools()).containsExactly("go");
      Assertions.assertThat(go.network()).isTrue();
    }

    @Test
    void node_picks_the_package_manager_by_its_lock_file_and_runs_only_declared_scripts() {
      assertThat(pipeline("node-npm")).stage("Build").runsScriptContaining("npm ci --cache .npm")
          .runsScriptContaining("npm run build");
      assertThat(pipeline("node-npm")).stage("Test").runsScriptContaining("npm test");
      assertThat(pipeline("node-yarn")).stage("Build")
          .runsScriptContaining("yarn install --frozen-lockfile --cache-folder .yarn-cache");
      assertThat(pipeline("node-yarn")).stage("Test").runsScriptContaining("yarn test");
      assertThat(pipeline("node-pnpm")).stage("Build").runsScriptContaining("pnpm run build");
      assertThat(pipeline("node-pnpm")).doesNotHaveStage("Test");
      assertThat(pipeline("node-bare")).stage("Build").runsScriptContaining("npm install --cache .npm");
    }

    @Test
    void every_npm_step_keeps_npm_s_cache_and_logs_in_the_workspace_as_the_install_does() {
      for (String repo : List.of("node-npm", "node-bare")) {
        Pipeline npm = pipeline(repo);

        Assertions.assertThat(npm.stages()).flatMap(dev.otto.core.model.Stage::steps).isNotEmpty()
            .allSatisfy(step -> Assertions.assertThat(((dev.otto.core.model.ShStep) step).env())
                .as("%s: %s", repo, step).containsEntry("npm_config_cache", ".npm"));
      }
    }

    @Test
    void a_rails_app_migrates_its_database_and_runs_rspec() {
      assertThat(pipeline("rails")).stage("Test")
          .cameFrom("found Gemfile at the root and config/application.rb: a Rails app with database migrations")
          .runsScriptContaining("bundle exec rails db:prepare").runsScriptContaining("bundle exec rspec")
          .restoresCache("bundle");
      assertThat(pipeline("ruby-gem")).stage("Test").runsScriptContaining("bundle exec rake");
    }

    @Test
    void a_rails_app_tests_beside_the_database_its_database_yml_names() {
      // when
      Plan plan = Planner.plan(pipeline("rails-postgres"));

      // then
      PlannedStage test = plan.stage("Test").orElseThrow();
      Assertions.assertThat(test.services()).singleElement().satisfies(db -> {
        Assertions.assertThat(db.name()).isEqualTo("db");
        Assertions.assertThat(db.image()).isEqualTo("postgres:16");
        Assertions.assertThat(db.healthCheck()).hasValue("pg_isready -h 127.0.0.1 -U postgres");
      });
      Assertions.assertThat(plan.stage("Build").orElseThrow().services()).isEmpty();
      assertThat(pipeline("rails-postgres")).stage("Test").cameFrom(", on postgresql (config/database.yml)");
      Assertions.assertThat(Planner.plan(pipeline("rails")).stage("Test").orElseThrow().services()).isEmpty();
    }

    @Test
    void the_database_of_the_test_section_decides_the_service() {
      Assertions.assertThat(Databases.adapter("""
          default: &default
            adapter: sqlite3
          mysql: &mysql
            adapter: "mysql2"  # the real one
          test:
            <<: *mysql
            database: shop_test
          """)).hasValue("mysql2");
      Assertions.assertThat(Databases.adapter("test:\n  adapter: trilogy\n")).hasValue("trilogy");
      Assertions.assertThat(Databases.adapter("default:\n  adapter: postgresql\n")).hasValue("postgresql");
      Assertions.assertThat(Databases.adapter("test:\n  adapter: <%= ENV['DB'] %>\n")).isEmpty();
      Assertions.assertThat(Databases.of("mysql2")).hasValueSatisfying(db -> {
        Assertions.assertThat(db.service().image()).isEqualTo("mysql:8.4");
        Assertions.assertThat(db.url()).isEqualTo("mysql2://root@db:3306");
      });
      Assertions.assertThat(Databases.of("sqlite3")).isEmpty();
    }

    @Test
    void a_monorepo_gets_a_group_per_project_in_name_order_and_ignores_make_and_dependencies() {
      Pipeline monorepo = pipeline("monorepo");

      assertThat(monorepo).hasStage("Projects > services/api > Build").hasStage("Projects > services/billing > Test")
          .hasStage("Projects > web > Test").doesNotHaveStage("Projects > node_modules/left-pad");
      assertThat(monorepo).stage("Projects > services/api > Build")
          .runsScriptContaining("cd 'services/api' && mvn -B -ntp").runsInParallelWith("Projects > web > Build")
          .cameFrom("found pom.xml in services/api");
      assertThat(monorepo).stage("Projects > web > Test").runsAfter("Projects > web > Build")
          .restoresCache("web-npm");
      Assertions.assertThat(Conventions.in(REPOS.resolve("monorepo")).projects()).extracting(Project::folder)
          .containsExactly("services/api", "services/billing", "web");
    }

    @Test
    void a_monorepo_can_build_only_the_projects_a_change_set_touches() {
      // given the monorepo's conventions, each project gated on changes under its folder
      Pipeline monorepo = Conventions.in(REPOS.resolve("monorepo")).onlyChanged().pipeline("monorepo");

      // when planned for a change to the api, and before any run
      var plan = Planner.plan(monorepo, dev.otto.core.plan.RunContext.builder().branch("main")
          .changedFiles(List.of("services/api/src/Main.java")).build());
      String explained = Explain.text(Planner.plan(monorepo));

      // then only the api is built, and explain says what each project waits for
      assertThat(plan).runs("Projects > services/api > Build")
          .skips("Projects > web", "[changed files match 'web/**'] is false")
          .skips("Projects > services/billing", "services/billing/**");
      Assertions.assertThat(explained).contains("runs only if [changed files match 'services/api/**']",
          "runs only if [changed files match 'web/**']");
    }

    @Test
    void a_node_project_whose_test_script_is_npm_s_placeholder_gets_no_test_stage_and_says_why() {
      // given a package.json as npm init writes it
      Pipeline fresh = pipeline("node-placeholder");

      // then it is built, not tested, and the pipeline says why
      assertThat(fresh).hasStage("Build").doesNotHaveStage("Test");
      assertThat(fresh).stage("Build").cameFrom("its test script is npm's placeholder that only fails");
      Assertions.assertThat(NodeConvention.isPlaceholderTest("echo \"Error: no test specified\" && exit 1")).isTrue();
      Assertions.assertThat(NodeConvention.isPlaceholderTest("jest")).isFalse();
    }

    @Test
    void a_python_project_without_tests_does_not_fail_its_test_stage() {
      assertThat(pipeline("python-pyproject")).stage("Test")
          .runsScriptContaining("if [ $status -eq 5 ]; then echo 'pytest collected no tests'; exit 0; fi");
    }

    @Test
    void make_applies_only_when_nothing_else_does() {
      assertThat(pipeline("make")).stage("Test").runsScriptContaining("make test")
          .cameFrom("found Makefile at the root and nothing more specific");
    }
  }

  @Nested
  class Adjusting {
    @Test
    void a_user_changes_a_convention_and_adds_stages_without_copying_it() {
      Pipeline shop = Conventions.in(REPOS.resolve("maven"))
          .adjust("maven", project -> project.withImage("maven:3-eclipse-temurin-21").withTest("./mvnw -B verify -Pit"))
          .pipeline("shop", p -> p.stage("Deploy", s -> s.steps(sh("./deploy.sh"))));

      assertThat(shop).stage("Build").runsOn("container maven:3-eclipse-temurin-21");
      assertThat(shop).stage("Test").runsScriptContaining("./mvnw -B verify -Pit");
      assertThat(shop).stage("Deploy").runsAfter("Test").runsScriptContaining("./deploy.sh");
    }

    @Test
    void an_adjusted_project_says_what_was_adjusted() {
      Conventions maven = Conventions.in(REPOS.resolve("maven"));
      String found = maven.projects().get(0).reason();

      String adjusted = Conventions.in(REPOS.resolve("maven"))
          .adjust("maven", project -> project.withBuild("mvn -B verify -Pit").withoutCache()).projects().get(0).reason();
      String untouched = Conventions.in(REPOS.resolve("maven")).adjust("maven", project -> project).projects().get(0)
          .reason();

      Assertions.assertThat(adjusted).isEqualTo(found + "; adjusted: its build commands, cache");
      Assertions.assertThat(untouched).isEqualTo(found);
      assertThatThrownBy(() -> Conventions.in(REPOS.resolve("maven")).adjust("maven", project -> null).projects())
          .isInstanceOf(NullPointerException.class).hasMessageContaining("the adjustment of convention 'maven' "
              + "returned null");
    }

    @Test
    void a_project_given_test_commands_no_longer_says_why_it_had_no_test_stage() {
      // given a Node project whose test script is npm's placeholder, so the convention makes no Test stage
      Conventions found = Conventions.in(REPOS.resolve("node-placeholder"));

      // when its adjustment gives it test commands
      Conventions tested = Conventions.in(REPOS.resolve("node-placeholder"))
          .adjust("node", project -> project.withTest("npm run check"));

      // then
      Assertions.assertThat(found.projects().get(0).reason()).contains("; no Test stage, its test script is npm's");
      Assertions.assertThat(tested.projects().get(0).reason()).doesNotContain("no Test stage")
          .endsWith("; adjusted: its test commands");
      assertThat(tested.pipeline("web")).stage("Test").runsScriptContaining("npm run check");
    }

    @Test
    void a_convention_of_the_users_own_comes_before_the_built_in_ones() {
      Convention bazel = new Convention() {
        @Override
        public String id() {
          return "bazel";
        }

        @Override
        public List<String> lookedFor() {
          return List.of("MODULE.bazel");
        }

        @Override
        public Optional<Project> detect(Folder folder) {
          return folder.has("pom.xml") ? Optional.of(new Project("bazel", folder.path(), "pom.xml, but built with "
              + "Bazel", "gcr.io/bazel-public/bazel:7", List.of("bazel"), List.of("bazel build //..."), List.of("bazel test //..."),
              java.util.Map.of(), Optional.empty())) : Optional.empty();
        }
      };

      List<Project> projects = Conventions.in(REPOS.resolve("maven")).with(bazel).projects();

      Assertions.assertThat(projects).extracting(Project::convention).containsExactly("bazel", "maven");
    }

    @Test
    void adjusting_an_unknown_convention_is_refused() {
      assertThatThrownBy(() -> Conventions.in(REPOS.resolve("maven")).adjust("mavn", p -> p))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("there is no convention 'mavn'");
    }
  }

  @Nested
  class ModuleOfABuildAbove {
    @org.junit.jupiter.api.io.TempDir
    Path parent;

    @Test
    void a_maven_module_explained_alone_says_the_build_above_lists_it() throws Exception {
      // given a Maven build whose pom.xml lists two modules, and one folder it does not list
      java.nio.file.Files.writeString(parent.resolve("pom.xml"), "<project><modules>\n  <module> core </module>\n"
          + "  <module>app</module>\n</modules></project>");
      for (String module : List.of("core", "tools")) {
        java.nio.file.Files.createDirectories(parent.resolve(module));
        java.nio.file.Files.writeString(parent.resolve(module).resolve("pom.xml"), "<project/>");
      }

      // when each folder is looked at alone
      String core = Conventions.in(parent.resolve("core")).projects().get(0).reason();
      String tools = Conventions.in(parent.resolve("tools")).projects().get(0).reason();
      String whole = Conventions.in(parent).projects().get(0).reason();

      // then the listed module's reason points to the build above
      Assertions.assertThat(core).contains("; it is a module of the Maven build in " + parent
          + ", whose pom.xml lists it", "run otto in " + parent);
      Assertions.assertThat(tools).doesNotContain("module of");
      Assertions.assertThat(whole).doesNotContain("module of");
    }
  }

  @Nested
  class Errors {
    @Test
    void a_folder_that_matches_nothing_gets_the_list_of_what_was_looked_for() {
      assertThatThrownBy(() -> Conventions.in(REPOS.resolve("empty")).projects())
          .isInstanceOf(ConventionException.class)
          .hasMessageContaining("no convention matches")
          .hasMessageContaining("pom.xml (maven)")
          .hasMessageContaining("package.json (node)")
          .hasMessageContaining("GNUmakefile, Makefile, makefile (make, at the root only, when nothing else matches)")
          .hasMessageContaining("up to 2 levels down");
    }

    @Test
    void should_tell_whether_any_convention_matches_without_throwing_when_none_does() {
      // given a folder that matches nothing and one that matches maven
      Conventions empty = Conventions.in(REPOS.resolve("empty"));
      Conventions maven = Conventions.in(REPOS.resolve("maven"));

      // when / then
      Assertions.assertThat(empty.matchesAny()).isFalse();
      Assertions.assertThat(maven.matchesAny()).isTrue();
    }

    @Test
    void should_name_a_broken_package_json_when_asked_whether_anything_matches() {
      assertThatThrownBy(() -> Conventions.in(REPOS.resolve("broken-node")).matchesAny())
          .isInstanceOf(ConventionException.class)
          .hasMessageContaining("package.json at the root is not valid JSON");
    }

    @Test
    void a_broken_package_json_is_named() {
      assertThatThrownBy(() -> pipeline("broken-node"))
          .isInstanceOf(ConventionException.class)
          .hasMessageContaining("package.json at the root is not valid JSON");
    }

    @Test
    void a_missing_folder_or_a_file_is_named_and_told_apart() {
      assertThatThrownBy(() -> Conventions.in(REPOS.resolve("nowhere")))
          .isInstanceOf(ConventionException.class).hasMessageEndingWith("nowhere does not exist; give the root of a "
              + "repository");
      assertThatThrownBy(() -> Conventions.in(REPOS.resolve("node-npm/package.json")))
          .isInstanceOf(ConventionException.class).hasMessageEndingWith("package.json is a file, not a folder; give "
              + "the root of a repository");
    }
  }
}

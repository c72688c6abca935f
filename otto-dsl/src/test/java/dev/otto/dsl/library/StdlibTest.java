package dev.otto.dsl.library;

import static dev.otto.dsl.Otto.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.explain.Explain;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.validate.PipelineValidationException;
import dev.otto.core.validate.Problem;
import dev.otto.dsl.Otto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class StdlibTest {
  @TempDir
  Path dir;

  final List<RunEvent> events = new CopyOnWriteArrayList<>();

  RunResult run(Pipeline pipeline) {
    return LocalEngine.builder(dir.resolve("runs")).listener(events::add).build()
        .run(Planner.plan(pipeline, RunContext.branch("main")));
  }

  List<String> output() {
    return events.stream().filter(RunEvent.OutputLine.class::isInstance)
        .map(e -> ((RunEvent.OutputLine) e).stage() + ": " + ((RunEvent.OutputLine) e).line()).toList();
  }

  @Test
  void archives_and_unarchives_workspace_paths_and_echoes_text_exactly() {
    Pipeline pipeline = Otto.pipeline("artifacts", p -> {
      var std = p.use(Stdlib.library());
      p.stage("Build", s -> s.steps(sh("mkdir -p dist && echo app > dist/app.txt"), std.archive("app", "dist/")));
      p.stage("Clean", s -> s.steps(sh("rm -rf dist"), std.unarchive("app"), sh("cat dist/app.txt"),
          std.echo("it's \"$HOME\" and `ls`")));
    });

    RunResult result = run(pipeline);

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Clean: app", "Clean: it's \"$HOME\" and `ls`");
    assertThat(events).filteredOn(RunEvent.Emitted.class::isInstance).extracting(e -> ((RunEvent.Emitted) e).message())
        .containsExactly("stored app: 1 files", "restored app: 1 files");
    assertThat(Explain.text(Planner.plan(pipeline))).contains("- restore artifact app");
  }

  @Test
  void a_library_used_twice_with_the_same_configuration_is_one_use() {
    Pipeline pipeline = Otto.pipeline("twice", p -> {
      var first = p.use(Stdlib.library());
      var second = p.use(Stdlib.library());
      p.stage("Build", s -> s.steps(first.echo("one"), second.echo("two")));
    });

    assertThat(pipeline.libraries()).hasSize(1);
    assertThat(dev.otto.core.validate.Validator.validate(pipeline)).isEmpty();
  }

  @Test
  void fails_the_stage_that_unarchives_an_artifact_never_stored() {
    Pipeline pipeline = Otto.pipeline("missing", p -> {
      var std = p.use(Stdlib.library());
      p.stage("Deploy", s -> s.steps(std.unarchive("app"), sh("echo never")));
    });

    RunResult result = run(pipeline);

    assertThat(result.stage("Deploy").orElseThrow().reason()).hasValueSatisfying(reason -> assertThat(reason)
        .startsWith("no artifact 'app' was stored earlier in this run"));
    assertThat(output()).isEmpty();
    // Validation said so before the run, as a warning.
    assertThat(dev.otto.core.validate.Validator.validate(pipeline)).singleElement().satisfies(problem -> {
      assertThat(problem.code()).isEqualTo("OTTO-045");
      assertThat(problem.path()).isEqualTo("pipeline 'missing' > stage 'Deploy' > step 1");
      assertThat(problem.message()).isEqualTo("the step restores the artifact 'app', which no step of the pipeline "
          + "archives, so it can only fail.");
    });
  }

  @Test
  void refuses_artifact_names_that_would_leave_the_run_s_artifact_folder() {
    assertThatThrownBy(() -> Otto.pipeline("escape", p -> {
      var std = p.use(Stdlib.library());
      p.stage("Build", s -> s.steps(sh("make"), std.archive("/tmp/x", "dist/"), std.archive("../../../x", "dist/"),
          std.unarchive("..")));
    })).isInstanceOfSatisfying(PipelineValidationException.class, e -> {
      assertThat(e.problems()).extracting(Problem::code).containsExactly("OTTO-043", "OTTO-043", "OTTO-043");
      assertThat(e.problems()).extracting(Problem::path).containsExactly("pipeline 'escape' > stage 'Build' > step 2",
          "pipeline 'escape' > stage 'Build' > step 3", "pipeline 'escape' > stage 'Build' > step 4");
      assertThat(e.problems().get(0).message()).isEqualTo("'/tmp/x' is not a valid artifact name.");
    });
  }

  @Test
  void checks_out_a_git_repository_at_a_ref() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("README"), "hello from git\n");
    for (String[] command : new String[][] {{"git", "init", "-q", "-b", "main"}, {"git", "add", "."},
        {"git", "-c", "user.name=Otto", "-c", "user.email=otto@example.com", "commit", "-q", "-m", "first"}}) {
      assertThat(new ProcessBuilder(command).directory(repo.toFile()).start().waitFor()).isZero();
    }
    Pipeline pipeline = Otto.pipeline("checkout", p -> {
      var std = p.use(Stdlib.library());
      p.stage("Checkout", s -> s.steps(std.checkout(repo.toString(), "main"), sh("cat README")));
    });

    RunResult result = run(pipeline);

    assertThat(result.status()).as("output: %s", output()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Checkout: hello from git");
  }

  static Pipeline delivery(String version, boolean promote) {
    return Otto.pipeline("delivery", p -> {
      var std = p.use(Stdlib.library());
      var staging = p.environment("staging", e -> e.setting("REGION", "eu"));
      var production = p.environment("production", e -> e.setting("REGION", "eu"));
      p.stage("Build", s -> s.steps(sh("mkdir -p dist && echo " + version + " > dist/app.txt"),
          std.archive("app", "dist/")));
      if (promote) {
        p.stage("Production", s -> s.environment(production).steps(sh("rm -rf dist"), std.promote("app", staging),
            sh("cat dist/app.txt")));
      } else {
        p.stage("Staging", s -> s.environment(staging).steps(std.unarchive("app")));
      }
    });
  }

  @Test
  void promotes_what_an_environment_last_deployed_rather_than_what_the_run_built_and_explains_it() {
    // given staging runs v1
    LocalEngine engine = LocalEngine.builder(dir.resolve("runs")).listener(events::add).build();
    engine.run(Planner.plan(delivery("v1", false), RunContext.branch("main")));

    // when a run that builds v2 promotes from staging
    Pipeline release = delivery("v2", true);
    RunResult result = engine.run(Planner.plan(release, RunContext.branch("main")));

    // then production runs v1, by the digest staging's record holds, as explain said it would
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Production: v1");
    assertThat(engine.deployments("production").get(0).digest("app"))
        .isEqualTo(engine.deployments("staging").get(0).digest("app"));
    dev.otto.core.plan.Plan plan = Planner.plan(release);
    assertThat(Explain.text(plan)).contains("- restore artifact app as deployed to 'staging' by its last successful "
        + "deployment");
    assertThat(plan.toJson()).contains("\"from\" : \"staging\"");
    assertThat(dev.otto.core.plan.RunnablePlan.fromJson(plan.toJson()).stages()).isEqualTo(plan.stages());
  }

  @Test
  void refuses_a_promotion_from_an_environment_the_pipeline_does_not_declare() {
    assertThatThrownBy(() -> Otto.pipeline("undeclared", p -> {
      p.use(Stdlib.library());
      p.stage("Production", s -> s.steps(dev.otto.core.model.LibraryStep.of(Stdlib.ID, "promote",
          java.util.Map.of("name", "app", "from", "qa"))));
    })).isInstanceOfSatisfying(PipelineValidationException.class, e -> {
      assertThat(e.problems()).extracting(Problem::code).containsExactly("OTTO-081");
      assertThat(e.problems().get(0).message())
          .isEqualTo("the step promotes the artifact 'app' from 'qa', which is not declared.");
    });
  }

  static Pipeline shipping(String version) {
    return Otto.pipeline("shipping", p -> {
      var std = p.use(Stdlib.library());
      var production = p.environment("production", e -> e.setting("REGION", "eu"));
      p.stage("Build", s -> s.steps(sh("mkdir -p dist && echo " + version + " > dist/app.txt"),
          std.archive("app", "dist/")));
      p.stage("Production", s -> s.environment(production).steps(sh("rm -rf dist"), std.unarchive("app"),
          sh("cat dist/app.txt")));
    });
  }

  @Test
  void a_rollback_redeploys_what_the_environment_ran_before_without_building_and_explains_it() {
    // given production ran v1, then v2
    LocalEngine engine = LocalEngine.builder(dir.resolve("runs")).listener(events::add).build();
    engine.run(Planner.plan(shipping("v1"), RunContext.branch("main")));
    engine.run(Planner.plan(shipping("v2"), RunContext.branch("main")));
    events.clear();

    // when production is rolled back
    dev.otto.core.plan.Plan rollback = Planner.plan(shipping("v3"), RunContext.builder().branch("main")
        .rollback("production").build());
    RunResult result = engine.run(rollback);

    // then it runs v1 again, and Build did not run
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(result.stage("Build").orElseThrow().status()).isEqualTo(RunResult.Status.SKIPPED);
    assertThat(output()).containsExactly("Production: v1");
    List<dev.otto.core.engine.Deployment> record = engine.deployments("production");
    assertThat(record.get(0).digest("app")).isEqualTo(record.get(2).digest("app"));
    assertThat(Explain.text(rollback)).contains("a rollback of 'production' runs only the stages that deploy there",
        "- restore artifact app as deployed to 'production' before what it runs now");
    assertThat(dev.otto.core.plan.RunnablePlan.fromJson(rollback.toJson()).stages()).isEqualTo(rollback.stages());
  }

  @Test
  void refuses_to_roll_back_an_environment_the_pipeline_does_not_declare() {
    assertThatThrownBy(() -> Planner.plan(shipping("v1"), RunContext.builder().branch("main").rollback("prod").build()))
        .isInstanceOf(dev.otto.core.plan.InvalidRunContextException.class)
        .hasMessageContaining("'prod' is not an environment of the pipeline, so the run cannot roll it back; "
            + "declared: [production]");
  }
}

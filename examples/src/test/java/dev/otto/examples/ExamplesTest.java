package dev.otto.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.explain.Explain;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.plan.StageStatus;
import dev.otto.core.validate.PipelineValidationException;
import dev.otto.core.validate.Problem;
import dev.otto.dsl.Otto;
import dev.otto.testkit.Snapshots;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExamplesTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  static Stream<Arguments> renderings() {
    return Stream.of(
        Arguments.of("webapp", "unknown", Explain.Format.TEXT),
        Arguments.of("webapp", "unknown", Explain.Format.JSON),
        Arguments.of("webapp", "unknown", Explain.Format.MERMAID),
        Arguments.of("webapp", "unknown", Explain.Format.DOT),
        Arguments.of("webapp", "master", Explain.Format.TEXT),
        Arguments.of("webapp", "feature", Explain.Format.TEXT),
        Arguments.of("matrix", "unknown", Explain.Format.TEXT),
        Arguments.of("matrix", "unknown", Explain.Format.MERMAID),
        Arguments.of("my-gem", "unknown", Explain.Format.TEXT),
        Arguments.of("my-gem", "master", Explain.Format.JSON),
        Arguments.of("delivery", "unknown", Explain.Format.TEXT),
        Arguments.of("delivery", "rollback", Explain.Format.TEXT));
  }

  private static RunContext context(String name) {
    return switch (name) {
      case "master" -> RunContext.builder().branch("master").trigger("push").build();
      case "feature" -> RunContext.builder().branch("feature/login").trigger("pull_request").build();
      case "rollback" -> RunContext.builder().branch("master").rollback("production").build();
      default -> RunContext.unknown();
    };
  }

  @ParameterizedTest(name = "{0} for {1} as {2}")
  @MethodSource("renderings")
  void explain_output_matches_the_golden_file(String example, String context, Explain.Format format) {
    Plan plan = Planner.plan(Examples.get(example), context(context));
    String extension = switch (format) {
      case TEXT -> "txt";
      case JSON -> "json";
      case MERMAID -> "mmd";
      case DOT -> "dot";
    };
    Snapshots.assertMatches(GOLDEN.resolve(example + "-" + context + "." + extension), format.render(plan));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void every_example_built_twice_plans_to_the_same_bytes(String example) {
    for (RunContext context : new RunContext[] {context("unknown"), context("master"), context("feature")}) {
      Plan first = Planner.plan(Examples.get(example), context);
      Plan second = Planner.plan(Examples.get(example), context);
      assertThat(Explain.json(second)).isEqualTo(Explain.json(first));
      assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
    }
  }

  static Stream<String> names() {
    return java.util.stream.StreamSupport.stream(Examples.names().spliterator(), false);
  }

  @Test
  void the_explain_command_renders_a_known_context_when_given_one() {
    String text = ExplainCommand.run(new String[] {"webapp", "--branch", "master"});
    assertThat(text).startsWith("pipeline 'webapp' for branch 'master'");
    assertThatThrownBy(() -> ExplainCommand.run(new String[] {"nope"}))
        .hasMessageContaining("no example named 'nope'");
    assertThatThrownBy(() -> ExplainCommand.run(new String[] {"webapp", "--format", "pdf"}))
        .hasMessageContaining("use text, json, mermaid or dot");
  }

  @Nested
  class WebAppExample {
    @Test
    void deploys_to_both_environments_from_master() {
      Plan plan = Planner.plan(WebApp.pipeline(), context("master"));

      assertThat(plan.stages()).extracting(PlannedStage::id).containsExactly(
          "Build", "Test", "Deploy", "Deploy > Pre-production", "Deploy > Production");
      assertThat(plan.stages()).allMatch(s -> s.status() == StageStatus.RUN);
      PlannedStage production = plan.stage("Deploy > Production").orElseThrow();
      assertThat(production.dependsOn()).containsExactly("Deploy > Pre-production");
      assertThat(production.runtime().describe()).isEqualTo("container ruby");
      assertThat(production.waits()).extracting(Op.Wait::kind).containsExactly("await-approval", "await-webhook");
    }

    @Test
    void skips_both_deployments_on_a_feature_branch_and_says_why() {
      Plan plan = Planner.plan(WebApp.pipeline(), context("feature"));

      assertThat(plan.stage("Deploy > Pre-production").orElseThrow().reason())
          .hasValue("[branch is 'master'] is false");
      assertThat(plan.stage("Deploy > Production").orElseThrow().reason())
          .hasValue("'Deploy > Pre-production' was skipped: [branch is 'master'] is false");
      assertThat(plan.stage("Test").orElseThrow().status()).isEqualTo(StageStatus.RUN);
    }

    @Test
    void names_secrets_in_the_plan_but_never_holds_a_value() {
      Plan plan = Planner.plan(WebApp.pipeline(), context("master"));

      assertThat(plan.secrets()).containsExactly("slack-webhook-url", "heroku-api-key");
      assertThat(Explain.json(plan)).contains("\"secret\" : \"heroku-api-key\"");
    }
  }

  @Nested
  @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
  class FailingExample {
    @org.junit.jupiter.api.io.TempDir
    Path runs;

    @Test
    void runs_to_the_failure_notifies_and_skips_the_stages_after_it() {
      java.util.List<dev.otto.core.engine.RunEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      // Independent stages go on, so the unit tests finish whichever of the two parallel stages ends first.
      dev.otto.core.engine.RunResult result = dev.otto.core.engine.LocalEngine.builder(runs).listener(events::add)
          .failurePolicy(dev.otto.core.engine.FailurePolicy.CONTINUE).build()
          .run(Planner.plan(Failing.pipeline(), context("master")));

      assertThat(result.status()).isEqualTo(dev.otto.core.engine.RunResult.Status.FAILED);
      assertThat(result.stages()).extracting(s -> s.id() + " " + s.status()).containsExactly(
          "Build SUCCEEDED", "Test FAILED", "Test > Unit SUCCEEDED", "Test > Integration FAILED",
          "Package SKIPPED", "Publish SKIPPED");
      assertThat(result.stage("Test > Integration").orElseThrow().reason()).hasValueSatisfying(r ->
          assertThat(r).endsWith("exited with status 3"));
      assertThat(result.stage("Package").orElseThrow().reason()).hasValue("its dependency 'Test' failed");
      assertThat(events).filteredOn(dev.otto.core.engine.RunEvent.Emitted.class::isInstance)
          .extracting(e -> ((dev.otto.core.engine.RunEvent.Emitted) e).message())
          .containsExactly("stored app: 1 files", "Integration tests failed");
      assertThat(runs.resolve(result.run()).resolve("artifacts/app/dist/app.txt")).hasContent("compiled");
    }
  }

  @Nested
  class MatrixExample {
    @Test
    void expands_into_one_parallel_stage_per_platform_with_its_agent() {
      Plan plan = Planner.plan(Matrix.pipeline());

      PlannedStage build = plan.stage("Build").orElseThrow();
      assertThat(build.parallel()).isTrue();
      assertThat(build.children()).containsExactly(
          "Build > win10", "Build > macos", "Build > linux-jdk12", "Build > linux-jdk8");
      assertThat(plan.stage("Build > macos").orElseThrow().runtime().describe()).isEqualTo("agent macos");
      assertThat(plan.stage("Build > macos").orElseThrow().dependsOn()).isEmpty();
    }
  }

  @Nested
  class RubyGemBlueprint {
    @Test
    void builds_with_the_given_ruby_and_publishes_from_master() {
      Plan plan = Planner.plan(MyGem.pipeline(), context("master"));

      assertThat(plan.blueprints()).singleElement().satisfies(b -> {
        assertThat(b.name()).isEqualTo("rubygem");
        assertThat(b.variables()).containsExactly(Map.entry("rubyVersion", "ruby:3.3"), Map.entry("deploy", "true"));
      });
      assertThat(plan.stages()).extracting(PlannedStage::id).containsExactly("Build", "Test", "Publish", "Docs");
      assertThat(plan.stage("Docs").orElseThrow().runtime().describe()).isEqualTo("container ruby:3.3");
      assertThat(plan.stage("Build").orElseThrow().origin()).hasValue("blueprint rubygem");
      assertThat(plan.stage("Docs").orElseThrow().origin()).isEmpty();
    }

    @Test
    void uses_the_defaults_and_leaves_out_publishing_when_deploy_is_false() {
      Pipeline pipeline = Otto.pipeline("quiet-gem", p -> p.from(new RubyGem(), v -> v.set(RubyGem.DEPLOY, false)));
      Plan plan = Planner.plan(pipeline);

      assertThat(plan.stages()).extracting(PlannedStage::id).containsExactly("Build", "Test");
      assertThat(plan.stage("Build").orElseThrow().runtime().describe()).isEqualTo("container ruby");
    }

    @Test
    void reports_variables_of_the_wrong_type_and_unknown_names_together_without_their_consequences() {
      assertThatThrownBy(() -> Otto.pipeline("bad-gem", p -> p.from(new RubyGem(),
          Map.of("deploy", "yes", "rubyVersoin", "ruby:3.3"))))
          .isInstanceOfSatisfying(PipelineValidationException.class, e -> {
            assertThat(e.problems()).extracting(Problem::code)
                .containsExactlyInAnyOrder("OTTO-100", "OTTO-102");
            assertThat(e.getMessage())
                .contains("the variable 'deploy' must be a boolean, but was given the text 'yes'")
                .contains("the blueprint has no variable 'rubyVersoin'");
          });
    }

    @Test
    void accepts_values_as_text_from_a_file_or_command_line() {
      Pipeline pipeline = Otto.pipeline("text-gem", p -> p.from(new RubyGem(), Map.of("deploy", "false")));

      assertThat(Planner.plan(pipeline).stages()).extracting(PlannedStage::id).containsExactly("Build", "Test");
    }
  }
}

package dev.otto.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otto.core.explain.Explain;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.InvalidRunContextException;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.validate.PipelineValidationException;
import dev.otto.core.validate.Problem;
import dev.otto.core.validate.Validator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PipelinePropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Provide
  Arbitrary<List<Integer>> recipes() {
    return Arbitraries.integers().between(0, 1000).list().ofMinSize(1).ofMaxSize(200);
  }

  @Provide
  Arbitrary<Pipeline> anyPipelines() {
    return recipes().flatMap(r -> Arbitraries.of(RandomPipelines.build(r), RandomPipelines.valid(r)));
  }

  @Provide
  Arbitrary<RunContext> contexts() {
    return Arbitraries.of(
        RunContext.unknown(),
        RunContext.branch("main"),
        RunContext.builder().branch("release/1.0").tag("v1").trigger("push").build(),
        RunContext.builder().param("deploy", "false").build());
  }

  @Property(tries = 500)
  void validation_never_throws_and_planning_fails_only_with_the_documented_exceptions(
      @ForAll("anyPipelines") Pipeline pipeline, @ForAll("contexts") RunContext context) {
    List<Problem> problems = Validator.validate(pipeline);
    try {
      Plan plan = Planner.plan(pipeline, context);
      assertThat(problems).noneMatch(Problem::isError);
      assertThat(plan.stages()).isNotEmpty();
    } catch (PipelineValidationException e) {
      assertThat(e.problems()).isEqualTo(problems);
      assertThat(problems).anyMatch(Problem::isError);
      assertThat(problems).allSatisfy(p -> assertThat(p.code()).matches("OTTO-\\d{3}"));
    } catch (InvalidRunContextException e) {
      assertThat(e.problems()).isNotEmpty();
    }
  }

  @Property(tries = 300)
  void the_same_definition_built_twice_plans_to_identical_bytes_and_fingerprints(
      @ForAll("recipes") List<Integer> recipe, @ForAll("contexts") RunContext context) {
    Pipeline first = RandomPipelines.valid(recipe);
    Pipeline second = RandomPipelines.valid(recipe);
    assertThat(second).isEqualTo(first);
    assertThat(Validator.validate(first)).noneMatch(Problem::isError);
    Plan a;
    try {
      a = Planner.plan(first, context);
    } catch (InvalidRunContextException e) {
      return;
    }
    Plan b = Planner.plan(second, context);
    Plan rebuilt = Planner.plan(Pipeline.builder(first.name()).from(first).build(), context);
    for (Explain.Format format : Explain.Format.values()) {
      assertThat(format.render(b)).isEqualTo(format.render(a));
      assertThat(format.render(rebuilt)).isEqualTo(format.render(a));
    }
    assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
  }

  @Property(tries = 200)
  void plan_json_is_well_formed_and_lists_every_stage_once(@ForAll("recipes") List<Integer> recipe) throws Exception {
    Plan plan = Planner.plan(RandomPipelines.valid(recipe));
    JsonNode json = JSON.readTree(Explain.json(plan));
    assertThat(json.get("schema").asText()).isEqualTo(Plan.SCHEMA);
    assertThat(json.get("fingerprint").asText()).isEqualTo(plan.fingerprint());
    assertThat(json.get("stages").size()).isEqualTo(plan.stages().size());
  }
}

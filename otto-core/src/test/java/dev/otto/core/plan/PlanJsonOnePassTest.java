package dev.otto.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.Fixtures;
import dev.otto.core.RandomPipelines;
import dev.otto.core.explain.PlanSchemaTestAccess;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A plan's JSON written once, hashed on the way, is the JSON written after hashing the compact
 * form first, with the same fingerprint.
 */
class PlanJsonOnePassTest {

  @Provide
  Arbitrary<List<Integer>> recipes() {
    return Arbitraries.integers().between(0, 1000).list().ofMinSize(1).ofMaxSize(200);
  }

  @Property(tries = 200)
  void should_write_the_same_json_and_fingerprint_in_one_pass_as_in_two_when_the_pipeline_is_any(
      @ForAll("recipes") List<Integer> recipe) {
    assertOnePassIsTwoPasses(RandomPipelines.valid(recipe), RunContext.branch("main"));
  }

  @Test
  void should_write_the_same_json_and_fingerprint_in_one_pass_as_in_two_when_the_plan_has_every_field() {
    assertOnePassIsTwoPasses(PlanSchemaTestAccess.everything(),
        RunContext.builder().branch("main").trigger("push").param("size", "m").build());
  }

  @Test
  void should_hash_spaces_quotes_escapes_and_line_ends_inside_strings_when_writing_in_one_pass() {
    // given: strings whose spaces and line ends are the JSON's own, and quotes and backslashes
    // that could end a string early for a reader that ignores escapes
    Stage stage = Stage.builder("Odd \"names\" \\ here").addSteps(
        ShStep.of("echo \"a  b\" \\\n  | tr ' ' '\\n'\t\r\n  done \\"),
        ShStep.of("printf '%s\\\\' \" \\\" \" é ü 𝄞 \u0001"),
        ShStep.of(" \" "),
        ShStep.of("\\")).build();

    // when / then
    assertOnePassIsTwoPasses(Fixtures.pipeline(stage, Fixtures.leaf("Then , : { } [ ] \\\"").build()).build(),
        RunContext.branch("main"));
  }

  @Test
  void should_write_the_same_json_and_fingerprint_in_one_pass_as_in_two_when_the_json_spans_many_chunks() {
    // given: JSON of some megabytes, hashed chunk by chunk on a thread of its own, with strings,
    // escapes and indents cut at every kind of place by the chunks' ends
    Stage.Builder stage = Stage.builder("Many");
    for (int i = 0; i < 20_000; i++) {
      stage.addSteps(ShStep.of("echo \"" + i + " \\\" " + " ".repeat(i % 7) + "\"\n\\" + "é".repeat(i % 3)));
    }

    // when / then
    assertOnePassIsTwoPasses(Fixtures.pipeline(stage.build()).build(), RunContext.branch("main"));
  }

  @Test
  void should_stream_the_json_once_the_fingerprint_is_known_and_give_the_same_bytes() {
    // given
    Plan plan = Planner.plan(PlanSchemaTestAccess.everything(), RunContext.branch("main"));
    String once = plan.toJson();
    ByteArrayOutputStream streamed = new ByteArrayOutputStream();

    // when: the fingerprint is known from the first writing
    plan.writeJson(streamed);

    // then
    assertThat(streamed.toString(StandardCharsets.UTF_8)).isEqualTo(once);
  }

  private static void assertOnePassIsTwoPasses(Pipeline pipeline, RunContext context) {
    // given: two equal plans, one whose fingerprint is hashed before its JSON is written
    Plan twoPasses = Planner.plan(pipeline, context);
    String fingerprint = PlanJsonWriter.fingerprint(twoPasses);
    assertThat(twoPasses.fingerprint()).isEqualTo(fingerprint);
    Plan onePass = Planner.plan(pipeline, context);
    assertThat(onePass.knownFingerprint()).isNull();

    // when
    String json = onePass.toJson();

    // then
    assertThat(json).isEqualTo(twoPasses.toJson());
    assertThat(onePass.knownFingerprint()).isEqualTo(fingerprint);
    assertThat(json).contains("\"fingerprint\" : \"" + fingerprint + "\"");
  }
}

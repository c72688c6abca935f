package dev.otto.core.explain;

import static dev.otto.core.Fixtures.group;
import static dev.otto.core.Fixtures.leaf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.otto.core.RandomPipelines;
import dev.otto.core.library.ActionSpec;
import dev.otto.core.library.ParamSpec;
import dev.otto.core.library.Primitive;
import dev.otto.core.library.StepLibrary;
import dev.otto.core.library.ValueType;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.BlueprintUse;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Environment;
import dev.otto.core.model.LibraryStep;
import dev.otto.core.model.LibraryUse;
import dev.otto.core.model.Lock;
import dev.otto.core.model.LockMode;
import dev.otto.core.model.Matrix;
import dev.otto.core.model.Parameter;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.Service;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.StagePath;
import dev.otto.core.model.WebhookGate;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Every plan Otto writes conforms to the JSON Schema it ships, and the schema is strict. */
class PlanSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema SCHEMA =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(Plan.jsonSchema());

  private static List<Error> errors(String json) throws Exception {
    return SCHEMA.validate(JSON.readTree(json));
  }

  /** A pipeline that uses every part of the schema: every op kind, guard, runtime and declaration. */
  static Pipeline everything() {
    StepLibrary library = new StepLibrary() {
      @Override
      public String id() {
        return "kit";
      }

      @Override
      public String description() {
        return "every op a library may make";
      }

      @Override
      public List<ParamSpec> configSpec() {
        return List.of(ParamSpec.required("key", ValueType.SECRET, "a secret"),
            ParamSpec.optional("loud", ValueType.BOOLEAN, true, "loud"),
            ParamSpec.optional("times", ValueType.INTEGER, 2L, "times"),
            ParamSpec.optional("tags", ValueType.STRING_LIST, List.of("a"), "tags"));
      }

      @Override
      public List<ActionSpec> actions() {
        return List.of(new ActionSpec("all", "all", List.of()));
      }

      @Override
      public List<Primitive> expand(String action, Map<String, Object> arguments, Map<String, Object> config) {
        return List.of(new Primitive.Emit("note", "hello"),
            new Primitive.StoreArtifact("dist", List.of("dist/")),
            new Primitive.RestoreArtifact("dist"),
            new Primitive.RestoreArtifact("dist", java.util.Optional.of("prod")));
      }
    };
    return Pipeline.builder("everything")
        .addLibraries(LibraryUse.of(library, Map.of("key", new SecretRef("token"), "loud", false, "times", 3L,
            "tags", List.of("x", "y"))))
        .addSecrets(new SecretRef("token"))
        .addParameters(Parameter.builder("size", Parameter.Type.CHOICE).addChoices("s", "m").defaultValue("s")
            .description("how big").build())
        .addEnvironments(Environment.builder("prod").putSettings("HOST", "prod").addAllowedBranches("main")
            .addSecrets(SecretBinding.asEnv("token", "TOKEN")).requiresApproval(true)
            .addLocks(new Lock("prod", LockMode.NEWEST_WINS)).build())
        .addCaches(Cache.of("deps", List.of("vendor/"), List.of("lockfile")),
            Cache.of("tools", List.of("tools/"), List.of(".tool-versions", "lockfile"),
                List.of(new Cache.Fallback(List.of(".tool-versions")), Cache.Fallback.ANY_KEY_FILES)),
            Cache.of("out", List.of("out/"), List.of("src.lock"), List.of()))
        .addBlueprints(BlueprintUse.of("kit", Map.of("flavour", "plain")))
        .addStages(leaf("Build").runtime(Runtime.container("img:1").requires("make", "cc>=12.2").withNetwork()).addSaves("deps", "tools", "out")
                .addServices(Service.builder("db", "postgres:16").putEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                    .addCommand("postgres", "-c", "fsync=off").healthCheck("pg_isready").build(),
                    Service.of("cache", "redis:7"))
                .addSteps(ShStep.of("make").timeout(Duration.ofMinutes(5)).retry(2, Duration.ofSeconds(3)),
                    LibraryStep.of("kit", "all", Map.of()))
                .build(),
            group("Test", leaf("Unit").restores(List.of("deps", "tools", "out")).build(),
                leaf("Matrix").matrix(Matrix.builder().putAxes("os", List.of("linux", "mac")).build()).build())
                .parallel(true).runtime(Runtime.agent("linux")).build(),
            leaf("Deploy").environment("prod").addLocks(Lock.queue("dns")).runtime(Runtime.sameAs(StagePath.of("Build")))
                .addEnter(ApprovalGate.of("Ship?").timeout(Duration.ofHours(1)).approvers("ada"))
                .addExit(WebhookGate.of("smoke").timeout(Duration.ofMinutes(10)),
                    PollGate.of("healthy", ShStep.of("curl -f localhost").with(SecretBinding.asFile("token", "T")))
                        .timeout(Duration.ofMinutes(5)).backoff(2, Duration.ofMinutes(1)))
                .addSteps(LibraryStep.of("kit", "all", Map.of()))
                .addOnSuccess(ShStep.of("echo ok")).addOnFailure(ShStep.of("echo no")).addAlways(ShStep.of("echo end"))
                .build(),
            leaf("Release").when(dev.otto.core.model.Condition.tag().isPresent()).build())
        .build();
  }

  @Test
  void should_describe_a_plan_that_uses_every_kind_of_op_and_field() throws Exception {
    Plan plan = Planner.plan(everything(), RunContext.builder().branch("main").trigger("push").param("size", "m").build());
    String json = Explain.json(plan);
    assertThat(json).contains("\"retries\" : 2", "\"retryBackoff\" : \"PT3S\"", "\"op\" : \"await-children\"", "\"op\" : \"poll\"", "\"op\" : \"store-artifact\"", "\"op\" : \"lock\"", "\"mode\" : \"newest-wins\"",
        "\"guard\" : \"on-failure\"", "\"kind\" : \"agent\"", "\"status\" : \"skip\"",
        "\"tools\" : [\n", "\"cc>=12.2\"", "\"network\" : true", "\"healthCheck\" : \"pg_isready\"", "\"fallbacks\" : [ ]",
        "\"keyFiles\" : [\n            \".tool-versions\"\n");
    assertThat(errors(json)).isEmpty();
    assertThat(errors(Explain.json(Planner.plan(everything())))).isEmpty();
    String rollback = Explain.json(Planner.plan(everything(), RunContext.builder().branch("main").rollback("prod")
        .build()));
    assertThat(json).contains("\"from\" : \"prod\"");
    assertThat(rollback).contains("\"rollback\" : \"prod\"", "\"previous\" : true");
    assertThat(errors(rollback)).isEmpty();
  }

  @Test
  void should_reject_fields_the_schema_does_not_document() throws Exception {
    ObjectNode plan = (ObjectNode) JSON.readTree(Explain.json(Planner.plan(everything())));
    ((ObjectNode) plan.withArray("stages").get(0)).put("colour", "red");
    ((ObjectNode) plan.withArray("stages").get(0).withArray("ops").get(0)).put("op", "teleport");

    assertThat(SCHEMA.validate(plan)).isNotEmpty();
  }

  @Provide
  Arbitrary<List<Integer>> recipes() {
    return Arbitraries.integers().between(0, 1000).list().ofMinSize(1).ofMaxSize(200);
  }

  @Property(tries = 100)
  void every_plan_conforms_to_the_schema(@ForAll("recipes") List<Integer> recipe) throws Exception {
    Plan plan = Planner.plan(RandomPipelines.valid(recipe), RunContext.branch("release/1"));
    assertThat(errors(Explain.json(plan))).isEmpty();
  }
}

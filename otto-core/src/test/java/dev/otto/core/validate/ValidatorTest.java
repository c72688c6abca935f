package dev.otto.core.validate;

import static dev.otto.core.Fixtures.group;
import static dev.otto.core.Fixtures.leaf;
import static dev.otto.core.Fixtures.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.otto.core.library.ActionSpec;
import dev.otto.core.library.ParamSpec;
import dev.otto.core.library.Primitive;
import dev.otto.core.library.StepLibrary;
import dev.otto.core.library.ValueType;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Condition;
import dev.otto.core.model.ConditionGate;
import dev.otto.core.model.Environment;
import dev.otto.core.model.LibraryStep;
import dev.otto.core.model.LibraryUse;
import dev.otto.core.model.Lock;
import dev.otto.core.model.Matrix;
import dev.otto.core.model.Parameter;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.Service;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.StagePath;
import dev.otto.core.model.WebhookGate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ValidatorTest {

  private static List<Problem> problems(Pipeline pipeline) {
    return Validator.validate(pipeline);
  }

  private static Problem only(Pipeline pipeline) {
    List<Problem> found = problems(pipeline);
    assertThat(found).as("problems of %s", pipeline.name()).hasSize(1);
    return found.get(0);
  }

  @Test
  void should_accept_a_valid_pipeline_without_problems() {
    assertThat(problems(pipeline(leaf("Build").build(), leaf("Test").build()).build())).isEmpty();
  }

  @Test
  void should_report_every_problem_at_once_with_numbered_codes_paths_and_fixes() {
    Pipeline broken = pipeline(
        Stage.builder("Empty").build(),
        leaf("Twin").build(),
        leaf("Twin").addRestores("nope").build(),
        leaf("Gate").addExit(ApprovalGate.of("ok?")).build())
        .addSecrets(new SecretRef("bad name"))
        .build();

    assertThatThrownBy(() -> Validator.requireValid(broken))
        .isInstanceOfSatisfying(PipelineValidationException.class, e -> {
          assertThat(e.problems()).extracting(Problem::code)
              .containsExactlyInAnyOrder("OTTO-070", "OTTO-012", "OTTO-011", "OTTO-041", "OTTO-060");
          assertThat(e.getMessage())
              .startsWith("pipeline 'p' has 5 problems (5 errors):")
              .contains("  1. [")
              .contains("  5. [")
              .contains("at pipeline 'p' > stage 'Gate'")
              .contains("Fix: give every wait a timeout");
        });
  }

  @Nested
  class Structure {
    @Test
    void should_reject_an_empty_pipeline() {
      Problem p = only(Pipeline.builder("empty").build());
      assertThat(p.code()).isEqualTo("OTTO-002");
      assertThat(p.path()).isEqualTo("pipeline 'empty'");
    }

    @Test
    void should_reject_a_stage_with_neither_steps_nor_children() {
      Problem p = only(pipeline(group("Deploy", Stage.builder("Production").build()).build()).build());
      assertThat(p.code()).isEqualTo("OTTO-012");
      assertThat(p.path()).isEqualTo("pipeline 'p' > stage 'Deploy' > stage 'Production'");
    }

    @Test
    void should_reject_a_stage_with_both_steps_and_children() {
      Stage both = leaf("Both").addStages(leaf("Child").build()).build();
      assertThat(only(pipeline(both).build()).code()).isEqualTo("OTTO-013");
    }

    @Test
    void should_reject_duplicate_sibling_names_including_names_equal_after_unicode_normalization() {
      Stage composed = leaf("Caf\u00e9").build();
      Stage decomposed = leaf("Cafe\u0301").build();
      Problem p = only(pipeline(composed, decomposed).build());
      assertThat(p.code()).isEqualTo("OTTO-011");
    }

    @Test
    void should_allow_the_same_name_in_different_groups() {
      assertThat(problems(pipeline(group("A", leaf("Test").build()).build(), group("B", leaf("Test").build()).build())
          .build())).isEmpty();
    }

    @Test
    void should_reject_blank_control_character_and_bidi_override_names() {
      List<Problem> found = problems(pipeline(leaf(" ").build(), leaf("a\u0007b").build(), leaf("evil\u202Egnp.exe").build(),
          leaf("A > B").build(), leaf("x".repeat(201)).build()).build());
      assertThat(found).extracting(Problem::code).containsOnly("OTTO-010").hasSize(5);
      assertThat(found.get(1).message()).contains("U+0007");
      assertThat(found.get(2).message()).contains("U+202E");
    }

    @Test
    void should_accept_names_in_any_script() {
      assertThat(problems(pipeline(leaf("Сборка").build(), leaf("テスト 🚀").build(), leaf("نشر").build()).build()))
          .isEmpty();
    }
  }

  @Nested
  class Dependencies {
    @Test
    void should_name_the_stages_of_a_cycle() {
      Stage a = leaf("A").addAfter(StagePath.of("G", "C")).build();
      Stage b = leaf("B").build();
      Stage c = leaf("C").addAfter(StagePath.of("G", "A")).build();
      Problem p = only(pipeline(group("G", a, b, c).parallel(true).build()).build());
      assertThat(p.code()).isEqualTo("OTTO-022");
      assertThat(p.message()).contains("'G > A'").contains("'G > C'").contains(" -> ");
    }

    @Test
    void should_find_a_cycle_through_declaration_order() {
      Stage first = leaf("First").addAfter(StagePath.of("Second")).build();
      Problem p = only(pipeline(first, leaf("Second").build()).build());
      assertThat(p.code()).isEqualTo("OTTO-022");
      assertThat(p.message()).contains("'First'").contains("'Second'");
    }

    @Test
    void should_reject_a_dependency_on_an_unknown_stage() {
      Problem p = only(pipeline(leaf("A").addAfter(StagePath.of("Nope")).build()).build());
      assertThat(p.code()).isEqualTo("OTTO-020");
      assertThat(p.message()).contains("'Nope'");
    }

    @Test
    void should_reject_a_dependency_on_itself_or_on_its_own_group() {
      Stage child = leaf("Child").addAfter(StagePath.of("G")).build();
      Stage self = leaf("Self").addAfter(StagePath.of("Self")).build();
      assertThat(problems(pipeline(group("G", child).build(), self).build()))
          .extracting(Problem::code).containsExactly("OTTO-021", "OTTO-021");
    }

    @Test
    void should_accept_any_acyclic_graph_inside_a_parallel_group() {
      Stage a = leaf("A").build();
      Stage b = leaf("B").addAfter(StagePath.of("G", "A")).build();
      Stage c = leaf("C").addAfter(StagePath.of("G", "A")).build();
      Stage d = leaf("D").addAfter(StagePath.of("G", "B"), StagePath.of("G", "C")).build();
      assertThat(problems(pipeline(group("G", d, c, b, a).parallel(true).build()).build())).isEmpty();
    }
  }

  @Nested
  class Caches {
    private final Cache gems = Cache.of("gems", List.of("vendor/"), List.of());

    @Test
    void should_reject_a_restore_of_an_undeclared_cache() {
      assertThat(only(pipeline(leaf("A").addRestores("gems").build()).build()).code()).isEqualTo("OTTO-041");
    }

    @Test
    void should_reject_a_restore_that_no_earlier_stage_saves() {
      Pipeline p = pipeline(leaf("Test").addRestores("gems").build(), leaf("Build").addSaves("gems").build())
          .addCaches(gems).build();
      Problem problem = only(p);
      assertThat(problem.code()).isEqualTo("OTTO-042");
      assertThat(problem.message()).contains("saved by 'Build'");
    }

    @Test
    void should_reject_a_restore_in_a_parallel_sibling_of_the_saver() {
      Pipeline p = pipeline(group("G", leaf("Build").addSaves("gems").build(), leaf("Test").addRestores("gems").build())
          .parallel(true).build()).addCaches(gems).build();
      assertThat(only(p).code()).isEqualTo("OTTO-042");
    }

    @Test
    void should_accept_a_stage_that_restores_what_it_saves_itself_from_one_run_to_the_next() {
      Pipeline p = pipeline(leaf("Build").addRestores("gems").addSaves("gems").build()).addCaches(gems).build();
      assertThat(problems(p)).isEmpty();
    }

    @Test
    void should_accept_a_restore_after_the_saver_across_groups() {
      Pipeline p = pipeline(group("B", leaf("Build").addSaves("gems").build()).build(),
          group("T", leaf("Test").addRestores("gems").build()).build()).addCaches(gems).build();
      assertThat(problems(p)).isEmpty();
    }

    @Test
    void should_warn_about_a_cache_that_no_stage_restores_and_still_accept_the_pipeline() {
      // given
      Pipeline p = pipeline(leaf("Build").addSaves("gems").build()).addCaches(gems,
          Cache.of("unused", List.of("tmp/"), List.of())).build();

      // when
      List<Problem> warnings = Validator.warnings(p);

      // then
      assertThat(warnings).extracting(Problem::code, Problem::severity, Problem::path).containsExactly(
          tuple("OTTO-044", Severity.WARNING, "pipeline 'p' > cache 'gems'"),
          tuple("OTTO-044", Severity.WARNING, "pipeline 'p' > cache 'unused'"));
      assertThat(warnings.get(0).message()).isEqualTo("the cache 'gems' is saved, but no stage restores it, so saving it "
          + "only takes time.");
      assertThat(warnings.get(1).message()).isEqualTo("no stage saves or restores the cache 'unused'.");
      assertThat(problems(p)).isEqualTo(warnings);
      assertThat(Validator.requireValid(p)).isSameAs(p);
    }

    @Test
    void should_reject_a_fallback_that_keeps_a_file_which_is_not_a_key_file_of_the_cache() {
      // given
      Pipeline p = pipeline(leaf("A").addSaves("npm").addRestores("npm").build())
          .addCaches(Cache.of("npm", List.of(".npm/"), List.of("package-lock.json"),
              List.of(new Cache.Fallback(List.of(".nvmrc"))))).build();

      // when
      Problem problem = only(p);

      // then
      assertThat(problem.code()).isEqualTo("OTTO-040");
      assertThat(problem.path()).isEqualTo("pipeline 'p' > cache 'npm'");
      assertThat(problem.message()).isEqualTo("a fallback of cache 'npm' keeps '.nvmrc', which is not one of its key "
          + "files.");
      assertThat(problem.fix()).contains("[package-lock.json]").contains("fallback()");
    }

    @Test
    void should_reject_caches_on_a_group_and_paths_outside_the_workspace() {
      Pipeline p = pipeline(group("G", leaf("A").build()).addSaves("abs").build())
          .addCaches(Cache.of("abs", List.of("/etc", "../up"), List.of())).build();
      assertThat(problems(p)).extracting(Problem::code).containsExactly("OTTO-040", "OTTO-040", "OTTO-015", "OTTO-044");
    }

    @Test
    void should_reject_a_home_folder_cache_path_and_key_files_outside_the_workspace() {
      Pipeline p = pipeline(leaf("A").addSaves("m2").build())
          .addCaches(Cache.of("m2", List.of("~/.m2/repository", "$HOME/.cache/pip"),
              List.of("../../outside.lock", "pom.xml", "**/package-lock.json"))).build();

      assertThat(problems(p)).extracting(Problem::code, Problem::message).containsExactly(
          tuple("OTTO-040", "the path '~/.m2/repository' starts with '~', which no shell expands here: cache paths "
              + "are relative to the workspace."),
          tuple("OTTO-040", "the path '$HOME/.cache/pip' starts with '$', which no shell expands here: cache paths "
              + "are relative to the workspace."),
          tuple("OTTO-040", "the key file '../../outside.lock' is not a relative path inside the workspace, where the "
              + "engine reads key files."),
          tuple("OTTO-040", "the key file '**/package-lock.json' is a pattern, but key files are paths, read as "
              + "written: no file is named so, and the cache's key would never change."),
          tuple("OTTO-044", "the cache 'm2' is saved, but no stage restores it, so saving it only takes time."));
      assertThat(problems(p).get(0).fix()).contains("'mvn -Dmaven.repo.local=.m2/repository'");
    }
  }

  @Nested
  class Runtimes {
    @Test
    void should_reject_same_as_a_stage_that_runs_later() {
      Pipeline p = pipeline(leaf("Test").runtime(Runtime.sameAs(StagePath.of("Build"))).build(),
          leaf("Build").runtime(Runtime.container("ruby")).build()).build();
      assertThat(only(p).code()).isEqualTo("OTTO-051");
    }

    @Test
    void should_reject_same_as_an_unknown_stage() {
      Pipeline p = pipeline(leaf("Test").runtime(Runtime.sameAs(StagePath.of("Nope"))).build()).build();
      assertThat(only(p).code()).isEqualTo("OTTO-020");
    }

    @Test
    void should_reject_a_blank_image() {
      assertThat(only(pipeline(leaf("A").runtime(Runtime.container(" ")).build()).build()).code())
          .isEqualTo("OTTO-016");
    }
  }

  @Nested
  class Services {
    private final Service db = Service.of("db", "postgres:16");

    @Test
    void should_accept_services_on_a_container_stage_declared_or_inherited_or_same_as() {
      // given
      Pipeline p = pipeline(leaf("Build").runtime(Runtime.container("ruby")).addServices(db).build(),
          leaf("Test").runtime(Runtime.sameAs(StagePath.of("Build"))).addServices(db).build(),
          group("Checks", leaf("Lint").addServices(db).build()).runtime(Runtime.container("ruby")).build()).build();

      // then
      assertThat(problems(p)).isEmpty();
    }

    @Test
    void should_reject_bad_names_twins_blank_images_and_checks_and_a_zero_start_timeout() {
      // given
      Pipeline p = pipeline(leaf("Test").runtime(Runtime.container("ruby")).addServices(
          Service.of("Db_1", "postgres:16"), db, db, Service.of("cache", " "),
          Service.builder("api", "api:1").healthCheck(" ").startTimeout(Duration.ZERO).putEnv("1BAD", "x").build())
          .build()).build();

      // when
      List<Problem> found = problems(p);

      // then
      assertThat(found).extracting(Problem::code).containsExactly("OTTO-052", "OTTO-052", "OTTO-052", "OTTO-083",
          "OTTO-052", "OTTO-061");
      assertThat(found.get(0).path()).isEqualTo("pipeline 'p' > stage 'Test' > service 'Db_1'");
      assertThat(found.get(0).message()).contains("host name");
      assertThat(found.get(1).message()).isEqualTo("the stage has two services named 'db'.");
    }

    @Test
    void should_reject_a_service_on_a_stage_that_does_not_run_in_a_container() {
      // given
      Pipeline p = pipeline(leaf("Build").addServices(db).build(),
          leaf("Test").runtime(Runtime.sameAs(StagePath.of("Build"))).addServices(db).build(),
          leaf("Agent").runtime(Runtime.agent("linux")).addServices(db).build()).build();

      // when
      List<Problem> found = problems(p);

      // then
      assertThat(found).extracting(Problem::code).containsExactly("OTTO-053", "OTTO-053", "OTTO-053");
      assertThat(found.get(0).message()).isEqualTo("the stage has services, but its steps run as local, which cannot "
          + "reach a service by its name.");
      assertThat(found.get(2).message()).contains("as agent linux");
    }

    @Test
    void should_reject_services_on_a_group() {
      Problem problem = only(pipeline(group("Checks", leaf("Lint").build()).runtime(Runtime.container("ruby"))
          .addServices(db).build()).build());
      assertThat(problem.code()).isEqualTo("OTTO-015");
    }
  }

  @Nested
  class Waits {
    @Test
    void should_require_a_timeout_on_every_wait() {
      Stage stage = leaf("Deploy")
          .addEnter(ApprovalGate.of("Ship?"))
          .addExit(WebhookGate.of("health"), PollGate.of("up", ShStep.of("curl -f localhost")))
          .build();
      assertThat(problems(pipeline(stage).build())).extracting(Problem::code)
          .containsExactly("OTTO-060", "OTTO-060", "OTTO-060");
    }

    @Test
    void should_reject_zero_and_negative_durations_and_a_backoff_below_one() {
      Stage stage = leaf("Deploy")
          .addEnter(ApprovalGate.of("Ship?").timeout(Duration.ZERO))
          .addExit(PollGate.of("up", ShStep.of("true")).timeout(Duration.ofMinutes(1)).every(Duration.ofSeconds(-1))
              .backoff(0.5, Duration.ofSeconds(10)))
          .build();
      assertThat(problems(pipeline(stage).build())).extracting(Problem::code)
          .containsExactly("OTTO-061", "OTTO-061", "OTTO-061");
    }

    @Test
    void should_reject_retries_out_of_range_and_a_zero_backoff() {
      Stage stage = Stage.builder("A").addSteps(ShStep.of("make").retry(11, Duration.ofSeconds(1)),
          ShStep.of("make").retry(2, Duration.ZERO)).build();
      assertThat(problems(pipeline(stage).build())).extracting(Problem::code).containsExactly("OTTO-063", "OTTO-061");
    }

    @Test
    void should_reject_a_condition_used_as_an_exit_gate_as_it_would_do_nothing() {
      // given
      Stage stage = leaf("A").addExit(new ConditionGate(Condition.branch().is("main"))).build();

      // when
      Problem p = only(pipeline(stage).build());

      // then
      assertThat(p.code()).isEqualTo("OTTO-062");
      assertThat(p.severity()).isEqualTo(Severity.ERROR);
      assertThat(p.message()).contains("exit gate 'when branch is 'main''", "neither wait nor decide anything");
      assertThatThrownBy(() -> Validator.requireValid(pipeline(stage).build()))
          .isInstanceOf(PipelineValidationException.class);
    }
  }

  @Nested
  class SecretsAndEnvironments {
    @Test
    void should_reject_invalid_secret_and_environment_names() {
      Pipeline p = pipeline(leaf("A").build())
          .addSecrets(new SecretRef(""), new SecretRef("has space"))
          .addEnvironments(Environment.builder("pro duction").build())
          .build();
      assertThat(problems(p)).extracting(Problem::code).containsExactly("OTTO-070", "OTTO-070", "OTTO-080");
    }

    @Test
    void should_report_an_invalid_name_once_and_not_its_uses_as_undeclared() {
      // given declarations refused for their names, and stages that use them
      Stage stage = Stage.builder("A").environment("pro duction").addRestores("my cache/v1").addSaves("my cache/v1")
          .when(Condition.param("deploy now").isTrue())
          .addSteps(ShStep.of("deploy").with(SecretBinding.asEnv("api key", "API_KEY"))).build();
      Pipeline p = pipeline(stage)
          .addSecrets(new SecretRef("api key"))
          .addEnvironments(Environment.builder("pro duction").build())
          .addCaches(Cache.of("my cache/v1", List.of("deps/"), List.of()),
              Cache.of("unused\u001b[2J", List.of("tmp/"), List.of()))
          .addParameters(Parameter.builder("deploy now", Parameter.Type.BOOLEAN).build())
          .build();

      // then each name is reported where it is declared, and nowhere else: not as undeclared, nor as never restored
      assertThat(problems(p)).extracting(Problem::code)
          .containsExactlyInAnyOrder("OTTO-070", "OTTO-080", "OTTO-040", "OTTO-040", "OTTO-091");
      assertThat(Validator.warnings(p)).isEmpty();
    }

    @Test
    void should_reject_a_binding_of_an_undeclared_secret_and_a_bad_variable_name() {
      Stage stage = Stage.builder("A").addSteps(ShStep.of("deploy").with(SecretBinding.asEnv("token", "1BAD"))).build();
      assertThat(problems(pipeline(stage).build())).extracting(Problem::code).containsExactly("OTTO-071", "OTTO-083");
    }

    @Test
    void should_reject_a_secret_bound_to_a_variable_the_shell_or_the_engine_sets() {
      // given
      Stage stage = Stage.builder("A").addSteps(ShStep.of("deploy")
          .with(SecretBinding.asEnv("token", "PATH"), SecretBinding.asEnv("db-url", "OTTO_RUN_ID"))).build();
      Pipeline p = pipeline(stage).addSecrets(new SecretRef("token"), new SecretRef("db-url")).build();

      // when
      List<Problem> problems = problems(p);

      // then
      assertThat(problems).extracting(Problem::code, Problem::message, Problem::fix).containsExactly(
          tuple("OTTO-083", "the secret 'token' is bound to $PATH, which the shell and the step's tools rely on, so "
              + "the step would break.", "bind it to a variable of its own, e.g. 'TOKEN'."),
          tuple("OTTO-083", "the secret 'db-url' is bound to $OTTO_RUN_ID, which is the engine's own, as every variable "
              + "starting with OTTO_ is, so the step would not see the engine's.", "bind it to a variable of its own, "
              + "e.g. 'DB_URL'."));
    }

    @Test
    void should_reject_invalid_lock_names_on_stages_and_environments_with_a_hint() {
      // given
      Pipeline p = pipeline(leaf("A").addLocks(Lock.queue("pro duction")).build())
          .addEnvironments(Environment.builder("prod").addLocks(Lock.queue("")).build())
          .build();

      // when
      List<Problem> problems = problems(p);

      // then
      assertThat(problems).extracting(Problem::code).containsExactly("OTTO-130", "OTTO-130");
      assertThat(problems.get(0).fix()).contains(".lock(\"production\")");
    }

    @Test
    void should_reject_a_stage_deploying_to_an_undeclared_environment() {
      Problem p = only(pipeline(leaf("A").environment("production").build()).build());
      assertThat(p.code()).isEqualTo("OTTO-081");
    }

    @Test
    void should_reject_duplicate_declarations() {
      Pipeline p = pipeline(leaf("A").build())
          .addSecrets(new SecretRef("token"), new SecretRef("token"))
          .addEnvironments(Environment.builder("prod").build(), Environment.builder("prod").build())
          .addCaches(Cache.of("c", List.of("x"), List.of()), Cache.of("c", List.of("x"), List.of()))
          .build();
      assertThat(problems(p)).extracting(Problem::code).containsExactly("OTTO-072", "OTTO-082", "OTTO-040", "OTTO-044");
    }
  }

  @Nested
  class Conditions {
    @Test
    void should_reject_a_condition_on_an_undeclared_parameter() {
      Problem p = only(pipeline(leaf("A").when(Condition.param("deploy").isTrue()).build()).build());
      assertThat(p.code()).isEqualTo("OTTO-090");
      assertThat(p.message()).contains("'deploy'");
    }

    @Test
    void should_reject_a_comparison_that_can_never_be_true() {
      Pipeline p = pipeline(leaf("A").when(Condition.param("deploy").is("yes")).build())
          .addParameters(Parameter.builder("deploy", Parameter.Type.BOOLEAN).defaultValue("true").build())
          .build();
      assertThat(only(p).code()).isEqualTo("OTTO-092");
    }

    @Test
    void should_reject_a_default_of_the_wrong_type_and_a_choice_without_choices() {
      Pipeline p = pipeline(leaf("A").build())
          .addParameters(Parameter.builder("n", Parameter.Type.INTEGER).defaultValue("many").build(),
              Parameter.builder("size", Parameter.Type.CHOICE).build())
          .build();
      assertThat(problems(p)).extracting(Problem::code).containsExactly("OTTO-091", "OTTO-091");
    }
  }

  @Nested
  class Matrices {
    @Test
    void should_reject_duplicate_names_produced_by_a_matrix() {
      Matrix matrix = Matrix.builder().putAxes("os", List.of("linux", "mac")).putAxes("jdk", List.of("17", "21"))
          .nameTemplate("${matrix.os}").build();
      Problem p = only(pipeline(leaf("Build").matrix(matrix).build()).build());
      assertThat(p.code()).isEqualTo("OTTO-031");
      assertThat(p.path()).isEqualTo("pipeline 'p' > stage 'Build'");
      assertThat(p.message()).contains("'linux'");
    }

    @Test
    void should_reject_an_axis_without_values_and_a_placeholder_no_axis_fills() {
      Matrix empty = Matrix.builder().putAxes("os", List.of()).build();
      Matrix ok = Matrix.builder().putAxes("os", List.of("linux")).build();
      Pipeline p = pipeline(leaf("A").matrix(empty).build(),
          Stage.builder("B").matrix(ok).addSteps(ShStep.of("make ${matrix.jdk}")).build()).build();
      assertThat(problems(p)).extracting(Problem::code).containsExactly("OTTO-030", "OTTO-032");
    }
  }

  @Nested
  class Libraries {
    private final StepLibrary library = new StepLibrary() {
      @Override
      public String id() {
        return "chat";
      }

      @Override
      public String description() {
        return "chat";
      }

      @Override
      public List<ParamSpec> configSpec() {
        return List.of(ParamSpec.required("room", ValueType.STRING, "the room"));
      }

      @Override
      public List<ActionSpec> actions() {
        return List.of(new ActionSpec("say", "says", List.of(ParamSpec.required("text", ValueType.STRING, "text"),
            ParamSpec.optional("loud", ValueType.BOOLEAN, false, "loud"))));
      }

      @Override
      public List<Primitive> expand(String action, Map<String, Object> arguments, Map<String, Object> config) {
        return List.of();
      }
    };

    @Test
    void should_reject_steps_of_unused_libraries_unknown_actions_and_bad_arguments() {
      Stage stage = Stage.builder("A").addSteps(
          LibraryStep.of("other", "say", Map.of()),
          LibraryStep.of("chat", "shout", Map.of()),
          LibraryStep.of("chat", "say", Map.of("loud", "yes", "colour", "red"))).build();
      Pipeline p = pipeline(stage).addLibraries(LibraryUse.of(library, Map.of("room", 42L))).build();
      assertThat(problems(p)).extracting(Problem::code)
          .containsExactlyInAnyOrder("OTTO-113", "OTTO-110", "OTTO-111", "OTTO-112", "OTTO-112", "OTTO-112");
    }

    @Test
    void should_refuse_a_default_for_a_secret_parameter_when_a_library_declares_one() {
      // given
      SecretRef token = new SecretRef("token");

      // when / then
      assertThatThrownBy(() -> ParamSpec.optional("key", ValueType.SECRET, token, "the key"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the secret parameter 'key' cannot have a default: declare it required, and let each pipeline "
              + "name its secret");
    }

    private final StepLibrary artifacts = new StepLibrary() {
      @Override
      public String id() {
        return "files";
      }

      @Override
      public String description() {
        return "artifacts";
      }

      @Override
      public List<ParamSpec> configSpec() {
        return List.of();
      }

      @Override
      public List<ActionSpec> actions() {
        return List.of(new ActionSpec("keep", "keeps", List.of(ParamSpec.required("name", ValueType.STRING, "name"),
                ParamSpec.optional("paths", ValueType.STRING_LIST, List.of("dist/"), "paths"))),
            new ActionSpec("fetch", "fetches", List.of(ParamSpec.required("name", ValueType.STRING, "name"))));
      }

      @SuppressWarnings("unchecked")
      @Override
      public List<Primitive> expand(String action, Map<String, Object> arguments, Map<String, Object> config) {
        String name = (String) arguments.get("name");
        return action.equals("keep")
            ? List.of(new Primitive.StoreArtifact(name, (List<String>) arguments.get("paths")))
            : List.of(new Primitive.RestoreArtifact(name));
      }
    };

    @Test
    void should_reject_artifact_names_and_paths_that_leave_the_run_folders_with_every_other_problem() {
      // given
      Stage stage = Stage.builder("Package").addSteps(
          LibraryStep.of("files", "keep", Map.of("name", "../../../x")),
          LibraryStep.of("files", "keep", Map.of("name", "/tmp/x", "paths", List.of("dist/", "../secrets", "/etc"))),
          LibraryStep.of("files", "fetch", Map.of("name", "app/..")),
          LibraryStep.of("files", "keep", Map.of("name", "app", "paths", List.of("dist/", "build/libs"))),
          LibraryStep.of("files", "fetch", Map.of("name", "app"))).build();
      Pipeline p = pipeline(stage, Stage.builder("Empty").build()).addLibraries(LibraryUse.of(artifacts, Map.of()))
          .build();

      // when
      List<Problem> found = problems(p);

      // then
      assertThat(found).extracting(Problem::code)
          .containsExactly("OTTO-043", "OTTO-043", "OTTO-043", "OTTO-043", "OTTO-043", "OTTO-012");
      assertThat(found.get(0).path()).isEqualTo("pipeline 'p' > stage 'Package' > step 1");
      assertThat(found.get(0).message()).isEqualTo("'../../../x' is not a valid artifact name.");
      assertThat(found.get(0).fix()).contains("letters, digits, '.', '_' or '-'");
      assertThat(found).extracting(Problem::message).contains(
          "the artifact path '../secrets' is not a relative path inside the workspace.",
          "the artifact path '/etc' is not a relative path inside the workspace.");
    }
  }
}

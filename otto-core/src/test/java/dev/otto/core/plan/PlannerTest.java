package dev.otto.core.plan;

import static dev.otto.core.Fixtures.group;
import static dev.otto.core.Fixtures.leaf;
import static dev.otto.core.Fixtures.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.OttoException;
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
import dev.otto.core.model.Gate;
import dev.otto.core.model.LibraryStep;
import dev.otto.core.model.LibraryUse;
import dev.otto.core.model.Lock;
import dev.otto.core.model.LockMode;
import dev.otto.core.model.Parameter;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.StagePath;
import dev.otto.core.validate.PipelineValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PlannerTest {

  private static List<String> ids(Plan plan) {
    return plan.stages().stream().map(PlannedStage::id).toList();
  }

  private static PlannedStage stage(Plan plan, String id) {
    return plan.stage(id).orElseThrow(() -> new AssertionError("no stage " + id + " in " + ids(plan)));
  }

  @Nested
  class Ordering {
    @Test
    void should_run_siblings_in_declaration_order_by_default() {
      Plan plan = Planner.plan(pipeline(leaf("A").build(), leaf("B").build(), leaf("C").build()).build());
      assertThat(ids(plan)).containsExactly("A", "B", "C");
      assertThat(stage(plan, "A").dependsOn()).isEmpty();
      assertThat(stage(plan, "C").dependsOn()).containsExactly("B");
    }

    @Test
    void should_start_the_children_of_a_parallel_group_together() {
      Plan plan = Planner.plan(pipeline(group("G", leaf("X").build(), leaf("Y").build()).parallel(true).build(),
          leaf("After").build()).build());
      assertThat(stage(plan, "G > X").dependsOn()).isEmpty();
      assertThat(stage(plan, "G > Y").dependsOn()).isEmpty();
      assertThat(stage(plan, "After").dependsOn()).containsExactly("G");
      Op.AwaitChildren children = (Op.AwaitChildren) stage(plan, "G").ops().get(1);
      assertThat(children.children()).containsExactly("G > X", "G > Y");
      assertThat(children.parallel()).isTrue();
    }

    @Test
    void should_order_an_explicit_graph_topologically_with_declaration_order_breaking_ties() {
      Stage d = leaf("D").addAfter(StagePath.of("G", "B"), StagePath.of("G", "C")).build();
      Stage c = leaf("C").addAfter(StagePath.of("G", "A")).build();
      Stage b = leaf("B").addAfter(StagePath.of("G", "A")).build();
      Stage a = leaf("A").build();
      Plan plan = Planner.plan(pipeline(group("G", d, c, b, a).parallel(true).build()).build());
      assertThat(ids(plan)).containsExactly("G", "G > A", "G > C", "G > B", "G > D");
      assertThat(stage(plan, "G > D").dependsOn()).containsExactly("G > B", "G > C");
    }
  }

  @Nested
  class Lowering {
    @Test
    void should_lower_a_stage_to_primitive_ops_in_order() {
      Stage deploy = leaf("Deploy")
          .addRestores("gems")
          .addSaves("gems")
          .addEnter(ApprovalGate.of("Ship?").timeout(Duration.ofHours(1)).approvers("ada"))
          .addExit(PollGate.of("healthy", ShStep.of("curl -f http://localhost")).timeout(Duration.ofMinutes(5))
              .every(Duration.ofSeconds(10)).backoff(2, Duration.ofMinutes(1)))
          .addOnSuccess(ShStep.of("echo ok"))
          .addOnFailure(ShStep.of("echo fail"))
          .addAlways(ShStep.of("echo done"))
          .build();
      Plan plan = Planner.plan(pipeline(leaf("Build").addSaves("gems").build(), deploy)
          .addCaches(Cache.of("gems", List.of("vendor/"), List.of("Gemfile.lock"))).build());

      List<Op> ops = stage(plan, "Deploy").ops();
      assertThat(ops).extracting(Op::kind).containsExactly("begin-stage", "await-approval", "restore-cache", "run",
          "save-cache", "poll", "run", "run", "run", "end-stage");
      assertThat(ops).extracting(Op::guard).containsExactly(Op.Guard.NORMAL, Op.Guard.NORMAL, Op.Guard.NORMAL,
          Op.Guard.NORMAL, Op.Guard.NORMAL, Op.Guard.NORMAL, Op.Guard.ON_SUCCESS, Op.Guard.ON_FAILURE, Op.Guard.ALWAYS,
          Op.Guard.ALWAYS);
      Op.AwaitApproval approval = (Op.AwaitApproval) ops.get(1);
      assertThat(approval.id()).isEqualTo("Deploy#enter-1");
      assertThat(approval.approvers()).containsExactly("ada");
      Op.Poll poll = (Op.Poll) ops.get(5);
      assertThat(poll.id()).isEqualTo("Deploy#exit-1");
      assertThat(poll.maxInterval()).isEqualTo(Duration.ofMinutes(1));
      assertThat(poll.probe().script()).isEqualTo("curl -f http://localhost");
    }

    @Test
    void should_take_a_stage_s_locks_then_its_environment_s_first_and_once_and_not_again_inside_a_group_holding_them() {
      // given
      Environment prod = Environment.builder("prod").addLocks(new Lock("prod", LockMode.CANCEL_IN_PROGRESS),
          Lock.queue("shared")).build();
      Stage release = Stage.builder("Release").environment("prod").addLocks(Lock.queue("shared"))
          .addStages(leaf("Deploy").addLocks(Lock.queue("prod"), Lock.queue("dns")).build()).build();

      // when
      Plan plan = Planner.plan(pipeline(release).addEnvironments(prod).build());

      // then
      assertThat(stage(plan, "Release").ops()).filteredOn(Op.AcquireLock.class::isInstance)
          .extracting(op -> ((Op.AcquireLock) op).id() + " " + ((Op.AcquireLock) op).mode())
          .containsExactly("Release#lock-shared QUEUE", "Release#lock-prod CANCEL_IN_PROGRESS");
      assertThat(stage(plan, "Release > Deploy").ops()).extracting(Op::kind)
          .containsExactly("begin-stage", "lock", "run", "end-stage");
      assertThat(((Op.AcquireLock) stage(plan, "Release > Deploy").ops().get(1)).lock()).isEqualTo("dns");
      assertThat(stage(plan, "Release").ops().get(1)).isInstanceOf(Op.AcquireLock.class);
    }

    @Test
    void should_give_steps_the_environment_settings_and_secrets_with_the_step_winning() {
      Environment prod = Environment.builder("prod").putSettings("HOST", "prod.example").putSettings("MODE", "env")
          .addSecrets(SecretBinding.asEnv("token", "TOKEN")).build();
      Stage stage = Stage.builder("Deploy").environment("prod")
          .addSteps(ShStep.of("deploy").env("MODE", "step").with(SecretBinding.asFile("kube", "KUBECONFIG"))).build();
      Plan plan = Planner.plan(pipeline(stage).addEnvironments(prod)
          .addSecrets(new SecretRef("token"), new SecretRef("kube")).build());

      Op.RunProcess run = (Op.RunProcess) stage(plan, "Deploy").ops().get(1);
      assertThat(run.env()).containsExactly(Map.entry("HOST", "prod.example"), Map.entry("MODE", "step"));
      assertThat(run.secrets()).containsExactly(SecretBinding.asEnv("token", "TOKEN"),
          SecretBinding.asFile("kube", "KUBECONFIG"));
    }

    @Test
    void should_resolve_same_as_and_inherited_runtimes() {
      Stage build = leaf("Build").runtime(Runtime.container("ruby:3.3")).build();
      Stage test = leaf("Test").runtime(Runtime.sameAs(StagePath.of("Build"))).build();
      Stage deploy = group("Deploy", leaf("Prod").build()).runtime(Runtime.agent("deployer")).build();
      Plan plan = Planner.plan(pipeline(build, test, deploy, leaf("Local").build()).build());

      assertThat(stage(plan, "Test").runtime()).isEqualTo(Runtime.container("ruby:3.3"));
      assertThat(stage(plan, "Test").runtimeSource()).hasValue("same as 'Build'");
      assertThat(stage(plan, "Deploy > Prod").runtime()).isEqualTo(Runtime.agent("deployer"));
      assertThat(stage(plan, "Local").runtime()).isEqualTo(Runtime.local());
    }

    @Test
    void should_put_an_approval_in_front_of_a_protected_environment() {
      Environment prod = Environment.builder("prod").requiresApproval(true).approvalTimeout(Duration.ofHours(2)).build();
      Plan plan = Planner.plan(pipeline(leaf("Deploy").environment("prod").build()).addEnvironments(prod).build());

      Op.AwaitApproval approval = (Op.AwaitApproval) stage(plan, "Deploy").ops().get(1);
      assertThat(approval.prompt()).isEqualTo("Deploy to 'prod'?");
      assertThat(approval.timeout()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void should_expand_library_steps_with_defaults_filled_in() {
      StepLibrary echo = new EchoLibrary();
      Stage stage = Stage.builder("A").addSteps(LibraryStep.of("echo", "say", Map.of("text", "hi")))
          .addOnFailure(LibraryStep.of("echo", "say", Map.of("text", "oops"))).build();
      Plan plan = Planner.plan(pipeline(stage).addLibraries(LibraryUse.of(echo, Map.of())).build());

      List<Op> ops = stage(plan, "A").ops();
      assertThat(((Op.Emit) ops.get(1)).message()).isEqualTo("hi to everyone");
      assertThat(((Op.Emit) ops.get(2)).message()).isEqualTo("oops to everyone");
      assertThat(ops.get(2).guard()).isEqualTo(Op.Guard.ON_FAILURE);
    }

    @Test
    void should_run_a_librarys_process_with_its_secrets_as_environment_variables_and_the_steps_guard() {
      // given
      StepLibrary deployer = new EchoLibrary() {
        @Override
        public List<Primitive> expand(String action, Map<String, Object> arguments, Map<String, Object> config) {
          return List.of(new Primitive.Run("deploy", "./deploy \"$TEXT\"", Map.of("TEXT", (String) arguments.get("text")),
              Map.of("DEPLOY_TOKEN", "token")));
        }
      };
      Stage stage = Stage.builder("A").addSteps(ShStep.of("make"))
          .addOnFailure(LibraryStep.of("echo", "say", Map.of("text", "hi"))).build();
      Pipeline p = pipeline(stage).addSecrets(new SecretRef("token")).addLibraries(LibraryUse.of(deployer, Map.of()))
          .build();

      // when
      Op.RunProcess run = (Op.RunProcess) stage(Planner.plan(p), "A").ops().get(2);

      // then
      assertThat(run).isEqualTo(new Op.RunProcess("deploy", "./deploy \"$TEXT\"", Map.of("TEXT", "hi"),
          List.of(SecretBinding.asEnv("token", "DEPLOY_TOKEN")), java.util.Optional.empty(), Op.Guard.ON_FAILURE));
    }

    @Test
    void should_report_a_failing_library_with_its_name_and_the_stage() {
      StepLibrary broken = new EchoLibrary() {
        @Override
        public List<Primitive> expand(String action, Map<String, Object> arguments, Map<String, Object> config) {
          throw new IllegalStateException("no template");
        }
      };
      Pipeline p = pipeline(Stage.builder("A").addSteps(LibraryStep.of("echo", "say", Map.of("text", "hi"))).build())
          .addLibraries(LibraryUse.of(broken, Map.of())).build();
      assertThatThrownBy(() -> Planner.plan(p)).isInstanceOf(OttoException.class)
          .hasMessage("the step library 'echo' failed to expand 'say' at pipeline 'p' > stage 'A': no template");
    }
  }

  @Nested
  class Context {
    private final Pipeline pipeline = pipeline(
        leaf("Build").build(),
        leaf("Release").when(Condition.branch().matches("release/*").or(Condition.tag().isPresent())).build(),
        group("Deploy", leaf("Prod").environment("prod").build()).when(Condition.param("deploy").isTrue())
            .addRunsEvenIfSkipped(StagePath.of("Release")).build(),
        leaf("Nightly").addEnter(new ConditionGate(Condition.trigger().is("schedule")))
            .addRunsEvenIfSkipped(StagePath.of("Deploy")).build())
        .addParameters(Parameter.builder("deploy", Parameter.Type.BOOLEAN).defaultValue("false").build())
        .addEnvironments(Environment.builder("prod").addAllowedBranches("main").build())
        .build();

    @Test
    void should_leave_conditions_undecided_without_a_context() {
      Plan plan = Planner.plan(pipeline);
      assertThat(stage(plan, "Build").status()).isEqualTo(StageStatus.RUN);
      assertThat(stage(plan, "Release").status()).isEqualTo(StageStatus.UNDECIDED);
      assertThat(stage(plan, "Release").reason()).hasValue("runs only if [branch matches 'release/*' or tag is present]");
      assertThat(stage(plan, "Deploy").status()).isEqualTo(StageStatus.UNDECIDED);
      assertThat(stage(plan, "Deploy > Prod").reason()).hasValue("runs only if environment 'prod' allows only branches [main]");
      assertThat(stage(plan, "Nightly").status()).isEqualTo(StageStatus.UNDECIDED);
      assertThat(plan.parameterValues()).isEmpty();
    }

    @Test
    void should_decide_conditions_and_skip_children_of_a_skipped_group_with_reasons() {
      Plan plan = Planner.plan(pipeline, RunContext.builder().branch("main").trigger("push").build());
      assertThat(stage(plan, "Release").status()).isEqualTo(StageStatus.SKIP);
      assertThat(stage(plan, "Deploy").reason()).hasValue("[param 'deploy' is 'true'] is false");
      assertThat(stage(plan, "Deploy > Prod").reason()).hasValue("its group 'Deploy' is skipped");
      assertThat(stage(plan, "Deploy > Prod").ops()).isEmpty();
      assertThat(stage(plan, "Nightly").status()).isEqualTo(StageStatus.SKIP);
    }

    @Test
    void should_refuse_a_blank_branch_tag_trigger_or_rollback_in_a_context() {
      assertThatThrownBy(() -> RunContext.branch("")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the branch is blank: leave it out for a run on no branch, or give one such as \"main\"");
      assertThatThrownBy(() -> RunContext.builder().tag(" ")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the tag is blank (' '): leave it out for a run at no tag, or give one such as \"v1.2.0\"");
      assertThatThrownBy(() -> RunContext.builder().trigger("")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> RunContext.builder().rollback("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_run_what_the_context_allows() {
      Plan plan = Planner.plan(pipeline,
          RunContext.builder().branch("main").tag("v1.0").trigger("schedule").param("deploy", "true").build());
      assertThat(plan.stages()).allMatch(s -> s.status() == StageStatus.RUN);
      assertThat(plan.parameterValues()).containsEntry("deploy", "true");
    }

    @Test
    void should_skip_a_deployment_from_a_branch_the_environment_does_not_allow() {
      Plan plan = Planner.plan(pipeline, RunContext.builder().branch("feature/x").param("deploy", "true").build());
      assertThat(stage(plan, "Deploy > Prod").reason())
          .hasValue("environment 'prod' allows only branches [main] and this run is on 'feature/x'");
    }

    @Test
    void should_skip_the_stages_after_a_skipped_stage_with_the_chain_as_their_reason() {
      // given stages in order, the first only on main, and one that runs after them whatever happens
      Pipeline chain = pipeline(
          leaf("Pre").when(Condition.branch().is("main")).build(),
          leaf("Prod").build(),
          leaf("Smoke").addAfter(StagePath.of("Prod")).build(),
          leaf("Report").addAfter(StagePath.of("Pre")).addRunsEvenIfSkipped(StagePath.of("Smoke"), StagePath.of("Pre"))
              .build()).build();

      // when it is planned for another branch
      Plan plan = Planner.plan(chain, RunContext.branch("feature/x"));

      // then each stage after the skipped one is skipped, naming the chain, but the one that opted in
      assertThat(stage(plan, "Prod").status()).isEqualTo(StageStatus.SKIP);
      assertThat(stage(plan, "Prod").reason()).hasValue("'Pre' was skipped: [branch is 'main'] is false");
      assertThat(stage(plan, "Smoke").reason())
          .hasValue("'Prod' was skipped: 'Pre' was skipped: [branch is 'main'] is false");
      assertThat(stage(plan, "Report").status()).isEqualTo(StageStatus.RUN);
      assertThat(stage(plan, "Report").runsEvenIfSkipped()).containsExactly("Smoke", "Pre");
      assertThat(dev.otto.core.explain.Explain.text(plan)).contains("Report  [runs]  local; after 'Pre'; runs even if 'Smoke', 'Pre' is "
          + "skipped", "skipped because 'Prod' was skipped: 'Pre' was skipped: [branch is 'main'] is false");
      // and without a context, what follows an undecided stage is undecided too
      Plan unknown = Planner.plan(chain);
      assertThat(stage(unknown, "Prod").status()).isEqualTo(StageStatus.UNDECIDED);
      assertThat(stage(unknown, "Prod").reason()).hasValue("runs only if 'Pre' runs");
      assertThat(stage(unknown, "Report").status()).isEqualTo(StageStatus.RUN);
    }

    @Test
    void should_decide_changed_path_conditions_from_the_files_the_context_lists() {
      // given stages gated on changes under their folders
      Pipeline monorepo = pipeline(
          leaf("Api").when(Condition.changed("services/api/**")).build(),
          leaf("Web").when(Condition.changed("services/web/**", "shared/*.proto"))
              .addRunsEvenIfSkipped(StagePath.of("Api")).build()).build();

      // when planned for a change to the api only, for one to a shared file, before a run, and in a
      // run that does not know what changed
      Plan api = Planner.plan(monorepo, RunContext.builder().branch("main")
          .changedFiles(List.of("services/api/Main.java", "README.md")).build());
      Plan shared = Planner.plan(monorepo, RunContext.builder().branch("main")
          .changedFiles(List.of("shared/a.proto")).build());
      Plan before = Planner.plan(monorepo);
      Plan unknownChanges = Planner.plan(monorepo, RunContext.branch("main"));

      // then
      assertThat(stage(api, "Api").status()).isEqualTo(StageStatus.RUN);
      assertThat(stage(api, "Web").reason())
          .hasValue("[changed files match 'services/web/**' or 'shared/*.proto'] is false");
      assertThat(stage(shared, "Api").status()).isEqualTo(StageStatus.SKIP);
      assertThat(stage(shared, "Web").status()).isEqualTo(StageStatus.RUN);
      assertThat(stage(before, "Api").reason()).hasValue("runs only if [changed files match 'services/api/**']");
      assertThat(unknownChanges.stages()).allMatch(s -> s.status() == StageStatus.RUN);
      assertThat(api.context().toString()).isEqualTo("branch 'main', 2 changed files");
      assertThat(dev.otto.core.explain.Explain.json(api).replaceAll("\\s+", "")).contains(
          "\"changedFiles\":[\"README.md\",\"services/api/Main.java\"]");
    }

    @Test
    void should_reject_an_invalid_glob_in_a_changed_path_condition() {
      Pipeline wrong = pipeline(leaf("A").when(Condition.changed("")).build()).build();

      assertThatThrownBy(() -> Planner.plan(wrong)).isInstanceOfSatisfying(
          dev.otto.core.validate.PipelineValidationException.class, e -> assertThat(e.problems())
              .extracting(dev.otto.core.validate.Problem::code).containsExactly("OTTO-121"));
      assertThatThrownBy(() -> Condition.changed()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("changed(...) needs at least one glob");
    }

    @Test
    void should_reject_running_even_if_a_stage_that_is_no_dependency_is_skipped() {
      Pipeline wrong = pipeline(leaf("A").build(), leaf("B").build(), leaf("C").addRunsEvenIfSkipped(StagePath.of("A"))
          .addRunsEvenIfSkipped(StagePath.of("Nowhere")).build()).build();

      assertThatThrownBy(() -> Planner.plan(wrong)).isInstanceOfSatisfying(
          dev.otto.core.validate.PipelineValidationException.class, e -> assertThat(e.problems())
              .extracting(dev.otto.core.validate.Problem::message).containsExactly(
                  "it runs even if 'A' is skipped, but it does not depend on that stage.",
                  "it runs even if 'Nowhere' is skipped, but no stage has that path."));
    }

    @Test
    void should_reject_unknown_mistyped_and_missing_parameters_together() {
      Pipeline withRequired = Pipeline.builder("p").from(pipeline)
          .addParameters(Parameter.builder("version", Parameter.Type.STRING).build()).build();
      assertThatThrownBy(() -> Planner.plan(withRequired,
          RunContext.builder().param("deploy", "maybe").param("colour", "red").build()))
          .isInstanceOfSatisfying(InvalidRunContextException.class, e -> assertThat(e.problems()).containsExactly(
              "'colour' is not a parameter of the pipeline; declared: [deploy, version]",
              "'maybe' is not a valid value of parameter 'deploy' (boolean)",
              "the parameter 'version' has no default, so the run must give a value"));
    }
  }

  @Test
  void should_refuse_to_plan_an_invalid_pipeline_and_list_its_problems() {
    assertThatThrownBy(() -> Planner.plan(Pipeline.builder("empty").build()))
        .isInstanceOf(PipelineValidationException.class).hasMessageContaining("OTTO-002");
  }

  @Test
  void should_give_equal_plans_and_fingerprints_for_equal_inputs_and_differ_otherwise() {
    Plan one = Planner.plan(pipeline(leaf("A").build()).build(), RunContext.branch("main"));
    Plan two = Planner.plan(pipeline(leaf("A").build()).build(), RunContext.branch("main"));
    Plan other = Planner.plan(pipeline(leaf("A").build()).build(), RunContext.branch("dev"));
    assertThat(one.fingerprint()).isEqualTo(two.fingerprint()).startsWith("sha256:").hasSize(71);
    assertThat(one).isEqualTo(two);
    assertThat(other.fingerprint()).isNotEqualTo(one.fingerprint());
  }

  @Test
  void should_never_put_a_gate_kind_the_planner_does_not_know_into_a_plan() {
    Gate gate = ApprovalGate.of("x").timeout(Duration.ofMinutes(1));
    assertThat(Planner.plan(pipeline(leaf("A").addEnter(gate).build()).build()).stages().get(0).waits()).hasSize(1);
  }

  private static class EchoLibrary implements StepLibrary {
    @Override
    public String id() {
      return "echo";
    }

    @Override
    public String description() {
      return "echo";
    }

    @Override
    public List<ParamSpec> configSpec() {
      return List.of(ParamSpec.optional("audience", ValueType.STRING, "everyone", "who hears"));
    }

    @Override
    public List<ActionSpec> actions() {
      return List.of(new ActionSpec("say", "says", List.of(ParamSpec.required("text", ValueType.STRING, "text"))));
    }

    @Override
    public List<Primitive> expand(String action, Map<String, Object> arguments, Map<String, Object> config) {
      return List.of(new Primitive.Emit("say", arguments.get("text") + " to " + config.get("audience")));
    }
  }

  @Nested
  class Rollbacks {
    @Test
    void should_run_only_the_stages_that_deploy_to_the_environment_rolled_back_whatever_they_depend_on() {
      // given
      Pipeline pipeline = Pipeline.builder("shop")
          .addEnvironments(Environment.builder("staging").build(), Environment.builder("production").build())
          .addStages(
              Stage.builder("Build").addSteps(ShStep.of("make")).build(),
              Stage.builder("Deploy").addStages(
                  Stage.builder("Staging").environment("staging").addSteps(ShStep.of("./deploy")).build(),
                  Stage.builder("Production").environment("production").addSteps(ShStep.of("./deploy")).build())
                  .build())
          .build();
      RunContext context = RunContext.builder().branch("main").rollback("production").build();

      // when
      Plan plan = Planner.plan(pipeline, context);

      // then
      assertThat(plan.stages()).extracting(PlannedStage::id, PlannedStage::status).containsExactly(
          org.assertj.core.groups.Tuple.tuple("Build", StageStatus.SKIP),
          org.assertj.core.groups.Tuple.tuple("Deploy", StageStatus.RUN),
          org.assertj.core.groups.Tuple.tuple("Deploy > Staging", StageStatus.SKIP),
          org.assertj.core.groups.Tuple.tuple("Deploy > Production", StageStatus.RUN));
      assertThat(plan.stage("Build").orElseThrow().reason())
          .contains("a rollback of 'production' runs only the stages that deploy there");
      assertThat(context.toString()).isEqualTo("branch 'main', rollback of 'production'");
      assertThat(context).isNotEqualTo(RunContext.branch("main"));
      assertThat(plan.toJson()).contains("\"rollback\" : \"production\"");
    }
  }
}

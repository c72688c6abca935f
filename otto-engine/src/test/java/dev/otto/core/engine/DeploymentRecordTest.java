package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.model.Environment;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.plan.RunnablePlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of what was deployed where: the entry the machine makes, and the stores that keep entries. */
class DeploymentRecordTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  /** A plan of one stage deploying to production behind an approval, that restores the artifact 'app' first. */
  private static RunnablePlan deployPlan() {
    Pipeline pipeline = Pipeline.builder("shop")
        .addEnvironments(Environment.builder("production").requiresApproval(true).build())
        .addStages(Stage.builder("Production").environment("production").addSteps(ShStep.of("./deploy")).build())
        .build();
    RunnablePlan plan = RunnablePlan.of(Planner.plan(pipeline, RunContext.branch("main")));
    PlannedStage stage = plan.stages().get(0);
    List<Op> ops = new ArrayList<>(stage.ops());
    ops.add(ops.size() - 2, new Op.RestoreArtifact("app", Op.Guard.NORMAL));
    PlannedStage restoring = new PlannedStage(stage.id(), stage.path(), stage.parent(), stage.children(),
        stage.parallel(), stage.status(), stage.reason(), stage.runtime(), stage.runtimeSource(), stage.services(),
        stage.environment(), stage.origin(), stage.timeout(), stage.dependsOn(), stage.runsEvenIfSkipped(), ops);
    return new RunnablePlan(plan.pipeline(), plan.fingerprint(), List.of(restoring));
  }

  /** Drives the machine as a driver would, answering each op with {@code outcome} for artifacts and exit 0 otherwise. */
  private static List<RunMachine.Action> drive(RunMachine machine, RunMachine.Input input) {
    List<RunMachine.Action> all = new ArrayList<>(machine.apply(input));
    for (int i = 0; i < all.size(); i++) {
      Instant at = input.at().plusSeconds(1);
      if (all.get(i) instanceof RunMachine.EndSession end) {
        all.addAll(machine.apply(new RunMachine.SessionEnded(at, end.stage(), 0)));
      } else if (all.get(i) instanceof RunMachine.Execute execute) {
        RunMachine.Outcome outcome = execute.what() instanceof Op.RestoreArtifact ? RunMachine.Outcome.artifact(DIGEST)
            : new RunMachine.Outcome(RunResult.Status.SUCCEEDED, OptionalInt.of(0), "exited with 0");
        all.addAll(machine.apply(new RunMachine.OpDone(at, execute.stage(), execute.op(), outcome)));
      }
    }
    return all;
  }

  private static Deployment deployment(String run, String stage, RunResult.Status status) {
    return new Deployment("production", run, "shop", stage, Optional.of("c0ffee"),
        List.of(new Deployment.Artifact("app", DIGEST)), T0, T0.plusSeconds(30), Optional.of("alice"), status);
  }

  @Nested
  class TheMachine {
    @Test
    void should_record_the_artifacts_approver_commit_and_result_when_a_stage_that_deploys_ends() {
      // given
      RunMachine machine = RunMachine.builder("run-1", deployPlan()).commit(Optional.of("c0ffee")).build();
      drive(machine, new RunMachine.Start(T0, List.of()));
      String approval = machine.pendingWaits().get(0).id();

      // when
      List<RunMachine.Action> actions = drive(machine, new RunMachine.Decide(T0.plusSeconds(60), approval,
          Decision.approve("alice")));

      // then
      assertThat(actions).filteredOn(RunMachine.Deployed.class::isInstance).singleElement()
          .extracting(action -> ((RunMachine.Deployed) action).deployment())
          .isEqualTo(new Deployment("production", "run-1", "shop", "Production", Optional.of("c0ffee"),
              List.of(new Deployment.Artifact("app", DIGEST)), T0, T0.plusSeconds(61), Optional.of("alice"),
              RunResult.Status.SUCCEEDED));
    }

    @Test
    void should_record_a_deployment_that_failed_too_when_its_approval_is_rejected() {
      // given
      RunMachine machine = RunMachine.builder("run-1", deployPlan()).build();
      drive(machine, new RunMachine.Start(T0, List.of()));
      String approval = machine.pendingWaits().get(0).id();

      // when
      List<RunMachine.Action> actions = drive(machine, new RunMachine.Decide(T0.plusSeconds(60), approval,
          Decision.reject("bob")));

      // then
      Deployment recorded = actions.stream().filter(RunMachine.Deployed.class::isInstance)
          .map(action -> ((RunMachine.Deployed) action).deployment()).findFirst().orElseThrow();
      assertThat(recorded.status()).isEqualTo(RunResult.Status.FAILED);
      assertThat(recorded.artifacts()).isEmpty();
      assertThat(recorded.approvedBy()).isEmpty();
      assertThat(recorded.commit()).isEmpty();
    }
  }

  @Nested
  class TheFileStore {
    @TempDir
    Path folder;

    @Test
    void should_list_an_environments_entries_newest_first_and_each_run_and_stage_once() {
      // given
      DeploymentStore store = DeploymentStore.inFolder(folder);
      Deployment first = deployment("run-1", "Production", RunResult.Status.SUCCEEDED);
      Deployment second = deployment("run-2", "Production", RunResult.Status.FAILED);

      // when
      store.record(first);
      store.record(second);
      store.record(first);
      store.record(new Deployment("staging", "run-2", "shop", "Staging", Optional.empty(), List.of(), T0, T0,
          Optional.empty(), RunResult.Status.SUCCEEDED));

      // then
      assertThat(store.deployments("production")).containsExactly(second, first);
      assertThat(DeploymentStore.inFolder(folder).deployments("production")).containsExactly(second, first);
      assertThat(store.deployments("qa")).isEmpty();
      assertThat(store.environments()).containsExactly("production", "staging");
      assertThat(DeploymentStore.inFolder(folder.resolve("none")).environments()).isEmpty();
    }

    @Test
    void should_skip_an_entry_a_crash_cut_short_and_keep_the_entries_written_after_it_whole() throws IOException {
      // given
      DeploymentStore store = DeploymentStore.inFolder(folder);
      Deployment first = deployment("run-1", "Production", RunResult.Status.SUCCEEDED);
      store.record(first);
      Files.writeString(folder.resolve(FileDeploymentStore.FILE), "{\"t\":\"deployed\",\"environment\":\"produ",
          StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      Deployment second = deployment("run-2", "Production", RunResult.Status.SUCCEEDED);

      // when
      store.record(second);

      // then
      assertThat(store.deployments("production")).containsExactly(second, first);
    }
  }

  @Nested
  class TheMemoryStore {
    @Test
    void should_list_an_environments_entries_newest_first_and_each_run_and_stage_once() {
      // given
      DeploymentStore store = DeploymentStore.inMemory();
      Deployment first = deployment("run-1", "Production", RunResult.Status.SUCCEEDED);
      Deployment second = deployment("run-2", "Production", RunResult.Status.FAILED);

      // when
      store.record(first);
      store.record(second);
      store.record(first);

      // then
      assertThat(store.deployments("production")).containsExactly(second, first);
      assertThat(store.environments()).containsExactly("production");
    }
  }

  @Nested
  class Promotions {
    @TempDir
    Path root;

    private Deployment deployed(String run, String environment, String digest, RunResult.Status status) {
      return new Deployment(environment, run, "shop", "Deploy", Optional.empty(),
          List.of(new Deployment.Artifact("app", digest)), T0, T0, Optional.empty(), status);
    }

    /** Stores the artifact 'app' holding {@code text} as run {@code run} would; its digest. */
    private String store(String run, String text) throws Exception {
      Path workspace = Files.createDirectories(root.resolve(run).resolve("workspace"));
      Files.createDirectories(workspace.resolve("dist"));
      Files.writeString(workspace.resolve("dist/app.txt"), text);
      Path artifacts = root.resolve(run).resolve(WorkspaceOps.ARTIFACTS);
      WorkspaceOps.store(workspace, artifacts, new Op.StoreArtifact("app", List.of("dist"), Op.Guard.NORMAL));
      return WorkspaceOps.digest(artifacts, "app");
    }

    @Test
    void should_take_the_last_successful_deployment_and_for_a_rollback_the_newest_one_of_other_files() {
      // given
      DeploymentStore store = DeploymentStore.inMemory();
      store.record(deployed("run-1", "production", "sha256:1", RunResult.Status.SUCCEEDED));
      store.record(deployed("run-2", "production", "sha256:2", RunResult.Status.SUCCEEDED));
      store.record(deployed("run-3", "production", "sha256:2", RunResult.Status.SUCCEEDED));
      store.record(deployed("run-4", "production", "sha256:4", RunResult.Status.FAILED));

      // when
      Optional<Promotion.Source> last = Promotion.find(store, "app", new Op.Deployed("production", false));
      Optional<Promotion.Source> before = Promotion.find(store, "app", new Op.Deployed("production", true));

      // then
      assertThat(last).map(Promotion.Source::digest).contains("sha256:2");
      assertThat(last).map(source -> source.entry().run()).contains("run-3");
      assertThat(before).map(Promotion.Source::digest).contains("sha256:1");
      assertThat(Promotion.find(store, "docs", new Op.Deployed("production", false))).isEmpty();
      assertThat(Promotion.find(store, "app", new Op.Deployed("staging", false))).isEmpty();
    }

    @Test
    void should_promote_along_a_chain_of_environments_from_each_runs_own_copy() throws Exception {
      // given run-1 built what qa runs, and run-2 promoted it to staging
      String digest = store("run-1", "v1");
      store("run-2", "v2");
      Path promoted2 = root.resolve("run-2").resolve(WorkspaceOps.PROMOTED);
      Promotion.adopt(root, promoted2, "app", new Promotion.Source(deployed("run-1", "qa", digest,
          RunResult.Status.SUCCEEDED), digest));

      // when run-3 promotes what staging runs
      Path promoted3 = root.resolve("run-3").resolve(WorkspaceOps.PROMOTED);
      Promotion.adopt(root, promoted3, "app", new Promotion.Source(deployed("run-2", "staging", digest,
          RunResult.Status.SUCCEEDED), digest));

      // then it holds what run-1 built, not what run-2 built
      assertThat(WorkspaceOps.digest(promoted3, "app")).isEqualTo(digest);
      assertThat(Files.readString(promoted3.resolve("app/dist/app.txt"))).isEqualTo("v1");
    }

    @Test
    void should_refuse_to_promote_files_that_changed_since_they_were_deployed() throws Exception {
      // given
      String digest = store("run-1", "v1");
      Files.writeString(root.resolve("run-1/artifacts/app/dist/app.txt"), "tampered");
      Promotion.Source source = new Promotion.Source(deployed("run-1", "staging", digest, RunResult.Status.SUCCEEDED),
          digest);

      // when / then
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Promotion.adopt(root,
              root.resolve("run-2").resolve(WorkspaceOps.PROMOTED), "app", source))
          .hasMessageContaining("the files of the artifact 'app' of run run-1 have the digest sha256:")
          .hasMessageContaining("as 'staging' recorded when it deployed them; they changed since");
    }
  }
}

package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.OttoException;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Freeing the disk runs take: the workspaces of finished runs go, what else a run is stays. */
class RemoveWorkspacesTest {
  @TempDir
  Path root;

  LocalEngine engine() {
    return LocalEngine.builder(root).parallelism(2)
        .executor(LocalProcessExecutor.builder().grace(Duration.ofMillis(300)).build()).build();
  }

  @Test
  void should_remove_the_workspaces_of_finished_runs_but_the_newest_and_keep_unfinished_runs_whole() throws Exception {
    // given three finished runs, the oldest with a read-only folder as Go leaves its module cache, and a waiting run
    LocalEngine engine = engine();
    Plan build = ResumeTest.plan(ResumeTest.step("Build",
        "mkdir -p cache/mod cache/closed/inside && head -c 4096 /dev/zero > cache/mod/file && chmod 444 cache/mod/file "
            + "&& chmod 555 cache/mod && chmod 000 cache/closed"));
    String oldest = engine.run(build).run();
    Thread.sleep(20);
    RunResult failed = engine.run(ResumeTest.plan(ResumeTest.step("Build", "echo made > made.txt; false")));
    Thread.sleep(20);
    String newest = engine.run(ResumeTest.plan(ResumeTest.step("Build", "echo made > made.txt"))).run();
    Plan waiting = ResumeTest.plan(Stage.builder("Deploy").addEnter(ApprovalGate.of("Ship it?")
        .timeout(Duration.ofDays(1))).addSteps(ShStep.of("true")).build());
    RunHandle pending = engine.start(waiting);
    WaitsTest.until(() -> !pending.waits().isEmpty());

    // and the folder of a run whose workspace was being made when its engine stopped
    Files.createDirectories(root.resolve("20260101-000000-halfmade/workspace"));

    // when all but the newest finished run give up their workspaces
    RemovedWorkspaces removed = engine.removeWorkspaces(1);

    // then the older ones are gone, with what they held, and everything else of every run stays
    assertThat(removed.removed()).containsExactly(failed.run(), oldest);
    assertThat(removed.kept()).containsExactly(newest);
    assertThat(removed.unfinished()).containsExactly(pending.id());
    assertThat(removed.leftAlone()).singleElement().asString().startsWith("20260101-000000-halfmade: ");
    assertThat(removed.failed()).isEmpty();
    assertThat(root.resolve("20260101-000000-halfmade/workspace")).isDirectory();
    assertThat(removed.bytes()).isGreaterThanOrEqualTo(4096 + 5);
    assertThat(root.resolve(oldest).resolve("workspace")).doesNotExist();
    assertThat(root.resolve(failed.run()).resolve("workspace")).doesNotExist();
    assertThat(root.resolve(oldest).resolve("journal.log")).exists();
    assertThat(root.resolve(newest).resolve("workspace/made.txt")).exists();
    assertThat(root.resolve(pending.id()).resolve("workspace")).isDirectory();
    assertThat(engine.resume(oldest, build).result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThatThrownBy(() -> engine.restart(oldest, build, "Build")).isInstanceOf(OttoException.class)
        .hasMessageContaining("run '" + oldest + "' has no workspace any more");
    assertThat(engine.removeWorkspaces(1).removed()).isEmpty();
    pending.cancel();
    pending.result().join();
    assertThat(engine.removeWorkspaces(0).removed()).containsExactly(pending.id(), newest);
  }

  @Test
  void should_finish_a_removal_an_earlier_prune_left_even_where_the_workspace_is_back() throws Exception {
    // given a finished run with what an interrupted removal left, and a workspace made again since
    LocalEngine engine = engine();
    String run = engine.run(ResumeTest.plan(ResumeTest.step("Build", "echo made > made.txt"))).run();
    Files.createDirectories(root.resolve(run).resolve("workspace.removing/left"));

    // when
    RemovedWorkspaces removed = engine.removeWorkspaces(0);

    // then both are gone
    assertThat(removed.removed()).containsExactly(run);
    assertThat(removed.failed()).isEmpty();
    assertThat(root.resolve(run).resolve("workspace")).doesNotExist();
    assertThat(root.resolve(run).resolve("workspace.removing")).doesNotExist();
  }

  @Test
  void should_refuse_a_negative_number_of_runs_to_keep() {
    assertThatThrownBy(() -> engine().removeWorkspaces(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative, not -1");
  }
}

package dev.otto.core.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class StageShellsTest {
  @TempDir
  Path workspace;

  private final List<String> lines = new CopyOnWriteArrayList<>();

  @Test
  void should_give_each_of_stages_that_follow_one_another_its_own_cookie_and_stop_what_it_left() throws Exception {
    // given an executor whose stages start one after the other in one workspace, each leaving a process
    LocalProcessExecutor executor = LocalProcessExecutor.builder().build();
    dev.otto.core.plan.Op.RunProcess op = new dev.otto.core.plan.Op.RunProcess("leave", "echo \"$OTTO_PROCESS_COOKIE\"; "
        + "(while :; do sleep 1; done) >/dev/null 2>&1 &", Map.of(), List.of(), Optional.empty(),
        dev.otto.core.plan.Op.Guard.NORMAL);
    String run = "run-" + UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      String session = run + ":Stage-" + i;
      ProcessOutcome outcome = executor.run(new ProcessRequest(op, dev.otto.core.model.Runtime.local(), workspace,
          Map.of(), Map.of(), Optional.of(session), List.of()), lines::add, Cancellation.create());
      assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);

      // when its session ends
      int stopped = executor.endSession(session);

      // then its step saw its own cookie, and what it left was stopped
      assertThat(lines).last().isEqualTo(session);
      assertThat(stopped).as("processes stage %d left", i).isPositive();
      assertThat(ProcessTree.carrying(LocalProcessExecutor.COOKIE_VARIABLE + "=" + session)).isEmpty();
    }
  }

  @Test
  void should_run_a_stage_in_a_workspace_removed_and_made_again_at_the_same_path() throws Exception {
    // given a stage that ran in the workspace, which is then removed and made again
    LocalProcessExecutor executor = LocalProcessExecutor.builder().build();
    String run = "run-" + UUID.randomUUID();
    dev.otto.core.plan.Op.RunProcess list = new dev.otto.core.plan.Op.RunProcess("list", "ls", Map.of(), List.of(),
        Optional.empty(), dev.otto.core.plan.Op.Guard.NORMAL);
    for (int i = 0; i < 3; i++) {
      String session = run + ":Stage-" + i;
      Files.writeString(workspace.resolve("made-" + i), "");
      executor.run(new ProcessRequest(list, dev.otto.core.model.Runtime.local(), workspace, Map.of(), Map.of(),
          Optional.of(session), List.of()), lines::add, Cancellation.create());
      executor.endSession(session);
      com.google.common.io.MoreFiles.deleteRecursively(workspace);
      Files.createDirectories(workspace);
    }

    // then each stage saw the workspace as it was when it ran
    assertThat(lines).containsExactly("made-0", "made-1", "made-2");
  }
}

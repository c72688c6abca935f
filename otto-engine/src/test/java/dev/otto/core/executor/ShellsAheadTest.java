package dev.otto.core.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.secret.SecretMasker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class ShellsAheadTest {
  @TempDir
  Path workspace;

  private final List<String> lines = new CopyOnWriteArrayList<>();

  private void step(ShellSession shell, String script) throws Exception {
    String marker = "END_" + UUID.randomUUID().toString().replace("-", "");
    shell.start(ShellSession.command(Map.of(), script, marker), marker, SecretMasker.none(), lines::add)
        .exit.get(30, TimeUnit.SECONDS);
  }

  @Test
  void should_carry_the_cookie_in_a_shell_started_ahead_and_in_what_it_forks_once_a_stage_takes_it()
      throws Exception {
    // given a shell started without a cookie
    String cookie = "run-" + UUID.randomUUID() + ":Build";
    ShellSession shell = new ShellSession(List.of("/bin/sh", "-s"), Map.of("PATH", System.getenv("PATH")),
        workspace, 4096);
    try {
      // when a stage takes it
      shell.adopt(LocalProcessExecutor.COOKIE_VARIABLE, cookie, "/bin/sh");
      step(shell, "echo \"$OTTO_PROCESS_COOKIE\"; pwd; (while :; do sleep 1; done) & echo $! > forked.pid");

      // then the shell, its steps and a subshell forked in the background carry the cookie, in the workspace
      assertThat(lines).containsExactly(cookie, workspace.toRealPath().toString());
      String environment = new String(Files.readAllBytes(Path.of("/proc/" + shell.process().pid() + "/environ")),
          StandardCharsets.UTF_8);
      assertThat(environment.split("\0")).contains(LocalProcessExecutor.COOKIE_VARIABLE + "=" + cookie);
      long forked = Long.parseLong(Files.readString(workspace.resolve("forked.pid")).trim());
      assertThat(ProcessTree.carrying(LocalProcessExecutor.COOKIE_VARIABLE + "=" + cookie))
          .extracting(ProcessHandle::pid).contains(shell.process().pid(), forked);
    } finally {
      shell.close();
      ProcessTree.killCarrying(LocalProcessExecutor.COOKIE_VARIABLE + "=" + cookie);
    }
  }

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

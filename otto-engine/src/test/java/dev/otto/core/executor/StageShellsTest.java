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

  private static dev.otto.core.plan.Op.RunProcess step(String script) {
    return new dev.otto.core.plan.Op.RunProcess(script, script, Map.of(), List.of(), Optional.empty(),
        dev.otto.core.plan.Op.Guard.NORMAL);
  }

  /** A request to run {@code script} in {@code session} with the secret {@code token} in {@code $TOKEN}. */
  private ProcessRequest withToken(String script, String token, String session) {
    return new ProcessRequest(new dev.otto.core.plan.Op.RunProcess(script, script, Map.of(),
        List.of(dev.otto.core.model.SecretBinding.asEnv("token", "TOKEN")), Optional.empty(),
        dev.otto.core.plan.Op.Guard.NORMAL), dev.otto.core.model.Runtime.local(), workspace,
        Map.of("token", dev.otto.core.secret.SecretValue.of("token", token)), Map.of(), Optional.of(session), List.of());
  }

  private ProcessOutcome run(LocalProcessExecutor executor, String session, String script, List<String> into) {
    return executor.run(new ProcessRequest(step(script), dev.otto.core.model.Runtime.local(), workspace, Map.of(),
        Map.of(), Optional.of(session), List.of()), into::add, Cancellation.create());
  }

  @Test
  void should_start_each_stage_shell_from_one_kept_shell_when_stages_follow_one_another() {
    // given two stages that run one after the other
    LocalProcessExecutor executor = LocalProcessExecutor.builder().build();
    String run = "run-" + UUID.randomUUID();
    List<String> first = new CopyOnWriteArrayList<>();
    List<String> second = new CopyOnWriteArrayList<>();

    // when each prints its shell and that shell's parent
    run(executor, run + ":A", "echo $$ $PPID", first);
    executor.endSession(run + ":A");
    run(executor, run + ":B", "echo $$ $PPID", second);
    executor.endSession(run + ":B");

    // then each had a shell of its own, started by the same kept shell
    String[] a = first.get(0).split(" ");
    String[] b = second.get(0).split(" ");
    assertThat(b[0]).isNotEqualTo(a[0]);
    assertThat(b[1]).isEqualTo(a[1]);
  }

  @Test
  void should_not_pass_what_a_stage_left_printing_to_the_next_stage() {
    // given a stage that leaves a process printing without end
    LocalProcessExecutor executor = LocalProcessExecutor.builder().build();
    String run = "run-" + UUID.randomUUID();
    List<String> noisy = new CopyOnWriteArrayList<>();
    run(executor, run + ":Noisy", "(while :; do echo noise; sleep 0.005; done) & sleep 0.1; echo done", noisy);

    // when it ends and the next stage runs in the same kept shell
    int stopped = executor.endSession(run + ":Noisy");
    List<String> quiet = new CopyOnWriteArrayList<>();
    ProcessOutcome outcome = run(executor, run + ":Quiet", "sleep 0.1; echo quiet", quiet);
    executor.endSession(run + ":Quiet");

    // then the printing process was stopped, and the next stage saw only its own output
    assertThat(noisy).contains("noise", "done");
    assertThat(stopped).isPositive();
    assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(quiet).containsExactly("quiet");
  }

  @Test
  void should_not_keep_a_shell_whose_stage_left_a_process_without_its_cookie() throws Exception {
    // given a stage that leaves a process which drops the stage's cookie from its environment, and would print a
    // secret later
    String canary = "canary-" + UUID.randomUUID();
    LocalProcessExecutor executor = LocalProcessExecutor.builder().build();
    String run = "run-" + UUID.randomUUID();
    List<String> first = new CopyOnWriteArrayList<>();
    ProcessOutcome left = executor.run(withToken("echo $PPID > host; env -u " + LocalProcessExecutor.COOKIE_VARIABLE
        + " sh -c 'echo $$ > escaped; sleep 0.5; echo \"late $TOKEN\"' &", canary, run + ":Leaves"), first::add,
        Cancellation.create());
    awaitWritten(workspace.resolve("escaped"));

    // when its session ends and the next stage runs past the moment the process would print
    int stopped = executor.endSession(run + ":Leaves");
    List<String> second = new CopyOnWriteArrayList<>();
    ProcessOutcome next = run(executor, run + ":Next", "sleep 1; echo $PPID", second);
    executor.endSession(run + ":Next");

    // then the process was counted and stopped with the shell that hosted its stage, the next stage ran in another
    // one and saw nothing of it
    long escaped = Long.parseLong(Files.readString(workspace.resolve("escaped")).trim());
    assertThat(left.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(stopped).isPositive();
    assertThat(running(escaped)).as("process %d runs", escaped).isFalse();
    assertThat(next.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(second).hasSize(1).doesNotContain(Files.readString(workspace.resolve("host")).trim());
    assertThat(String.join("\n", first) + String.join("\n", second)).doesNotContain("late").doesNotContain(canary);
  }

  @Test
  void should_start_no_step_in_a_shell_that_is_leaving_its_stage_when_the_stage_ends_as_the_step_begins()
      throws Exception {
    // given stages that end while their next step is on its way, as a stage that times out then does
    LocalProcessExecutor executor = LocalProcessExecutor.builder().build();
    String run = "run-" + UUID.randomUUID();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 40; i++) {
        String session = run + ":Stage-" + i;
        List<String> seen = new CopyOnWriteArrayList<>();
        run(executor, session, "true", seen);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Future<ProcessOutcome> step = pool.submit(() -> {
          go.await();
          return run(executor, session, "echo step", seen);
        });
        java.util.concurrent.Future<Integer> end = pool.submit(() -> {
          go.await();
          return executor.endSession(session);
        });

        // when both go at once
        go.countDown();
        ProcessOutcome outcome = step.get(30, java.util.concurrent.TimeUnit.SECONDS);
        end.get(30, java.util.concurrent.TimeUnit.SECONDS);
        // A step that came after the end opened a session of its own, which ends here.
        executor.endSession(session);
        List<String> next = new CopyOnWriteArrayList<>();
        String check = run + ":Check-" + i;
        ProcessOutcome after = run(executor, check, "echo \"$" + LocalProcessExecutor.COOKIE_VARIABLE + "\"", next);
        executor.endSession(check);

        // then the step ran in its stage's shell, was stopped with it, or did not start; the shells' own lines
        // reached no step, and the next stage ran in a shell of its own
        assertThat(outcome.status()).as("round %d: %s", i, outcome.detail())
            .isIn(ProcessOutcome.Status.SUCCEEDED, ProcessOutcome.Status.NOT_STARTED, ProcessOutcome.Status.FAILED);
        if (outcome.status() == ProcessOutcome.Status.FAILED) {
          // Stopped as it ran, or, when it came after the end, by the end's sweep of the stage's cookie.
          assertThat(outcome.detail()).doesNotContain("OTTO_").satisfiesAnyOf(
              detail -> assertThat(detail).startsWith("the stage's shell ended while the step ran"),
              detail -> assertThat(detail).startsWith("the step could not run in the stage's shell"));
        }
        assertThat(seen).as("round %d", i).noneMatch(line -> line.contains("OTTO_"));
        assertThat(after.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
        assertThat(next).containsExactly(check);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(120)
  void should_fail_a_step_whose_lines_cannot_be_handed_over_and_run_the_next_stage() {
    // given a step whose consumer of lines fails on one of them
    LocalProcessExecutor executor = LocalProcessExecutor.builder().build();
    String run = "run-" + UUID.randomUUID();
    java.util.function.Consumer<String> failing = line -> {
      if (line.equals("boom")) {
        throw new IllegalStateException("cannot take " + line);
      }
    };

    // when it prints that line, then goes on printing
    ProcessOutcome outcome = executor.run(new ProcessRequest(step("echo boom; seq 1 100000; sleep 30"),
        dev.otto.core.model.Runtime.local(), workspace, Map.of(), Map.of(), Optional.of(run + ":Failing"), List.of()),
        failing, Cancellation.create());
    executor.endSession(run + ":Failing");
    ProcessOutcome next = run(executor, run + ":Next", "echo next", lines);
    executor.endSession(run + ":Next");

    // then the step failed at once, saying why without the line, and the next stage ran
    assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.FAILED);
    assertThat(outcome.duration()).isLessThan(java.time.Duration.ofSeconds(20));
    assertThat(outcome.detail()).isEqualTo("its output could not be handed over: java.lang.IllegalStateException, "
        + "and it was stopped with every process its stage started");
    assertThat(next.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(lines).containsExactly("next");
  }

  @Test
  void should_start_a_stage_in_another_shell_when_the_kept_one_does_not_answer() throws Exception {
    // given a kept shell that stopped answering after its stage
    LocalProcessExecutor executor = LocalProcessExecutor.builder().build();
    String run = "run-" + UUID.randomUUID();
    List<String> first = new CopyOnWriteArrayList<>();
    run(executor, run + ":A", "echo $PPID", first);
    executor.endSession(run + ":A");
    Process stop = new ProcessBuilder("kill", "-STOP", first.get(0)).start();
    assertThat(stop.waitFor()).isZero();

    // when the next stage runs
    List<String> second = new CopyOnWriteArrayList<>();
    ProcessOutcome outcome = run(executor, run + ":B", "echo $PPID", second);
    executor.endSession(run + ":B");

    // then another shell started its shell, and the one that did not answer was stopped
    assertThat(outcome.status()).as(outcome.detail()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(second).hasSize(1).doesNotContain(first.get(0));
    assertThat(running(Long.parseLong(first.get(0)))).isFalse();
  }

  /** Waits, 30 seconds at most, until a step has written a line to {@code file}. */
  private static void awaitWritten(Path file) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while ((!Files.exists(file) || Files.readString(file).isBlank()) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  /** Whether a process runs: a zombie, which only waits for its parent to reap it, does not. */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void should_fail_the_step_whose_stage_shell_is_killed_and_start_a_new_one_for_the_next() {
    // given a step that kills its stage's shell, then would go on
    LocalProcessExecutor executor = LocalProcessExecutor.builder().build();
    String session = "run-" + UUID.randomUUID() + ":Broken";
    ProcessOutcome broken = run(executor, session, "kill -9 $$; sleep 0.5; touch went-on", lines);

    // when the stage's next step runs
    ProcessOutcome next = run(executor, session, "echo next", lines);
    executor.endSession(session);

    // then the step failed and was stopped, and the next one ran in a new shell
    assertThat(broken.status()).isEqualTo(ProcessOutcome.Status.FAILED);
    assertThat(broken.detail()).contains("the stage's shell ended");
    assertThat(next.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(lines).contains("next");
    assertThat(workspace.resolve("went-on")).doesNotExist();
  }

  @Test
  void should_say_when_the_workspace_cannot_be_entered_and_run_the_next_stage() {
    // given a stage whose workspace does not exist
    LocalProcessExecutor executor = LocalProcessExecutor.builder().build();
    String run = "run-" + UUID.randomUUID();
    Path missing = workspace.resolve("missing");
    ProcessOutcome outcome = executor.run(new ProcessRequest(step("echo never"), dev.otto.core.model.Runtime.local(),
        missing, Map.of(), Map.of(), Optional.of(run + ":Lost"), List.of()), lines::add, Cancellation.create());

    // when another stage runs where it can
    ProcessOutcome next = run(executor, run + ":Found", "echo found", lines);
    executor.endSession(run + ":Found");

    // then the first was not started, with the reason, and the next ran
    assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.NOT_STARTED);
    assertThat(outcome.detail()).isEqualTo("could not start the stage's shell: could not enter " + missing);
    assertThat(next.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(lines).containsExactly("found");
  }

  @Test
  void should_keep_a_secret_out_of_the_kept_shell_and_the_stage_shell() throws Exception {
    // given a step that binds a secret and waits while its shells are read
    String canary = "canary-" + UUID.randomUUID();
    LocalProcessExecutor executor = LocalProcessExecutor.builder().build();
    String session = "run-" + UUID.randomUUID() + ":Secret";
    java.util.concurrent.CompletableFuture<ProcessOutcome> outcome = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> executor.run(withToken("echo $$ $PPID > shells; sleep 2", canary, session), lines::add,
            Cancellation.create()));
    Path shells = workspace.resolve("shells");
    awaitWritten(shells);

    // when the environment and command line of both shells are read
    StringBuilder seen = new StringBuilder();
    for (String pid : Files.readString(shells).trim().split(" ")) {
      seen.append(Files.readString(Path.of("/proc", pid, "environ"), java.nio.charset.StandardCharsets.ISO_8859_1));
      seen.append(Files.readString(Path.of("/proc", pid, "cmdline"), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    // then neither holds the secret, and the stage's shell carries the stage's cookie
    assertThat(seen.toString()).doesNotContain(canary).contains(LocalProcessExecutor.COOKIE_VARIABLE + "=" + session);
    assertThat(outcome.get(60, java.util.concurrent.TimeUnit.SECONDS).status())
        .isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    executor.endSession(session);
  }
}

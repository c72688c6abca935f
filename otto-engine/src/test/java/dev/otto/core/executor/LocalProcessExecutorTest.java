package dev.otto.core.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.secret.SecretValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class LocalProcessExecutorTest {
  private static final String CANARY = "canary-" + UUID.randomUUID();

  @TempDir
  Path workspace;

  private final List<String> lines = new CopyOnWriteArrayList<>();

  private static Op.RunProcess op(String script, Map<String, String> env, List<SecretBinding> secrets,
      Optional<Duration> timeout) {
    return new Op.RunProcess(script, script, env, secrets, timeout, Op.Guard.NORMAL);
  }

  private static Op.RunProcess op(String script) {
    return op(script, Map.of(), List.of(), Optional.empty());
  }

  private ProcessOutcome run(LocalProcessExecutor executor, Op.RunProcess op, SecretValue... secrets) {
    return executor.run(ProcessRequest.of(op, workspace, List.of(secrets)), lines::add, Cancellation.create());
  }

  private static LocalProcessExecutor executor() {
    return LocalProcessExecutor.builder().hostEnvironment(Map.of("PATH", System.getenv("PATH"), "HOME", "/tmp",
        "HOST_CANARY", CANARY)).grace(Duration.ofMillis(500)).build();
  }

  @Test
  void should_run_a_script_in_the_workspace_and_stream_its_lines() throws Exception {
    Files.writeString(workspace.resolve("input.txt"), "from the workspace\n");

    ProcessOutcome outcome = run(executor(), op("cat input.txt; echo second >&2; printf 'last'"));

    assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(outcome.exitCode()).hasValue(0);
    assertThat(lines).containsExactly("from the workspace", "second", "last");
  }

  @Test
  void should_refuse_a_request_with_services_it_cannot_run() {
    // given
    ProcessRequest request = new ProcessRequest(op("true"), Runtime.local(), workspace, Map.of(), Map.of(),
        Optional.empty(), List.of(dev.otto.core.model.Service.of("db", "postgres:16")));

    // when
    ProcessOutcome outcome = executor().run(request, lines::add, Cancellation.create());

    // then
    assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.NOT_STARTED);
    assertThat(outcome.detail()).startsWith("the local executor runs no services");
  }

  @Test
  void should_report_a_failing_exit_status() {
    ProcessOutcome outcome = run(executor(), op("echo failing; exit 3"));
    assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.FAILED);
    assertThat(outcome.exitCode()).hasValue(3);
    assertThat(outcome.detail()).isEqualTo("exited with status 3");
  }

  @Test
  void should_say_whether_it_can_run_a_runtime() {
    assertThat(executor().whyNot(Runtime.local())).isEmpty();
    assertThat(executor().whyNot(Runtime.container("ruby"))).hasValueSatisfying(why ->
        assertThat(why).contains("not a container ruby"));
    LocalProcessExecutor labelled = LocalProcessExecutor.builder().agentLabels("linux", "jdk17").build();
    assertThat(labelled.whyNot(Runtime.agent("linux"))).isEmpty();
    assertThat(labelled.whyNot(Runtime.agent("macos"))).hasValue(
        "this machine does not carry the agent label 'macos' (it carries [jdk17, linux])");
  }

  @Nested
  class Environment {
    @Test
    void should_give_a_clean_environment_without_host_variables_off_the_allow_list() {
      run(executor(), op("env | cut -d= -f1 | sort; echo \"canary=${HOST_CANARY:-absent}\"",
          Map.of("STAGE", "deploy"), List.of(), Optional.empty()));

      assertThat(lines).contains("PATH", "HOME", "STAGE", "canary=absent", LocalProcessExecutor.COOKIE_VARIABLE);
      assertThat(String.join("\n", lines)).doesNotContain(CANARY).doesNotContain("HOST_CANARY\n");
    }

    @Test
    void should_pass_host_variables_the_host_allows() {
      LocalProcessExecutor executor = LocalProcessExecutor.builder()
          .hostEnvironment(Map.of("PATH", System.getenv("PATH"), "JAVA_HOME", "/opt/jdk"))
          .allowHostVariable("JAVA_HOME").build();
      run(executor, op("echo $JAVA_HOME"));
      assertThat(lines).containsExactly("/opt/jdk");
    }
  }

  @Nested
  class Secrets {
    @Test
    void should_deliver_a_secret_as_a_variable_and_mask_it_in_the_output() {
      ProcessOutcome outcome = run(executor(), op("echo \"token is $TOKEN\"; printf %s \"$TOKEN\" | base64",
          Map.of(), List.of(SecretBinding.asEnv("token", "TOKEN")), Optional.empty()), SecretValue.of("token", CANARY));

      assertThat(outcome.succeeded()).isTrue();
      assertThat(lines).first().isEqualTo("token is ***");
      assertThat(String.join("\n", lines)).doesNotContain(CANARY).doesNotContain(
          java.util.Base64.getEncoder().encodeToString(CANARY.getBytes()).substring(4, 30));
    }

    @Test
    void should_deliver_a_secret_as_a_private_file_that_is_removed_afterwards() throws Exception {
      run(executor(), op("stat -c %a \"$KEY_FILE\"; cat \"$KEY_FILE\"; echo; echo \"$KEY_FILE\"",
          Map.of(), List.of(SecretBinding.asFile("key", "KEY_FILE")), Optional.empty()), SecretValue.of("key", CANARY));

      assertThat(lines.get(0)).isEqualTo("600");
      assertThat(lines.get(1)).isEqualTo("***");
      assertThat(Path.of(lines.get(2))).doesNotExist();
      assertThat(Path.of(lines.get(2)).getParent()).doesNotExist();
    }

    @Test
    void should_keep_secret_values_off_the_command_line() {
      run(executor(), op("tr '\\0' ' ' < /proc/$$/cmdline; echo", Map.of(), List.of(SecretBinding.asEnv("token", "TOKEN")),
          Optional.empty()), SecretValue.of("token", CANARY));
      assertThat(lines.get(0)).contains("/bin/sh -c").doesNotContain(CANARY).doesNotContain("***");
    }

    @Test
    void should_refuse_a_secret_too_short_to_mask() {
      ProcessOutcome outcome = run(executor(), op("echo $PIN", Map.of(), List.of(SecretBinding.asEnv("pin", "PIN")),
          Optional.empty()), SecretValue.of("pin", "123"));
      assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.NOT_STARTED);
      assertThat(outcome.detail()).contains("the secret 'pin' is 3 characters long").doesNotContain("123");
    }
  }

  @Nested
  class ProcessTrees {
    private static final String ESCAPERS =
        "sleep 300 & nohup sleep 300 >/dev/null 2>&1 & (sleep 300 &) ; setsid sleep 300 & "
            + "sh -c 'setsid sh -c \"sleep 300\" &' ; ";

    /** Marks this test's processes, so that the check sees only them and not another run's on the machine. */
    private final String mark = "OTTO_TEST_MARK=" + java.util.UUID.randomUUID();

    private Op.RunProcess marked(String script, Optional<Duration> timeout) {
      String[] entry = mark.split("=", 2);
      return op(script, Map.of(entry[0], entry[1]), List.of(), timeout);
    }

    private void assertNothingLeft() {
      assertThat(ProcessTree.carrying(mark)).as("processes this test started that are still running").isEmpty();
    }

    @Test
    void should_stop_every_process_the_step_started_when_it_times_out() {
      ProcessOutcome outcome = run(executor(), marked(ESCAPERS + "echo started; sleep 300",
          Optional.of(Duration.ofSeconds(2))));

      assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.TIMED_OUT);
      assertThat(lines).contains("started");
      assertNothingLeft();
    }

    @Test
    void should_stop_a_detached_process_with_a_large_environment_when_its_session_ends() throws Exception {
      // given a step of a session that leaves a detached process with 160 KiB of variables
      LocalProcessExecutor executor = executor();
      Map<String, String> large = new java.util.LinkedHashMap<>();
      for (int i = 0; i < 10; i++) {
        large.put("LARGE_" + i, "x".repeat(16 * 1024));
      }
      Op.RunProcess step = op("setsid sleep 300 >/dev/null 2>&1 & echo $! > detached.pid", large, List.of(),
          Optional.empty());
      ProcessOutcome outcome = executor.run(new ProcessRequest(step, Runtime.local(), workspace, Map.of(), Map.of(),
          Optional.of("run-1:Large"), List.of()), lines::add, Cancellation.create());
      assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
      long pid = Long.parseLong(Files.readString(workspace.resolve("detached.pid")).trim());

      // when the session ends
      int stopped = executor.endSession("run-1:Large");

      // then the process was found through its environment and stopped
      assertThat(stopped).isEqualTo(1);
      assertThat(running(pid)).as("process " + pid + " runs").isFalse();
    }

    /** Whether a process runs: a killed one nobody has reaped yet is a zombie, which does not. */
    private boolean running(long pid) throws java.io.IOException {
      Path stat = Path.of("/proc/" + pid + "/stat");
      try {
        String fields = Files.readString(stat);
        return fields.charAt(fields.lastIndexOf(')') + 2) != 'Z';
      } catch (java.nio.file.NoSuchFileException e) {
        return false;
      }
    }

    @Test
    void should_not_wait_for_a_background_child_that_keeps_the_output_open() {
      ProcessOutcome outcome = run(executor(), marked("(sleep 300 &); nohup sleep 300 & echo done", Optional.empty()));

      assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
      assertThat(lines).contains("done");
      assertThat(outcome.detail()).contains("were stopped");
      assertNothingLeft();
    }

    @Test
    void should_stop_the_tree_when_the_host_cancels() throws Exception {
      Cancellation cancellation = Cancellation.create();
      CompletableFuture<ProcessOutcome> outcome = CompletableFuture.supplyAsync(() -> executor().run(
          ProcessRequest.of(marked(ESCAPERS + "echo started; sleep 300", Optional.empty()), workspace, List.of()),
          line -> {
            lines.add(line);
            if (line.equals("started")) {
              cancellation.cancel();
            }
          }, cancellation));

      assertThat(outcome.get(60, TimeUnit.SECONDS).status()).isEqualTo(ProcessOutcome.Status.CANCELLED);
      assertNothingLeft();
    }
  }

  @Test
  void should_say_why_it_cannot_run_anything_when_bubblewrap_is_missing() {
    // given
    LocalProcessExecutor missing = LocalProcessExecutor.builder().sandbox(Sandbox.bubblewrap().program("/no/such/bwrap"))
        .build();

    // then
    assertThat(missing.whyNot(Runtime.local())).hasValueSatisfying(why -> assertThat(why).startsWith(
        "the sandbox needs bubblewrap, and '/no/such/bwrap' could not be started (").endsWith(
        "); install it (Debian and Ubuntu: apt-get install bubblewrap), or run without the sandbox"));
    assertThat(missing.whyNot(Runtime.container("ruby"))).hasValueSatisfying(why -> assertThat(why)
        .contains("not a container ruby"));
  }

  @Test
  void should_refuse_a_tiny_line_limit_when_built() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalProcessExecutor.builder().maxLineBytes(8))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxLineBytes must be at least 16, not 8");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContainerExecutor.builder().probeTimeout(Duration.ofSeconds(1)).maxLineBytes(15))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxLineBytes must be at least 16, not 15");
  }
}

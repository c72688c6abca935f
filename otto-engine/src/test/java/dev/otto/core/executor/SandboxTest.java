package dev.otto.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.secret.SecretValue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** What a step run in the bubblewrap sandbox can and cannot reach. */
@EnabledOnOs(OS.LINUX)
class SandboxTest {
  private static final String CANARY = "canary-" + UUID.randomUUID();
  private static Optional<String> unavailable;

  @TempDir
  Path root;

  private Path workspace;
  private Path home;
  private final String session = "sandbox-test-" + UUID.randomUUID();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private LocalProcessExecutor executor;

  @BeforeAll
  static void bubblewrap() {
    unavailable = Sandbox.bubblewrap().unavailable();
  }

  @BeforeEach
  void sandbox() throws IOException {
    assumeTrue(unavailable.isEmpty(), () -> "bubblewrap cannot make a sandbox here, so the sandbox is not tested: "
        + unavailable.orElseThrow());
    workspace = Files.createDirectories(root.resolve("workspace"));
    home = Files.createDirectories(root.resolve("home"));
    executor = executor(Sandbox.bubblewrap());
  }

  @AfterEach
  void end() {
    if (executor != null) {
      executor.endSession(session);
      assertThat(ProcessTree.carrying(LocalProcessExecutor.COOKIE_VARIABLE + "=" + session))
          .as("processes of this test's sandbox still running").isEmpty();
      assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("bwrap")))
          .as("bubblewrap processes this test started that are still running").isEmpty();
    }
  }

  private LocalProcessExecutor executor(Sandbox sandbox) {
    return LocalProcessExecutor.builder().sandbox(sandbox).grace(Duration.ofMillis(500))
        .hostEnvironment(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", home.toString())).build();
  }

  private static Op.RunProcess op(String script, Map<String, String> env, List<SecretBinding> secrets,
      Optional<Duration> timeout) {
    return new Op.RunProcess(script, script, env, secrets, timeout, Op.Guard.NORMAL);
  }

  private static Op.RunProcess op(String script) {
    return op(script, Map.of(), List.of(), Optional.empty());
  }

  private ProcessRequest request(Op.RunProcess op, Runtime runtime, SecretValue... secrets) {
    Map<String, SecretValue> values = new java.util.LinkedHashMap<>();
    for (SecretValue secret : secrets) {
      values.put(secret.name(), secret);
    }
    return new ProcessRequest(op, runtime, workspace, values, Map.of(), Optional.of(session), List.of());
  }

  private ProcessOutcome run(Op.RunProcess op, SecretValue... secrets) {
    return run(op, Runtime.local(), secrets);
  }

  private ProcessOutcome run(Op.RunProcess op, Runtime runtime, SecretValue... secrets) {
    return executor.run(request(op, runtime, secrets), lines::add, Cancellation.create());
  }

  @Nested
  class Processes {
    @Test
    void should_show_a_step_only_the_processes_of_its_own_sandbox() {
      // when
      ProcessOutcome outcome = run(op("for p in /proc/[0-9]*; do echo \"${p#/proc/} $(cat $p/comm)\"; done"));

      // then: the sandbox's init, its shell, the step's subshell and what that runs; not the JVM
      assertThat(outcome.succeeded()).isTrue();
      assertThat(lines).isNotEmpty().hasSizeLessThan(8).allSatisfy(line -> assertThat(line).matches("[1-9][0-9]? \\S+"))
          .noneMatch(line -> line.endsWith(" java"));
    }

    @Test
    void should_not_let_a_step_read_the_environment_of_a_host_process() throws Exception {
      // given a host process standing for the engine, with a secret in its environment
      ProcessBuilder builder = new ProcessBuilder("sleep", "300");
      builder.environment().put("OTTO_TEST_CANARY", CANARY);
      Process host = builder.start();
      try {
        String read = "cat /proc/" + host.pid() + "/environ; grep -l -a " + CANARY + " /proc/*/environ; echo looked";

        // when
        run(op(read));
        List<String> sandboxed = List.copyOf(lines);
        lines.clear();
        LocalProcessExecutor.builder().build().run(ProcessRequest.of(op(read), workspace, List.of()), lines::add,
            Cancellation.create());

        // then: the step sees nothing of it, where a step without the sandbox reads the secret
        assertThat(sandboxed).contains("looked").noneMatch(line -> line.contains(CANARY));
        assertThat(String.join("\n", lines)).contains(CANARY);
      } finally {
        host.destroyForcibly();
      }
    }
  }

  @Nested
  class Writes {
    @Test
    void should_let_a_step_write_its_workspace_and_nothing_else_of_the_host() throws IOException {
      // when
      ProcessOutcome outcome = run(op("touch built; for f in /usr/otto-x /etc/otto-x \"$HOME/otto-x\" /opt/otto-x; do "
          + "touch \"$f\" 2>/dev/null && echo \"wrote $f\"; done; echo done"));

      // then
      assertThat(outcome.succeeded()).isTrue();
      assertThat(lines).containsExactly("done");
      assertThat(workspace.resolve("built")).exists();
      assertThat(home).isEmptyDirectory();
    }

    @Test
    void should_show_a_workspace_the_git_objects_it_shares_with_its_project() throws Exception {
      // given a workspace cloned from a project sharing its objects, as a workspace of a project's files is
      assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "no git here");
      Path project = Files.createDirectories(root.resolve("project"));
      git(project, "init", "-q");
      Files.writeString(project.resolve("README"), "hello\n");
      git(project, "add", "README");
      git(project, "-c", "user.name=Otto", "-c", "user.email=otto@example.org", "commit", "-q", "-m", "First commit");
      Files.delete(workspace);
      git(root, "clone", "-q", "--shared", project.toString(), workspace.toString());

      // when
      ProcessOutcome outcome = run(op("git log -1 --format=%s; test -e " + project + "/README || echo hidden; "
          + "touch " + project + "/.git/objects/otto-x 2>/dev/null || echo read-only"));

      // then: the project's files stay out of sight, and its objects cannot be changed
      assertThat(outcome.succeeded()).isTrue();
      assertThat(lines).containsExactly("First commit", "hidden", "read-only");
    }

    private void git(Path in, String... args) throws Exception {
      List<String> command = new java.util.ArrayList<>(List.of("git"));
      command.addAll(List.of(args));
      Process git = new ProcessBuilder(command).directory(in.toFile()).inheritIO().start();
      assertThat(git.waitFor()).as(String.join(" ", command)).isZero();
    }

    @Test
    void should_hide_host_files_other_users_may_not_read_even_from_a_root_engine() throws IOException {
      // given a file of /etc that only its owner may read
      Path secret = Path.of("/etc/shadow");
      assumeTrue(Files.exists(secret) && !Files.getPosixFilePermissions(secret)
          .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ), "no private /etc/shadow here");

      // when
      run(op("cat /etc/shadow 2>/dev/null | wc -c; cat /etc/passwd | wc -l"));

      // then
      assertThat(lines.get(0).strip()).isEqualTo("0");
      assertThat(Integer.parseInt(lines.get(1).strip())).isPositive();
    }
  }

  @Nested
  class Network {
    private static final String CONNECT = "bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d' 2>/dev/null && echo connected "
        + "|| echo refused";

    @Test
    void should_give_a_step_no_network_unless_its_runtime_asks_for_it() throws IOException {
      assumeTrue(Files.isExecutable(Path.of("/usr/bin/bash")) || Files.isExecutable(Path.of("/bin/bash")), "no bash");
      try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
        String connect = String.format(CONNECT, server.getLocalPort());

        // when
        run(op(connect));
        executor.endSession(session);
        run(op(connect), Runtime.local().withNetwork());

        // then
        assertThat(lines).containsExactly("refused", "connected");
      }
    }

    @Test
    void should_say_which_isolation_a_stage_gets() {
      assertThat(executor.name()).isEqualTo("sandbox");
      assertThat(executor.isolation(Runtime.local()))
          .hasValue("sandbox (bubblewrap: read-only host, no network, own PIDs)");
      assertThat(executor.isolation(Runtime.container("node:20").withNetwork()))
          .hasValue("sandbox (bubblewrap: read-only host, network, own PIDs)");
    }
  }

  @Nested
  class Secrets {
    @Test
    void should_deliver_and_mask_secrets_as_variables_and_files() {
      // when
      ProcessOutcome outcome = run(op("echo \"token is $TOKEN\"; cat \"$KEY_FILE\"; echo; stat -c %a \"$KEY_FILE\"",
          Map.of(), List.of(SecretBinding.asEnv("token", "TOKEN"), SecretBinding.asFile("key", "KEY_FILE")),
          Optional.empty()), SecretValue.of("token", CANARY), SecretValue.of("key", CANARY + "-key"));

      // then
      assertThat(outcome.succeeded()).isTrue();
      assertThat(lines).containsExactly("token is ***", "***", "600");
    }

    @Test
    void should_keep_secret_values_off_the_sandboxs_command_line_and_environment() throws Exception {
      // given a step that holds until the test has looked, and says through a pipe that it runs
      // (its output may wait in the masker, which holds back what could begin a secret)
      Path fifo = workspace.resolve("ready");
      assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
      Cancellation cancellation = Cancellation.create();
      CompletableFuture<ProcessOutcome> outcome = CompletableFuture.supplyAsync(() -> executor.run(
          request(op("echo ready > ready; sleep 300", Map.of(), List.of(SecretBinding.asEnv("token", "TOKEN")),
              Optional.empty()), Runtime.local(), SecretValue.of("token", CANARY)), lines::add, cancellation));
      try (var ready = Files.newInputStream(fifo)) {
        assertThat(ready.readAllBytes()).isEqualTo("ready\n".getBytes(StandardCharsets.UTF_8));
      }

      // when
      List<String> seen = new java.util.ArrayList<>();
      // The step's own children carry its secrets in their environment, as they should; its shell and sandbox do not.
      // A shell's child may turn into the step's command (exec) while it is read: its environment
      // counts as the shell's only when its command line is the same before and after.
      ProcessHandle.current().descendants().forEach(process -> {
        Path proc = Path.of("/proc", String.valueOf(process.pid()));
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
          seen.add(cmdline);
          String program = cmdline.split("\0", 2)[0];
          if (program.endsWith("bwrap") || program.endsWith("/sh") || program.endsWith("/dash")) {
            String environ = new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8);
            if (new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).equals(cmdline)) {
              seen.add(environ);
            }
          }
        } catch (IOException e) {
          // It ended meanwhile.
        }
      });
      cancellation.cancel();

      // then
      assertThat(String.join(" ", seen)).contains("bwrap").doesNotContain(CANARY);
      assertThat(outcome.get(60, TimeUnit.SECONDS).status()).isEqualTo(ProcessOutcome.Status.CANCELLED);
    }
  }

  @Nested
  class Stopping {
    private static final String ESCAPERS = "sleep 300 & nohup sleep 300 >/dev/null 2>&1 & (sleep 300 &) ; "
        + "setsid sleep 300 & ";

    @Test
    void should_stop_everything_in_the_sandbox_when_a_step_times_out() {
      // when
      ProcessOutcome outcome = run(op(ESCAPERS + "echo started; sleep 300", Map.of(), List.of(),
          Optional.of(Duration.ofSeconds(2))));

      // then (and after each test: no process of the sandbox, no bubblewrap left)
      assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.TIMED_OUT);
      assertThat(lines).contains("started");
    }

    @Test
    void should_stop_everything_in_the_sandbox_when_the_host_cancels() throws Exception {
      // given
      Cancellation cancellation = Cancellation.create();

      // when
      CompletableFuture<ProcessOutcome> outcome = CompletableFuture.supplyAsync(() -> executor.run(
          request(op(ESCAPERS + "echo started; sleep 300"), Runtime.local()), line -> {
            if (line.equals("started")) {
              cancellation.cancel();
            }
          }, cancellation));

      // then
      assertThat(outcome.get(60, TimeUnit.SECONDS).status()).isEqualTo(ProcessOutcome.Status.CANCELLED);
    }

    @Test
    void should_say_how_many_processes_a_stage_left_running_in_its_sandbox_when_it_ends() {
      // given a step that leaves two processes behind
      run(op("sleep 300 & sleep 300 & echo started"));

      // when
      int stopped = executor.endSession(session);

      // then
      assertThat(lines).containsExactly("started");
      assertThat(stopped).isEqualTo(2);
    }

    @Test
    void should_end_a_step_without_a_session_with_its_own_sandbox() {
      // when
      ProcessOutcome outcome = executor.run(ProcessRequest.of(op("sleep 300 & echo alone"), workspace, List.of()),
          lines::add, Cancellation.create());

      // then
      assertThat(outcome.succeeded()).isTrue();
      assertThat(lines).containsExactly("alone");
    }
  }

  @Nested
  class InAnEngine {
    @Test
    void should_run_each_stage_of_a_plan_in_a_sandbox_and_leave_nothing_running() {
      // given
      List<RunEvent> events = new CopyOnWriteArrayList<>();
      LocalEngine engine = LocalEngine.builder(root.resolve("runs")).listener(events::add).executor(executor).build();
      Pipeline pipeline = Pipeline.builder("p").addStages(
          Stage.builder("Build").runtime(Runtime.local().requires("sh"))
              .addSteps(ShStep.of("echo built > out.txt; sleep 300 &")).build(),
          Stage.builder("Test").addSteps(ShStep.of("cat out.txt")).build()).build();

      // when
      RunResult result = engine.run(Planner.plan(pipeline, RunContext.branch("main")));

      // then
      assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(events).filteredOn(RunEvent.StageStarted.class::isInstance)
          .extracting(e -> ((RunEvent.StageStarted) e).executor()).containsOnly("sandbox");
      assertThat(events).filteredOn(RunEvent.OutputLine.class::isInstance)
          .extracting(e -> ((RunEvent.OutputLine) e).line()).containsExactly("built");
      assertThat(events).filteredOn(RunEvent.Warning.class::isInstance)
          .extracting(e -> ((RunEvent.Warning) e).message()).contains("stage 'Build' uses sh (/usr/bin/sh) of this machine");
      assertThat(ProcessTreeProbe.survivorsOf(result.run())).isEmpty();
    }
  }

  @Nested
  class Tools {
    @Test
    void should_find_tools_where_sandboxed_steps_find_them() throws IOException {
      // given a tool in a host folder on the PATH, outside what the sandbox shows
      Path bin = Files.createDirectories(root.resolve("bin"));
      Path tool = bin.resolve("otto-tool");
      Files.writeString(tool, "#!/bin/sh\necho 'otto-tool 4.5.6'\n");
      Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
      Map<String, String> host = Map.of("PATH", bin + ":/usr/bin:/bin");

      // when
      List<Executor.Tool> hidden = LocalProcessExecutor.builder().sandbox(Sandbox.bubblewrap()).hostEnvironment(host)
          .build().findTools(List.of("otto-tool", "sh")).orElseThrow();
      List<Executor.Tool> shown = LocalProcessExecutor.builder().sandbox(Sandbox.bubblewrap().readOnly(bin))
          .hostEnvironment(host).build().findTools(List.of("otto-tool")).orElseThrow();

      // then
      assertThat(hidden).extracting(Executor.Tool::describe).containsExactly("otto-tool (missing)", "sh (/usr/bin/sh)");
      assertThat(shown).extracting(Executor.Tool::describe).containsExactly("otto-tool 4.5.6 (" + tool + ")");
    }
  }
}

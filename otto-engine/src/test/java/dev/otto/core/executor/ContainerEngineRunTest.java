package dev.otto.core.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.Service;
import dev.otto.core.plan.Op;
import dev.otto.core.secret.SecretMasker;
import dev.otto.core.secret.SecretValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container executor against a real engine (Podman or Docker) and the offline test image;
 * skipped, with the reason, where no engine answers.
 */
@EnabledOnOs(OS.LINUX)
class ContainerEngineRunTest {
  private static final Runtime BUSYBOX = Runtime.container(Containers.IMAGE);
  private static final Service API = Service.builder("api", Containers.IMAGE)
      .addCommand("sh", "-c", "mkdir -p /www && echo pong > /www/ping && exec httpd -f -p 8080 -h /www")
      .healthCheck("wget -qO- http://127.0.0.1:8080/ping").startTimeout(Duration.ofSeconds(30)).build();

  @TempDir
  Path workspace;

  private final String session = "run-" + UUID.randomUUID() + ":Test";
  private final String label = "dev.otto.session=" + ContainerSession.id(session);
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private ContainerExecutor executor;

  @BeforeEach
  void engine() {
    executor = ContainerExecutor.builder().engine(Containers.engine())
        .hostEnvironment(Map.of("PATH", System.getenv("PATH"), "HOST_CANARY", "from-the-host")).build();
  }

  @AfterEach
  void endTheStage() {
    if (executor == null) {
      return; // no container engine answers here: the test was skipped before it started one
    }
    executor.endSession(session);
    assertThat(Containers.containers(label)).as("containers of the stage after it ended").isEmpty();
    assertThat(Containers.networks(label)).as("networks of the stage after it ended").isEmpty();
  }

  private static Op.RunProcess op(String script, Op.Guard guard, Optional<Duration> timeout,
      SecretBinding... secrets) {
    return new Op.RunProcess(script, script, Map.of("STEP_SETTING", "plain"), List.of(secrets), timeout, guard);
  }

  private static Op.RunProcess op(String script) {
    return op(script, Op.Guard.NORMAL, Optional.empty());
  }

  private ProcessRequest request(Op.RunProcess op, List<Service> services, SecretValue... secrets) {
    Map<String, SecretValue> values = new LinkedHashMap<>();
    for (SecretValue secret : secrets) {
      values.put(secret.name(), secret);
    }
    return new ProcessRequest(op, BUSYBOX, workspace, values, Map.of("OTTO_RUN_ID", "run-1"), Optional.of(session),
        services);
  }

  private ProcessOutcome run(Op.RunProcess op, SecretValue... secrets) {
    return executor.run(request(op, List.of(), secrets), lines::add, Cancellation.create());
  }

  @Test
  void should_run_the_steps_of_a_stage_in_one_container_in_the_workspace_with_a_clean_environment() throws Exception {
    // when
    ProcessOutcome first = run(op("hostname > first; pwd; echo made > made.txt; export LEAK=1"));
    ProcessOutcome second = run(op("test \"$(hostname)\" = \"$(cat first)\" && echo same container; "
        + "echo \"leak=${LEAK:-none} host=${HOST_CANARY:-none} setting=$STEP_SETTING run=$OTTO_RUN_ID\"; "
        + "echo to stderr >&2; exit 3"));

    // then
    assertThat(first.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(second.status()).isEqualTo(ProcessOutcome.Status.FAILED);
    assertThat(second.exitCode()).hasValue(3);
    assertThat(lines).containsExactly("/workspace", "same container",
        "leak=none host=none setting=plain run=run-1", "to stderr");
    Path made = workspace.resolve("made.txt");
    assertThat(Files.readString(made)).isEqualTo("made\n");
    assertThat(Files.getAttribute(made, "unix:uid")).as("the owner of a file the step wrote")
        .isEqualTo(Files.getAttribute(Files.createTempFile(workspace, "mine", ""), "unix:uid"));
  }

  @Test
  void should_keep_secrets_off_command_lines_and_out_of_inspect_and_mask_them() throws Exception {
    // given a step that says through one named pipe that its secrets are in place, and waits on another
    String canary = "canary-" + UUID.randomUUID();
    String fileCanary = "file-canary-" + UUID.randomUUID();
    assertThat(Containers.call("mkfifo", workspace.resolve("ready").toString(), workspace.resolve("go").toString()))
        .startsWith("0\n");
    String script = "echo \"token=$TOKEN\"; cat \"$KEY_FILE\"; echo; ls -l \"$KEY_FILE\" | cut -c1-10; "
        + "echo ready > ready; cat go";
    Op.RunProcess op = op(script, Op.Guard.NORMAL, Optional.of(Duration.ofMinutes(1)),
        SecretBinding.asEnv("token", "TOKEN"), SecretBinding.asFile("key", "KEY_FILE"));
    CompletableFuture<ProcessOutcome> outcome = CompletableFuture.supplyAsync(() -> executor.run(
        request(op, List.of(), SecretValue.of("token", canary), SecretValue.of("key", fileCanary)), lines::add,
        Cancellation.create()));

    // when the step waits
    CompletableFuture.runAsync(() -> read(workspace.resolve("ready"))).get(60, TimeUnit.SECONDS);
    String inspected = Containers.inspect(label);
    String commandLines = Containers.commandLines();
    Files.writeString(workspace.resolve("go"), "go\n");

    // then
    assertThat(outcome.get(60, TimeUnit.SECONDS).status()).as("%s", lines).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(inspected).contains(Containers.IMAGE).doesNotContain(canary, fileCanary);
    assertThat(commandLines).contains("/bin/sh -s").doesNotContain(canary, fileCanary);
    assertThat(lines).containsExactly("token=" + SecretMasker.MASK, SecretMasker.MASK, "-rw-------", "go");
  }

  private static void read(Path path) {
    try {
      Files.readString(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void should_stop_the_stages_container_when_a_step_times_out_and_start_another_for_the_next() {
    // when
    ProcessOutcome timedOut = run(op("echo started; sleep 300", Op.Guard.NORMAL, Optional.of(Duration.ofSeconds(2))));
    List<String> left = Containers.containers(label);
    ProcessOutcome after = run(op("echo after", Op.Guard.ON_FAILURE, Optional.empty()));

    // then
    assertThat(timedOut.status()).isEqualTo(ProcessOutcome.Status.TIMED_OUT);
    assertThat(timedOut.detail()).contains("stopped with the stage's container");
    assertThat(left).as("containers left after the timeout").isEmpty();
    assertThat(after.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(lines).containsExactly("started", "after");
  }

  @Test
  void should_stop_the_stages_container_and_services_when_the_host_cancels() throws Exception {
    // given
    Cancellation cancellation = Cancellation.create();
    CompletableFuture<ProcessOutcome> outcome = CompletableFuture.supplyAsync(() -> executor.run(
        request(op("echo started; sleep 300"), List.of(API)), line -> {
          lines.add(line);
          if (line.equals("started")) {
            cancellation.cancel();
          }
        }, cancellation));

    // when
    ProcessOutcome cancelled = outcome.get(120, TimeUnit.SECONDS);
    List<String> services = Containers.containers(label);
    executor.endSession(session);

    // then
    assertThat(cancelled.status()).isEqualTo(ProcessOutcome.Status.CANCELLED);
    assertThat(services).as("the service runs until the stage ends").hasSize(1);
    assertThat(Containers.containers(label)).isEmpty();
    assertThat(Containers.networks(label)).isEmpty();
  }

  @Test
  void should_remove_what_an_engine_that_died_left_of_a_stage_by_its_label() {
    // given a stage whose containers and network outlive the executor that started them
    ProcessOutcome started = executor.run(request(op("sleep 300 > /dev/null 2>&1 & echo started"), List.of(API)),
        lines::add, Cancellation.create());
    ContainerExecutor next = ContainerExecutor.builder().engine(Containers.engine()).build();

    // when
    int removed = next.endSession(session);

    // then
    assertThat(started.status()).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(removed).as("the service and the stage's container").isEqualTo(2);
    assertThat(Containers.containers(label)).isEmpty();
    assertThat(Containers.networks(label)).isEmpty();
  }

  @Test
  void should_start_a_service_before_the_first_step_where_steps_reach_it_by_name() {
    // when
    ProcessOutcome outcome = executor.run(request(op("wget -qO- http://api:8080/ping"), List.of(API)), lines::add,
        Cancellation.create());
    List<String> running = Containers.containers(label);
    List<String> networks = Containers.networks(label);

    // then
    assertThat(outcome.status()).as(String.join("\n", lines)).isEqualTo(ProcessOutcome.Status.SUCCEEDED);
    assertThat(lines).contains("pong");
    assertThat(running).as("the service and the stage's container").hasSize(2);
    assertThat(networks).hasSize(1);
  }

  @Test
  void should_fail_the_steps_but_run_the_notifications_when_a_service_is_never_ready() {
    // given
    Service never = Service.builder("never", Containers.IMAGE).addCommand("sh", "-c", "echo never ready; sleep 300")
        .healthCheck("false").startTimeout(Duration.ofSeconds(3)).build();

    // when
    ProcessOutcome step = executor.run(request(op("echo step"), List.of(never)), lines::add, Cancellation.create());
    ProcessOutcome notification = executor.run(request(op("echo notified", Op.Guard.ALWAYS, Optional.empty()),
        List.of(never)), lines::add, Cancellation.create());

    // then
    assertThat(step.status()).isEqualTo(ProcessOutcome.Status.NOT_STARTED);
    assertThat(step.detail()).isEqualTo("the service 'never' (" + Containers.IMAGE + ") was not ready within PT3S; "
        + "its health check 'false' last said: exit status 1");
    assertThat(lines).contains("service never: never ready", "notified").doesNotContain("step");
  }
}

package dev.otto.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.model.Runtime;
import dev.otto.core.model.Service;
import dev.otto.core.plan.Op;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The command lines of the container executor, and what it says where no engine answers; no engine needed. */
class ContainerExecutorTest {
  private final Path workspace = Path.of("/var/otto/runs/r1/workspace");
  private final ContainerEngine podman = new ContainerEngine("podman", ContainerEngine.Users.ROOTFUL, Map.of());
  private ContainerSession session;

  @AfterEach
  void removeTheSecretsDirectory() throws Exception {
    if (session != null) {
      java.nio.file.Files.deleteIfExists(session.secrets());
    }
  }

  private static Op.RunProcess op() {
    return new Op.RunProcess("bundle exec rake", "bundle exec rake", Map.of("RAILS_ENV", "test"), List.of(),
        Optional.empty(), Op.Guard.NORMAL);
  }

  @Test
  void should_start_the_stages_container_with_the_workspace_the_secrets_and_labels_but_no_values() throws Exception {
    // given
    session = new ContainerSession(podman, "run-1:Test", Optional.of("run-1"), 1024);

    // when
    List<String> command = session.shellCommand((Runtime.Container) Runtime.container("ruby:3.3"), workspace,
        "otto-1", List.of("--user", "1000:1000"));

    // then
    String id = ContainerSession.id("run-1:Test");
    assertThat(command).startsWith("run", "--interactive", "--rm", "--init", "--name", "otto-1",
        "--label", "dev.otto.session=" + id, "--label").endsWith("--label", "dev.otto.run=run-1",
        "--workdir", "/workspace", "--volume", "/var/otto/runs/r1/workspace:/workspace",
        "--volume", session.secrets() + ":/run/otto/secrets:ro", "--user", "1000:1000",
        "--entrypoint", "/bin/sh", "ruby:3.3", "-c", "exec 2>&1; exec /bin/sh -s").hasSize(25);
    assertThat(command.get(9)).matches("dev\\.otto\\.instance=[0-9a-f]{8}");
  }

  @Test
  void should_start_a_service_on_the_stages_network_by_its_name() throws Exception {
    // given
    session = new ContainerSession(podman, "run-1:Test", Optional.empty(), 1024);
    Service db = Service.builder("db", "postgres:16").putEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
        .addCommand("postgres", "-c", "fsync=off").build();

    // when
    List<String> command = session.serviceCommand(db);

    // then
    String id = ContainerSession.id("run-1:Test");
    String instance = command.get(7);
    assertThat(instance).matches("dev\\.otto\\.instance=[0-9a-f]{8}");
    String network = "otto-" + id + "-" + instance.substring(instance.indexOf('=') + 1);
    assertThat(command).containsExactly("run", "--detach", "--name", network + "-db",
        "--label", "dev.otto.session=" + id, "--label", instance, "--network", network, "--network-alias", "db",
        "--env", "POSTGRES_HOST_AUTH_METHOD=trust", "postgres:16", "postgres", "-c", "fsync=off");
  }

  @Test
  void should_tell_a_rootless_engine_by_what_it_says_of_itself() {
    assertThat(ContainerEngine.users("{\"host\":{\"security\":{\"rootless\":true}}}"))
        .isEqualTo(ContainerEngine.Users.ROOTLESS_PODMAN);
    assertThat(ContainerEngine.users("{\"SecurityOptions\":[\"name=seccomp,profile=builtin\",\"name=rootless\"]}"))
        .isEqualTo(ContainerEngine.Users.ROOTLESS_DOCKER);
    assertThat(ContainerEngine.users("{\"host\":{\"security\":{\"rootless\":false}},\"SecurityOptions\":[]}"))
        .isEqualTo(ContainerEngine.Users.ROOTFUL);
  }

  @Test
  void should_tell_whether_an_engine_reads_short_image_names_as_docker_does_by_what_it_says_of_itself() {
    assertThat(ContainerEngine.readsShortNames("{\"host\":{\"arch\":\"amd64\"},\"registries\":{}}")).isFalse();
    assertThat(ContainerEngine.readsShortNames("{\"host\":{},\"registries\":{\"search\":[\"quay.io\",\"docker.io\"]}}"))
        .isFalse();
    assertThat(ContainerEngine.readsShortNames("{\"ServerVersion\":\"27.3.1\",\"RegistryConfig\":{\"Mirrors\":[]}}"))
        .isTrue();
  }

  @Test
  void should_name_an_image_in_full_for_an_engine_that_does_not_read_short_names_unless_it_holds_the_image() {
    // given engines whose 'image exists' says no and yes: the commands false and true
    ContainerEngine holdsNothing = new ContainerEngine("/bin/false", ContainerEngine.Users.ROOTFUL, Map.of(), false);
    ContainerEngine holdsAll = new ContainerEngine("/bin/true", ContainerEngine.Users.ROOTFUL, Map.of(), false);

    // then
    assertThat(holdsNothing.image("buildpack-deps:trixie")).isEqualTo("docker.io/library/buildpack-deps:trixie");
    assertThat(holdsNothing.image("rustlang/rust:nightly")).isEqualTo("docker.io/rustlang/rust:nightly");
    assertThat(holdsNothing.image("mcr.microsoft.com/dotnet/sdk:9.0")).isEqualTo("mcr.microsoft.com/dotnet/sdk:9.0");
    assertThat(holdsNothing.image("localhost/otto-test-busybox:1")).isEqualTo("localhost/otto-test-busybox:1");
    assertThat(holdsNothing.image("registry:5000/team/app:1")).isEqualTo("registry:5000/team/app:1");
    assertThat(holdsNothing.image("MyRegistry/app:1")).isEqualTo("MyRegistry/app:1");
    assertThat(holdsNothing.image("node@sha256:" + "a".repeat(64))).isEqualTo("docker.io/library/node@sha256:"
        + "a".repeat(64));
    assertThat(holdsAll.image("otto-test-busybox:1")).isEqualTo("otto-test-busybox:1");
    assertThat(podman.image("node:22")).isEqualTo("node:22");
  }

  @Test
  void should_say_it_runs_containers_only_and_why_not_when_no_engine_answers() {
    // given
    ContainerExecutor executor = ContainerExecutor.builder().engine("/no/such/container-engine")
        .probeTimeout(Duration.ofSeconds(5)).build();

    // when
    ProcessOutcome outcome = executor.run(ProcessRequest.of(op(), Runtime.container("ruby"), workspace, List.of()),
        line -> {}, Cancellation.create());

    // then
    assertThat(executor.whyNot(Runtime.local())).hasValueSatisfying(why -> assertThat(why).contains("container stages only"));
    assertThat(executor.whyNot(Runtime.container("ruby"))).hasValueSatisfying(why -> assertThat(why).startsWith(
        "no container engine answers here: '/no/such/container-engine' could not be started"));
    assertThat(executor.engine()).isEmpty();
    assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.NOT_STARTED);
  }

  @Test
  void should_not_count_a_docker_client_without_a_daemon_as_an_engine() {
    // given a client that fails as docker does without its daemon
    ContainerExecutor executor = ContainerExecutor.builder().engine("false").build();

    // then
    assertThat(executor.unavailable()).hasValue("no container engine answers here: 'false info' failed");
  }

  @Test
  void should_refuse_a_blank_engine_name() {
    assertThatThrownBy(() -> ContainerExecutor.builder().engine(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name one, e.g. podman");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void should_say_the_image_could_not_be_had_when_the_engine_cannot_start_the_stages_container(@TempDir Path dir)
      throws Exception {
    // given: an engine that answers, and fails its own way (status 125) when it cannot pull the image
    Path engine = dir.resolve("podman");
    java.nio.file.Files.writeString(engine, """
        #!/bin/sh
        case "$1" in
          info) echo '{"host":{"security":{"rootless":true}}}' ;;
          run) read -r step
               echo 'Trying to pull docker.io/library/buildpack-deps:trixie...' >&2
               echo 'Error: initializing source docker://buildpack-deps:trixie: pinging container registry \
        registry-1.docker.io: dial tcp: lookup registry-1.docker.io: no such host' >&2
               exit 125 ;;
        esac
        """);
    java.nio.file.Files.setPosixFilePermissions(engine, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    ContainerExecutor executor = ContainerExecutor.builder().engine(engine.toString()).build();
    ProcessRequest request = new ProcessRequest(op(), Runtime.container("buildpack-deps:trixie"),
        java.nio.file.Files.createDirectory(dir.resolve("workspace")), Map.of(), Map.of("OTTO_RUN_ID", "run-1"),
        Optional.of("run-1:Build"), List.of());
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

    // when
    ProcessOutcome outcome = executor.run(request, lines::add, Cancellation.create());
    executor.endSession("run-1:Build");

    // then
    assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.FAILED);
    assertThat(outcome.detail()).startsWith("the container engine could not start the stage's container from image "
        + "'buildpack-deps:trixie' ('" + engine + " run' exited with status 125: Error: initializing source")
        .contains("no such host", "build or load it on this machine", "otto run --container-engine none --containers local")
        .doesNotContain("the shell ended");
  }
}

package dev.otto.core.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.secret.SecretValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerExecutorTest {
  private static final String CANARY = "canary-value-0001";
  private final Path workspace = Path.of("/var/otto/runs/r1/workspace");

  private static Op.RunProcess op(List<SecretBinding> secrets) {
    return new Op.RunProcess("bundle exec rake", "bundle exec rake", Map.of("RAILS_ENV", "test"), secrets,
        Optional.empty(), Op.Guard.NORMAL);
  }

  @Test
  void should_build_a_run_command_with_the_image_the_workspace_and_variables_by_name_only() {
    ContainerExecutor executor = ContainerExecutor.builder().build();
    ProcessRequest request = ProcessRequest.of(op(List.of(SecretBinding.asEnv("key", "API_KEY"))),
        Runtime.container("ruby:3.3"), workspace, List.of(SecretValue.of("key", CANARY)));

    List<String> command = executor.command(request, "otto-123", new LinkedHashSet<>(List.of("RAILS_ENV", "API_KEY")),
        null);

    assertThat(command).containsExactly("docker", "run", "--rm", "--init", "--name", "otto-123",
        "--workdir", "/workspace", "--volume", "/var/otto/runs/r1/workspace:/workspace",
        "--env", "RAILS_ENV", "--env", "API_KEY", "ruby:3.3", "/bin/sh", "-c", "bundle exec rake");
    assertThat(String.join(" ", command)).doesNotContain(CANARY);
  }

  @Test
  void should_mount_secret_files_read_only() {
    ContainerExecutor executor = ContainerExecutor.builder().engine("podman").build();
    ProcessRequest request = ProcessRequest.of(op(List.of()), Runtime.container("alpine"), workspace, List.of());

    List<String> command = executor.command(request, "otto-1", new LinkedHashSet<>(), Path.of("/tmp/otto-secrets-1"));

    assertThat(command).startsWith("podman", "run").containsSequence("--volume", "/tmp/otto-secrets-1:/run/otto/secrets:ro");
  }

  @Test
  void should_say_it_runs_containers_only_and_why_not_when_no_engine_answers() {
    ContainerExecutor executor = ContainerExecutor.builder().engine("/no/such/container-engine")
        .probeTimeout(Duration.ofSeconds(5)).build();

    assertThat(executor.whyNot(Runtime.local())).hasValueSatisfying(why -> assertThat(why).contains("container stages only"));
    assertThat(executor.whyNot(Runtime.container("ruby"))).hasValueSatisfying(why ->
        assertThat(why).startsWith("no container engine here: '/no/such/container-engine' could not be started"));

    ProcessOutcome outcome = executor.run(ProcessRequest.of(op(List.of()), Runtime.container("ruby"), workspace,
        List.of()), line -> {}, Cancellation.create());
    assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.NOT_STARTED);
  }
}

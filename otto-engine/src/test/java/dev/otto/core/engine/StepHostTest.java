package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.executor.Cancellation;
import dev.otto.core.executor.Executor;
import dev.otto.core.executor.ProcessOutcome;
import dev.otto.core.executor.ProcessRequest;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.secret.SecretProviders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one op runner of a machine, which the local engine and a Temporal worker share. */
class StepHostTest {
  private static final String CANARY = "canary-" + java.util.UUID.randomUUID();

  @TempDir
  Path workspace;

  /** Runs local processes only, and remembers what it was asked. */
  private static final class Recording implements Executor {
    final List<ProcessRequest> requests = new ArrayList<>();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Optional<String> whyNot(Runtime runtime) {
      return runtime instanceof Runtime.Local ? Optional.empty() : Optional.of("it runs local processes only");
    }

    @Override
    public ProcessOutcome run(ProcessRequest request, Consumer<String> lines, Cancellation cancellation) {
      requests.add(request);
      return new ProcessOutcome(ProcessOutcome.Status.SUCCEEDED, OptionalInt.of(0), Duration.ZERO,
          "exited with status 0");
    }
  }

  private static Op.RunProcess deploy(String... secrets) {
    List<SecretBinding> bindings = new ArrayList<>();
    for (String secret : secrets) {
      bindings.add(new SecretBinding(secret, SecretBinding.Delivery.ENV, "TOKEN"));
    }
    return new Op.RunProcess("deploy", "./deploy.sh", Map.of(), bindings, Optional.empty(), Op.Guard.NORMAL);
  }

  @Test
  void should_hand_the_executor_the_values_of_the_secrets_the_process_binds() {
    // given
    Recording executor = new Recording();
    StepHost host = StepHost.builder().executor(executor)
        .secrets(SecretProviders.inMemory(Map.of("token", CANARY, "other", "unused"))).build();

    // when
    ProcessOutcome outcome = host.start(executor, deploy("token"), Runtime.local(), workspace, Map.of(),
        Optional.of("run:Deploy"), List.of(), line -> { }, Cancellation.create()).toCompletableFuture().join();

    // then
    assertThat(outcome.succeeded()).isTrue();
    assertThat(executor.requests).singleElement().satisfies(request -> {
      assertThat(request.secrets()).containsOnlyKeys("token");
      assertThat(request.secrets().get("token").reveal()).isEqualTo(CANARY);
      assertThat(request.session()).contains("run:Deploy");
    });
  }

  @Test
  void should_not_start_a_process_whose_secret_cannot_be_resolved_and_say_which() {
    // given
    Recording executor = new Recording();
    StepHost host = StepHost.builder().executor(executor).build();

    // when
    ProcessOutcome outcome = host.start(executor, deploy("missing"), Runtime.local(), workspace, Map.of(),
        Optional.empty(), List.of(), line -> { }, Cancellation.create()).toCompletableFuture().join();

    // then
    assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.NOT_STARTED);
    assertThat(outcome.detail()).contains("missing");
    assertThat(executor.requests).isEmpty();
  }

  @Test
  void should_run_a_container_stage_locally_with_its_tools_and_network_only_when_the_policy_allows() {
    // given
    Recording executor = new Recording();
    Runtime container = new Runtime.Container("ruby:3.4", List.of("ruby"), true);
    StepHost strict = StepHost.builder().executor(executor).build();
    StepHost lenient = StepHost.builder().executor(executor).containerPolicy(ContainerPolicy.LOCAL_FALLBACK)
        .build();

    // when
    Executor chosen = lenient.executorFor(container).orElseThrow();
    lenient.start(chosen, deploy(), container, workspace, Map.of(), Optional.empty(), List.of(), line -> { },
        Cancellation.create()).toCompletableFuture().join();

    // then
    assertThat(strict.executorFor(container)).isEmpty();
    assertThat(chosen).isSameAs(executor);
    assertThat(executor.requests).singleElement().extracting(ProcessRequest::runtime)
        .isEqualTo(new Runtime.Local(List.of("ruby"), true));
  }

  @Test
  void should_say_so_and_not_fail_when_no_cache_store_is_configured() {
    // given
    StepHost host = StepHost.builder().build();

    // when
    CacheOps.Outcome restored = host.restore(workspace, new Op.RestoreCache("gems", List.of("vendor/"),
        List.of("Gemfile.lock"), List.of()));

    // then
    assertThat(restored.detail()).isEqualTo("no cache store is configured");
    assertThat(host.caches()).isEmpty();
  }
}

package dev.otto.core.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
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
        Optional.of("run:Deploy"), List.of(), RunSecrets.create(), line -> { }, Cancellation.create()).toCompletableFuture().join();

    // then
    assertThat(outcome.succeeded()).isTrue();
    assertThat(executor.requests).singleElement().satisfies(request -> {
      assertThat(request.secrets()).containsOnlyKeys("token");
      assertThat(request.secrets().get("token").reveal()).isEqualTo(CANARY);
      assertThat(request.session()).contains("run:Deploy");
    });
  }

  /** An executor of a host's own that prints what it is given, unmasked, and says it in its outcome. */
  private static final class Careless implements Executor {
    @Override
    public String name() {
      return "careless";
    }

    @Override
    public Optional<String> whyNot(Runtime runtime) {
      return Optional.empty();
    }

    @Override
    public ProcessOutcome run(ProcessRequest request, Consumer<String> lines, Cancellation cancellation) {
      String token = request.secrets().get("token").reveal();
      String encoded = java.util.Base64.getEncoder().encodeToString(("user:" + token).getBytes(UTF_8));
      lines.accept("token " + token);
      // Wrapped over two lines, as MIME wraps base64.
      lines.accept(encoded.substring(0, 20));
      lines.accept(encoded.substring(20));
      lines.accept("last " + request.masked().get("earlier").reveal());
      if (request.op().script().contains("throw")) {
        throw new IllegalStateException("could not deploy with " + token);
      }
      return new ProcessOutcome(ProcessOutcome.Status.FAILED, OptionalInt.of(5), Duration.ZERO,
          "exited with status 5; last line: " + token);
    }
  }

  @Test
  void should_mask_the_lines_detail_and_failure_of_an_executor_that_does_not_mask_itself() {
    // given
    Careless executor = new Careless();
    String earlier = "earlier-" + CANARY;
    StepHost host = StepHost.builder().executor(executor)
        .secrets(SecretProviders.inMemory(Map.of("token", CANARY, "earlier", earlier))).build();
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

    // when
    RunSecrets given = RunSecrets.create();
    assertThat(host.readAgain(given, List.of("earlier"))).isEmpty();
    ProcessOutcome failed = host.start(executor, deploy("token"), Runtime.local(), workspace, Map.of(),
        Optional.empty(), List.of(), given, lines::add, Cancellation.create())
        .toCompletableFuture().join();
    Op.RunProcess throwing = new Op.RunProcess("deploy", "throw", Map.of(),
        List.of(new SecretBinding("token", SecretBinding.Delivery.ENV, "TOKEN")), Optional.empty(), Op.Guard.NORMAL);
    ProcessOutcome thrown = host.start(executor, throwing, Runtime.local(), workspace, Map.of(), Optional.empty(),
        List.of(), given, lines::add, Cancellation.create()).toCompletableFuture().join();

    // then
    assertThat(lines).contains("token ***", "last ***").noneMatch(line -> line.contains(CANARY));
    assertThat(String.join("", lines)).doesNotContain(
        java.util.Base64.getEncoder().encodeToString(("user:" + CANARY).getBytes(UTF_8)).substring(8, 28));
    assertThat(failed.status()).isEqualTo(ProcessOutcome.Status.FAILED);
    assertThat(failed.exitCode()).hasValue(5);
    assertThat(failed.detail()).isEqualTo("exited with status 5; last line: ***");
    assertThat(thrown.status()).isEqualTo(ProcessOutcome.Status.FAILED);
    assertThat(thrown.detail()).isEqualTo("the executor 'careless' failed: java.lang.IllegalStateException: could not "
        + "deploy with ***");
  }

  @Test
  void should_mask_later_steps_with_the_values_given_before_without_asking_again_or_handing_them_over() {
    // given a provider that gives a new value each time, as short-lived tokens are, and then fails
    Recording executor = new Recording();
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    StepHost host = StepHost.builder().executor(executor).secrets(name -> {
      int n = asked.incrementAndGet();
      if (n > 2) {
        throw new IllegalStateException("the vault is down");
      }
      return dev.otto.core.secret.SecretValue.of(name, name + "-" + CANARY + "-" + n);
    }).build();
    RunSecrets given = RunSecrets.create();

    // when
    host.start(executor, deploy("token"), Runtime.local(), workspace, Map.of(), Optional.empty(), List.of(), given,
        line -> { }, Cancellation.create()).toCompletableFuture().join();
    host.start(executor, deploy("other"), Runtime.local(), workspace, Map.of(), Optional.empty(), List.of(), given,
        line -> { }, Cancellation.create()).toCompletableFuture().join();
    ProcessOutcome plain = host.start(executor, deploy(), Runtime.local(), workspace, Map.of(), Optional.empty(),
        List.of(), given, line -> { }, Cancellation.create()).toCompletableFuture().join();

    // then: the third step binds nothing, is masked with both values handed out, and asked for none
    assertThat(asked).hasValue(2);
    assertThat(plain.succeeded()).isTrue();
    assertThat(executor.requests.get(1).secrets()).containsOnlyKeys("other");
    assertThat(executor.requests.get(1).masked()).containsOnlyKeys("token");
    assertThat(executor.requests.get(2).secrets()).isEmpty();
    assertThat(executor.requests.get(2).masked()).containsOnlyKeys("other", "token");
    assertThat(executor.requests.get(2).masked().get("token").reveal()).isEqualTo("token-" + CANARY + "-1");
    // A secret given elsewhere that cannot be read again is named, and fails nothing.
    assertThat(host.readAgain(given, List.of("token", "gone"))).containsOnlyKeys("gone");
  }

  @Test
  void should_mask_every_value_a_secret_bound_again_was_given() {
    // given a token that is new each time it is asked for, bound by two steps in turn
    Recording executor = new Recording();
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    StepHost host = StepHost.builder().executor(executor).secrets(name ->
        dev.otto.core.secret.SecretValue.of(name, name + "-" + CANARY + "-v" + asked.incrementAndGet())).build();
    RunSecrets given = RunSecrets.create();

    // when
    for (int i = 0; i < 2; i++) {
      host.start(executor, deploy("token"), Runtime.local(), workspace, Map.of(), Optional.empty(), List.of(), given,
          line -> { }, Cancellation.create()).toCompletableFuture().join();
    }
    host.start(executor, deploy(), Runtime.local(), workspace, Map.of(), Optional.empty(), List.of(), given,
        line -> { }, Cancellation.create()).toCompletableFuture().join();

    // then: the second step, given v2, masks v1; the third masks both
    assertThat(executor.requests.get(1).secrets().get("token").reveal()).endsWith("-v2");
    assertThat(executor.requests.get(1).allMasked().values()).extracting(v -> v.reveal().replaceAll(".*-", ""))
        .containsExactlyInAnyOrder("v1", "v2");
    assertThat(executor.requests.get(2).allMasked().values()).extracting(v -> v.reveal().replaceAll(".*-", ""))
        .containsExactlyInAnyOrder("v1", "v2");
  }

  /** Masks as the built-in executors do, and ends each process when the test says, printing what it is told. */
  private static final class Held implements Executor {
    final List<Consumer<String>> lines = new ArrayList<>();
    final List<java.util.concurrent.CompletableFuture<ProcessOutcome>> outcomes = new ArrayList<>();
    private final boolean masks;

    Held(boolean masks) {
      this.masks = masks;
    }

    @Override
    public String name() {
      return "held";
    }

    @Override
    public boolean masksOutput() {
      return masks;
    }

    @Override
    public Optional<String> whyNot(Runtime runtime) {
      return Optional.empty();
    }

    @Override
    public ProcessOutcome run(ProcessRequest request, Consumer<String> lines, Cancellation cancellation) {
      throw new UnsupportedOperationException("started only");
    }

    @Override
    public synchronized java.util.concurrent.CompletionStage<ProcessOutcome> start(ProcessRequest request,
        Consumer<String> lines, Cancellation cancellation) {
      this.lines.add(lines);
      java.util.concurrent.CompletableFuture<ProcessOutcome> outcome = new java.util.concurrent.CompletableFuture<>();
      outcomes.add(outcome);
      return outcome;
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "executor masks its output itself: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void should_mask_a_running_process_with_a_value_given_to_another_after_it_started(boolean masks) {
    // given a step of one stage that started first, and runs while a step of a parallel stage is
    // given a token and writes it where the first one reads
    Held executor = new Held(masks);
    StepHost host = StepHost.builder().executor(executor)
        .secrets(SecretProviders.inMemory(Map.of("token", CANARY))).build();
    RunSecrets given = RunSecrets.create();
    List<String> first = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CompletionStage<ProcessOutcome> running = host.start(executor, deploy(), Runtime.local(),
        workspace, Map.of(), Optional.empty(), List.of(), given, first::add, Cancellation.create());
    executor.lines.get(0).accept("before: nothing to hide");

    // when the other step is given the token, and the first prints it, wrapped too, and ends with it
    host.start(executor, deploy("token"), Runtime.local(), workspace, Map.of(), Optional.empty(), List.of(), given,
        line -> { }, Cancellation.create());
    String base64 = java.util.Base64.getEncoder().encodeToString(("machine x password " + CANARY).getBytes(UTF_8));
    executor.lines.get(0).accept("netrc: " + CANARY);
    executor.lines.get(0).accept(base64.substring(0, 50));
    executor.lines.get(0).accept(base64.substring(50));
    executor.outcomes.get(0).complete(new ProcessOutcome(ProcessOutcome.Status.FAILED, OptionalInt.of(1),
        Duration.ZERO, "last line: " + CANARY));
    ProcessOutcome outcome = running.toCompletableFuture().join();

    // then
    assertThat(String.join("\n", first)).doesNotContain(CANARY)
        .doesNotContain(base64.substring(30, 50)).doesNotContain(base64.substring(50, 80));
    assertThat(first).startsWith("before: nothing to hide", "netrc: ***");
    assertThat(outcome.detail()).isEqualTo("last line: ***");
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "executor masks its output itself: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void should_mask_whole_a_late_value_that_holds_or_overlaps_one_the_process_was_masked_with(boolean masks) {
    // given a step that binds a password, running while another is given a URL that holds it
    Held executor = new Held(masks);
    String password = "pw-" + CANARY;
    String url = "postgres://app:" + password + "@db.internal:5432/shop";
    StepHost host = StepHost.builder().executor(executor)
        .secrets(SecretProviders.inMemory(Map.of("password", password, "url", url))).build();
    RunSecrets given = RunSecrets.create();
    List<String> first = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CompletionStage<ProcessOutcome> running = host.start(executor, deploy("password"),
        Runtime.local(), workspace, Map.of(), Optional.empty(), List.of(), given, first::add, Cancellation.create());

    // when the other step is given the URL, and the first prints it as an executor that masks itself would
    host.start(executor, deploy("url"), Runtime.local(), workspace, Map.of(), Optional.empty(), List.of(), given,
        line -> { }, Cancellation.create());
    java.util.function.UnaryOperator<String> own = line -> masks ? line.replace(password, "***") : line;
    executor.lines.get(0).accept(own.apply("url " + url));
    executor.lines.get(0).accept(own.apply("again: " + url + "?sslmode=require"));
    // as base64: an executor that masks itself has masked the password's base64 inside the URL's
    String encoded = java.util.Base64.getEncoder().encodeToString(url.getBytes(UTF_8));
    String passwordCore = null;
    for (int offset = 0; offset < 3 && masks; offset++) {
      byte[] shifted = new byte[offset + password.length()];
      System.arraycopy(password.getBytes(UTF_8), 0, shifted, offset, password.length());
      String e = java.util.Base64.getEncoder().withoutPadding().encodeToString(shifted);
      String core = e.substring(offset == 0 ? 0 : offset + 1, e.length() - (shifted.length % 3 == 0 ? 0 : 1));
      if (encoded.contains(core)) {
        passwordCore = core;
      }
    }
    executor.lines.get(0).accept("b64: " + (passwordCore == null ? encoded : encoded.replace(passwordCore, "***")));
    executor.outcomes.get(0).complete(new ProcessOutcome(ProcessOutcome.Status.SUCCEEDED, OptionalInt.of(0),
        Duration.ZERO, "exited with status 0"));
    running.toCompletableFuture().join();

    // then
    assertThat(first).containsExactly("url ***", "again: ***?sslmode=require", "b64: ***");
    assertThat(String.join("\n", first)).doesNotContain("db.internal").doesNotContain(CANARY);
  }

  @Test
  void should_not_count_a_value_too_short_to_mask_as_given() {
    Recording executor = new Recording();
    StepHost host = StepHost.builder().executor(executor).secrets(SecretProviders.inMemory(Map.of("pin", "123")))
        .build();
    RunSecrets given = RunSecrets.create();

    host.start(executor, deploy("pin"), Runtime.local(), workspace, Map.of(), Optional.empty(), List.of(), given,
        line -> { }, Cancellation.create()).toCompletableFuture().join();

    assertThat(given.has("pin")).isFalse();
  }

  @Test
  void should_not_start_a_process_whose_secret_cannot_be_resolved_and_say_which() {
    // given
    Recording executor = new Recording();
    StepHost host = StepHost.builder().executor(executor).build();

    // when
    ProcessOutcome outcome = host.start(executor, deploy("missing"), Runtime.local(), workspace, Map.of(),
        Optional.empty(), List.of(), RunSecrets.create(), line -> { }, Cancellation.create()).toCompletableFuture().join();

    // then
    assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.NOT_STARTED);
    assertThat(outcome.detail()).isEqualTo("the secret 'missing' has no value: no secret provider was given; give one "
        + "with LocalEngine.Builder.secrets(...) or OttoWorker.Builder.secrets(...), e.g. "
        + "SecretProviders.environment(System.getenv())");
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
    lenient.start(chosen, deploy(), container, workspace, Map.of(), Optional.empty(), List.of(), RunSecrets.create(),
        line -> { },
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

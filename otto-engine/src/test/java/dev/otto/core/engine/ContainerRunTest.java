package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.executor.ContainerExecutor;
import dev.otto.core.executor.Containers;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.executor.Sandbox;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.Service;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.StagePath;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.secret.SecretMasker;
import dev.otto.core.secret.SecretProviders;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline whose stages run in containers, one with a service container, and one in the
 * bubblewrap sandbox, through the engine, with a canary secret: what the steps print, what is
 * left after the run, and where the canary never is. Skipped, with the reason, where no container
 * engine answers (and the sandboxed stage where bubblewrap cannot make a sandbox).
 */
@EnabledOnOs(OS.LINUX)
class ContainerRunTest {
  private static final String CANARY = "canary-" + UUID.randomUUID();

  @TempDir
  Path root;

  private final List<RunEvent> events = new CopyOnWriteArrayList<>();

  /** Build writes to the workspace and, holding its secrets, waits on a named pipe; Test reaches its service. */
  private static Pipeline pipeline() {
    Service api = Service.builder("api", Containers.IMAGE)
        .addCommand("sh", "-c", "mkdir -p /www && echo pong > /www/ping && exec httpd -f -p 8080 -h /www")
        .healthCheck("wget -qO- http://127.0.0.1:8080/ping").startTimeout(Duration.ofSeconds(30)).build();
    return Pipeline.builder("containers").addSecrets(new SecretRef("api-token"))
        .addStages(Stage.builder("Build").runtime(Runtime.container(Containers.IMAGE))
                .addSteps(ShStep.of("echo built > built.txt; mkfifo ready go"),
                    ShStep.of("echo \"token=$API_TOKEN\"; cat \"$TOKEN_FILE\"; echo; echo ready > ready; cat go")
                        .with(SecretBinding.asEnv("api-token", "API_TOKEN"), SecretBinding.asFile("api-token", "TOKEN_FILE"))
                        .timeout(Duration.ofMinutes(1)))
                .build(),
            Stage.builder("Test").runtime(Runtime.sameAs(StagePath.of("Build"))).addServices(api)
                .addSteps(ShStep.of("cat built.txt; wget -qO- http://api:8080/ping")).build(),
            Stage.builder("Package").runtime(Runtime.local())
                .addSteps(ShStep.of("echo \"packaging $(cat built.txt) with $API_TOKEN\"; "
                    + "echo \"java processes seen: $(grep -l 'jav[a]' /proc/[0-9]*/cmdline 2>/dev/null | wc -l)\"; "
                    + "touch /usr/escaped 2>/dev/null && echo wrote-outside || echo host read-only")
                    .with(SecretBinding.asEnv("api-token", "API_TOKEN")))
                .build())
        .build();
  }

  @Test
  void should_run_stages_in_containers_with_a_service_and_in_the_sandbox_and_leave_neither_containers_nor_the_canary()
      throws Exception {
    // given
    LocalProcessExecutor sandboxed = LocalProcessExecutor.builder().sandbox(Sandbox.bubblewrap()).build();
    Optional<String> noSandbox = sandboxed.whyNot(Runtime.local());
    Assumptions.assumeTrue(noSandbox.isEmpty(), () -> "bubblewrap cannot make a sandbox here: " + noSandbox.get());
    CompletableFuture<Void> pipesMade = new CompletableFuture<>();
    LocalEngine engine = LocalEngine.builder(root.resolve("runs")).listener(events::add).listener(event -> {
      if (event instanceof RunEvent.StepFinished done && done.stage().equals("Build") && done.step() == 1) {
        pipesMade.complete(null);
      }
    }).secrets(SecretProviders.inMemory(Map.of("api-token", CANARY)))
        .executor(ContainerExecutor.builder().engine(Containers.engine()).build())
        .executor(sandboxed).build();

    // when the step holding the secret waits
    RunHandle run = engine.start(Planner.plan(pipeline(), RunContext.branch("main")));
    Path workspace = root.resolve("runs").resolve(run.id()).resolve("workspace");
    pipesMade.get(120, TimeUnit.SECONDS);
    CompletableFuture.runAsync(() -> read(workspace.resolve("ready"))).get(60, TimeUnit.SECONDS);
    String label = "dev.otto.run=" + run.id();
    String inspected = Containers.inspect(label);
    String commandLines = Containers.commandLines();
    Files.writeString(workspace.resolve("go"), "go\n");
    RunResult result = run.result().get(180, TimeUnit.SECONDS);

    // then
    assertThat(result.status()).as("%s", events).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(lines()).hasSize(10).startsWith("Build: token=" + SecretMasker.MASK, "Build: " + SecretMasker.MASK,
        "Build: go", "Test: starting service 'api' (" + Containers.IMAGE + ")").endsWith("Test: built", "Test: pong",
        "Package: packaging built with " + SecretMasker.MASK, "Package: java processes seen: 0",
        "Package: host read-only");
    assertThat(events).filteredOn(RunEvent.StageStarted.class::isInstance)
        .extracting(e -> ((RunEvent.StageStarted) e).stage() + " " + ((RunEvent.StageStarted) e).executor())
        .contains("Package sandbox");
    assertThat(lines().get(4)).matches("Test: service 'api' \\(.*\\) is ready after \\d+ ms");
    assertThat(Files.getAttribute(workspace.resolve("built.txt"), "unix:uid"))
        .isEqualTo(Files.getAttribute(Files.createTempFile(root, "mine", ""), "unix:uid"));
    assertThat(Containers.containers(label)).as("containers of the run after it ended").isEmpty();
    assertThat(Containers.networks(label)).as("networks of the run after it ended").isEmpty();
    assertThat(inspected).contains(Containers.IMAGE).doesNotContain(CANARY);
    assertThat(commandLines).doesNotContain(CANARY);
    assertThat(events.toString()).doesNotContain(CANARY);
    try (Stream<Path> files = Files.walk(root.resolve("runs").resolve(run.id()))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as("the run's file %s", file).doesNotContain(CANARY);
      }
    }
  }

  @Test
  void should_stop_a_stage_in_a_container_that_runs_past_its_timeout_and_leave_nothing() throws Exception {
    // given
    LocalEngine engine = LocalEngine.builder(root.resolve("runs")).listener(events::add)
        .executor(ContainerExecutor.builder().engine(Containers.engine()).build()).build();
    Pipeline slow = Pipeline.builder("slow").addStages(Stage.builder("Test")
        .runtime(Runtime.container(Containers.IMAGE)).timeout(Duration.ofSeconds(3))
        .addServices(Service.builder("idle", Containers.IMAGE).addCommand("sleep", "300").build())
        .addSteps(ShStep.of("echo started; sleep 300")).addAlways(ShStep.of("echo always")).build()).build();

    // when
    RunHandle run = engine.start(Planner.plan(slow, RunContext.branch("main")));
    RunResult result = run.result().get(120, TimeUnit.SECONDS);

    // then
    assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(result.stages().get(0).reason()).hasValueSatisfying(reason -> assertThat(reason).contains("timed out"));
    assertThat(lines()).contains("Test: started", "Test: always");
    assertThat(Containers.containers("dev.otto.run=" + run.id())).isEmpty();
    assertThat(Containers.networks("dev.otto.run=" + run.id())).isEmpty();
  }

  private List<String> lines() {
    return events.stream().filter(RunEvent.OutputLine.class::isInstance).map(RunEvent.OutputLine.class::cast)
        .map(line -> line.stage() + ": " + line.line()).toList();
  }

  private static void read(Path path) {
    try {
      Files.readString(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package dev.otto.examples;

import static dev.otto.dsl.Otto.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.conventions.Conventions;
import dev.otto.core.cache.DirectoryCacheStore;
import dev.otto.core.engine.ContainerPolicy;
import dev.otto.core.engine.Decision;
import dev.otto.core.engine.Deployment;
import dev.otto.core.engine.DeploymentStore;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.executor.ContainerExecutor;
import dev.otto.core.executor.Executor;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.executor.Sandbox;
import dev.otto.core.explain.Explain;
import dev.otto.core.http.EngineEndpoint;
import dev.otto.core.model.LockMode;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.Runtime;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.plan.StageStatus;
import dev.otto.core.secret.SecretProviders;
import dev.otto.dsl.Blueprints;
import dev.otto.dsl.Otto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code the site's pages show, compiled and run here; DocumentationTest checks that each
 * snippet of the site appears in this file (or in the file its page names).
 */
@EnabledOnOs(OS.LINUX)
class SiteSnippetsTest {
  @TempDir
  Path root;

  /** A pipeline whose production deployment waits for an approval and a callback. */
  static Pipeline shipping() {
    return Otto.pipeline("ship", p -> {
      p.stage("Build", s -> s.steps(sh("echo built")));
      p.stage("Deploy", d -> d.stage("Production", s -> s
          .enter(approval("Ship it?").timeout(Duration.ofHours(1)))
          .exit(webhook("health").timeout(Duration.ofMinutes(30)))
          .steps(sh("echo shipped"))));
    });
  }

  @Test
  void dsl_a_matrix_and_a_pipeline_from_a_blueprint() {
    Pipeline matrix = Otto.pipeline("matrix", p -> {
      p.stage("Build", s -> {
        var platform = s.matrix().axis("platform", "win10", "macos", "linux-jdk12", "linux-jdk8");
        s.runtime(agent(platform.value())).steps(sh("./gradlew check"));
      });
    });
    Pipeline gem = Otto.pipeline("my-gem", p -> {
      p.from(new RubyGem(), v -> v.set(RubyGem.RUBY_VERSION, "ruby:3.3"));
      p.stage("Docs", s -> s.runtime(sameAs(p.ref("Build"))).steps(sh("bundle exec yard doc")));
    });

    assertThat(Planner.plan(matrix).stages()).extracting(PlannedStage::id)
        .containsExactly("Build", "Build > win10", "Build > macos", "Build > linux-jdk12", "Build > linux-jdk8");
    assertThat(Planner.plan(gem).stage("Docs").orElseThrow().runtime()).isEqualTo(Runtime.container("ruby:3.3"));
  }

  @Test
  void explain_plans_for_a_context_and_ahead_of_one() {
    Pipeline pipeline = WebApp.pipeline();
    Plan plan = Planner.plan(pipeline, RunContext.builder().branch("master").trigger("push").build());
    Plan ahead = Planner.plan(pipeline);          // RunContext.unknown(): conditions stay undecided

    assertThat(plan.stage("Deploy > Production").orElseThrow().status()).isEqualTo(StageStatus.RUN);
    assertThat(ahead.stage("Deploy > Production").orElseThrow().status()).isEqualTo(StageStatus.UNDECIDED);
  }

  @Test
  void running_an_engine_with_secrets_caches_and_a_listener() {
    Pipeline pipeline = Otto.pipeline("hello", p -> p.stage("Build", s -> s.steps(sh("echo hello"))));
    LocalEngine engine = LocalEngine.builder(root.resolve("runs"))
        .secrets(SecretProviders.environment(System.getenv()))
        .caches(new DirectoryCacheStore(root.resolve("caches")))
        .containerPolicy(ContainerPolicy.LOCAL_FALLBACK)
        .listener(event -> System.out.println(event))
        .build();
    Plan plan = Planner.plan(pipeline, RunContext.builder().branch("main").trigger("push").build());
    System.out.print(Explain.text(plan, engine.executorsFor(plan)));   // where each stage would run
    RunResult result = engine.run(plan);                                // or engine.start(plan) and cancel()

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
  }

  @Test
  void running_caches_that_fall_back_or_match_their_exact_key_only() {
    Pipeline pipeline = Otto.pipeline("web", p -> {
      var npm = p.cache("npm", c -> c.paths(".npm/").keyFiles(".nvmrc", "package-lock.json")
          .fallback(".nvmrc")    // first the newest entry with the same .nvmrc
          .fallback());          // then the cache's newest entry
      var dist = p.cache("dist", c -> c.paths("dist/").keyFiles("src.lock").exactKeyOnly());
      p.stage("Build", s -> s.restores(npm, dist).saves(npm, dist).steps(sh("npm ci --cache .npm")));
    });

    assertThat(Explain.text(Planner.plan(pipeline))).contains("restore cache npm [.npm/] keyed by .nvmrc, "
        + "package-lock.json, else the newest entry with the same .nvmrc, else the cache's newest entry",
        "restore cache dist [dist/] keyed by src.lock, exact key only");
  }

  @Test
  void running_the_record_of_deployments_a_promotion_and_a_rollback() {
    Pipeline pipeline = Otto.pipeline("release", p -> {
      var std = p.use(dev.otto.dsl.library.Stdlib.library());
      var production = p.environment("production", e -> e.setting("URL", "https://example.com"));
      p.stage("Build", s -> s.steps(sh("mkdir -p dist && date +%N > dist/app.txt"), std.archive("app", "dist/")));
      p.stage("Production", s -> s.environment(production).steps(std.unarchive("app"), sh("cat dist/app.txt")));
    });
    LocalEngine engine = LocalEngine.builder(root.resolve("runs"))
        .deployments(DeploymentStore.inFolder(root.resolve("records")))   // beside the runs by default
        .build();
    engine.run(Planner.plan(pipeline, RunContext.branch("main")));
    engine.run(Planner.plan(pipeline, RunContext.branch("main")));

    List<Deployment> production = engine.deployments("production");       // newest first
    Optional<String> running = production.get(0).digest("app");           // sha256:... of the files
    Plan rollback = Planner.plan(pipeline, RunContext.builder().branch("main").rollback("production").build());
    System.out.print(Explain.text(rollback, engine.promotionsFor(rollback)));   // what each stage would take
    RunResult result = engine.run(rollback);   // behind an approval: start(rollback), then decide(...)

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(engine.deployments("production").get(0).digest("app")).isEqualTo(production.get(1).digest("app"))
        .isNotEqualTo(running);
    assertThat(Files.exists(root.resolve("records").resolve("deployments.log"))).isTrue();
  }

  @Test
  void running_steps_in_a_sandbox_with_the_tools_they_need() {
    Executor sandboxed = LocalProcessExecutor.builder()
        .sandbox(Sandbox.bubblewrap().readOnly(Path.of("/opt/go")))   // host folders beyond /usr and /etc
        .build();
    Pipeline pipeline = Otto.pipeline("service", p -> {
      p.stage("Build", s -> s.runtime(local().requires("go").withNetwork()).steps(sh("go build ./...")));
      p.stage("Test", s -> s.runtime(local().requires("go")).steps(sh("go test ./...")));
    });
    LocalEngine engine = LocalEngine.builder(root.resolve("runs")).executor(sandboxed).build();
    Plan plan = Planner.plan(pipeline, RunContext.branch("main"));
    System.out.print(Explain.text(plan, engine.executorsFor(plan)));   // each stage's isolation and tools

    assertThat(plan.stage("Build").orElseThrow().runtime().network()).isTrue();
    assertThat(plan.stage("Test").orElseThrow().runtime().tools()).containsExactly("go");
  }

  @Test
  void running_container_stages_with_a_service() {
    Pipeline app = Otto.pipeline("app", p -> p.stage("Test", s -> s
        .runtime(docker("ruby:3.3"))
        .service("db", "postgres:16", db -> db
            .env("POSTGRES_HOST_AUTH_METHOD", "trust")
            .healthCheck("pg_isready -h 127.0.0.1 -U postgres"))
        .steps(sh("bundle exec rails db:prepare"), sh("bundle exec rails test"))));
    LocalEngine engine = LocalEngine.builder(root.resolve("runs"))
        .executor(ContainerExecutor.builder().engine("podman").build())   // without engine(...): docker, else podman
        .executor(LocalProcessExecutor.builder().build())
        .build();

    Plan plan = Planner.plan(app, RunContext.branch("main"));
    assertThat(Explain.text(plan, engine.executorsFor(plan)))
        .contains("    service db: postgres:16; env POSTGRES_HOST_AUTH_METHOD; ready when 'pg_isready -h 127.0.0.1 -U "
            + "postgres' succeeds, within 2m\n");
  }

  @Test
  void waits_an_approval_a_callback_and_the_endpoint() throws Exception {
    List<RunEvent> events = new CopyOnWriteArrayList<>();
    // Work runs on the calling thread, so that a stage has reached its wait when start returns.
    LocalEngine engine = LocalEngine.builder(root.resolve("runs")).listener(events::add).runOn(Runnable::run).build();
    Plan plan = Planner.plan(shipping(), RunContext.branch("main"));
    String bearerToken = "a-bearer-token-of-the-host";
    int port = 0;
    try (EngineEndpoint endpoint = EngineEndpoint.builder(engine, bearerToken).port(port).start()) {
      System.out.println("callbacks, decisions and status on port " + endpoint.port());
    }

    RunHandle run = engine.start(plan);
    // ... later, when a person answers:
    engine.decide(run.id(), "Deploy > Production#enter-1", Decision.approve("alice").withComment("go"));
    String token = events.stream().filter(RunEvent.WaitStarted.class::isInstance).map(RunEvent.WaitStarted.class::cast)
        .filter(e -> e.token().isPresent()).findFirst().orElseThrow().token().orElseThrow();
    PendingWait resolved = engine.callback(token, "{\"status\":\"up\"}");

    assertThat(resolved.kind()).isEqualTo("await-webhook");
    assertThat(run.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    PollGate gate = poll("service is up", sh("curl -fsS https://example.com/health"))
        .every(Duration.ofSeconds(30)).backoff(2.0, Duration.ofMinutes(5)).timeout(Duration.ofMinutes(30));
    assertThat(gate.maxInterval()).contains(Duration.ofMinutes(5));
  }

  @Test
  void waits_one_deployment_at_a_time() {
    Pipeline pipeline = Otto.pipeline("shop", p -> {
      var production = p.environment("production", e -> e.lock("production"));
      p.stage("Deploy", s -> s.environment(production).steps(sh("./deploy.sh")));
      p.stage("Preview", s -> s.lock("preview", LockMode.NEWEST_WINS).steps(sh("./preview.sh")));
    });

    Plan plan = Planner.plan(pipeline, RunContext.branch("main"));
    assertThat(Explain.text(plan)).contains("hold lock production (queue) until the stage ends",
        "hold lock preview (newest-wins) until the stage ends");
  }

  @Test
  void waits_resuming_and_restarting() {
    Pipeline pipeline = Otto.pipeline("two", p -> {
      p.stage("Build", s -> s.steps(sh("echo built")));
      p.stage("Deploy", d -> d.stage("Production", s -> s.steps(sh("echo shipped"))));
    });
    RunContext context = RunContext.branch("main");
    Plan plan = Planner.plan(pipeline, context);
    LocalEngine engine = LocalEngine.builder(root.resolve("runs")).build();
    String runId = engine.run(plan).run();
    String previousRunId = runId;

    RunHandle run = engine.resume(runId, Planner.plan(pipeline, context));
    RunHandle again = engine.restart(previousRunId, plan, "Deploy > Production");

    assertThat(run.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(again.result().join().stage("Build").orElseThrow().status()).isEqualTo(RunResult.Status.SUCCEEDED);
  }

  @Test
  void conventions_a_pipeline_from_the_folder() {
    Pipeline shop = Conventions.in(Path.of(".")).pipeline("shop");

    assertThat(Planner.plan(shop).stage("Build").orElseThrow().origin()).hasValueSatisfying(origin ->
        assertThat(origin).startsWith("convention maven: found pom.xml at the root"));
  }

  @Test
  void conventions_adjusted_and_extended() {
    Path repo = Path.of(".");
    Pipeline shop = Conventions.in(repo)
        .adjust("maven", project -> project.withImage("maven:3-eclipse-temurin-21").withBuild("./mvnw -B -ntp verify -Pit"))
        .pipeline("shop", p -> p.stage("Deploy", s -> s.steps(sh("./deploy.sh"))));

    assertThat(Planner.plan(shop).stage("Deploy").orElseThrow().dependsOn()).containsExactly("Build");
  }

  @Test
  void conventions_a_blueprint_found_by_name() {
    Pipeline gem = Otto.pipeline("internal-gem", p -> p.from(Blueprints.find("rubygem"), Map.of("deploy", false)));

    assertThat(Planner.plan(gem).stage("Publish")).isEmpty();
  }
}

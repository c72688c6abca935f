package dev.otto.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.Decision;
import dev.otto.core.engine.Engine;
import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Condition;
import dev.otto.core.model.Environment;
import dev.otto.core.model.Lock;
import dev.otto.core.model.LockMode;
import dev.otto.core.model.Matrix;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.StagePath;
import dev.otto.core.model.WebhookGate;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.dsl.Otto;
import dev.otto.dsl.library.Stdlib;
import dev.otto.testkit.simulation.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * What every engine must do alike: the same plans, driven the same way, end with the same
 * results, reasons included. An engine proves it conforms by extending this class and saying how
 * to make it, how to read its events, how to let a run go on, and how another host takes a run
 * over:
 *
 * <pre>{@code
 * class LocalEngineConformanceTest extends EngineConformance {
 *   @TempDir Path root;
 *   private final List<RunEvent> events = new CopyOnWriteArrayList<>();
 *
 *   protected Engine engine(FailurePolicy policy) {
 *     return LocalEngine.builder(root).failurePolicy(policy).listener(events::add)
 *         .secrets(SecretProviders.inMemory(Scripts.secrets())).build();
 *   }
 *   protected List<RunEvent> events() { return events; }
 *   protected void until(String what, BooleanSupplier condition) { ...wait up to a minute... }
 *   protected TakenOver takeOver(Engine engine, RunHandle run, Plan plan) {
 *     ...copy the run's folder to another engine's root, and resume it there...
 *   }
 * }
 * }</pre>
 *
 * <p>Steps use a few scripts only ({@link Scripts}), so that an engine whose processes are not real
 * (a {@link Simulation}) can do what each means: {@link Scripts#simulate(Simulation)} scripts them.
 * Times are short: a real engine passes the whole suite in seconds.
 */
public abstract class EngineConformance {

  /** A fresh engine that handles a failed stage as {@code policy} says. */
  protected abstract Engine engine(FailurePolicy policy);

  /** Every event the engines made by {@link #engine} have delivered so far. */
  protected abstract List<RunEvent> events();

  /**
   * Lets runs go on until {@code condition} holds: a real engine waits (a minute at most, then
   * fails naming {@code what}); a simulated one settles and moves its time on.
   */
  protected abstract void until(String what, BooleanSupplier condition);

  /**
   * Takes {@code run}, which waits for an approval, over from {@code engine}, as another host does
   * when the host of {@code engine} went away: from what that host left behind (the run's journal,
   * its workspace), or, on an engine whose runs outlive their hosts, by starting another host.
   * Events of both hosts count in {@link #events()}.
   *
   * @return the engine the run goes on in, and the run there
   */
  protected abstract TakenOver takeOver(Engine engine, RunHandle run, Plan plan);

  /** Where a run went on after {@link #takeOver}: the engine, and the run's handle there. */
  public record TakenOver(Engine engine, RunHandle run) {}

  /** The scripts the suite's steps use, and what each means. */
  public static final class Scripts {
    private Scripts() {}

    /** Succeeds. */
    public static final String OK = "true";
    /** Exits with 3. */
    public static final String FAIL = "exit 3";
    /** Takes 30 seconds, unless stopped. */
    public static final String SLOW = "sleep 30";
    /** Fails the first time it runs in a workspace, then succeeds. */
    public static final String FLAKY = "test -f .tried || { touch .tried; exit 1; }";
    /** A probe that fails the first time, then succeeds. */
    public static final String READY = "test -f .ready || { touch .ready; exit 1; }";
    /** Makes {@code dist/app.txt}. */
    public static final String MAKE_DIST = "mkdir -p dist && echo app > dist/app.txt";
    /** Succeeds when {@code dist/app.txt} is there. */
    public static final String USE_DIST = "test -f dist/app.txt";
    /** The secret the engines' providers must know, as {@link #TOKEN}: give them {@link #secrets()}. */
    public static final String TOKEN_SECRET = "conformance-token";
    /** The value of {@link #TOKEN_SECRET}. */
    public static final String TOKEN = "conformance-7f3a9-token";
    /** Writes the secret it gets as {@code TOKEN} into {@code .token}. */
    public static final String WRITE_TOKEN = "printf '%s\\n' \"$TOKEN\" > .token";
    /** Prints {@code token} and what {@code .token} holds, binding no secret. */
    public static final String SHOW_TOKEN = "echo \"token $(cat .token)\"";

    /** The secrets the suite's steps bind, for the engines' providers. */
    public static Map<String, String> secrets() {
      return Map.of(TOKEN_SECRET, TOKEN);
    }

    /** Scripts a simulation to do what each script means. */
    public static Simulation simulate(Simulation simulation) {
      simulation.step("*", FAIL).exitsWith(3);
      simulation.step("*", SLOW).takes(Duration.ofSeconds(30));
      simulation.step("*", FLAKY).failsTimes(1);
      simulation.probe("*", READY).failsTimes(1);
      simulation.step("*", MAKE_DIST).creating("dist/app.txt");
      simulation.step("*", SHOW_TOKEN).printing("token " + TOKEN);
      secrets().forEach(simulation::secret);
      return simulation;
    }
  }

  private static Stage stage(String name, String... scripts) {
    Stage.Builder stage = Stage.builder(name);
    for (String script : scripts) {
      stage.addSteps(ShStep.of(script));
    }
    return stage.build();
  }

  private static Plan plan(Stage... stages) {
    return Planner.plan(Pipeline.builder("conformance").addStages(stages).build(), RunContext.branch("main"));
  }

  /**
   * The result of {@code run}, once its end was heard too: an engine that follows its runs from
   * elsewhere (Temporal) may complete a result before its listeners have had the last events.
   */
  private RunResult finish(RunHandle run) {
    until("the end of run " + run.id(), () -> run.result().isDone() && events().stream()
        .anyMatch(event -> event instanceof RunEvent.RunFinished finished && finished.run().equals(run.id())));
    return run.result().join();
  }

  private PendingWait waitOf(Engine engine, RunHandle run, String stage) {
    List<PendingWait> found = new ArrayList<>();
    until("a wait of stage '" + stage + "'", () -> {
      found.clear();
      engine.waits().stream().filter(w -> w.run().equals(run.id()) && w.stage().equals(stage)).forEach(found::add);
      return !found.isEmpty() || run.result().isDone();
    });
    assertThat(found).as("the waits of '%s' (run ended: %s)", stage, run.result().isDone()).isNotEmpty();
    return found.get(0);
  }

  /** Each stage's status and reason, and each step's label and status: what must be the same everywhere. */
  protected static List<String> outline(RunResult result) {
    List<String> lines = new ArrayList<>();
    lines.add("run " + result.status());
    for (RunResult.StageResult stage : result.stages()) {
      lines.add(stage.id() + " " + stage.status() + stage.reason().map(r -> " (" + r + ")").orElse(""));
      for (RunResult.StepResult step : stage.steps()) {
        lines.add("  " + step.label() + " " + step.status());
      }
    }
    return lines;
  }

  /**
   * How many times a stage's steps started in a run. A host that follows a run from its start
   * hears the run's earlier events again, each with its time; a step that ran again would start
   * at another time, so starts count once for each time.
   */
  private long stepsStarted(String run, String stage) {
    return events().stream().filter(RunEvent.StepStarted.class::isInstance).map(RunEvent.StepStarted.class::cast)
        .filter(e -> e.run().equals(run) && e.stage().equals(stage)).map(e -> e.step() + " " + e.at()).distinct()
        .count();
  }

  private List<String> stagesStarted(String run) {
    return events().stream().filter(RunEvent.StageStarted.class::isInstance).map(RunEvent.StageStarted.class::cast)
        .filter(e -> e.run().equals(run)).map(RunEvent.StageStarted::stage).toList();
  }

  @Test
  void should_run_stages_in_sequence() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    RunHandle run = engine.start(plan(stage("Build", Scripts.OK), stage("Test", Scripts.OK, Scripts.OK)));

    RunResult result = finish(run);

    assertThat(outline(result)).containsExactly("run SUCCEEDED", "Build SUCCEEDED", "  true SUCCEEDED",
        "Test SUCCEEDED", "  true SUCCEEDED", "  true SUCCEEDED");
    until("the events of stage 'Test'", () -> stagesStarted(run.id()).size() == 2);
    assertThat(stagesStarted(run.id())).containsExactly("Build", "Test");
  }

  @Test
  void should_run_a_parallel_group_and_a_dag_of_stages_after_each_other() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    Stage checks = Stage.builder("Checks").parallel(true).addStages(stage("Lint", Scripts.OK), stage("Unit",
        Scripts.OK)).build();
    Stage docs = Stage.builder("Docs").addSteps(ShStep.of(Scripts.OK)).build();
    Stage publish = Stage.builder("Publish").addSteps(ShStep.of(Scripts.OK)).addAfter(StagePath.of("Checks", "Unit"))
        .build();

    RunResult result = finish(engine.start(plan(checks, docs, publish)));

    assertThat(outline(result)).containsExactly("run SUCCEEDED", "Checks SUCCEEDED", "Checks > Lint SUCCEEDED",
        "  true SUCCEEDED", "Checks > Unit SUCCEEDED", "  true SUCCEEDED", "Docs SUCCEEDED", "  true SUCCEEDED",
        "Publish SUCCEEDED", "  true SUCCEEDED");
  }

  @Test
  void should_run_every_cell_of_a_matrix() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    Stage test = Stage.builder("Test").addSteps(ShStep.of(Scripts.OK))
        .matrix(Matrix.builder().putAxes("jdk", List.of("17", "21")).build()).build();

    RunResult result = finish(engine.start(plan(test)));

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(result.stages()).extracting(RunResult.StageResult::id).hasSize(3);
    assertThat(result.stages()).allSatisfy(stage -> assertThat(stage.status()).isEqualTo(RunResult.Status.SUCCEEDED));
  }

  @Test
  void should_skip_a_stage_whose_condition_is_false_and_what_follows_it_with_the_reason_chain() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    Stage release = Stage.builder("Release").addSteps(ShStep.of(Scripts.OK)).when(Condition.branch().is("master"))
        .build();

    RunResult result = finish(engine.start(plan(stage("Build", Scripts.OK), release, stage("Announce",
        Scripts.OK))));

    assertThat(outline(result)).containsExactly("run SUCCEEDED", "Build SUCCEEDED", "  true SUCCEEDED",
        "Release SKIPPED ([branch is 'master'] is false)",
        "Announce SKIPPED ('Release' was skipped: [branch is 'master'] is false)");
  }

  @Test
  void should_stop_the_rest_of_the_run_when_a_stage_fails_and_the_run_fails_fast() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    Stage checks = Stage.builder("Checks").parallel(true).addStages(stage("Lint", Scripts.FAIL), stage("Unit",
        Scripts.SLOW)).build();

    RunResult result = finish(engine.start(plan(checks, stage("Deploy", Scripts.OK))));

    assertThat(outline(result)).containsExactly("run FAILED", "Checks FAILED (a child stage failed)",
        "Checks > Lint FAILED (step 1 'exit 3' exited with status 3)", "  exit 3 FAILED",
        "Checks > Unit CANCELLED (stopped: the run stopped after stage 'Checks > Lint' failed)",
        "  sleep 30 CANCELLED",
        "Deploy SKIPPED (its dependency 'Checks' failed)");
  }

  @Test
  void should_go_on_with_independent_stages_when_a_stage_fails_and_the_run_continues() {
    Engine engine = engine(FailurePolicy.CONTINUE);
    Stage checks = Stage.builder("Checks").parallel(true).addStages(stage("Lint", Scripts.FAIL), stage("Unit",
        Scripts.OK)).build();
    Stage docs = Stage.builder("Docs").addSteps(ShStep.of(Scripts.OK)).addAfter(StagePath.of("Checks", "Unit"))
        .build();

    RunResult result = finish(engine.start(plan(checks, docs)));

    assertThat(outline(result)).containsExactly("run FAILED", "Checks FAILED (a child stage failed)",
        "Checks > Lint FAILED (step 1 'exit 3' exited with status 3)", "  exit 3 FAILED", "Checks > Unit SUCCEEDED",
        "  true SUCCEEDED", "Docs SKIPPED (its dependency 'Checks' failed)");
  }

  @Test
  void should_let_the_other_children_of_a_group_that_keeps_going_finish_when_one_fails() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    Stage projects = Stage.builder("Projects").parallel(true).keepsGoing(true).addStages(stage("api", Scripts.FAIL),
        stage("web", Scripts.OK, Scripts.OK)).build();

    RunResult result = finish(engine.start(plan(projects, stage("Deploy", Scripts.OK))));

    assertThat(outline(result)).containsExactly("run FAILED", "Projects FAILED (a child stage failed: 'Projects > api')",
        "Projects > api FAILED (step 1 'exit 3' exited with status 3)", "  exit 3 FAILED", "Projects > web SUCCEEDED",
        "  true SUCCEEDED", "  true SUCCEEDED", "Deploy SKIPPED (its dependency 'Projects' failed)");
  }

  @Test
  void should_retry_a_failed_step_and_run_notifications_by_outcome() {
    Engine engine = engine(FailurePolicy.CONTINUE);
    Stage flaky = Stage.builder("Flaky").addSteps(ShStep.of(Scripts.FLAKY).retry(2, Duration.ofMillis(100)))
        .addOnSuccess(ShStep.of(Scripts.OK).named("tell success")).addOnFailure(ShStep.of(Scripts.OK)
            .named("tell failure")).build();
    Stage broken = Stage.builder("Broken").addSteps(ShStep.of(Scripts.FAIL)).addOnSuccess(ShStep.of(Scripts.OK)
        .named("tell success")).addOnFailure(ShStep.of(Scripts.OK).named("tell failure")).build();

    RunResult result = finish(engine.start(plan(flaky, broken)));

    assertThat(outline(result)).containsExactly("run FAILED", "Flaky SUCCEEDED", "  " + Scripts.FLAKY + " SUCCEEDED",
        "  tell success SUCCEEDED", "Broken FAILED (step 1 'exit 3' exited with status 3)", "  exit 3 FAILED",
        "  tell failure SUCCEEDED");
  }

  @Test
  void should_fail_a_stage_that_runs_past_its_timeout() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    Stage slow = Stage.builder("Slow").addSteps(ShStep.of(Scripts.SLOW)).timeout(Duration.ofSeconds(1)).build();

    RunResult result = finish(engine.start(plan(slow)));

    assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(result.stage("Slow").orElseThrow().reason()).contains("the stage timed out after PT1S");
    // The step the timeout stopped did not fail on its own: it was cancelled.
    assertThat(result.stage("Slow").orElseThrow().steps()).extracting(RunResult.StepResult::status)
        .containsExactly(RunResult.Status.CANCELLED);
  }

  @Test
  void should_go_on_after_an_approval_and_fail_after_a_rejection_with_who_and_why() {
    Engine engine = engine(FailurePolicy.CONTINUE);
    ApprovalGate gate = ApprovalGate.of("Ship it?").approvers("alice", "bob").timeout(Duration.ofHours(1));
    Stage staging = Stage.builder("Staging").addEnter(gate).addSteps(ShStep.of(Scripts.OK)).build();
    Stage production = Stage.builder("Production").addEnter(gate).addSteps(ShStep.of(Scripts.OK)).build();
    RunHandle run = engine.start(plan(staging, production));

    engine.decide(run.id(), waitOf(engine, run, "Staging").id(), Decision.approve("alice"));
    engine.decide(run.id(), waitOf(engine, run, "Production").id(), Decision.reject("bob").withComment("not today"));

    assertThat(outline(finish(run))).containsExactly("run FAILED", "Staging SUCCEEDED", "  true SUCCEEDED",
        "Production FAILED (the approval 'Ship it?' was rejected by bob: not today)");
  }

  @Test
  void should_go_on_when_a_webhook_is_called_with_its_token() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    Stage verify = Stage.builder("Verify").addEnter(WebhookGate.of("scan finished").timeout(Duration.ofHours(1)))
        .addSteps(ShStep.of(Scripts.OK)).build();
    RunHandle run = engine.start(plan(verify));
    PendingWait wait = waitOf(engine, run, "Verify");
    List<String> tokens = new ArrayList<>();
    until("the token of " + wait.id(), () -> {
      events().stream().filter(RunEvent.WaitStarted.class::isInstance).map(RunEvent.WaitStarted.class::cast)
          .filter(e -> e.run().equals(run.id()) && e.waitId().equals(wait.id())).flatMap(e -> e.token().stream())
          .forEach(tokens::add);
      return !tokens.isEmpty();
    });

    PendingWait called = engine.callback(tokens.get(0), "{\"scan\":\"clean\"}");

    assertThat(called.id()).isEqualTo(wait.id());
    assertThat(outline(finish(run))).containsExactly("run SUCCEEDED", "Verify SUCCEEDED", "  true SUCCEEDED");
  }

  @Test
  void should_go_on_once_a_poll_finds_what_it_waits_for() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    Stage deploy = Stage.builder("Deploy").addExit(PollGate.of("the site answers", ShStep.of(Scripts.READY))
        .every(Duration.ofMillis(200)).timeout(Duration.ofMinutes(5))).addSteps(ShStep.of(Scripts.OK)).build();

    RunResult result = finish(engine.start(plan(deploy)));

    assertThat(outline(result)).containsExactly("run SUCCEEDED", "Deploy SUCCEEDED", "  true SUCCEEDED");
  }

  @Test
  void should_hand_an_artifact_from_the_stage_that_stores_it_to_a_later_one_and_fail_one_never_stored() {
    Engine engine = engine(FailurePolicy.CONTINUE);
    Pipeline pipeline = Otto.pipeline("conformance", p -> {
      var std = p.use(Stdlib.library());
      p.stage("Build", s -> s.steps(Otto.sh(Scripts.MAKE_DIST), std.archive("app", "dist/")));
      p.stage("Deploy", s -> s.steps(std.unarchive("app"), Otto.sh(Scripts.USE_DIST)));
      p.stage("Docs", s -> s.steps(std.unarchive("docs"), Otto.sh(Scripts.OK)));
    });

    RunResult result = finish(engine.start(Planner.plan(pipeline, RunContext.branch("main"))));

    assertThat(outline(result)).containsExactly("run FAILED", "Build SUCCEEDED",
        "  " + Scripts.MAKE_DIST + " SUCCEEDED", "Deploy SUCCEEDED", "  " + Scripts.USE_DIST + " SUCCEEDED",
        "Docs FAILED (no artifact 'docs' was stored earlier in this run; archive it in a stage that runs before this "
            + "one)");
  }

  @Test
  void should_mask_a_secret_an_earlier_stage_was_given_in_the_output_of_a_later_one() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    Pipeline pipeline = Otto.pipeline("conformance", p -> {
      var token = p.secret(Scripts.TOKEN_SECRET);
      p.stage("Login", s -> s.steps(Otto.sh(Scripts.WRITE_TOKEN).with(token.asEnv("TOKEN"))));
      p.stage("Show", s -> s.steps(Otto.sh(Scripts.SHOW_TOKEN)));
    });

    RunResult result = finish(engine.start(Planner.plan(pipeline, RunContext.branch("main"))));

    assertThat(outline(result)).containsExactly("run SUCCEEDED", "Login SUCCEEDED",
        "  " + Scripts.WRITE_TOKEN + " SUCCEEDED", "Show SUCCEEDED", "  " + Scripts.SHOW_TOKEN + " SUCCEEDED");
    assertThat(events()).filteredOn(RunEvent.OutputLine.class::isInstance).map(RunEvent.OutputLine.class::cast)
        .filteredOn(line -> line.run().equals(result.run()) && line.stage().equals("Show"))
        .extracting(RunEvent.OutputLine::line).contains("token ***");
    assertThat(events().toString()).doesNotContain(Scripts.TOKEN);
  }

  @Test
  void should_end_a_cancelled_run_as_cancelled_with_its_running_stage_and_skip_the_rest() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    RunHandle run = engine.start(plan(stage("Build", Scripts.SLOW), stage("Test", Scripts.OK)));
    until("stage 'Build' to start", () -> stagesStarted(run.id()).contains("Build"));

    run.cancel();

    assertThat(outline(finish(run))).containsExactly("run CANCELLED", "Build CANCELLED (the run was cancelled)",
        "  sleep 30 CANCELLED", "Test SKIPPED (the run was cancelled)");
  }

  @Test
  void should_cancel_a_pending_approval_when_the_run_is_cancelled_and_refuse_a_late_decision() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    Stage deploy = Stage.builder("Deploy").addEnter(ApprovalGate.of("Ship it?").timeout(Duration.ofHours(1)))
        .addSteps(ShStep.of(Scripts.OK)).build();
    RunHandle run = engine.start(plan(deploy));
    PendingWait wait = waitOf(engine, run, "Deploy");

    run.cancel();
    RunResult result = finish(run);

    assertThat(outline(result)).containsExactly("run CANCELLED", "Deploy CANCELLED (the run was cancelled)");
    assertThat(Map.of("waits", engine.waits().stream().filter(w -> w.run().equals(run.id())).toList()))
        .containsEntry("waits", List.of());
    assertThat(wait.kind()).isEqualTo("await-approval");
  }

  // ---------------------------------------------------------------- locks: runs racing for one

  /**
   * A deployment to 'production' holding lock 'production' while it waits for its approval: the
   * suite decides when it lets go.
   */
  private static Plan locked(LockMode mode) {
    Stage deploy = Stage.builder("Deploy").environment("production").addLocks(new Lock("production", mode))
        .addEnter(ApprovalGate.of("Ship it?").timeout(Duration.ofHours(1))).addSteps(ShStep.of(Scripts.OK)).build();
    return Planner.plan(Pipeline.builder("conformance").addEnvironments(Environment.builder("production").build())
        .addStages(deploy).build(), RunContext.branch("main"));
  }

  /** The record of 'production', newest first: each entry's run, result and approver. */
  private static List<String> record(Engine engine) {
    return engine.deployments("production").stream()
        .map(d -> d.run() + " " + d.status() + d.approvedBy().map(by -> " approved by " + by).orElse("")).toList();
  }

  /** Waits until the run waits for a wait of {@code kind}, or has ended. */
  private void waitsFor(Engine engine, RunHandle run, String kind) {
    until("a wait of kind '" + kind + "' of run " + run.id(), () -> run.result().isDone()
        || engine.waits().stream().anyMatch(w -> w.run().equals(run.id()) && w.kind().equals(kind)));
  }

  /**
   * Three runs asking for lock 'production' in {@code mode}, one after the other: the first holds
   * it, the others wait.
   */
  private List<RunHandle> race(Engine engine, LockMode mode) {
    List<RunHandle> runs = new ArrayList<>();
    for (String wait : List.of("await-approval", "lock", "lock")) {
      RunHandle run = engine.start(locked(mode));
      waitsFor(engine, run, wait);
      runs.add(run);
    }
    return runs;
  }

  /** Approves the run's deployment once it holds the lock. */
  private void ship(Engine engine, RunHandle run) {
    waitsFor(engine, run, "await-approval");
    engine.decide(run.id(), "Deploy#enter-1", Decision.approve("alice"));
  }

  /** The runs that got lock 'production', in the order they got it. */
  private List<String> granted() {
    return events().stream().filter(e -> e instanceof RunEvent.WaitEnded ended && ended.outcome().equals("granted")
        && ended.waitId().equals("Deploy#lock-production")).map(RunEvent::run).toList();
  }

  @Test
  void should_save_a_cache_once_for_its_key_and_restore_it_in_later_stages_and_runs() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    Pipeline pipeline = Pipeline.builder("conformance").addCaches(Cache.of("dist", List.of("dist/"), List.of()))
        .addStages(Stage.builder("Build").addSteps(ShStep.of(Scripts.MAKE_DIST)).addSaves("dist").build(),
            Stage.builder("Use").addRestores("dist").addSteps(ShStep.of(Scripts.USE_DIST)).build()).build();
    Plan plan = Planner.plan(pipeline, RunContext.branch("main"));

    RunResult first = finish(engine.start(plan));
    RunResult second = finish(engine.start(plan));

    for (RunResult result : List.of(first, second)) {
      assertThat(outline(result)).containsExactly("run SUCCEEDED", "Build SUCCEEDED",
          "  " + Scripts.MAKE_DIST + " SUCCEEDED", "Use SUCCEEDED", "  " + Scripts.USE_DIST + " SUCCEEDED");
    }
    assertThat(events()).filteredOn(RunEvent.CacheEvent.class::isInstance).map(RunEvent.CacheEvent.class::cast)
        .extracting(e -> e.stage() + " " + e.cache() + " " + e.what())
        .containsExactly("Build dist saved", "Use dist hit", "Build dist already_saved", "Use dist hit");
  }

  @Test
  void should_go_on_from_where_it_was_when_another_host_takes_a_waiting_run_over() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    Stage deploy = Stage.builder("Deploy").addEnter(ApprovalGate.of("Ship it?").timeout(Duration.ofHours(1)))
        .addSteps(ShStep.of(Scripts.USE_DIST)).build();
    Plan plan = plan(stage("Build", Scripts.MAKE_DIST), deploy);
    RunHandle run = engine.start(plan);
    PendingWait before = waitOf(engine, run, "Deploy");

    TakenOver taken = takeOver(engine, run, plan);
    PendingWait after = waitOf(taken.engine(), taken.run(), "Deploy");
    taken.engine().decide(run.id(), after.id(), Decision.approve("alice"));
    RunResult result = finish(taken.run());

    assertThat(taken.run().id()).isEqualTo(run.id());
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(outline(result)).containsExactly("run SUCCEEDED", "Build SUCCEEDED", "  " + Scripts.MAKE_DIST
        + " SUCCEEDED", "Deploy SUCCEEDED", "  " + Scripts.USE_DIST + " SUCCEEDED");
    assertThat(stepsStarted(run.id(), "Build")).as("Build's step started, across both hosts").isEqualTo(1);
    assertThat(stepsStarted(run.id(), "Deploy")).as("Deploy's step started, across both hosts").isEqualTo(1);
  }

  @Test
  void should_give_a_lock_to_the_runs_in_the_order_they_asked_for_it_when_they_queue() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    List<RunHandle> runs = race(engine, LockMode.QUEUE);
    RunHandle first = runs.get(0);
    RunHandle second = runs.get(1);
    RunHandle third = runs.get(2);

    ship(engine, first);
    ship(engine, second);
    ship(engine, third);

    for (RunHandle run : List.of(first, second, third)) {
      assertThat(outline(finish(run))).containsExactly("run SUCCEEDED", "Deploy SUCCEEDED", "  true SUCCEEDED");
    }
    assertThat(granted()).containsExactly(first.id(), second.id(), third.id());
    assertThat(record(engine)).containsExactly(third.id() + " SUCCEEDED approved by alice",
        second.id() + " SUCCEEDED approved by alice", first.id() + " SUCCEEDED approved by alice");
  }

  @Test
  void should_supersede_a_waiting_run_with_a_newer_one_when_the_newest_wins() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    List<RunHandle> runs = race(engine, LockMode.NEWEST_WINS);
    RunHandle first = runs.get(0);
    RunHandle second = runs.get(1);
    RunHandle third = runs.get(2);

    ship(engine, first);
    ship(engine, third);

    assertThat(outline(finish(second))).containsExactly("run FAILED", "Deploy CANCELLED (superseded by run '"
        + third.id() + "', which asked for the lock 'production' later)");
    assertThat(outline(finish(third))).containsExactly("run SUCCEEDED", "Deploy SUCCEEDED", "  true SUCCEEDED");
    assertThat(finish(first).status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(granted()).containsExactly(first.id(), third.id());
    assertThat(record(engine)).containsExactly(third.id() + " SUCCEEDED approved by alice",
        first.id() + " SUCCEEDED approved by alice", second.id() + " CANCELLED");
  }

  @Test
  void should_cancel_the_holder_and_take_the_lock_once_its_stage_ended_when_cancelling_in_progress() {
    Engine engine = engine(FailurePolicy.FAIL_FAST);
    RunHandle first = engine.start(locked(LockMode.CANCEL_IN_PROGRESS));
    waitsFor(engine, first, "await-approval");

    RunHandle second = engine.start(locked(LockMode.CANCEL_IN_PROGRESS));
    ship(engine, second);

    assertThat(outline(finish(first))).containsExactly("run FAILED", "Deploy CANCELLED (cancelled for run '"
        + second.id() + "', which asked for the lock 'production' and cancels the run in progress)");
    assertThat(outline(finish(second))).containsExactly("run SUCCEEDED", "Deploy SUCCEEDED", "  true SUCCEEDED");
    assertThat(granted()).containsExactly(first.id(), second.id());
  }
}

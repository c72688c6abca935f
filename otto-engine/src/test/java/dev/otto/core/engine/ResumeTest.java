package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.OttoException;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.journal.JournalException;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.WebhookGate;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming runs in a second engine. A crash of the first is simulated by copying its run
 * directory, journal and workspace, at a chosen moment: the copy is what a dead host leaves.
 */
class ResumeTest {
  @TempDir
  Path dir;

  final List<RunEvent> events = new CopyOnWriteArrayList<>();
  final ManualScheduler time = new ManualScheduler();

  LocalEngine engine(Path root) {
    return LocalEngine.builder(root).parallelism(2).scheduler(time).listener(events::add)
        .executor(LocalProcessExecutor.builder().grace(Duration.ofMillis(300)).build()).build();
  }

  /** An engine whose provider holds {@code secrets}, by name. */
  LocalEngine engine(Path root, java.util.Map<String, String> secrets) {
    return LocalEngine.builder(root).parallelism(2).scheduler(time).listener(events::add)
        .secrets(dev.otto.core.secret.SecretProviders.inMemory(secrets))
        .executor(LocalProcessExecutor.builder().grace(Duration.ofMillis(300)).build()).build();
  }

  static Stage step(String name, String script) {
    return Stage.builder(name).addSteps(ShStep.of(script)).build();
  }

  /** Appends the stage's name and its idempotency key to a marker file in the workspace. */
  static String mark(String name) {
    return "echo \"" + name + " $OTTO_IDEMPOTENCY_KEY\" >> marks";
  }

  static Plan plan(Stage... stages) {
    return Planner.plan(Pipeline.builder("p").addStages(stages).build(), RunContext.branch("main"));
  }

  static Plan shipping() {
    return plan(step("Build", mark("build")),
        Stage.builder("Deploy").addEnter(ApprovalGate.of("Ship it?").timeout(Duration.ofDays(1)))
            .addSteps(ShStep.of(mark("deploy"))).build());
  }

  static void copyRun(Path from, Path to, String run) throws IOException {
    WorkspaceOps.copyTree(from.resolve(run), to.resolve(run));
  }

  static List<String> marks(Path root, String run) throws IOException {
    return Files.readAllLines(root.resolve(run).resolve("workspace").resolve("marks"));
  }

  @Test
  void should_not_repeat_what_was_done_and_restore_the_pending_approval() throws Exception {
    Plan plan = shipping();
    RunHandle first = engine(dir.resolve("a")).start(plan);
    WaitsTest.until(() -> !first.waits().isEmpty());
    PendingWait before = first.waits().get(0);
    copyRun(dir.resolve("a"), dir.resolve("b"), first.id());
    first.cancel();

    LocalEngine second = engine(dir.resolve("b"));
    RunHandle resumed = second.resume(first.id(), plan);

    assertThat(resumed.id()).isEqualTo(first.id());
    WaitsTest.until(() -> !resumed.waits().isEmpty());
    assertThat(resumed.waits()).containsExactly(before);
    second.decide(first.id(), before.id(), Decision.approve("alice"));
    RunResult result = resumed.result().join();

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(result.stage("Build").orElseThrow().steps()).hasSize(1);
    assertThat(marks(dir.resolve("b"), first.id())).extracting(line -> line.split(" ")[0])
        .containsExactly("build", "deploy");
    assertThat(events).filteredOn(RunEvent.RunResumed.class::isInstance).hasSize(1);
  }

  @Test
  void should_record_each_deployment_once_when_a_run_is_resumed_whatever_the_store_had_before() throws Exception {
    // given a run that deployed to staging and waits to deploy to production, when its host dies
    Plan plan = Planner.plan(Pipeline.builder("p")
        .addEnvironments(dev.otto.core.model.Environment.builder("staging").build(),
            dev.otto.core.model.Environment.builder("production").requiresApproval(true).build())
        .addStages(Stage.builder("Staging").environment("staging").addSteps(ShStep.of(mark("staging"))).build(),
            Stage.builder("Production").environment("production").addSteps(ShStep.of(mark("production"))).build())
        .build(), RunContext.branch("main"));
    RunHandle first = engine(dir.resolve("a")).start(plan);
    WaitsTest.until(() -> !first.waits().isEmpty());
    copyRun(dir.resolve("a"), dir.resolve("b"), first.id());
    copyRun(dir.resolve("a"), dir.resolve("c"), first.id());
    first.cancel();
    first.result().join();
    DeploymentStore shared = DeploymentStore.inFolder(dir.resolve("a"));

    // when engines resume it, one with a store that lacks the staging entry, one with the store that has it
    LocalEngine lacking = engine(dir.resolve("b"));
    RunHandle resumed = lacking.resume(first.id(), plan);
    WaitsTest.until(() -> !resumed.waits().isEmpty());
    lacking.decide(first.id(), resumed.waits().get(0).id(), Decision.approve("alice"));
    resumed.result().join();
    LocalEngine having = LocalEngine.builder(dir.resolve("c")).scheduler(time).deployments(shared).build();
    RunHandle again = having.resume(first.id(), plan);
    WaitsTest.until(() -> !again.waits().isEmpty());
    again.cancel();
    again.result().join();

    // then each record holds each deployment once
    assertThat(lacking.deployments("staging")).extracting(Deployment::run).containsExactly(first.id());
    assertThat(lacking.deployments("production")).singleElement().satisfies(d -> {
      assertThat(d.approvedBy()).contains("alice");
      assertThat(d.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    });
    assertThat(shared.deployments("staging")).extracting(Deployment::run).containsExactly(first.id());
    assertThat(shared.deployments("production")).singleElement().extracting(Deployment::status)
        .isEqualTo(RunResult.Status.CANCELLED);
  }

  @Test
  void should_refuse_a_decision_on_an_approval_decided_before_the_takeover_as_already_resolved() throws Exception {
    // given
    Plan plan = plan(Stage.builder("Deploy").addEnter(ApprovalGate.of("Ship it?").timeout(Duration.ofDays(1)))
        .addSteps(ShStep.of("true")).build(), Stage.builder("Later").addEnter(ApprovalGate.of("more?")
        .timeout(Duration.ofDays(1))).addSteps(ShStep.of("true")).build());
    LocalEngine engine = engine(dir.resolve("a"));
    RunHandle first = engine.start(plan);
    WaitsTest.until(() -> !first.waits().isEmpty());
    engine.decide(first.id(), "Deploy#enter-1", Decision.approve("alice"));
    WaitsTest.until(() -> first.waits().stream().anyMatch(w -> w.stage().equals("Later")));
    copyRun(dir.resolve("a"), dir.resolve("b"), first.id());
    first.cancel();
    first.result().join();
    LocalEngine second = engine(dir.resolve("b"));
    RunHandle resumed = second.resume(first.id(), plan);
    WaitsTest.until(() -> !resumed.waits().isEmpty());

    // when / then
    assertThatThrownBy(() -> second.decide(first.id(), "Deploy#enter-1", Decision.approve("bob")))
        .hasMessageContaining("was approved already")
        .extracting(e -> ((WaitRefusedException) e).reason()).isEqualTo(WaitRefusedException.Reason.ALREADY_RESOLVED);
    assertThat(resumed.waits()).extracting(PendingWait::id).containsExactly("Later#enter-1");
    resumed.cancel();
    resumed.result().join();
  }

  @Test
  void should_keep_the_deadline_of_a_restored_wait() throws Exception {
    Plan plan = shipping();
    RunHandle first = engine(dir.resolve("a")).start(plan);
    WaitsTest.until(() -> !first.waits().isEmpty());
    copyRun(dir.resolve("a"), dir.resolve("b"), first.id());
    first.cancel();
    time.advance(Duration.ofHours(20));

    RunHandle resumed = engine(dir.resolve("b")).resume(first.id(), plan);
    WaitsTest.until(() -> !resumed.waits().isEmpty());
    time.advance(Duration.ofHours(4));

    assertThat(resumed.result().join().stage("Deploy").orElseThrow().reason())
        .contains("the approval 'Ship it?' timed out after PT24H");
  }

  @Test
  void should_accept_the_token_handed_out_before_the_crash() throws Exception {
    Plan plan = plan(Stage.builder("Verify").addEnter(WebhookGate.of("health").timeout(Duration.ofHours(1)))
        .addSteps(ShStep.of(mark("verify"))).build());
    RunHandle first = engine(dir.resolve("a")).start(plan);
    WaitsTest.until(() -> events.stream().anyMatch(RunEvent.WaitStarted.class::isInstance));
    String token = events.stream().filter(RunEvent.WaitStarted.class::isInstance).map(RunEvent.WaitStarted.class::cast)
        .findFirst().orElseThrow().token().orElseThrow();
    copyRun(dir.resolve("a"), dir.resolve("b"), first.id());
    first.cancel();
    first.result().join();

    LocalEngine second = engine(dir.resolve("b"));
    RunHandle resumed = second.resume(first.id(), plan);
    WaitsTest.until(() -> !resumed.waits().isEmpty());
    assertThat(second.callback(token, "up").id()).isEqualTo("Verify#enter-1");

    assertThat(resumed.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThatThrownBy(() -> second.callback(token, "again")).isInstanceOf(WaitRefusedException.class);
    String journal = Files.readString(dir.resolve("b").resolve(first.id()).resolve("journal.log"));
    assertThat(journal).doesNotContain(token);
  }

  @Test
  void should_run_again_an_op_that_was_in_flight_with_the_same_idempotency_key() throws Exception {
    Plan plan = plan(step("Build", mark("build")), step("Test", mark("test")));
    RunHandle first = engine(dir.resolve("a")).start(plan);
    assertThat(first.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    copyRun(dir.resolve("a"), dir.resolve("b"), first.id());
    Path journal = dir.resolve("b").resolve(first.id()).resolve("journal.log");
    List<String> lines = Files.readAllLines(journal);
    int testOp = lastIndexContaining(lines, "\"stage\":\"Test\",\"op\":\"1\"");
    Files.write(journal, lines.subList(0, testOp), StandardCharsets.UTF_8);
    Files.write(journal, List.of(), StandardOpenOption.APPEND);

    RunResult result = engine(dir.resolve("b")).resume(first.id(), plan).result().join();

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    List<String> marks = marks(dir.resolve("b"), first.id());
    assertThat(marks).extracting(line -> line.split(" ")[0]).containsExactly("build", "test", "test");
    assertThat(marks.get(1).split(" ")[1]).isEqualTo(marks.get(2).split(" ")[1]).hasSize(32);
  }

  private static int lastIndexContaining(List<String> lines, String text) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no line with " + text);
  }

  @Test
  void should_not_warn_on_resume_about_what_a_finished_stage_would_use() throws Exception {
    // given a run whose Build stage, which uses this machine's sh, finished, and which waits for an approval
    Plan plan = plan(Stage.builder("Build").runtime(dev.otto.core.model.Runtime.local().requires("sh"))
        .addSteps(ShStep.of("true")).build(),
        Stage.builder("Deploy").addEnter(ApprovalGate.of("Ship it?").timeout(Duration.ofDays(1)))
            .addSteps(ShStep.of("true")).build());
    RunHandle first = engine(dir.resolve("a")).start(plan);
    WaitsTest.until(() -> !first.waits().isEmpty());
    copyRun(dir.resolve("a"), dir.resolve("b"), first.id());
    first.cancel();
    first.result().join();
    int before = events.size();

    // when
    RunHandle resumed = engine(dir.resolve("b")).resume(first.id(), plan);
    WaitsTest.until(() -> !resumed.waits().isEmpty());

    // then: the first run warned, the resumed one does not
    assertThat(events.subList(0, before)).filteredOn(RunEvent.Warning.class::isInstance)
        .extracting(e -> ((RunEvent.Warning) e).message()).anyMatch(m -> m.startsWith("stage 'Build' uses sh"));
    assertThat(events.subList(before, events.size())).filteredOn(RunEvent.Warning.class::isInstance).isEmpty();
    resumed.cancel();
    resumed.result().join();
  }

  @Test
  void should_give_the_recorded_result_of_a_run_that_had_ended() {
    Plan plan = plan(step("Build", "true"));
    LocalEngine engine = engine(dir.resolve("a"));
    RunResult ended = engine.start(plan).result().join();

    RunHandle resumed = engine(dir.resolve("a")).resume(ended.run(), plan);

    assertThat(resumed.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(resumed.result().join().stages()).extracting(RunResult.StageResult::status)
        .containsExactly(RunResult.Status.SUCCEEDED);
  }

  @Test
  void should_refuse_another_plan_and_a_run_held_by_another_engine() {
    Plan plan = shipping();
    LocalEngine engine = engine(dir.resolve("a"));
    RunHandle run = engine.start(plan);
    WaitsTest.until(() -> !run.waits().isEmpty());

    assertThatThrownBy(() -> engine(dir.resolve("a")).resume(run.id(), plan))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("is held by another engine");
    assertThat(engine.resume(run.id(), plan)).isSameAs(run);
    run.cancel();
    run.result().join();

    Plan other = plan(step("Build", "true"));
    assertThatThrownBy(() -> engine(dir.resolve("a")).resume(run.id(), other))
        .isInstanceOf(PlanMismatchException.class)
        .hasMessageContaining("plan the same pipeline for the same branch");
    assertThatThrownBy(() -> engine(dir.resolve("a")).resume("20260101-000000-missing", plan))
        .hasMessageContaining("has no journal");
  }

  @Test
  void should_refuse_a_journal_damaged_in_the_middle_and_resume_after_a_torn_end() throws Exception {
    Plan plan = shipping();
    RunHandle first = engine(dir.resolve("a")).start(plan);
    WaitsTest.until(() -> !first.waits().isEmpty());
    copyRun(dir.resolve("a"), dir.resolve("b"), first.id());
    copyRun(dir.resolve("a"), dir.resolve("c"), first.id());
    first.cancel();

    Path torn = dir.resolve("b").resolve(first.id()).resolve("journal.log");
    Files.writeString(torn, "0badc0de {\"t\":\"op\",\"sta", StandardOpenOption.APPEND);
    RunHandle resumed = engine(dir.resolve("b")).resume(first.id(), plan);
    WaitsTest.until(() -> !resumed.waits().isEmpty());
    resumed.cancel();
    assertThat(resumed.result().join().status()).isEqualTo(RunResult.Status.CANCELLED);

    Path damaged = dir.resolve("c").resolve(first.id()).resolve("journal.log");
    List<String> lines = Files.readAllLines(damaged);
    lines.set(1, lines.get(1).replace("Build", "Bui1d"));
    Files.write(damaged, lines);
    assertThatThrownBy(() -> engine(dir.resolve("c")).resume(first.id(), plan))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("entry 2 of the journal")
        .hasMessageContaining("restart the run from one of its stages");
  }

  @Test
  void should_restart_from_a_stage_reusing_the_results_before_it() throws Exception {
    Plan plan = plan(step("Build", mark("build")), step("Test", mark("test")), step("Ship", mark("ship")));
    LocalEngine engine = engine(dir.resolve("a"));
    RunResult first = engine.start(plan).result().join();

    RunHandle again = engine.restart(first.run(), plan, "Test");
    RunResult second = again.result().join();

    assertThat(second.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(second.run()).isNotEqualTo(first.run());
    assertThat(events).filteredOn(RunEvent.StageReused.class::isInstance)
        .extracting(e -> ((RunEvent.StageReused) e).stage()).containsExactly("Build");
    assertThat(marks(dir.resolve("a"), again.id())).extracting(line -> line.split(" ")[0])
        .containsExactly("build", "test", "ship", "test", "ship");
    assertThatThrownBy(() -> engine.restart(first.run(), plan, "Nope"))
        .hasMessageContaining("the plan has no stage 'Nope' to restart from");
  }

  @Test
  void should_run_again_on_restart_a_stage_that_failed_or_changed() {
    LocalEngine engine = engine(dir.resolve("a"));
    RunResult first = engine.start(plan(step("Lint", "false"), step("Build", "true"), step("Ship", "true")))
        .result().join();
    assertThat(first.status()).isEqualTo(RunResult.Status.FAILED);

    Plan fixed = plan(step("Lint", "true"), step("Build", "true"), step("Ship", "true"));
    RunResult second = engine.restart(first.run(), fixed, "Ship").result().join();

    assertThat(second.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(events).filteredOn(RunEvent.StageStarted.class::isInstance)
        .extracting(e -> ((RunEvent.StageStarted) e).stage())
        .containsExactly("Lint", "Lint", "Build", "Ship");
  }

  @Test
  void should_run_again_on_restart_without_a_stage_only_what_did_not_succeed() throws Exception {
    LocalEngine engine = engine(dir.resolve("a"));
    RunResult first = engine.start(plan(step("Build", mark("build")), step("Test", "false"), step("Ship", mark("ship"))))
        .result().join();
    assertThat(first.status()).isEqualTo(RunResult.Status.FAILED);

    RunHandle again = engine.restart(first.run(), plan(step("Build", mark("build")), step("Test", mark("test")),
        step("Ship", mark("ship"))));
    RunResult second = again.result().join();

    assertThat(second.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(events).filteredOn(RunEvent.StageReused.class::isInstance)
        .extracting(e -> ((RunEvent.StageReused) e).stage()).containsExactly("Build");
    assertThat(marks(dir.resolve("a"), again.id())).extracting(line -> line.split(" ")[0])
        .containsExactly("build", "test", "ship");
  }

  @Test
  void should_refuse_a_restart_without_a_stage_when_nothing_would_run_again() {
    LocalEngine engine = engine(dir.resolve("a"));
    Plan plan = plan(step("Build", "true"));
    RunResult first = engine.start(plan).result().join();

    assertThatThrownBy(() -> engine.restart(first.run(), plan)).isInstanceOf(OttoException.class)
        .hasMessage("run '" + first.run() + "' succeeded and no stage changed since: nothing to run again; restart "
            + "from a stage to run it and what follows (LocalEngine.restart(run, plan, stage), 'otto restart RUN "
            + "--stage STAGE')");
    assertThat(engine.restart(first.run(), plan, "Build").result().join().status())
        .isEqualTo(RunResult.Status.SUCCEEDED);
  }

  @Test
  void should_refuse_to_restart_a_run_that_has_not_finished() throws Exception {
    Plan plan = shipping();
    LocalEngine engine = engine(dir.resolve("a"));
    RunHandle waiting = engine.start(plan);
    WaitsTest.until(() -> !waiting.waits().isEmpty());
    copyRun(dir.resolve("a"), dir.resolve("b"), waiting.id());

    String refused = "run '" + waiting.id() + "' has not finished (it runs, waits, or its engine died): its workspace "
        + "may still change; resume it (LocalEngine.resume, 'otto resume') or cancel it, and restart once it has "
        + "finished";
    assertThatThrownBy(() -> engine.restart(waiting.id(), plan, "Build")).hasMessage(refused);
    // What a host that died leaves: a journal without an end.
    assertThatThrownBy(() -> engine(dir.resolve("b")).restart(waiting.id(), plan)).hasMessage(refused);
    assertThat(engine.hasEnded(waiting.id())).isFalse();
    waiting.cancel();
    waiting.result().join();
    assertThat(engine.hasEnded(waiting.id())).isTrue();
    assertThat(engine(dir.resolve("b")).hasEnded(waiting.id())).isFalse();
    RunHandle again = engine.restart(waiting.id(), plan);
    WaitsTest.until(() -> !again.waits().isEmpty());
    assertThat(events).filteredOn(RunEvent.StageReused.class::isInstance)
        .extracting(e -> ((RunEvent.StageReused) e).stage()).containsExactly("Build");
    again.cancel();
    again.result().join();
  }

  @Test
  void should_mask_on_restart_a_secret_the_earlier_run_left_in_its_workspace_and_refuse_when_one_cannot_be_read()
      throws Exception {
    // given a run whose Login stage wrote its token into the workspace and then failed
    String token = "token-" + java.util.UUID.randomUUID();
    LocalEngine engine = engine(dir.resolve("a"), java.util.Map.of("key", token, "npm-token", "npm-" + token));
    Stage publish = Stage.builder("Publish").addSteps(ShStep.of("true")
        .with(dev.otto.core.model.SecretBinding.asEnv("npm-token", "NPM_TOKEN"))).build();
    Stage login = Stage.builder("Login").addSteps(ShStep.of("printf '%s\\n' \"$KEY\" > .token; exit 1")
        .with(dev.otto.core.model.SecretBinding.asEnv("key", "KEY"))).build();
    Stage show = Stage.builder("Show").addSteps(ShStep.of("cat .token")).build();
    Plan plan = Planner.plan(Pipeline.builder("p").addSecrets(new dev.otto.core.model.SecretRef("key"),
        new dev.otto.core.model.SecretRef("npm-token")).addStages(publish, login, show).build(),
        RunContext.branch("main"));
    RunResult first = engine.start(plan).result().join();
    assertThat(first.status()).isEqualTo(RunResult.Status.FAILED);

    // when: restarted from Show by an engine that has the key but no npm token, which Publish, reused, bound;
    // then by one that has both
    LocalEngine second = engine(dir.resolve("a"), java.util.Map.of("key", token));
    Plan fixed = Planner.plan(Pipeline.builder("p").addSecrets(new dev.otto.core.model.SecretRef("key"),
        new dev.otto.core.model.SecretRef("npm-token")).addStages(publish,
        Stage.builder("Login").addSteps(ShStep.of("true")).build(), show).build(), RunContext.branch("main"));
    long folders;
    try (java.util.stream.Stream<Path> listed = Files.list(dir.resolve("a"))) {
      folders = listed.count();
    }
    assertThatThrownBy(() -> second.restart(first.run(), fixed, "Show"))
        .hasMessageStartingWith("run '" + first.run() + "' gave its steps the secret 'npm-token' (stage 'Publish'), "
            + "which cannot be read here: ")
        .hasMessageEndingWith(". A restart starts from a copy of its workspace, where a step may have left it, and "
            + "masks a secret in the output only if it can read it: give the secret provider the secret as the run "
            + "had it, or start a new run")
        .hasMessageNotContaining(token);
    try (java.util.stream.Stream<Path> listed = Files.list(dir.resolve("a"))) {
      assertThat(listed.count()).as("no run was made").isEqualTo(folders);
    }
    RunResult again = engine.restart(first.run(), fixed, "Show").result().join();

    // then
    assertThat(again.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(events).filteredOn(RunEvent.OutputLine.class::isInstance).map(RunEvent.OutputLine.class::cast)
        .filteredOn(line -> line.run().equals(again.run())).extracting(RunEvent.OutputLine::line)
        .containsExactly("***");
    assertThat(events.toString()).doesNotContain(token);
  }

  @Test
  void should_refuse_a_resume_that_cannot_read_a_secret_the_run_gave_and_mask_it_when_it_can() throws Exception {
    // given a run that gave its Login stage a token, which it left in the workspace, and waits for an approval
    String token = "token-" + java.util.UUID.randomUUID();
    Plan plan = Planner.plan(Pipeline.builder("p").addSecrets(new dev.otto.core.model.SecretRef("key")).addStages(
        Stage.builder("Login").addSteps(ShStep.of("printf '%s\\n' \"$KEY\" > .token")
            .with(dev.otto.core.model.SecretBinding.asEnv("key", "KEY"))).build(),
        Stage.builder("Show").addEnter(ApprovalGate.of("Show it?").timeout(Duration.ofDays(1)))
            .addSteps(ShStep.of("cat .token")).build()).build(), RunContext.branch("main"));
    RunHandle first = engine(dir.resolve("a"), java.util.Map.of("key", token)).start(plan);
    WaitsTest.until(() -> !first.waits().isEmpty());
    copyRun(dir.resolve("a"), dir.resolve("b"), first.id());
    first.cancel();

    // when another host without the token takes it over, then one with it
    assertThatThrownBy(() -> engine(dir.resolve("b")).resume(first.id(), plan))
        .hasMessageStartingWith("run '" + first.id() + "' gave its steps the secret 'key' (stage 'Login'), which "
            + "cannot be read here: ")
        .hasMessageContaining("A resume goes on in its workspace, where a step may have left it");
    LocalEngine third = engine(dir.resolve("b"), java.util.Map.of("key", token));
    RunHandle resumed = third.resume(first.id(), plan);
    WaitsTest.until(() -> !resumed.waits().isEmpty());
    third.decide(first.id(), resumed.waits().get(0).id(), Decision.approve("alice"));
    RunResult result = resumed.result().join();

    // then
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(events).filteredOn(RunEvent.OutputLine.class::isInstance).map(RunEvent.OutputLine.class::cast)
        .filteredOn(line -> line.stage().equals("Show")).extracting(RunEvent.OutputLine::line).containsExactly("***");
    assertThat(events.toString()).doesNotContain(token);
  }

  @Test
  void should_mask_on_restart_a_secret_only_the_earlier_runs_plan_declared() {
    // given a run whose Login stage wrote its token into the workspace and then failed
    String token = "token-" + java.util.UUID.randomUUID();
    LocalEngine engine = engine(dir.resolve("a"), java.util.Map.of("key", token));
    Stage login = Stage.builder("Login").addSteps(ShStep.of("printf '%s\\n' \"$KEY\" > .token; exit 1")
        .with(dev.otto.core.model.SecretBinding.asEnv("key", "KEY"))).build();
    Stage show = Stage.builder("Show").addSteps(ShStep.of("cat .token")).build();
    RunResult first = engine.start(Planner.plan(Pipeline.builder("p").addSecrets(
        new dev.otto.core.model.SecretRef("key")).addStages(login, show).build(), RunContext.branch("main")))
        .result().join();
    assertThat(first.status()).isEqualTo(RunResult.Status.FAILED);

    // when: restarted with a plan that no longer declares or binds the key
    Plan changed = Planner.plan(Pipeline.builder("p").addStages(Stage.builder("Login").addSteps(ShStep.of("true"))
        .build(), show).build(), RunContext.branch("main"));
    RunResult again = engine.restart(first.run(), changed).result().join();

    // then
    assertThat(again.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(events).filteredOn(RunEvent.OutputLine.class::isInstance).map(RunEvent.OutputLine.class::cast)
        .filteredOn(line -> line.run().equals(again.run())).extracting(RunEvent.OutputLine::line)
        .containsExactly("***");
    assertThat(events.toString()).doesNotContain(token);
  }

  @Test
  void should_not_refuse_a_restart_over_a_secret_only_a_notification_that_never_ran_binds() {
    // given a run whose Build stage, which succeeded, would notify with a hook on failure, and whose Test failed
    Plan plan = Planner.plan(Pipeline.builder("p").addSecrets(new dev.otto.core.model.SecretRef("hook")).addStages(
        Stage.builder("Build").addSteps(ShStep.of("true")).addOnFailure(ShStep.of("echo notify")
            .with(dev.otto.core.model.SecretBinding.asEnv("hook", "HOOK"))).build(),
        step("Test", "test -f ok")).build(), RunContext.branch("main"));
    RunResult first = engine(dir.resolve("a"), java.util.Map.of("hook", "hook-" + java.util.UUID.randomUUID()))
        .start(plan).result().join();
    assertThat(first.status()).isEqualTo(RunResult.Status.FAILED);

    // when restarted by an engine that has no hook: the notification never ran, so the hook was never handed out
    RunResult again = engine(dir.resolve("a")).restart(first.run(), plan).result().join();

    // then it runs (and fails again, on its own terms)
    assertThat(again.stage("Test").orElseThrow().status()).isEqualTo(RunResult.Status.FAILED);
  }

  @Test
  void should_keep_masking_through_a_restart_of_a_restart_a_secret_the_first_run_left() {
    // given a run that left its token in the workspace and failed
    String token = "token-" + java.util.UUID.randomUUID();
    LocalEngine engine = engine(dir.resolve("a"), java.util.Map.of("key", token));
    Stage show = Stage.builder("Show").addSteps(ShStep.of("cat .token; test -f ok")).build();
    RunResult first = engine.start(Planner.plan(Pipeline.builder("p").addSecrets(
        new dev.otto.core.model.SecretRef("key")).addStages(Stage.builder("Login").addSteps(
            ShStep.of("printf '%s\\n' \"$KEY\" > .token").with(dev.otto.core.model.SecretBinding.asEnv("key", "KEY")))
        .build(), show).build(), RunContext.branch("main"))).result().join();

    // when restarted twice with a plan that no longer declares or binds the key
    Plan changed = Planner.plan(Pipeline.builder("p").addStages(Stage.builder("Login").addSteps(ShStep.of("true"))
        .build(), show).build(), RunContext.branch("main"));
    RunResult second = engine.restart(first.run(), changed).result().join();
    RunResult third = engine.restart(second.run(), changed).result().join();

    // then
    assertThat(third.status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(events).filteredOn(RunEvent.OutputLine.class::isInstance).map(RunEvent.OutputLine.class::cast)
        .filteredOn(line -> line.run().equals(third.run())).extracting(RunEvent.OutputLine::line)
        .containsExactly("***");
    assertThat(events.toString()).doesNotContain(token);
  }

  @Test
  void should_journal_the_names_of_the_secrets_steps_and_probes_were_handed_and_never_their_values()
      throws Exception {
    // A probe that fails its first attempt, whose outcome is not journaled, then succeeds.
    final String READY = "test -f .up || { touch .up; exit 1; }";
    // given a stage whose poll's probe binds one secret and whose step binds another, and a notification that
    // binds a third but never runs
    String probeToken = "probe-" + java.util.UUID.randomUUID();
    String stepToken = "step-" + java.util.UUID.randomUUID();
    Plan plan = Planner.plan(Pipeline.builder("p").addSecrets(new dev.otto.core.model.SecretRef("probe-key"),
        new dev.otto.core.model.SecretRef("step-key"), new dev.otto.core.model.SecretRef("hook")).addStages(
        Stage.builder("Deploy").addEnter(dev.otto.core.model.PollGate.of("up", ShStep.of(READY)
            .with(dev.otto.core.model.SecretBinding.asEnv("probe-key", "P"))).every(Duration.ofSeconds(1))
            .timeout(Duration.ofMinutes(1)))
            .addSteps(ShStep.of("true").with(dev.otto.core.model.SecretBinding.asEnv("step-key", "S")))
            .addOnFailure(ShStep.of("true").with(dev.otto.core.model.SecretBinding.asEnv("hook", "H"))).build())
        .build(), RunContext.branch("main"));
    RunHandle run = engine(dir.resolve("a"), java.util.Map.of("probe-key", probeToken, "step-key", stepToken,
        "hook", "hook-" + java.util.UUID.randomUUID()))
        .start(plan);
    WaitsTest.until(() -> events.stream().filter(RunEvent.PollAttempt.class::isInstance).count() == 1);
    String afterFailure = Files.readString(dir.resolve("a").resolve(run.id()).resolve("journal.log"));
    time.advance(Duration.ofSeconds(1));
    RunResult result = run.result().join();

    // when
    Recovery recorded = Recovery.read(result.run(),
        dev.otto.core.journal.FileJournal.in(dir.resolve("a")).read(result.run()));
    String journal = Files.readString(dir.resolve("a").resolve(result.run()).resolve("journal.log"));

    // then
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(recorded.given).containsOnlyKeys("probe-key", "step-key");
    assertThat(recorded.secrets).containsExactlyInAnyOrder("probe-key", "step-key", "hook");
    assertThat(journal).doesNotContain(probeToken).doesNotContain(stepToken);
    assertThat(afterFailure.lines().filter(line -> line.contains("handed")))
        .as("the failed attempt's secret, before any success").singleElement().asString().contains("probe-key");
  }

  @Test
  void should_refuse_a_restart_planned_for_another_branch_than_the_run() {
    LocalEngine engine = engine(dir.resolve("a"));
    RunResult first = engine.start(Planner.plan(Pipeline.builder("p").addStages(step("Build", "false")).build(),
        RunContext.branch("feature"))).result().join();

    assertThatThrownBy(() -> engine.restart(first.run(), Planner.plan(Pipeline.builder("p")
        .addStages(step("Build", "true")).build(), RunContext.branch("main"))))
        .hasMessage("run '" + first.run() + "' ran on branch 'feature', and this plan is for branch 'main'; a "
            + "restart goes on where the run was: plan it for branch 'feature' ('otto restart' does, unless --branch "
            + "or --tag says otherwise)");
    assertThat(engine.recordedContext(first.run())).hasValueSatisfying(context -> {
      assertThat(context.branch()).hasValue("feature");
      assertThat(context.tag()).isEmpty();
    });
  }
  @Test
  void should_keep_the_changed_files_a_run_was_told_for_its_resume_and_restart() {
    // given runs told of changed files, of none, and not told
    LocalEngine engine = engine(dir.resolve("a"));
    Pipeline pipeline = Pipeline.builder("p").addStages(step("Build", "true")).build();
    java.util.List<String> files = java.util.List.of("docs/read me.md", "src/Main.java", "odd\nname");
    RunResult told = engine.start(Planner.plan(pipeline, RunContext.builder().branch("main").changedFiles(files)
        .build())).result().join();
    RunResult none = engine.start(Planner.plan(pipeline, RunContext.builder().changedFiles(java.util.List.of())
        .build())).result().join();
    RunResult untold = engine.start(Planner.plan(pipeline, RunContext.branch("main"))).result().join();

    // then
    assertThat(engine.recordedContext(told.run())).hasValueSatisfying(context -> {
      assertThat(context.changedFiles()).hasValue(files.stream().sorted().toList());
      assertThat(context.branch()).hasValue("main");
    });
    assertThat(engine.recordedContext(none.run())).hasValueSatisfying(context ->
        assertThat(context.changedFiles()).hasValue(java.util.List.of()));
    assertThat(engine.recordedContext(untold.run())).hasValueSatisfying(context ->
        assertThat(context.changedFiles()).isEmpty());
  }
}

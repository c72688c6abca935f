package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Condition;
import dev.otto.core.model.Matrix;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.StagePath;
import dev.otto.core.model.WebhookGate;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.plan.RunnablePlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The run machine on its own: no threads, no processes, no clock but the inputs' times. The
 * examples pin down what each input does; the properties drive random plans through random worlds
 * (ops that succeed or fail in any order, timers, decisions, cancels) and check the laws every
 * engine relies on.
 */
class RunMachineTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Stage sh(String name, String... scripts) {
    Stage.Builder stage = Stage.builder(name);
    for (String script : scripts) {
      stage.addSteps(ShStep.of(script));
    }
    return stage.build();
  }

  private static RunnablePlan plan(Stage... stages) {
    return RunnablePlan.of(Planner.plan(Pipeline.builder("p").addStages(stages).build(), RunContext.branch("main")));
  }

  private static RunMachine machine(RunnablePlan plan, boolean failFast) {
    return RunMachine.builder("run-1", plan).failurePolicy(failFast ? FailurePolicy.FAIL_FAST
        : FailurePolicy.CONTINUE).build();
  }

  /**
   * Applies an input, starts every op it asks for and ends every session, as a driver would at
   * once; all actions, in order.
   */
  private static List<RunMachine.Action> apply(RunMachine machine, RunMachine.Input input) {
    List<RunMachine.Action> all = new ArrayList<>(machine.apply(input));
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i) instanceof RunMachine.EndSession end) {
        all.addAll(machine.apply(new RunMachine.SessionEnded(input.at(), end.stage(), 0)));
      } else if (all.get(i) instanceof RunMachine.Execute execute) {
        all.addAll(machine.apply(new RunMachine.OpStarted(input.at(), execute.stage(), execute.op())));
      }
    }
    return all;
  }

  private static <T extends RunMachine.Action> List<T> only(List<RunMachine.Action> actions, Class<T> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static List<RunEvent> events(List<RunMachine.Action> actions) {
    return only(actions, RunMachine.Emit.class).stream().map(RunMachine.Emit::event).toList();
  }

  private static RunMachine.Outcome exit(int code) {
    return new RunMachine.Outcome(code == 0 ? RunResult.Status.SUCCEEDED : RunResult.Status.FAILED,
        OptionalInt.of(code), "exited with " + code);
  }

  @Nested
  class Examples {
    @Test
    void should_run_a_stage_after_the_one_before_it_and_finish_with_both_results() {
      // given
      RunMachine machine = machine(plan(sh("Build", "make"), sh("Test", "make test")), true);

      // when
      List<RunMachine.Action> started = apply(machine, new RunMachine.Start(T0, List.of()));
      RunMachine.Execute build = only(started, RunMachine.Execute.class).get(0);
      List<RunMachine.Action> afterBuild = apply(machine, new RunMachine.OpDone(T0.plusSeconds(3), "Build", build.op(),
          exit(0)));
      RunMachine.Execute test = only(afterBuild, RunMachine.Execute.class).get(0);
      List<RunMachine.Action> afterTest = apply(machine, new RunMachine.OpDone(T0.plusSeconds(5), "Test", test.op(),
          exit(0)));

      // then
      assertThat(only(started, RunMachine.Execute.class)).extracting(RunMachine.Execute::stage)
          .containsExactly("Build");
      assertThat(test.stage()).isEqualTo("Test");
      assertThat(test.step()).isEqualTo(1);
      RunResult result = only(afterTest, RunMachine.Finish.class).get(0).result();
      assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(result.duration()).isEqualTo(Duration.ofSeconds(5));
      assertThat(result.stage("Build").orElseThrow().duration()).isEqualTo(Duration.ofSeconds(3));
      assertThat(events(afterTest).get(events(afterTest).size() - 1)).isInstanceOf(RunEvent.RunFinished.class);
    }

    @Test
    void should_start_a_stage_when_the_driver_starts_its_first_op_and_count_its_time_and_timeout_from_there() {
      // given: a stage with a timeout, whose step the driver starts ten seconds after it asked
      Stage build = Stage.builder("Build").addSteps(ShStep.of("make")).timeout(Duration.ofMinutes(5)).build();
      RunMachine machine = machine(plan(build), true);

      // when
      List<RunMachine.Action> asked = machine.apply(new RunMachine.Start(T0, List.of()));
      RunMachine.Execute make = only(asked, RunMachine.Execute.class).get(0);
      Map<String, String> before = machine.states();
      List<RunMachine.Action> started = machine.apply(new RunMachine.OpStarted(T0.plusSeconds(10), "Build",
          make.op()));
      Map<String, String> after = machine.states();
      machine.apply(new RunMachine.OpDone(T0.plusSeconds(13), "Build", make.op(), exit(0)));
      apply(machine, new RunMachine.SessionEnded(T0.plusSeconds(13), "Build", 0));

      // then
      assertThat(events(asked)).noneMatch(RunEvent.StageStarted.class::isInstance);
      assertThat(only(asked, RunMachine.SetTimer.class)).isEmpty();
      assertThat(before).containsEntry("Build", "pending");
      assertThat(after).containsEntry("Build", "running");
      assertThat(events(started)).filteredOn(RunEvent.StageStarted.class::isInstance).singleElement()
          .extracting(RunEvent::at).isEqualTo(T0.plusSeconds(10));
      assertThat(only(started, RunMachine.SetTimer.class)).containsExactly(new RunMachine.SetTimer("timeout:Build",
          T0.plusSeconds(10).plus(Duration.ofMinutes(5))));
      assertThat(machine.result().orElseThrow().stage("Build").orElseThrow().duration())
          .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void should_start_a_stage_as_soon_as_its_turn_comes_when_replaying_what_a_machine_that_did_so_recorded() {
      // given
      Stage build = Stage.builder("Build").addSteps(ShStep.of("make")).timeout(Duration.ofMinutes(5)).build();
      RunMachine machine = RunMachine.builder("run-1", plan(build)).startsWhenReady(true).build();

      // when
      List<RunMachine.Action> asked = machine.apply(new RunMachine.Start(T0, List.of()));

      // then: the stage started, and its timeout runs, before its step was asked for
      assertThat(asked).filteredOn(a -> a instanceof RunMachine.Emit emit && emit.event()
          instanceof RunEvent.StageStarted || a instanceof RunMachine.SetTimer || a instanceof RunMachine.Execute)
          .extracting(a -> a.getClass().getSimpleName()).containsExactly("Emit", "SetTimer", "Execute");
    }

    @Test
    void should_skip_on_resume_a_stage_whose_first_op_had_not_started_when_a_stop_and_the_hosts_death_came() {
      // given: a run that failed fast while a stage's first step waited for the driver, and whose host died
      RunnablePlan plan = plan(Stage.builder("Checks").parallel(true).addStages(sh("Lint", "lint"),
          sh("Unit", "unit")).build());
      RunMachine after = machine(plan, true);
      List<RunMachine.Execute> asked = only(after.apply(new RunMachine.Start(T0, List.of())),
          RunMachine.Execute.class);
      after.apply(new RunMachine.OpStarted(T0, asked.get(0).stage(), asked.get(0).op()));
      after.apply(new RunMachine.OpDone(T0.plusSeconds(1), asked.get(0).stage(), asked.get(0).op(), exit(1)));
      after.apply(new RunMachine.SessionEnded(T0.plusSeconds(1), asked.get(0).stage(), 0));

      // when another host takes the run up
      List<RunMachine.Action> resumed = apply(after, new RunMachine.Resume(T0.plusSeconds(60)));

      // then the stage that never started is skipped, not started and cancelled
      assertThat(only(resumed, RunMachine.Execute.class)).isEmpty();
      assertThat(events(resumed)).noneMatch(RunEvent.StageStarted.class::isInstance);
      RunResult result = after.result().orElseThrow();
      assertThat(result.stage(asked.get(1).stage()).orElseThrow().status()).isEqualTo(RunResult.Status.SKIPPED);
      assertThat(result.stage(asked.get(1).stage()).orElseThrow().reason())
          .hasValue("the run stopped after stage '" + asked.get(0).stage() + "' failed");
    }

    @Test
    void should_not_run_again_on_resume_what_a_cancel_was_stopping_when_its_host_died() {
      // given a run cancelled while its step ran, whose host died before the step's end was recorded
      RunnablePlan plan = plan(sh("Serve", "sleep 300"), sh("After", "true"));
      RunMachine before = machine(plan, true);
      RunMachine.Execute serve = only(apply(before, new RunMachine.Start(T0, List.of())), RunMachine.Execute.class)
          .get(0);
      apply(before, new RunMachine.Cancel(T0.plusSeconds(1)));

      // when another host replays what was recorded and takes the run up
      RunMachine after = machine(plan, true);
      after.apply(new RunMachine.Start(T0, List.of()));
      after.apply(new RunMachine.OpStarted(T0, serve.stage(), serve.op()));
      after.apply(new RunMachine.Cancel(T0.plusSeconds(1)));
      List<RunMachine.Action> resumed = apply(after, new RunMachine.Resume(T0.plusSeconds(60)));

      // then the step is not run again, its stage's session is ended, and the run ends cancelled
      assertThat(only(resumed, RunMachine.Execute.class)).isEmpty();
      assertThat(only(resumed, RunMachine.EndSession.class)).containsExactly(new RunMachine.EndSession("Serve"));
      RunResult result = after.result().orElseThrow();
      assertThat(result.status()).isEqualTo(RunResult.Status.CANCELLED);
      assertThat(result.stage("Serve").orElseThrow().steps()).extracting(RunResult.StepResult::status)
          .containsExactly(RunResult.Status.CANCELLED);
      assertThat(result.stage("After").orElseThrow().status()).isNotEqualTo(RunResult.Status.SUCCEEDED);
    }

    @Test
    void should_skip_what_follows_a_failed_stage_and_say_why() {
      // given
      RunMachine machine = machine(plan(sh("Build", "make"), sh("Test", "make test")), false);
      RunMachine.Execute build = only(apply(machine, new RunMachine.Start(T0, List.of())), RunMachine.Execute.class)
          .get(0);

      // when
      List<RunMachine.Action> actions = apply(machine, new RunMachine.OpDone(T0, "Build", build.op(), exit(2)));

      // then
      RunResult result = machine.result().orElseThrow();
      assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
      assertThat(result.stage("Build").orElseThrow().reason()).contains("step 1 'make' exited with 2");
      assertThat(result.stage("Test").orElseThrow().reason()).contains("its dependency 'Build' failed");
      assertThat(only(actions, RunMachine.StageRecorded.class)).hasSize(2);
    }

    @Test
    void should_retry_a_failed_step_after_its_backoff_on_a_timer() {
      // given
      Stage flaky = Stage.builder("Flaky").addSteps(ShStep.of("curl it").retry(1, Duration.ofSeconds(10)))
          .build();
      RunMachine machine = machine(plan(flaky), true);
      RunMachine.Execute first = only(apply(machine, new RunMachine.Start(T0, List.of())), RunMachine.Execute.class)
          .get(0);

      // when
      List<RunMachine.Action> failed = apply(machine, new RunMachine.OpDone(T0, "Flaky", first.op(), exit(7)));
      List<RunMachine.Action> fired = apply(machine, new RunMachine.TimerFired(T0.plusSeconds(10), "retry:Flaky"));

      // then
      assertThat(only(failed, RunMachine.SetTimer.class)).containsExactly(new RunMachine.SetTimer("retry:Flaky",
          T0.plusSeconds(10)));
      assertThat(events(failed)).singleElement().isInstanceOfSatisfying(RunEvent.Warning.class,
          w -> assertThat(w.message()).isEqualTo("step 1 'curl it' exited with 7; retry 1 of 1 in PT10S"));
      assertThat(only(fired, RunMachine.Execute.class)).containsExactly(first);
    }

    @Test
    void should_stop_a_stage_that_runs_past_its_timeout_and_fail_it_with_that_reason() {
      // given
      Stage slow = Stage.builder("Slow").addSteps(ShStep.of("sleep 600")).timeout(Duration.ofMinutes(5)).build();
      RunMachine machine = machine(plan(slow), true);
      List<RunMachine.Action> started = apply(machine, new RunMachine.Start(T0, List.of()));
      RunMachine.Execute sleep = only(started, RunMachine.Execute.class).get(0);

      // when
      List<RunMachine.Action> fired = apply(machine, new RunMachine.TimerFired(T0.plus(Duration.ofMinutes(5)),
          "timeout:Slow"));
      apply(machine, new RunMachine.OpDone(T0.plus(Duration.ofMinutes(5)), "Slow", sleep.op(),
          new RunMachine.Outcome(RunResult.Status.CANCELLED, OptionalInt.empty(), "was stopped")));

      // then
      assertThat(only(started, RunMachine.SetTimer.class)).containsExactly(new RunMachine.SetTimer("timeout:Slow",
          T0.plus(Duration.ofMinutes(5))));
      assertThat(only(fired, RunMachine.Stop.class)).containsExactly(new RunMachine.Stop(Optional.of("Slow")));
      RunResult.StageResult result = machine.result().orElseThrow().stage("Slow").orElseThrow();
      assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
      assertThat(result.reason()).contains("the stage timed out after PT5M");
    }

    @Test
    void should_stop_every_running_stage_when_one_fails_and_the_run_fails_fast() {
      // given
      RunMachine machine = machine(plan(Stage.builder("Checks").parallel(true).addStages(sh("Lint", "lint"),
          sh("Unit", "unit")).build()), true);
      List<RunMachine.Execute> running = only(apply(machine, new RunMachine.Start(T0, List.of())),
          RunMachine.Execute.class);

      // when
      List<RunMachine.Action> failed = apply(machine, new RunMachine.OpDone(T0, running.get(0).stage(),
          running.get(0).op(), exit(1)));
      apply(machine, new RunMachine.OpDone(T0, running.get(1).stage(), running.get(1).op(),
          new RunMachine.Outcome(RunResult.Status.CANCELLED, OptionalInt.empty(), "was stopped")));

      // then
      assertThat(running).hasSize(2);
      assertThat(only(failed, RunMachine.Stop.class)).containsExactly(new RunMachine.Stop(Optional.empty()));
      RunResult result = machine.result().orElseThrow();
      assertThat(result.stage(running.get(1).stage()).orElseThrow().reason())
          .contains("stopped: the run stopped after stage '" + running.get(0).stage() + "' failed");
    }

    @Test
    void should_let_the_other_children_of_a_group_that_keeps_going_finish_and_name_the_ones_that_failed() {
      // given
      Stage projects = Stage.builder("Projects").parallel(true).keepsGoing(true).addStages(sh("api", "make"),
          sh("web", "npm test")).build();
      RunMachine machine = machine(plan(projects), true);
      List<RunMachine.Execute> running = only(apply(machine, new RunMachine.Start(T0, List.of())),
          RunMachine.Execute.class);

      // when
      List<RunMachine.Action> failed = apply(machine, new RunMachine.OpDone(T0, "Projects > api", running.get(0).op(),
          exit(2)));
      apply(machine, new RunMachine.OpDone(T0.plusSeconds(9), "Projects > web", running.get(1).op(), exit(0)));

      // then
      assertThat(only(failed, RunMachine.Stop.class)).isEmpty();
      RunResult result = machine.result().orElseThrow();
      assertThat(result.stage("Projects > web").orElseThrow().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(result.stage("Projects").orElseThrow().reason()).contains("a child stage failed: 'Projects > api'");
    }

    @Test
    void should_stop_a_group_that_keeps_going_too_when_the_run_fails_fast_everywhere() {
      // given
      Stage projects = Stage.builder("Projects").parallel(true).keepsGoing(true).addStages(sh("api", "make"),
          sh("web", "npm test")).build();
      RunMachine machine = RunMachine.builder("run-1", plan(projects))
          .failurePolicy(FailurePolicy.FAIL_FAST_EVERYWHERE).build();
      List<RunMachine.Execute> running = only(apply(machine, new RunMachine.Start(T0, List.of())),
          RunMachine.Execute.class);

      // when
      List<RunMachine.Action> failed = apply(machine, new RunMachine.OpDone(T0, "Projects > api", running.get(0).op(),
          exit(2)));

      // then
      assertThat(only(failed, RunMachine.Stop.class)).containsExactly(new RunMachine.Stop(Optional.empty()));
    }

    @Test
    void should_refuse_a_decision_by_someone_not_allowed_and_one_for_an_approval_that_ended() {
      // given
      Stage deploy = Stage.builder("Deploy").addEnter(ApprovalGate.of("Ship it?").approvers("alice")
          .timeout(Duration.ofHours(1))).addSteps(ShStep.of("./deploy")).build();
      RunMachine machine = machine(plan(deploy), true);
      apply(machine, new RunMachine.Start(T0, List.of()));
      String wait = machine.pendingWaits().get(0).id();

      // when
      RunMachine.Decide byBob = new RunMachine.Decide(T0, wait, Decision.approve("bob"));
      apply(machine, new RunMachine.TimerFired(T0.plus(Duration.ofHours(1)), "wait:" + wait));
      RunMachine.Decide late = new RunMachine.Decide(T0.plus(Duration.ofHours(2)), wait, Decision.approve("alice"));

      // then
      assertThat(machine.refusal(byBob)).isPresent().get().extracting(WaitRefusedException::reason)
          .isEqualTo(WaitRefusedException.Reason.NOT_ALLOWED);
      assertThatThrownBy(() -> apply(machine, late)).isInstanceOfSatisfying(WaitRefusedException.class,
          e -> assertThat(e.reason()).isEqualTo(WaitRefusedException.Reason.EXPIRED));
      assertThat(machine.result().orElseThrow().stage("Deploy").orElseThrow().reason())
          .contains("the approval 'Ship it?' timed out after PT1H");
    }

    @Test
    void should_ask_again_for_the_op_in_flight_when_a_replayed_run_resumes() {
      // given
      RunnablePlan plan = plan(sh("Build", "make", "make install"));
      RunMachine first = machine(plan, true);
      RunMachine.Execute make = only(apply(first, new RunMachine.Start(T0, List.of())), RunMachine.Execute.class)
          .get(0);
      RunMachine.OpDone made = new RunMachine.OpDone(T0.plusSeconds(1), "Build", make.op(), exit(0));
      RunMachine.Execute install = only(apply(first, made), RunMachine.Execute.class).get(0);

      // when
      RunMachine second = machine(plan, true);
      apply(second, new RunMachine.Start(T0, List.of()));
      apply(second, made);
      List<RunMachine.Action> resumed = apply(second, new RunMachine.Resume(T0.plusSeconds(60)));

      // then
      assertThat(only(resumed, RunMachine.Execute.class)).containsExactly(install);
      assertThat(events(resumed)).singleElement().isInstanceOf(RunEvent.StepStarted.class);
    }
  }

  // ------------------------------------------------------------------ properties

  @Provide
  Arbitrary<List<Integer>> recipes() {
    return Arbitraries.integers().between(0, 1000).list().ofMinSize(5).ofMaxSize(60);
  }

  @Property(tries = 300)
  void every_run_ends_with_exactly_one_result_per_stage_in_plan_order(@ForAll("recipes") List<Integer> recipe,
      @ForAll long seed, @ForAll boolean failFast) {
    World world = World.of(recipe, seed, failFast);

    world.runToTheEnd();

    RunResult result = world.machine.result().orElseThrow();
    assertThat(result.stages()).extracting(RunResult.StageResult::id)
        .containsExactlyElementsOf(world.plan.stages().stream().map(PlannedStage::id).toList());
    assertThat(world.events.get(0)).isInstanceOf(RunEvent.RunStarted.class);
    assertThat(world.events.get(world.events.size() - 1)).isInstanceOf(RunEvent.RunFinished.class);
    assertThat(world.events.stream().filter(RunEvent.RunFinished.class::isInstance)).hasSize(1);
  }

  @Property(tries = 300)
  void a_stage_starts_only_after_its_dependencies_ended_and_its_group_started(
      @ForAll("recipes") List<Integer> recipe, @ForAll long seed, @ForAll boolean failFast) {
    World world = World.of(recipe, seed, failFast);

    world.runToTheEnd();

    Set<String> ended = new HashSet<>();
    Set<String> begun = new HashSet<>();
    Map<String, PlannedStage> stages = new HashMap<>();
    world.plan.stages().forEach(s -> stages.put(s.id(), s));
    for (RunEvent event : world.events) {
      if (event instanceof RunEvent.StageStarted started) {
        PlannedStage stage = stages.get(started.stage());
        assertThat(ended).as("what '%s' depends on", stage.id()).containsAll(stage.dependsOn());
        stage.parent().ifPresent(parent -> assertThat(begun).as("the group of '%s'", stage.id()).contains(parent));
        begun.add(stage.id());
      } else if (event instanceof RunEvent.StageFinished finished) {
        ended.add(finished.stage());
      } else if (event instanceof RunEvent.StageSkipped skipped) {
        ended.add(skipped.stage());
      }
    }
  }

  @Property(tries = 200)
  void the_same_inputs_give_the_same_actions_so_a_replay_rebuilds_the_run(@ForAll("recipes") List<Integer> recipe,
      @ForAll long seed, @ForAll boolean failFast) {
    World world = World.of(recipe, seed, failFast);
    world.runToTheEnd();

    RunMachine again = machine(world.plan, failFast);
    List<List<RunMachine.Action>> replayed = new ArrayList<>();
    for (RunMachine.Input input : world.inputs) {
      replayed.add(again.apply(input));
    }

    assertThat(replayed).isEqualTo(world.answers);
    assertThat(again.result()).isEqualTo(world.machine.result());
  }

  @Property(tries = 200)
  void nothing_new_starts_after_a_stage_failed_in_a_run_that_fails_fast(@ForAll("recipes") List<Integer> recipe,
      @ForAll long seed) {
    World world = World.of(recipe, seed, true);

    world.runToTheEnd();

    Map<String, PlannedStage> stages = new HashMap<>();
    world.plan.stages().forEach(s -> stages.put(s.id(), s));
    boolean failed = false;
    for (RunEvent event : world.events) {
      if (event instanceof RunEvent.StageFinished finished && (finished.status() == RunResult.Status.FAILED
          || finished.status() == RunResult.Status.CANCELLED) && !insideAGroupThatKeepsGoing(stages,
              stages.get(finished.stage()))) {
        failed = true;
      } else if (event instanceof RunEvent.StageStarted started) {
        assertThat(failed).as("'%s' started after a failure", started.stage()).isFalse();
      }
    }
  }

  private static boolean insideAGroupThatKeepsGoing(Map<String, PlannedStage> stages, PlannedStage stage) {
    for (Optional<String> up = stage.parent(); up.isPresent(); up = stages.get(up.get()).parent()) {
      if (stages.get(up.get()).ops().stream().anyMatch(op -> op instanceof Op.AwaitChildren children
          && children.keepsGoing())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Valid pipelines from a recipe of integers, with what the machine decides on: groups in order
   * and in parallel, groups that keep going, matrices, dependencies by {@code after}, stages the
   * plan skips, approvals, webhooks and polls, retries, timeouts and notifications.
   */
  static final class Plans {
    private final List<Integer> recipe;
    private int at;
    private int names;
    private final List<StagePath> done = new ArrayList<>();

    Plans(List<Integer> recipe) {
      this.recipe = recipe;
    }

    private int next(int bound) {
      int value = recipe.isEmpty() ? 0 : recipe.get(at++ % recipe.size());
      return Math.floorMod(value + at, bound);
    }

    Pipeline pipeline() {
      Pipeline.Builder p = Pipeline.builder("random");
      int stages = 1 + next(5);
      for (int i = 0; i < stages; i++) {
        Stage stage = stage(null, 0);
        p.addStages(stage);
        done.add(StagePath.of(stage.name()));
      }
      return p.build();
    }

    private Stage stage(StagePath parent, int depth) {
      String name = "S" + names++;
      StagePath path = parent == null ? StagePath.of(name) : parent.child(name);
      Stage.Builder stage = Stage.builder(name);
      int kind = depth < 2 ? next(4) : 0;
      if (kind == 1 || kind == 2) {
        stage.parallel(kind == 2).keepsGoing(next(3) == 0);
        int children = 1 + next(3);
        for (int i = 0; i < children; i++) {
          stage.addStages(stage(path, depth + 1));
        }
        return stage.build();
      }
      stage.addSteps(next(4) == 0 ? ShStep.of("flaky").retry(1 + next(2), Duration.ofSeconds(1 + next(30)))
          : ShStep.of("step"));
      if (next(3) == 0) {
        stage.addSteps(ShStep.of("more"));
      }
      switch (next(8)) {
        case 0 -> stage.addEnter(ApprovalGate.of("go?").timeout(Duration.ofMinutes(1 + next(60))));
        case 1 -> stage.addEnter(WebhookGate.of("scanned").timeout(Duration.ofMinutes(1 + next(60))));
        case 2 -> stage.addExit(PollGate.of("up", ShStep.of("probe")).every(Duration.ofSeconds(10))
            .timeout(Duration.ofMinutes(1 + next(10))));
        default -> { }
      }
      if (next(4) == 0) {
        stage.timeout(Duration.ofMinutes(1 + next(30)));
      }
      if (next(4) == 0) {
        stage.addOnFailure(ShStep.of("tell")).addAlways(ShStep.of("clean"));
      }
      if (next(5) == 0) {
        stage.when(Condition.branch().is("release"));
      }
      if (next(4) == 0 && kind == 3) {
        stage.matrix(Matrix.builder().putAxes("jdk", List.of("17", "21")).build());
      }
      if (parent == null && !done.isEmpty() && next(3) == 0) {
        stage.addAfter(done.get(next(done.size())));
      }
      return stage.build();
    }
  }

  /**
   * A random world around a machine: ops end in any order and any way, timers fire in time order,
   * approvals are decided, webhooks called, and now and then the host cancels.
   */
  static final class World {
    final RunnablePlan plan;
    final RunMachine machine;
    final Random random;
    final List<RunMachine.Input> inputs = new ArrayList<>();
    final List<List<RunMachine.Action>> answers = new ArrayList<>();
    final List<RunEvent> events = new ArrayList<>();
    final Map<String, RunMachine.Execute> inFlight = new LinkedHashMap<>();
    final Map<String, RunMachine.Probe> probes = new LinkedHashMap<>();
    final Map<String, Instant> timers = new LinkedHashMap<>();
    final Set<String> sessions = new java.util.LinkedHashSet<>();
    final Set<String> stopped = new HashSet<>();
    boolean stoppedAll;
    Instant now = T0;

    private World(RunnablePlan plan, long seed, boolean failFast) {
      this.plan = plan;
      this.machine = machine(plan, failFast);
      this.random = new Random(seed);
    }

    static World of(List<Integer> recipe, long seed, boolean failFast) {
      Plan plan = Planner.plan(new Plans(recipe).pipeline(), RunContext.branch("main"));
      return new World(RunnablePlan.of(plan), seed, failFast);
    }

    void runToTheEnd() {
      feed(new RunMachine.Start(now, List.of()));
      for (int moves = 0; !machine.finished(); moves++) {
        assertThat(moves).as("the run ends").isLessThan(100_000);
        move();
      }
      assertThat(inFlight).as("ops in flight at the end").isEmpty();
      assertThat(sessions).as("sessions not ended at the end").isEmpty();
    }

    private void move() {
      List<Runnable> choices = new ArrayList<>();
      inFlight.values().forEach(op -> choices.add(() -> {
        inFlight.remove(op.stage());
        // As the local engine's pool: an op stopped before a thread took it does not start, and
        // one that starts is not always told.
        boolean halted = stoppedAll || stopped.contains(op.stage());
        if (!halted && random.nextInt(5) > 0) {
          feed(new RunMachine.OpStarted(now, op.stage(), op.op()));
        }
        RunMachine.Outcome outcome = halted
            ? new RunMachine.Outcome(RunResult.Status.CANCELLED, OptionalInt.empty(), "was stopped")
            : random.nextInt(5) == 0 ? exit(1) : exit(0);
        feed(new RunMachine.OpDone(now, op.stage(), op.op(), outcome));
      }));
      sessions.forEach(stage -> choices.add(() -> {
        sessions.remove(stage);
        feed(new RunMachine.SessionEnded(now, stage, random.nextInt(3) == 0 ? 1 : 0));
      }));
      probes.values().forEach(probe -> choices.add(() -> {
        probes.remove(probe.stage());
        feed(new RunMachine.ProbeDone(now, probe.stage(), probe.op(), probe.attempt(), exit(random.nextInt(2))));
      }));
      for (PendingWait wait : machine.pendingWaits()) {
        if (wait.kind().equals("await-approval")) {
          String by = wait.approvers().isEmpty() ? "alice" : wait.approvers().get(0);
          choices.add(() -> feed(new RunMachine.Decide(now, wait.id(), random.nextBoolean() ? Decision.approve(by)
              : Decision.reject(by))));
        } else if (wait.kind().equals("await-webhook")) {
          choices.add(() -> feed(new RunMachine.Callback(now, wait.id(), "{}")));
        }
      }
      timers.entrySet().stream().min(Map.Entry.comparingByValue()).ifPresent(next -> choices.add(() -> {
        timers.remove(next.getKey());
        if (next.getValue().isAfter(now)) {
          now = next.getValue();
        }
        feed(new RunMachine.TimerFired(now, next.getKey()));
      }));
      if (random.nextInt(200) == 0) {
        choices.add(() -> feed(new RunMachine.Cancel(now)));
      }
      assertThat(choices).as("something can happen in an unfinished run").isNotEmpty();
      now = now.plusMillis(random.nextInt(1000));
      choices.get(random.nextInt(choices.size())).run();
    }

    private void feed(RunMachine.Input input) {
      List<RunMachine.Action> actions = machine.apply(input);
      inputs.add(input);
      answers.add(actions);
      for (RunMachine.Action action : actions) {
        if (action instanceof RunMachine.Execute execute) {
          assertThat(inFlight).as("one op at a time in a stage").doesNotContainKey(execute.stage());
          inFlight.put(execute.stage(), execute);
        } else if (action instanceof RunMachine.Probe probe) {
          probes.put(probe.stage(), probe);
        } else if (action instanceof RunMachine.EndSession end) {
          assertThat(inFlight).as("no op in flight when a stage's session ends").doesNotContainKey(end.stage());
          sessions.add(end.stage());
        } else if (action instanceof RunMachine.CloseWait close) {
          probes.remove(close.stage());
        } else if (action instanceof RunMachine.SetTimer set) {
          timers.put(set.id(), set.at());
        } else if (action instanceof RunMachine.CancelTimer cancel) {
          timers.remove(cancel.id());
        } else if (action instanceof RunMachine.Stop stop) {
          stop.stage().ifPresentOrElse(stopped::add, () -> stoppedAll = true);
        } else if (action instanceof RunMachine.Emit emit) {
          events.add(emit.event());
        }
      }
    }
  }
}

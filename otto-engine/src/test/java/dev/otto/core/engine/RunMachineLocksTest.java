package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.model.Environment;
import dev.otto.core.model.Lock;
import dev.otto.core.model.LockMode;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.plan.RunnablePlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Locks in the run machine alone: when it asks for them, gives them up, and what losing one does. */
class RunMachineLocksTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static RunnablePlan plan(Stage... stages) {
    return RunnablePlan.of(Planner.plan(Pipeline.builder("p").addStages(stages).build(), RunContext.branch("main")));
  }

  private static Stage deploy(LockMode mode) {
    return Stage.builder("Deploy").addLocks(new Lock("production", mode)).addSteps(ShStep.of("./deploy"))
        .addAlways(ShStep.of("./notify")).build();
  }

  private static RunMachine started(RunnablePlan plan, List<RunMachine.Action> into) {
    RunMachine machine = RunMachine.builder("run-1", plan).build();
    into.addAll(machine.apply(new RunMachine.Start(T0, List.of())));
    return machine;
  }

  private static <T extends RunMachine.Action> List<T> only(List<RunMachine.Action> actions, Class<T> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static RunMachine.Outcome exit(int code) {
    return new RunMachine.Outcome(code == 0 ? RunResult.Status.SUCCEEDED : RunResult.Status.CANCELLED,
        OptionalInt.of(code), code == 0 ? "exited with 0" : "was stopped");
  }

  /** Ends every process and session the actions ask for, as a driver would, until the run waits or ends. */
  private static List<RunMachine.Action> drive(RunMachine machine, List<RunMachine.Action> actions, int code) {
    List<RunMachine.Action> all = new ArrayList<>(actions);
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i) instanceof RunMachine.Execute execute) {
        all.addAll(machine.apply(new RunMachine.OpDone(T0, execute.stage(), execute.op(), exit(code))));
      } else if (all.get(i) instanceof RunMachine.EndSession end) {
        all.addAll(machine.apply(new RunMachine.SessionEnded(T0, end.stage(), 0)));
      }
    }
    return all;
  }

  @Test
  void should_ask_for_the_lock_before_the_first_step_and_give_it_up_when_the_stage_ends() {
    // given
    List<RunMachine.Action> start = new ArrayList<>();
    RunMachine machine = started(plan(deploy(LockMode.QUEUE)), start);

    // when
    List<RunMachine.Action> granted = drive(machine, machine.apply(new RunMachine.LockGranted(T0.plusSeconds(60),
        "Deploy", "production")), 0);

    // then
    assertThat(only(start, RunMachine.Execute.class)).isEmpty();
    assertThat(only(start, RunMachine.Acquire.class)).singleElement().satisfies(acquire -> {
      assertThat(acquire.lock().lock()).isEqualTo("production");
      assertThat(acquire.held()).isFalse();
    });
    assertThat(granted).filteredOn(a -> a instanceof RunMachine.Execute || a instanceof RunMachine.Release)
        .extracting(a -> a.getClass().getSimpleName()).containsExactly("Execute", "Execute", "Release");
    assertThat(only(granted, RunMachine.Emit.class)).extracting(RunMachine.Emit::event)
        .filteredOn(RunEvent.WaitEnded.class::isInstance).extracting(e -> ((RunEvent.WaitEnded) e).outcome())
        .containsExactly("granted");
    assertThat(machine.result().orElseThrow().status()).isEqualTo(RunResult.Status.SUCCEEDED);
  }

  @Test
  void should_skip_a_child_whose_first_op_had_not_started_when_a_newer_run_took_its_groups_lock() {
    // given: a group holding its lock, whose child's first step waits for the driver
    Stage release = Stage.builder("Release").addLocks(new Lock("production", LockMode.CANCEL_IN_PROGRESS))
        .addStages(Stage.builder("Ship").addSteps(ShStep.of("./ship")).build()).build();
    List<RunMachine.Action> start = new ArrayList<>();
    RunMachine machine = started(plan(release), start);
    List<RunMachine.Action> granted = machine.apply(new RunMachine.LockGranted(T0, "Release", "production"));
    RunMachine.Execute ship = only(granted, RunMachine.Execute.class).get(0);

    // when: a newer run takes the lock, and the driver, stopped, never starts the step
    List<RunMachine.Action> lost = machine.apply(new RunMachine.LockLost(T0, "Release", "production",
        Optional.of("run-2")));
    List<RunMachine.Action> ended = drive(machine, machine.apply(new RunMachine.OpDone(T0, ship.stage(), ship.op(),
        exit(1))), 0);

    // then: the child is skipped, named as never started, and the group is cancelled and gives its lock up
    assertThat(ship.stage()).isEqualTo("Release > Ship");
    assertThat(only(lost, RunMachine.Stop.class)).contains(new RunMachine.Stop(Optional.of("Release > Ship")));
    RunResult result = machine.result().orElseThrow();
    assertThat(result.stage("Release > Ship").orElseThrow().status()).isEqualTo(RunResult.Status.SKIPPED);
    assertThat(result.stage("Release > Ship").orElseThrow().reason()).hasValueSatisfying(reason ->
        assertThat(reason).contains("run-2"));
    assertThat(result.stage("Release").orElseThrow().status()).isEqualTo(RunResult.Status.CANCELLED);
    assertThat(only(ended, RunMachine.Emit.class)).extracting(RunMachine.Emit::event)
        .noneMatch(e -> e instanceof RunEvent.StageStarted started && started.stage().equals("Release > Ship"));
    assertThat(only(ended, RunMachine.Release.class)).isNotEmpty();
  }

  @Test
  void should_show_a_stage_waiting_for_its_lock_as_a_pending_wait_of_kind_lock() {
    // given
    List<RunMachine.Action> start = new ArrayList<>();

    // when
    RunMachine machine = started(plan(deploy(LockMode.QUEUE)), start);

    // then
    assertThat(machine.states()).containsEntry("Deploy", "waiting");
    assertThat(machine.pendingWaits()).singleElement().satisfies(wait -> {
      assertThat(wait.kind()).isEqualTo("lock");
      assertThat(wait.description()).isEqualTo("production");
      assertThat(wait.id()).isEqualTo("Deploy#lock-production");
    });
    assertThat(only(start, RunMachine.Emit.class)).extracting(RunMachine.Emit::event)
        .filteredOn(RunEvent.WaitStarted.class::isInstance).hasSize(1);
  }

  @Test
  void should_cancel_a_waiting_stage_naming_the_newer_run_when_superseded_and_still_run_its_notifications() {
    // given
    List<RunMachine.Action> start = new ArrayList<>();
    RunMachine machine = started(plan(deploy(LockMode.NEWEST_WINS)), start);

    // when
    List<RunMachine.Action> lost = drive(machine, machine.apply(new RunMachine.LockLost(T0, "Deploy", "production",
        Optional.of("run-2"))), 0);

    // then
    RunResult result = machine.result().orElseThrow();
    assertThat(result.stage("Deploy").orElseThrow().status()).isEqualTo(RunResult.Status.CANCELLED);
    assertThat(result.stage("Deploy").orElseThrow().reason())
        .contains("superseded by run 'run-2', which asked for the lock 'production' later");
    assertThat(only(lost, RunMachine.Execute.class)).extracting(e -> ((Op.RunProcess) e.what()).script())
        .containsExactly("./notify");
    assertThat(only(lost, RunMachine.Release.class)).isNotEmpty();
  }

  @Test
  void should_stop_the_holding_stage_and_give_the_lock_up_once_it_ended_when_a_newer_run_cancels_it() {
    // given
    List<RunMachine.Action> start = new ArrayList<>();
    RunMachine machine = started(plan(deploy(LockMode.CANCEL_IN_PROGRESS)), start);
    List<RunMachine.Action> granted = machine.apply(new RunMachine.LockGranted(T0, "Deploy", "production"));
    RunMachine.Execute running = only(granted, RunMachine.Execute.class).get(0);

    // when
    List<RunMachine.Action> lost = machine.apply(new RunMachine.LockLost(T0, "Deploy", "production",
        Optional.of("run-2")));
    List<RunMachine.Action> ended = drive(machine, machine.apply(new RunMachine.OpDone(T0, "Deploy", running.op(),
        exit(143))), 0);

    // then
    assertThat(lost).contains(new RunMachine.Stop(Optional.of("Deploy")));
    assertThat(only(lost, RunMachine.Release.class)).isEmpty();
    assertThat(only(ended, RunMachine.Release.class)).containsExactly(new RunMachine.Release("Deploy", "production"));
    assertThat(machine.result().orElseThrow().stage("Deploy").orElseThrow().reason())
        .contains("cancelled for run 'run-2', which asked for the lock 'production' and cancels the run in progress");
  }

  @Test
  void should_withdraw_the_request_when_the_run_is_cancelled_while_it_waits_for_the_lock() {
    // given
    List<RunMachine.Action> start = new ArrayList<>();
    RunMachine machine = started(plan(deploy(LockMode.QUEUE)), start);

    // when
    List<RunMachine.Action> cancelled = drive(machine, machine.apply(new RunMachine.Cancel(T0)), 0);

    // then
    assertThat(only(cancelled, RunMachine.Release.class)).first()
        .isEqualTo(new RunMachine.Release("Deploy", "production"));
    assertThat(machine.result().orElseThrow().status()).isEqualTo(RunResult.Status.CANCELLED);
  }

  @Test
  void should_ask_again_on_resume_for_the_locks_it_held_and_for_the_ones_it_waited_for() {
    // given
    Stage second = Stage.builder("Smoke").addLocks(Lock.queue("smoke")).addSteps(ShStep.of("./smoke")).build();
    RunnablePlan plan = plan(deploy(LockMode.QUEUE), second);
    RunMachine machine = RunMachine.builder("run-1", plan).build();
    machine.apply(new RunMachine.Start(T0, List.of()));
    machine.apply(new RunMachine.LockGranted(T0, "Deploy", "production"));

    // when
    List<RunMachine.Action> resumed = machine.apply(new RunMachine.Resume(T0.plusSeconds(5)));

    // then
    assertThat(only(resumed, RunMachine.Acquire.class)).extracting(a -> a.lock().lock() + " held=" + a.held())
        .containsExactly("production held=true");
    assertThat(machine.heldLocks()).containsEntry("Deploy", List.of("production"));
  }

  @Test
  void should_not_ask_again_for_a_step_in_flight_whose_lock_went_elsewhere_while_the_host_was_down() {
    // given
    List<RunMachine.Action> start = new ArrayList<>();
    RunMachine machine = started(plan(deploy(LockMode.QUEUE)), start);
    machine.apply(new RunMachine.LockGranted(T0, "Deploy", "production"));

    // when
    List<RunMachine.Action> lost = machine.apply(new RunMachine.LockLost(T0, "Deploy", "production",
        Optional.empty()));
    List<RunMachine.Action> resumed = machine.apply(new RunMachine.Resume(T0));

    // then
    assertThat(only(resumed, RunMachine.Execute.class)).extracting(e -> ((Op.RunProcess) e.what()).script())
        .containsExactly("./notify");
    assertThat(only(resumed, RunMachine.Acquire.class)).isEmpty();
    assertThat(only(lost, RunMachine.Emit.class)).extracting(RunMachine.Emit::event)
        .filteredOn(RunEvent.StepFinished.class::isInstance).singleElement()
        .satisfies(e -> assertThat(((RunEvent.StepFinished) e).status()).isEqualTo(RunResult.Status.CANCELLED));
    drive(machine, resumed, 0);
    assertThat(machine.result().orElseThrow().stage("Deploy").orElseThrow().reason())
        .contains("the lock 'production' went to another run while this one was not running");
  }

  @Test
  void should_hold_a_group_s_lock_while_its_children_run_and_have_them_not_take_it_again() {
    // given
    Environment production = Environment.builder("production").addLocks(Lock.queue("production")).build();
    Stage group = Stage.builder("Release").environment("production").addStages(
        Stage.builder("Deploy").addSteps(ShStep.of("./deploy")).build(),
        Stage.builder("Verify").addSteps(ShStep.of("./verify")).build()).build();
    RunnablePlan plan = RunnablePlan.of(Planner.plan(Pipeline.builder("p").addEnvironments(production)
        .addStages(group).build(), RunContext.branch("main")));
    List<RunMachine.Action> start = new ArrayList<>();
    RunMachine machine = started(plan, start);

    // when
    List<RunMachine.Action> all = drive(machine, machine.apply(new RunMachine.LockGranted(T0, "Release",
        "production")), 0);

    // then
    assertThat(only(start, RunMachine.Acquire.class)).extracting(RunMachine.Acquire::stage).containsExactly("Release");
    assertThat(all).filteredOn(a -> a instanceof RunMachine.Execute || a instanceof RunMachine.Release)
        .extracting(a -> a instanceof RunMachine.Execute e ? e.stage() : "release")
        .containsExactly("Release > Deploy", "Release > Verify", "release");
  }
}

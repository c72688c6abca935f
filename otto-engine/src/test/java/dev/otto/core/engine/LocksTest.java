package dev.otto.core.engine;

import static dev.otto.core.engine.WaitsTest.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Lock;
import dev.otto.core.model.LockMode;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs of the local engine racing for a lock. A deployment holds its lock while it waits for its
 * approval, so that the test decides when each lets go, without timing.
 */
class LocksTest {
  @TempDir
  Path dir;

  final List<RunEvent> events = new CopyOnWriteArrayList<>();
  final ManualScheduler time = new ManualScheduler();

  LocalEngine engine(Path root) {
    return LocalEngine.builder(root).parallelism(2).scheduler(time).listener(events::add)
        .executor(LocalProcessExecutor.builder().grace(Duration.ofMillis(300)).build()).build();
  }

  static Plan deploy(LockMode mode) {
    Stage stage = Stage.builder("Deploy").addLocks(new Lock("production", mode))
        .addEnter(ApprovalGate.of("Ship it?").timeout(Duration.ofDays(1))).addSteps(ShStep.of("true")).build();
    return Planner.plan(Pipeline.builder("p").addStages(stage).build(), RunContext.branch("main"));
  }

  /** The runs that got the lock, in the order they got it. */
  List<String> granted() {
    return events.stream().filter(e -> e instanceof RunEvent.WaitEnded ended && ended.outcome().equals("granted"))
        .map(RunEvent::run).toList();
  }

  static boolean waitsFor(RunHandle run, String kind) {
    return run.waits().stream().anyMatch(w -> w.kind().equals(kind));
  }

  static void approve(LocalEngine engine, RunHandle run) {
    until(() -> waitsFor(run, "await-approval"));
    engine.decide(run.id(), "Deploy#enter-1", Decision.approve("alice"));
  }

  static String reason(RunHandle run) {
    return run.result().join().stage("Deploy").orElseThrow().reason().orElse("");
  }

  @Nested
  class Modes {
    @Test
    void should_give_the_lock_in_the_order_the_runs_asked_for_it_when_they_queue() {
      // given
      LocalEngine engine = engine(dir.resolve("runs"));
      RunHandle first = engine.start(deploy(LockMode.QUEUE));
      until(() -> waitsFor(first, "await-approval"));
      RunHandle second = engine.start(deploy(LockMode.QUEUE));
      RunHandle third = engine.start(deploy(LockMode.QUEUE));

      // when
      approve(engine, first);
      approve(engine, second);
      approve(engine, third);

      // then
      assertThat(third.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(second.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(granted()).containsExactly(first.id(), second.id(), third.id());
    }

    @Test
    void should_show_a_run_waiting_for_the_lock_as_a_wait_and_a_waiting_stage() {
      // given
      LocalEngine engine = engine(dir.resolve("runs"));
      RunHandle first = engine.start(deploy(LockMode.QUEUE));
      until(() -> waitsFor(first, "await-approval"));

      // when
      RunHandle second = engine.start(deploy(LockMode.QUEUE));
      until(() -> waitsFor(second, "lock"));

      // then
      assertThat(second.waits()).singleElement().satisfies(wait -> {
        assertThat(wait.id()).isEqualTo("Deploy#lock-production");
        assertThat(wait.description()).isEqualTo("production");
      });
      assertThat(second.snapshot().stages()).containsEntry("Deploy", "waiting");
      assertThat(engine.waits()).extracting(PendingWait::kind).contains("lock", "await-approval");
      first.cancel();
      approve(engine, second);
      assertThat(second.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    }

    @Test
    void should_supersede_a_waiting_run_with_a_newer_one_naming_it_when_the_newest_wins() {
      // given
      LocalEngine engine = engine(dir.resolve("runs"));
      RunHandle first = engine.start(deploy(LockMode.NEWEST_WINS));
      until(() -> waitsFor(first, "await-approval"));
      RunHandle second = engine.start(deploy(LockMode.NEWEST_WINS));
      until(() -> waitsFor(second, "lock"));

      // when
      RunHandle third = engine.start(deploy(LockMode.NEWEST_WINS));
      approve(engine, first);
      approve(engine, third);

      // then
      assertThat(second.result().join().stage("Deploy").orElseThrow().status())
          .isEqualTo(RunResult.Status.CANCELLED);
      assertThat(reason(second)).isEqualTo("superseded by run '" + third.id()
          + "', which asked for the lock 'production' later");
      assertThat(third.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(granted()).containsExactly(first.id(), third.id());
    }

    @Test
    void should_cancel_the_holder_and_take_the_lock_once_it_ended_when_cancelling_in_progress() {
      // given
      LocalEngine engine = engine(dir.resolve("runs"));
      RunHandle first = engine.start(deploy(LockMode.CANCEL_IN_PROGRESS));
      until(() -> waitsFor(first, "await-approval"));

      // when
      RunHandle second = engine.start(deploy(LockMode.CANCEL_IN_PROGRESS));
      approve(engine, second);

      // then
      assertThat(first.result().join().stage("Deploy").orElseThrow().status()).isEqualTo(RunResult.Status.CANCELLED);
      assertThat(reason(first)).isEqualTo("cancelled for run '" + second.id()
          + "', which asked for the lock 'production' and cancels the run in progress");
      assertThat(second.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(granted()).containsExactly(first.id(), second.id());
    }

    @Test
    void should_withdraw_a_cancelled_run_s_request_so_that_the_next_one_gets_the_lock() {
      // given
      LocalEngine engine = engine(dir.resolve("runs"));
      RunHandle first = engine.start(deploy(LockMode.QUEUE));
      until(() -> waitsFor(first, "await-approval"));
      RunHandle second = engine.start(deploy(LockMode.QUEUE));
      RunHandle third = engine.start(deploy(LockMode.QUEUE));
      until(() -> waitsFor(second, "lock") && waitsFor(third, "lock"));

      // when
      second.cancel();
      second.result().join();
      approve(engine, first);
      approve(engine, third);

      // then
      assertThat(third.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(granted()).containsExactly(first.id(), third.id());
    }
  }

  /** Two engines sharing a runs folder, as two processes on one host would, share its locks. */
  @Nested
  class AcrossEngines {
    @Test
    void should_make_a_run_of_another_engine_wait_and_get_the_lock_when_it_next_checks() {
      // given
      LocalEngine one = engine(dir.resolve("runs"));
      LocalEngine two = engine(dir.resolve("runs"));
      RunHandle holder = one.start(deploy(LockMode.QUEUE));
      until(() -> waitsFor(holder, "await-approval"));
      RunHandle waiting = two.start(deploy(LockMode.QUEUE));
      until(() -> waitsFor(waiting, "lock"));

      // when
      approve(one, holder);
      until(() -> holder.result().isDone());
      time.advance(Duration.ofSeconds(5));

      // then
      approve(two, waiting);
      assertThat(waiting.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(granted()).containsExactly(holder.id(), waiting.id());
    }

    @Test
    void should_tell_a_holder_of_another_engine_to_give_way_when_it_next_checks() {
      // given
      LocalEngine one = engine(dir.resolve("runs"));
      LocalEngine two = engine(dir.resolve("runs"));
      RunHandle holder = one.start(deploy(LockMode.CANCEL_IN_PROGRESS));
      until(() -> waitsFor(holder, "await-approval"));
      RunHandle newer = two.start(deploy(LockMode.CANCEL_IN_PROGRESS));
      until(() -> waitsFor(newer, "lock"));

      // when
      time.advance(Duration.ofSeconds(5));
      until(() -> holder.result().isDone());
      time.advance(Duration.ofSeconds(5));

      // then
      approve(two, newer);
      assertThat(reason(holder)).startsWith("cancelled for run '" + newer.id() + "'");
      assertThat(newer.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    }
  }

  /**
   * A host that dies is simulated by copying the runs folder (journals, workspaces and the lock
   * table) into another at a chosen moment; the copy is what the dead host leaves, and no engine
   * holds the copied runs' leases.
   */
  @Nested
  class AfterACrash {
    Path crashed(LocalEngine engine, RunHandle run) throws Exception {
      Path copy = dir.resolve("after");
      WorkspaceOps.copyTree(dir.resolve("runs"), copy);
      run.cancel();
      run.result().join();
      return copy;
    }

    @Test
    void should_keep_the_lock_of_a_resumed_run_that_held_it() throws Exception {
      // given
      Plan plan = deploy(LockMode.QUEUE);
      LocalEngine before = engine(dir.resolve("runs"));
      RunHandle holder = before.start(plan);
      until(() -> waitsFor(holder, "await-approval"));
      LocalEngine after = engine(crashed(before, holder));

      // when
      RunHandle resumed = after.resume(holder.id(), plan);
      RunHandle next = after.start(plan);
      until(() -> waitsFor(next, "lock"));
      approve(after, resumed);
      approve(after, next);

      // then
      assertThat(resumed.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(next.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    }

    @Test
    void should_give_a_dead_run_s_lock_to_the_next_and_cancel_the_dead_run_s_stage_when_it_is_resumed()
        throws Exception {
      // given
      Plan plan = deploy(LockMode.QUEUE);
      LocalEngine before = engine(dir.resolve("runs"));
      RunHandle holder = before.start(plan);
      until(() -> waitsFor(holder, "await-approval"));
      LocalEngine after = engine(crashed(before, holder));

      // when
      RunHandle next = after.start(plan);
      until(() -> waitsFor(next, "await-approval"));
      RunHandle resumed = after.resume(holder.id(), plan);
      approve(after, next);

      // then
      assertThat(resumed.result().join().stage("Deploy").orElseThrow().status())
          .isEqualTo(RunResult.Status.CANCELLED);
      assertThat(reason(resumed)).isEqualTo("the lock 'production' went to another run while this one was not "
          + "running");
      assertThat(next.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    }

    @Test
    void should_keep_a_waiting_run_s_place_in_line_when_it_is_resumed_after_the_holder() throws Exception {
      // given
      Plan plan = deploy(LockMode.QUEUE);
      LocalEngine before = engine(dir.resolve("runs"));
      RunHandle holder = before.start(plan);
      until(() -> waitsFor(holder, "await-approval"));
      RunHandle waiting = before.start(plan);
      until(() -> waitsFor(waiting, "lock"));
      Path copy = dir.resolve("after");
      WorkspaceOps.copyTree(dir.resolve("runs"), copy);
      waiting.cancel();
      waiting.result().join();
      holder.cancel();
      holder.result().join();
      LocalEngine after = engine(copy);

      // when
      RunHandle resumedHolder = after.resume(holder.id(), plan);
      RunHandle resumedWaiting = after.resume(waiting.id(), plan);
      RunHandle newcomer = after.start(plan);
      until(() -> waitsFor(resumedWaiting, "lock") && waitsFor(newcomer, "lock"));
      approve(after, resumedHolder);
      approve(after, resumedWaiting);
      approve(after, newcomer);

      // then
      assertThat(newcomer.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(granted().subList(granted().size() - 2, granted().size()))
          .containsExactly(waiting.id(), newcomer.id());
    }
  }
}

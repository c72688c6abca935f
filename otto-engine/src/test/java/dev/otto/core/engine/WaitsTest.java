package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Gate;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.WebhookGate;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaitsTest {
  @TempDir
  Path root;

  final List<RunEvent> events = new CopyOnWriteArrayList<>();
  final ManualScheduler time = new ManualScheduler();

  LocalEngine engine() {
    return LocalEngine.builder(root.resolve("runs")).parallelism(2).scheduler(time).listener(events::add)
        .executor(LocalProcessExecutor.builder().grace(Duration.ofMillis(300)).build()).build();
  }

  static Plan plan(Stage... stages) {
    return Planner.plan(Pipeline.builder("p").addStages(stages).build(), RunContext.branch("main"));
  }

  static Stage gated(String name, Gate gate) {
    return Stage.builder(name).addEnter(gate).addSteps(ShStep.of("echo " + name + " ran")).build();
  }

  /** Waits, without asserting on time, for the engine's threads to reach a state. */
  static void until(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the engine did not reach the expected state");
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  <T extends RunEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<String> output() {
    return events(RunEvent.OutputLine.class).stream().map(RunEvent.OutputLine::line).toList();
  }

  @Nested
  class Approvals {
    @Test
    void should_pause_the_run_until_the_host_approves() {
      RunHandle run = engine().start(plan(gated("Deploy", ApprovalGate.of("Ship it?").timeout(Duration.ofHours(1)))));
      until(() -> !run.waits().isEmpty());

      PendingWait wait = run.waits().get(0);
      assertThat(wait.id()).isEqualTo("Deploy#enter-1");
      assertThat(wait.kind()).isEqualTo("await-approval");
      assertThat(wait.description()).isEqualTo("Ship it?");
      assertThat(wait.deadline()).isEqualTo(time.clock().instant().plus(Duration.ofHours(1)));
      assertThat(run.snapshot().stages()).containsEntry("Deploy", "waiting");
      assertThat(output()).isEmpty();

      run.decide(wait.id(), Decision.approve("alice").withComment("looks good"));

      RunResult result = run.result().join();
      assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(output()).containsExactly("Deploy ran");
      assertThat(events(RunEvent.WaitEnded.class)).singleElement().satisfies(e -> {
        assertThat(e.outcome()).isEqualTo("approved");
        assertThat(e.by()).contains("alice");
        assertThat(e.comment()).contains("looks good");
      });
    }

    @Test
    void should_fail_the_stage_and_skip_what_follows_when_rejected() {
      Stage deploy = gated("Deploy", ApprovalGate.of("Ship it?").timeout(Duration.ofHours(1)));
      Stage after = Stage.builder("After").addSteps(ShStep.of("echo after")).build();
      LocalEngine engine = engine();
      RunHandle run = engine.start(plan(deploy, after));
      until(() -> !run.waits().isEmpty());

      engine.decide(run.id(), "Deploy#enter-1", Decision.reject("bob").withComment("staging is broken"));

      RunResult result = run.result().join();
      assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
      assertThat(result.stage("Deploy").orElseThrow().reason())
          .contains("the approval 'Ship it?' was rejected by bob: staging is broken");
      assertThat(result.stage("After").orElseThrow().status()).isEqualTo(RunResult.Status.SKIPPED);
      assertThat(output()).isEmpty();
    }

    @Test
    void should_refuse_a_decision_from_someone_not_allowed_and_keep_waiting() {
      RunHandle run = engine().start(plan(gated("Deploy",
          ApprovalGate.of("Ship it?").approvers("alice", "carol").timeout(Duration.ofHours(1)))));
      until(() -> !run.waits().isEmpty());

      assertThatThrownBy(() -> run.decide("Deploy#enter-1", Decision.approve("mallory")))
          .isInstanceOf(WaitRefusedException.class)
          .hasMessageContaining("'mallory' may not decide approval 'Ship it?'")
          .hasMessageContaining("alice, carol")
          .extracting(e -> ((WaitRefusedException) e).reason()).isEqualTo(WaitRefusedException.Reason.NOT_ALLOWED);
      assertThat(run.waits()).hasSize(1);
      assertThat(run.waits().get(0).approvers()).containsExactly("alice", "carol");

      run.decide("Deploy#enter-1", Decision.approve("carol"));
      assertThat(run.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThatThrownBy(() -> run.decide("Deploy#enter-1", Decision.approve("carol")))
          .isInstanceOf(WaitRefusedException.class);
    }

    @Test
    void should_refuse_decisions_for_unknown_runs_and_waits() {
      LocalEngine engine = engine();
      RunHandle run = engine.start(plan(gated("Deploy", ApprovalGate.of("Ship it?").timeout(Duration.ofHours(1)))));
      until(() -> !run.waits().isEmpty());

      assertThatThrownBy(() -> engine.decide("no-such-run", "Deploy#enter-1", Decision.approve("a")))
          .extracting(e -> ((WaitRefusedException) e).reason()).isEqualTo(WaitRefusedException.Reason.UNKNOWN_RUN);
      assertThatThrownBy(() -> engine.decide(run.id(), "Deploy#exit-9", Decision.approve("a")))
          .hasMessageContaining("its pending waits are ['Deploy#enter-1']");
      run.cancel();
      assertThat(run.result().join().status()).isEqualTo(RunResult.Status.CANCELLED);
      assertThat(run.result().join().stage("Deploy").orElseThrow().status()).isEqualTo(RunResult.Status.CANCELLED);
    }

    @Test
    void should_fail_when_the_approval_times_out_unless_it_declares_to_go_on() {
      RunHandle failing = engine().start(plan(gated("Deploy", ApprovalGate.of("Ship it?").timeout(Duration.ofDays(1)))));
      until(() -> !failing.waits().isEmpty());
      time.advance(Duration.ofHours(23));
      assertThat(failing.waits()).hasSize(1);
      time.advance(Duration.ofHours(1));

      assertThat(failing.result().join().stage("Deploy").orElseThrow().reason())
          .contains("the approval 'Ship it?' timed out after PT24H");

      RunHandle going = engine().start(plan(gated("Deploy",
          ApprovalGate.of("Ship it?").timeout(Duration.ofDays(1)).onTimeout(Gate.OnTimeout.CONTINUE))));
      until(() -> !going.waits().isEmpty());
      time.advance(Duration.ofDays(2));

      assertThat(going.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(events(RunEvent.Warning.class)).extracting(RunEvent.Warning::message)
          .contains("the approval 'Ship it?' timed out after PT24H; the stage goes on, as the wait declares");
    }
  }

  @Nested
  class Refusals {
    final Stage later = gated("Later", ApprovalGate.of("more?").timeout(Duration.ofHours(1)));

    WaitRefusedException refusal(Runnable decision) {
      return catchThrowableOfType(WaitRefusedException.class, decision::run);
    }

    @Test
    void should_refuse_a_second_decision_as_already_resolved_while_the_run_goes_on() {
      // given
      LocalEngine engine = engine();
      RunHandle run = engine.start(plan(gated("Deploy", ApprovalGate.of("Ship it?").timeout(Duration.ofHours(1))),
          later));
      until(() -> !run.waits().isEmpty());
      run.decide("Deploy#enter-1", Decision.approve("alice"));
      until(() -> run.waits().stream().anyMatch(w -> w.stage().equals("Later")));

      // when
      WaitRefusedException refused = refusal(() -> run.decide("Deploy#enter-1", Decision.reject("bob")));

      // then
      assertThat(refused).hasMessage("wait 'Deploy#enter-1' of run '" + run.id() + "' was approved already; an "
          + "approval takes one decision");
      assertThat(refused.reason()).isEqualTo(WaitRefusedException.Reason.ALREADY_RESOLVED);
      assertThat(run.waits()).extracting(PendingWait::id).containsExactly("Later#enter-1");
      run.cancel();
      run.result().join();
    }

    @Test
    void should_refuse_a_decision_on_an_approval_that_timed_out_as_expired() {
      // given
      LocalEngine engine = engine();
      RunHandle run = engine.start(plan(gated("Deploy", ApprovalGate.of("Ship it?").timeout(Duration.ofHours(1))
          .onTimeout(Gate.OnTimeout.CONTINUE)), later));
      until(() -> !run.waits().isEmpty());
      time.advance(Duration.ofHours(2));
      until(() -> run.waits().stream().anyMatch(w -> w.stage().equals("Later")));

      // when
      WaitRefusedException refused = refusal(() -> run.decide("Deploy#enter-1", Decision.approve("alice")));

      // then
      assertThat(refused).hasMessage("wait 'Deploy#enter-1' of run '" + run.id() + "' timed out; a late decision "
          + "changes nothing");
      assertThat(refused.reason()).isEqualTo(WaitRefusedException.Reason.EXPIRED);
      run.cancel();
      run.result().join();
    }

    @Test
    void should_name_the_kind_of_a_webhook_or_a_poll_that_is_given_a_decision() {
      // given
      LocalEngine engine = engine();
      RunHandle verifying = engine.start(plan(gated("Verify", WebhookGate.of("health").timeout(Duration.ofHours(1)))));
      RunHandle probing = engine.start(plan(gated("Probe", PollGate.of("up", ShStep.of("false"))
          .every(Duration.ofMinutes(1)).timeout(Duration.ofHours(1)))));
      until(() -> !verifying.waits().isEmpty() && !probing.waits().isEmpty());

      // when
      WaitRefusedException webhook = refusal(() -> verifying.decide("Verify#enter-1", Decision.approve("alice")));
      WaitRefusedException poll = refusal(() -> probing.decide("Probe#enter-1", Decision.approve("alice")));

      // then
      assertThat(webhook).hasMessage("wait 'Verify#enter-1' of run '" + verifying.id() + "' is a webhook, not an "
          + "approval; a webhook ends with a callback carrying its token");
      assertThat(webhook.reason()).isEqualTo(WaitRefusedException.Reason.WRONG_KIND);
      assertThat(poll).hasMessage("wait 'Probe#enter-1' of run '" + probing.id() + "' is a poll, not an approval; "
          + "a poll ends when its probe succeeds");
      assertThat(poll.reason()).isEqualTo(WaitRefusedException.Reason.WRONG_KIND);
      assertThat(verifying.waits()).hasSize(1);
      assertThat(probing.waits()).hasSize(1);
      verifying.cancel();
      probing.cancel();
      verifying.result().join();
      probing.result().join();
    }
  }

  @Nested
  class Webhooks {
    String token() {
      until(() -> !events(RunEvent.WaitStarted.class).isEmpty());
      return events(RunEvent.WaitStarted.class).get(0).token().orElseThrow();
    }

    @Test
    void should_resolve_the_wait_with_its_token_once() {
      LocalEngine engine = engine();
      RunHandle run = engine.start(plan(gated("Verify", WebhookGate.of("Health check").timeout(Duration.ofMinutes(30)))));
      until(() -> !run.waits().isEmpty());
      String token = token();
      assertThat(token).hasSize(43);
      assertThat(events(RunEvent.WaitStarted.class).get(0).toString()).doesNotContain(token).contains("token=***");

      assertThatThrownBy(() -> engine.callback(token + "x", "{}"))
          .extracting(e -> ((WaitRefusedException) e).reason()).isEqualTo(WaitRefusedException.Reason.UNKNOWN_TOKEN);
      assertThat(run.waits()).hasSize(1);

      PendingWait resolved = engine.callback(token, "{\"status\":\"up\"}");
      assertThat(resolved.id()).isEqualTo("Verify#enter-1");
      assertThat(run.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThat(output()).containsExactly("Verify ran");
    }

    @Test
    void should_refuse_a_reused_token_and_say_so() {
      Stage first = gated("One", WebhookGate.of("first").timeout(Duration.ofMinutes(30)));
      Stage second = Stage.builder("Two").addEnter(ApprovalGate.of("more?").timeout(Duration.ofHours(1)))
          .addSteps(ShStep.of("true")).build();
      LocalEngine engine = engine();
      RunHandle run = engine.start(plan(first, second));
      until(() -> !run.waits().isEmpty());
      String token = token();
      engine.callback(token, "");
      until(() -> run.waits().stream().anyMatch(w -> w.stage().equals("Two")));

      assertThatThrownBy(() -> engine.callback(token, ""))
          .hasMessageContaining("was used already")
          .extracting(e -> ((WaitRefusedException) e).reason())
          .isEqualTo(WaitRefusedException.Reason.ALREADY_RESOLVED);
      assertThat(run.waits()).extracting(PendingWait::stage).containsExactly("Two");
      run.cancel();
      run.result().join();
    }

    @Test
    void should_refuse_an_expired_token_and_change_nothing() {
      Stage first = Stage.builder("One").addEnter(WebhookGate.of("first").timeout(Duration.ofMinutes(30))
          .onTimeout(Gate.OnTimeout.CONTINUE)).addSteps(ShStep.of("true")).build();
      Stage second = Stage.builder("Two").addEnter(ApprovalGate.of("more?").timeout(Duration.ofHours(1)))
          .addSteps(ShStep.of("true")).build();
      LocalEngine engine = engine();
      RunHandle run = engine.start(plan(first, second));
      until(() -> !run.waits().isEmpty());
      String token = token();
      time.advance(Duration.ofMinutes(31));
      until(() -> run.waits().stream().anyMatch(w -> w.stage().equals("Two")));

      assertThatThrownBy(() -> engine.callback(token, ""))
          .extracting(e -> ((WaitRefusedException) e).reason()).isEqualTo(WaitRefusedException.Reason.EXPIRED);
      assertThat(run.waits()).extracting(PendingWait::stage).containsExactly("Two");
      run.decide("Two#enter-1", Decision.approve("x"));
      assertThat(run.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      assertThatThrownBy(() -> engine.callback(token, ""))
          .extracting(e -> ((WaitRefusedException) e).reason()).isEqualTo(WaitRefusedException.Reason.UNKNOWN_TOKEN);
    }

    @Test
    void should_refuse_a_payload_over_64_kib() {
      assertThatThrownBy(() -> engine().callback("t", "x".repeat(64 * 1024 + 1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 65536");
    }
  }

  @Nested
  class Polls {
    @Test
    void should_repeat_the_probe_at_its_interval_until_it_succeeds() throws Exception {
      Path ready = root.resolve("ready");
      PollGate poll = PollGate.of("service is up", ShStep.of("test -f '" + ready + "'"))
          .every(Duration.ofMinutes(1)).backoff(2.0, Duration.ofMinutes(3)).timeout(Duration.ofHours(1));
      RunHandle run = engine().start(plan(gated("Deploy", poll)));
      until(() -> events(RunEvent.PollAttempt.class).size() == 1);
      time.advance(Duration.ofMinutes(1));
      until(() -> events(RunEvent.PollAttempt.class).size() == 2);
      time.advance(Duration.ofMinutes(1));
      assertThat(events(RunEvent.PollAttempt.class)).hasSize(2);
      time.advance(Duration.ofMinutes(1));
      until(() -> events(RunEvent.PollAttempt.class).size() == 3);
      Files.createFile(ready);
      time.advance(Duration.ofMinutes(3));

      assertThat(run.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
      List<RunEvent.PollAttempt> attempts = events(RunEvent.PollAttempt.class);
      assertThat(attempts).extracting(RunEvent.PollAttempt::succeeded).containsExactly(false, false, false, true);
      assertThat(attempts.get(0).next()).contains(attempts.get(0).at().plus(Duration.ofMinutes(1)));
      assertThat(attempts.get(1).next()).contains(attempts.get(1).at().plus(Duration.ofMinutes(2)));
      assertThat(attempts.get(2).next()).contains(attempts.get(2).at().plus(Duration.ofMinutes(3)));
      assertThat(output()).containsExactly("Deploy ran");
    }

    @Test
    void should_keep_the_journal_small_through_a_30_day_window_polled_every_minute() throws Exception {
      java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();
      dev.otto.core.executor.Executor instant = new dev.otto.core.executor.Executor() {
        @Override
        public String name() {
          return "instant";
        }

        @Override
        public java.util.Optional<String> whyNot(dev.otto.core.model.Runtime runtime) {
          return java.util.Optional.empty();
        }

        @Override
        public dev.otto.core.executor.ProcessOutcome run(dev.otto.core.executor.ProcessRequest request,
            java.util.function.Consumer<String> lines, dev.otto.core.executor.Cancellation cancellation) {
          probes.incrementAndGet();
          return new dev.otto.core.executor.ProcessOutcome(dev.otto.core.executor.ProcessOutcome.Status.FAILED,
              java.util.OptionalInt.of(1), Duration.ZERO, "exited with 1");
        }
      };
      java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
      LocalEngine engine = LocalEngine.builder(root.resolve("runs")).parallelism(1).scheduler(time).executor(instant)
          .listener(e -> {
            if (e instanceof RunEvent.PollAttempt) {
              attempts.incrementAndGet();
            }
          }).build();
      PollGate poll = PollGate.of("approved in the ticket system", ShStep.of("check-ticket"))
          .every(Duration.ofMinutes(1)).timeout(Duration.ofDays(30));
      RunHandle run = engine.start(plan(gated("Deploy", poll)));

      int minutes = (int) Duration.ofDays(30).toMinutes();
      for (int minute = 1; minute <= minutes; minute++) {
        int expected = minute;
        until(() -> attempts.get() == expected);
        time.advance(Duration.ofMinutes(1));
      }

      RunResult result = run.result().join();
      assertThat(result.stage("Deploy").orElseThrow().reason())
          .contains("the poll 'approved in the ticket system' timed out after PT720H");
      assertThat(probes.get()).isEqualTo(minutes);
      long size = Files.size(root.resolve("runs").resolve(run.id()).resolve("journal.log"));
      assertThat(size).isLessThan(1024 * 1024).isLessThan(4096);
    }

    @Test
    void should_fail_when_the_deadline_passes() {
      PollGate poll = PollGate.of("never", ShStep.of("false")).every(Duration.ofMinutes(10))
          .timeout(Duration.ofMinutes(25));
      RunHandle run = engine().start(plan(gated("Deploy", poll)));
      for (int attempt = 1; attempt <= 3; attempt++) {
        int expected = attempt;
        until(() -> events(RunEvent.PollAttempt.class).size() == expected);
        time.advance(Duration.ofMinutes(10));
      }

      RunResult result = run.result().join();
      assertThat(result.stage("Deploy").orElseThrow().reason()).contains("the poll 'never' timed out after PT25M");
      assertThat(events(RunEvent.PollAttempt.class)).hasSize(3).last()
          .satisfies(last -> assertThat(last.next()).isEmpty());
    }
  }

  @Test
  void should_end_a_wait_when_a_parallel_stage_fails_the_run() {
    Stage group = Stage.builder("Checks").parallel(true).addStages(
        gated("Waiting", ApprovalGate.of("ok?").timeout(Duration.ofHours(1))),
        Stage.builder("Broken").addSteps(ShStep.of("exit 1")).build()).build();
    RunHandle run = engine().start(plan(group));

    RunResult result = run.result().join();

    assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(result.stage("Checks > Broken").orElseThrow().status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(result.stage("Checks > Waiting").orElseThrow().status()).isIn(RunResult.Status.CANCELLED,
        RunResult.Status.SKIPPED);
    assertThat(run.waits()).isEmpty();
    assertThat(output()).doesNotContain("Waiting ran");
  }

  @Test
  void should_hold_no_thread_for_a_waiting_run() {
    int before = Thread.activeCount();
    LocalEngine engine = engine();
    Plan plan = plan(gated("Deploy", ApprovalGate.of("Ship it?").timeout(Duration.ofHours(1))));
    List<RunHandle> runs = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      runs.add(engine.start(plan));
    }
    until(() -> runs.stream().allMatch(r -> !r.waits().isEmpty()));

    assertThat(Thread.activeCount() - before).as("threads the engine added for 200 waiting runs")
        .isLessThanOrEqualTo(2);
    assertThat(engine.waits()).hasSize(200);

    runs.forEach(r -> r.decide("Deploy#enter-1", Decision.approve("x")));
    assertThat(runs).allSatisfy(r -> assertThat(r.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED));
    assertThat(engine.waits()).isEmpty();
  }

  @Test
  void should_end_a_wait_when_the_stage_times_out() {
    Stage stage = Stage.builder("Deploy").timeout(Duration.ofMinutes(5))
        .addEnter(ApprovalGate.of("Ship it?").timeout(Duration.ofHours(1))).addSteps(ShStep.of("true")).build();
    RunHandle run = engine().start(plan(stage));
    until(() -> !run.waits().isEmpty());
    time.advance(Duration.ofMinutes(5));

    RunResult result = run.result().join();
    assertThat(result.stage("Deploy").orElseThrow().status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(result.stage("Deploy").orElseThrow().reason()).contains("the stage timed out after PT5M");
  }

  @Test
  void should_wait_on_parallel_stages_independently() {
    Stage group = Stage.builder("Checks").parallel(true).addStages(
        gated("A", ApprovalGate.of("a?").timeout(Duration.ofHours(1))),
        gated("B", ApprovalGate.of("b?").timeout(Duration.ofHours(1)))).build();
    LocalEngine engine = engine();
    RunHandle run = engine.start(plan(group));
    until(() -> run.waits().size() == 2);
    assertThat(engine.waits()).extracting(PendingWait::id).containsExactly("Checks > A#enter-1", "Checks > B#enter-1");

    run.decide("Checks > B#enter-1", Decision.approve("x"));
    until(() -> run.waits().size() == 1);
    run.decide("Checks > A#enter-1", Decision.approve("x"));

    assertThat(run.result().join().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactlyInAnyOrder("A ran", "B ran");
  }
}

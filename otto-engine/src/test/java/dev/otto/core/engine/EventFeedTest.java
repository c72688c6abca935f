package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Listeners see every event in order, and a slow listener never holds up a step. */
@EnabledOnOs(OS.LINUX)
class EventFeedTest {
  @TempDir
  Path root;

  /** Stops at the first output line until released, then records every event. */
  private static final class StuckListener implements RunListener {
    final CountDownLatch release = new CountDownLatch(1);
    final List<RunEvent> seen = new ArrayList<>();

    @Override
    public void onEvent(RunEvent event) {
      if (event instanceof RunEvent.OutputLine && seen.stream().noneMatch(RunEvent.OutputLine.class::isInstance)) {
        try {
          release.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      seen.add(event);
    }

    List<String> lines() {
      return seen.stream().filter(RunEvent.OutputLine.class::isInstance).map(e -> ((RunEvent.OutputLine) e).line())
          .toList();
    }
  }

  @Test
  void should_let_a_step_print_all_its_output_while_a_listener_is_stuck_and_then_give_it_every_line_in_order()
      throws Exception {
    // given a listener stuck on the first line, and a step printing far more than the feed keeps in memory
    StuckListener listener = new StuckListener();
    int count = 300_000;
    String padding = "x".repeat(40);
    Stage stage = Stage.builder("Print").addSteps(ShStep.of(
        "seq 1 " + count + " | sed 's/$/ " + padding + "/'; touch printed-everything")).build();
    LocalEngine engine = LocalEngine.builder(root).listener(listener)
        .executor(LocalProcessExecutor.builder().build()).build();

    // when the run starts
    RunHandle run = engine.start(Planner.plan(Pipeline.builder("p").addStages(stage).build(), RunContext.branch("main")));

    // then the step prints everything and goes on while the listener is stuck
    Path printed = root.resolve(run.id()).resolve("workspace").resolve("printed-everything");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!Files.exists(printed) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(printed).as("the step ran to its end while the listener was stuck").exists();
    assertThat(run.result()).isNotDone();
    assertThat(root.resolve(run.id()).resolve("output.spool")).as("what the listener has not taken is spooled")
        .exists();

    // and once the listener goes on, it gets every line, in order, before the run's end
    listener.release.countDown();
    RunResult result = run.result().get(2, TimeUnit.MINUTES);
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    List<String> lines = listener.lines();
    assertThat(lines).hasSize(count);
    for (int i = 0; i < count; i++) {
      if (!lines.get(i).equals((i + 1) + " " + padding)) {
        throw new AssertionError("line " + (i + 1) + " is '" + lines.get(i) + "'");
      }
    }
    assertThat(listener.seen.get(listener.seen.size() - 1)).isInstanceOf(RunEvent.RunFinished.class);
    assertThat(listener.seen).filteredOn(RunEvent.StepFinished.class::isInstance).singleElement()
        .satisfies(finished -> assertThat(listener.seen.indexOf(finished)).isGreaterThan(count));
    assertThat(root.resolve(run.id()).resolve("output.spool")).as("the spool is gone once read").doesNotExist();
  }
}

package dev.otto.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.temporal.internal.Messages;
import dev.otto.temporal.internal.PollWorkflowImpl;
import dev.otto.temporal.internal.RunWorkflow;
import dev.otto.temporal.internal.RunWorkflowImpl;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Histories recorded from the examples' runs (approvals, callbacks, polls that continued as new,
 * failures, two task queues, a cancelled run) replay with the workflow code as it is now. A change
 * to the workflow that would break the runs in progress on a cluster fails here. Record them anew
 * with {@code mvn -pl otto-temporal test -Dotto.temporal.record=src/test/resources/histories}
 * when a change is meant to break them, and version the workflow so that running workflows keep
 * their old path.
 */
class ReplayTest {
  static final List<String> HISTORIES = List.of("cancelled-run", "failing-run", "gated-run", "handover-run",
      "matrix-run", "polled-poll", "polled-run", "secretive-run", "webapp-run");

  static List<String> histories() {
    return HISTORIES;
  }

  @ParameterizedTest
  @MethodSource("histories")
  void a_recorded_history_replays(String name) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history(name), RunWorkflowImpl.class, PollWorkflowImpl.class);
  }

  @Test
  void recorded_histories_hold_no_secret_value() throws IOException {
    for (String name : HISTORIES) {
      assertThat(history(name)).as(name).doesNotContain("canary-");
    }
  }

  @Test
  void a_workflow_that_runs_a_plan_differently_does_not_replay() {
    assertThatThrownBy(() -> WorkflowReplayer.replayWorkflowExecution(history("webapp-run"), Skipping.class))
        .hasMessageContaining("NonDeterministicException");
  }

  private static String history(String name) throws IOException {
    try (InputStream in = ReplayTest.class.getResourceAsStream("/histories/" + name + ".json")) {
      return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A run workflow changed the wrong way: it ends at once, where the recorded one ran activities. */
  public static class Skipping implements RunWorkflow {
    @Override
    public Messages.RunRecord run(Messages.RunInput input) {
      return new Messages.RunRecord(input.runId(), "", "SUCCEEDED", 0, List.of());
    }

    @Override
    public void decide(Messages.DecideRequest request) {}

    @Override
    public void validateDecide(Messages.DecideRequest request) {}

    @Override
    public void callback(Messages.CallbackRequest request) {}

    @Override
    public void validateCallback(Messages.CallbackRequest request) {}

    @Override
    public void cancel() {}

    @Override
    public void lockNotice(Messages.LockNotice notice) {}

    @Override
    public Messages.RunView view() {
      return new Messages.RunView("", "", "running", java.util.Map.of(), List.of());
    }

    @Override
    public List<Messages.EventRecord> events(int from) {
      return List.of();
    }
  }
}

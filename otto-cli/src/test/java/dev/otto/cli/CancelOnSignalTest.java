package dev.otto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.Decision;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunResult;
import dev.otto.core.engine.RunSnapshot;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What the command says when asked twice to stop: a second signal leaves at once, and says how to go on. */
class CancelOnSignalTest {
  @Test
  void should_name_the_folder_in_the_resume_command_a_second_signal_prints() {
    // given a run of the folder 'my project' that is being cancelled
    Path dir = Path.of("my project");
    try (CancelOnSignal signals = CancelOnSignal.install(new PrintStream(OutputStream.nullOutputStream()),
        id -> RunCommand.EngineOptions.goOnCommand("resume", id, dir))) {
      signals.cancels(running("20260101-120000-0a1b2c3d"));

      // when
      String note = signals.leavingNote("INT");

      // then the command it names works as printed, from any folder
      assertThat(note).isEqualTo("otto: SIGINT again: leaving now; to take the run up again and stop what it left "
          + "running: otto resume 20260101-120000-0a1b2c3d 'my project' (with the options given here)");
    }
  }

  @Test
  void should_leave_out_the_folder_when_it_is_the_current_one() {
    assertThat(RunCommand.EngineOptions.goOnCommand("resume", "20260101-120000-0a1b2c3d", Path.of(".")))
        .isEqualTo("otto resume 20260101-120000-0a1b2c3d");
  }

  /** A run that has not ended. */
  private static RunHandle running(String id) {
    return new RunHandle() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public void cancel() {}

      @Override
      public CompletableFuture<RunResult> result() {
        return new CompletableFuture<>();
      }

      @Override
      public List<PendingWait> waits() {
        return List.of();
      }

      @Override
      public void decide(String waitId, Decision decision) {}

      @Override
      public RunSnapshot snapshot() {
        throw new UnsupportedOperationException("not asked for here");
      }
    };
  }
}

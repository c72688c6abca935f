package dev.otto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String shown() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static RunEvent.OutputLine line(int n) {
    return new RunEvent.OutputLine("r", AT, "Build", 1, "line " + n);
  }

  @Test
  void writes_the_lines_gathered_at_each_flush_and_draws_the_running_stages_once_below_them() {
    // given a live display with a stage running
    Progress progress = new Progress(terminal, true, false, false);
    progress.onEvent(new RunEvent.StageStarted("r", AT, "Build", "local"));
    progress.tick();
    String before = shown();

    // when a thousand lines come between two flushes
    IntStream.rangeClosed(1, 1000).forEach(n -> progress.onEvent(line(n)));
    String gathered = shown();
    progress.tick();
    String flushed = shown().substring(before.length());

    // then nothing was written before the flush, and the flush wrote the block's erasure, the lines, and the block
    assertThat(before).endsWith("Build  0.0s\n").doesNotContain("line");
    assertThat(gathered).isEqualTo(before);
    String lines = IntStream.rangeClosed(1, 1000).mapToObj(n -> "  Build | line " + n + "\n")
        .collect(Collectors.joining());
    assertThat(flushed).startsWith("\033[1F\033[J" + lines).matches("(?s).*\\n\\| Build  \\d+\\.\\ds\\n")
        .containsOnlyOnce("\033[1F");
  }

  @Test
  void writes_plain_lines_when_not_a_terminal_and_everything_at_close() {
    // given
    Progress progress = new Progress(terminal, false, false, false);

    // when
    progress.onEvent(new RunEvent.StageStarted("r", AT, "Build", "local"));
    progress.onEvent(line(1));
    progress.tick();
    progress.onEvent(line(2));
    progress.onEvent(new RunEvent.StageFinished("r", AT, "Build", RunResult.Status.SUCCEEDED, Duration.ofMillis(1200)));
    String beforeClose = shown();
    progress.close();

    // then
    assertThat(beforeClose).isEqualTo("> Build\n  Build | line 1\n");
    assertThat(shown()).isEqualTo("> Build\n  Build | line 1\n  Build | line 2\nok  Build  1.2s\n");
  }
}

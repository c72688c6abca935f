package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.journal.JournalException;
import dev.otto.core.plan.RunContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which journals a resume reads, and how it replays those an earlier version of Otto wrote. */
class RecoveryFormatTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static String header(String format) {
    String header = Recovery.header("run-1", "p", "sha256:abc", T0, null, Optional.empty(), RunContext.branch("main"),
        List.of(), List.of());
    return header.replace("\"format\":\"" + Recovery.FORMAT + "\"", "\"format\":\"" + format + "\"");
  }

  @Test
  void should_replay_a_journal_of_this_format_with_stages_that_start_with_their_first_op() {
    Recovery recovery = Recovery.read("run-1", List.of(header(Recovery.FORMAT)));

    assertThat(recovery.startsWhenReady).isFalse();
  }

  @Test
  void should_replay_a_journal_of_format_2_with_stages_that_start_when_their_turn_comes_as_its_machine_did() {
    Recovery recovery = Recovery.read("run-1", List.of(header("2")));

    assertThat(header("2")).contains("\"format\":\"2\"");
    assertThat(recovery.startsWhenReady).isTrue();
  }

  @Test
  void should_refuse_a_journal_of_an_older_format_saying_an_earlier_version_wrote_it() {
    assertThatThrownBy(() -> Recovery.read("run-1", List.of(header("1"))))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("written by an earlier version of Otto");
  }

  @Test
  void should_read_a_blank_branch_or_tag_an_earlier_run_recorded_as_none() {
    // given a header as a run given a blank branch and tag wrote it, before contexts refused them
    String header = header(Recovery.FORMAT).replace("\"branch\":\"main\"", "\"branch\":\" \",\"tag\":\"\"");

    // when
    Recovery recovery = Recovery.read("run-1", List.of(header));

    // then
    assertThat(header).contains("\"branch\":\" \"");
    assertThat(recovery.branch).isEmpty();
    assertThat(recovery.tag).isEmpty();
  }
}

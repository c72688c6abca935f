package dev.otto.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {
  @TempDir
  Path root;

  Path file(String run) {
    return root.resolve(run).resolve("journal.log");
  }

  @Test
  void should_give_back_what_was_appended_in_order() {
    FileJournal journal = FileJournal.in(root);
    try (RunLog log = journal.create("r1")) {
      log.append("{\"t\":\"one\"}");
      log.append("two, with ünïcode");
      log.sync();
      log.append("three");
    }
    try (RunLog log = journal.open("r1")) {
      assertThat(log.entries()).containsExactly("{\"t\":\"one\"}", "two, with ünïcode", "three");
      log.append("four");
    }
    assertThat(journal.read("r1")).containsExactly("{\"t\":\"one\"}", "two, with ünïcode", "three", "four");
  }

  @Test
  void should_sync_in_background_once_for_every_request_made_before_the_sync_began() throws Exception {
    // given a journal whose background syncs of a log begin at most once every two seconds, and a first sync
    FileJournal journal = FileJournal.in(root).spaced(java.time.Duration.ofSeconds(2));
    try (RunLog log = journal.create("r1")) {
      log.append("zero");
      log.syncAsync().get(30, java.util.concurrent.TimeUnit.SECONDS);

      // when two entries ask for a background sync, one after the other
      log.append("one");
      java.util.concurrent.CompletableFuture<Void> first = log.syncAsync();
      log.append("two");
      java.util.concurrent.CompletableFuture<Void> second = log.syncAsync();

      // then one sync answers both, once it has run
      assertThat(second).isSameAs(first);
      first.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(journal.read("r1")).containsExactly("zero", "one", "two");
      log.append("three");
      assertThat(log.syncAsync()).isNotSameAs(first);
    }
  }

  @Test
  void should_append_and_sync_for_an_interrupted_thread_and_keep_its_interrupt() throws Exception {
    // given a log, and a thread that was interrupted
    FileJournal journal = FileJournal.in(root);
    try (RunLog log = journal.create("r1")) {
      boolean[] kept = new boolean[1];
      Thread interrupted = new Thread(() -> {
        Thread.currentThread().interrupt();
        log.append("from an interrupted thread");
        log.sync();
        kept[0] = Thread.currentThread().isInterrupted();
      });

      // when it appends and syncs, and another thread does after it
      interrupted.start();
      interrupted.join();
      log.append("after it");
      log.sync();

      // then both entries were written, and the thread is still interrupted
      assertThat(kept[0]).isTrue();
    }
    assertThat(journal.read("r1")).containsExactly("from an interrupted thread", "after it");
  }

  @Test
  void should_refuse_a_spacing_of_background_syncs_out_of_its_range() {
    FileJournal journal = FileJournal.in(root);
    assertThatThrownBy(() -> journal.batched(java.time.Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 0 to 1 s");
    assertThatThrownBy(() -> journal.batched(java.time.Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 0 to 1 s, not PT2S");
    assertThat(journal.batched(java.time.Duration.ZERO)).isNotNull();
  }

  @Test
  void should_write_entries_appended_together_in_order_or_not_at_all() {
    FileJournal journal = FileJournal.in(root);
    try (RunLog log = journal.create("r1")) {
      log.append("first");
      log.append(java.util.List.of("second", "third, with ünïcode", "fourth"));
      assertThatThrownBy(() -> log.append(java.util.List.of("fifth", "six\nth")))
          .isInstanceOf(IllegalArgumentException.class);
      log.append(java.util.List.of());
      log.append(java.util.List.of("last"));
    }
    assertThat(journal.read("r1")).containsExactly("first", "second", "third, with ünïcode", "fourth", "last");
  }

  @Test
  void should_give_the_lease_to_one_holder_at_a_time() {
    FileJournal journal = FileJournal.in(root);
    RunLog first = journal.create("r1");
    assertThatThrownBy(() -> journal.open("r1"))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("run 'r1' is held by another engine")
        .extracting(e -> ((JournalException) e).reason()).isEqualTo(JournalException.Reason.LEASED);
    assertThatThrownBy(() -> FileJournal.in(root).open("r1"))
        .extracting(e -> ((JournalException) e).reason()).isEqualTo(JournalException.Reason.LEASED);
    assertThat(journal.read("r1")).isEmpty();
    first.close();
    journal.open("r1").close();
  }

  @Test
  void should_refuse_to_create_a_run_twice_or_open_a_missing_one() {
    FileJournal journal = FileJournal.in(root);
    journal.create("r1").close();
    assertThatThrownBy(() -> journal.create("r1"))
        .extracting(e -> ((JournalException) e).reason()).isEqualTo(JournalException.Reason.EXISTS);
    assertThatThrownBy(() -> journal.open("r2"))
        .hasMessageContaining("run 'r2' has no journal")
        .extracting(e -> ((JournalException) e).reason()).isEqualTo(JournalException.Reason.NOT_FOUND);
    assertThatThrownBy(() -> journal.read("r2")).isInstanceOf(JournalException.class);
  }

  @Test
  void should_drop_a_torn_last_entry_and_go_on_from_the_one_before() throws Exception {
    FileJournal journal = FileJournal.in(root);
    try (RunLog log = journal.create("r1")) {
      log.append("one");
      log.append("two");
    }
    byte[] whole = Files.readAllBytes(file("r1"));
    Files.write(file("r1"), "1234abcd thr".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    assertThat(journal.read("r1")).containsExactly("one", "two");

    try (RunLog log = journal.open("r1")) {
      assertThat(log.entries()).containsExactly("one", "two");
      assertThat(Files.readAllBytes(file("r1"))).isEqualTo(whole);
      log.append("three");
    }
    assertThat(journal.read("r1")).containsExactly("one", "two", "three");
  }

  @Test
  void should_drop_a_last_entry_whose_checksum_does_not_match() throws Exception {
    FileJournal journal = FileJournal.in(root);
    try (RunLog log = journal.create("r1")) {
      log.append("one");
      log.append("two");
    }
    String text = Files.readString(file("r1"));
    Files.writeString(file("r1"), text.substring(0, text.length() - 2) + "X\n");
    assertThat(journal.open("r1").entries()).containsExactly("one");
  }

  @Test
  void should_refuse_a_journal_damaged_before_its_last_entry() throws Exception {
    FileJournal journal = FileJournal.in(root);
    try (RunLog log = journal.create("r1")) {
      log.append("one");
      log.append("two");
      log.append("three");
    }
    String text = Files.readString(file("r1"));
    Files.writeString(file("r1"), text.replace(" two", " tw0"));
    assertThatThrownBy(() -> journal.open("r1"))
        .hasMessageContaining("entry 2 of the journal of run 'r1'")
        .hasMessageContaining("is damaged and whole entries follow it")
        .extracting(e -> ((JournalException) e).reason()).isEqualTo(JournalException.Reason.CORRUPT);
    assertThat(Files.readString(file("r1"))).isEqualTo(text.replace(" two", " tw0"));
    journal.create("r2").close();
    journal.open("r2").close();
  }

  @Test
  void should_reject_entries_with_line_breaks_and_unsafe_run_ids() {
    FileJournal journal = FileJournal.in(root);
    try (RunLog log = journal.create("r1")) {
      assertThatThrownBy(() -> log.append("a\nb")).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> journal.create("../escape")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a run id");
    assertThatThrownBy(() -> journal.create("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Files.exists(root.resolveSibling("escape"))).isFalse();
  }
}

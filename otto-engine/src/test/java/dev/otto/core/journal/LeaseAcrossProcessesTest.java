package dev.otto.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease holds between processes, which is what it is for: two engines on one run's journal. */
class LeaseAcrossProcessesTest {
  @TempDir
  Path root;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopHolders() throws InterruptedException {
    for (Process process : started) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void should_keep_the_lease_of_a_process_that_opened_an_existing_run() throws Exception {
    // given a run with entries, opened and held by another process
    FileJournal journal = FileJournal.in(root);
    try (RunLog log = journal.create("r1")) {
      log.append("one");
    }
    Holder other = hold("r1");
    assertThat(other.firstLine()).isEqualTo("held");

    // when this process and a third one try to open it
    // then both are refused
    assertThatThrownBy(() -> journal.open("r1"))
        .extracting(e -> ((JournalException) e).reason()).isEqualTo(JournalException.Reason.LEASED);
    assertThat(hold("r1").firstLine()).isEqualTo("LEASED");

    // and once the holder lets go, the run is this process's, with the holder's entry in it
    other.release();
    try (RunLog log = journal.open("r1")) {
      assertThat(log.entries()).containsExactly("one", "from the other process");
    }
  }

  @Test
  void should_keep_the_lease_when_the_holding_process_reads_the_journal_again() throws Exception {
    // given this process holds a run and reads its journal, as a report or a restart does
    FileJournal journal = FileJournal.in(root);
    journal.create("r1").close();
    try (RunLog log = journal.open("r1")) {
      log.append("one");
      assertThat(journal.read("r1")).containsExactly("one");
      assertThatThrownBy(() -> journal.open("r1"))
          .extracting(e -> ((JournalException) e).reason()).isEqualTo(JournalException.Reason.LEASED);

      // when another process tries to take it
      // then it is refused
      assertThat(hold("r1").firstLine()).isEqualTo("LEASED");
    }
    assertThat(hold("r1").firstLine()).isEqualTo("held");
  }

  private Holder hold(String runId) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), LeaseHolder.class.getName(), root.toString(), runId)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    started.add(process);
    return new Holder(process);
  }

  private record Holder(Process process) {
    String firstLine() throws IOException {
      var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      return reader.readLine();
    }

    void release() throws Exception {
      process.getOutputStream().close();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the holder ended").isTrue();
      assertThat(process.exitValue()).isZero();
    }
  }
}

package dev.otto.core.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A second JVM for the lease tests: opens a run's journal, says {@code held} or the reason it was
 * refused on its standard output, then holds the lease until its standard input closes.
 */
public final class LeaseHolder {
  private LeaseHolder() {}

  public static void main(String[] args) throws IOException {
    FileJournal journal = FileJournal.in(Path.of(args[0]));
    RunLog log;
    try {
      log = journal.open(args[1]);
    } catch (JournalException e) {
      System.out.println(e.reason());
      System.out.flush();
      return;
    }
    System.out.println("held");
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the lease until the test closes this process's input
    }
    log.append("from the other process");
    log.close();
  }
}

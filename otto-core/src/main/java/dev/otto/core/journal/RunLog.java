package dev.otto.core.journal;

import java.util.List;

/**
 * The journal of one run while its holder has the lease. Appending is cheap and may be
 * buffered; {@link #sync()} makes everything appended so far durable, and is what the engine
 * calls at op boundaries, before it acts on an outcome.
 */
public interface RunLog extends AutoCloseable {

  /** The run's id. */
  String runId();

  /** The entries found when the log was opened, in order; empty for a new run. */
  List<String> entries();

  /**
   * Appends one entry.
   *
   * @throws IllegalArgumentException if the entry holds a line break
   * @throws JournalException if it cannot be written
   */
  void append(String entry);

  /** Makes every appended entry durable: flushed and synced to storage. */
  void sync();

  /** Syncs and gives up the lease. */
  @Override
  void close();
}

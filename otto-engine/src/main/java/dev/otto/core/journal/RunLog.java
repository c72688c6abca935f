package dev.otto.core.journal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The journal of one run while its holder has the lease. Appending is cheap and may be
 * buffered; {@link #sync()} makes everything appended so far durable. The engine syncs at op
 * boundaries: an op's outcome is durable before the outcome of the next op is recorded, and
 * before the engine answers anyone outside (a decision, a callback, the run's end).
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

  /**
   * Starts making every appended entry durable and returns at once; the future completes when
   * they are. The engine uses it to overlap the sync of one op's outcome with the next op, and
   * waits for it before it records that op's outcome. By default it syncs in the caller.
   */
  default CompletableFuture<Void> syncAsync() {
    sync();
    return CompletableFuture.completedFuture(null);
  }

  /** Syncs and gives up the lease. */
  @Override
  void close();
}

package dev.otto.core.journal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The journal of one run while its holder has the lease. Appending is cheap and may be
 * buffered; {@link #sync()} makes everything appended so far durable. The engine syncs before it
 * answers anyone outside or acts on what must not happen twice (a decision, a callback, a saved
 * cache, the run's end), and asks for the outcomes of processes to be synced in the background
 * ({@link #syncAsync()}) while their stages go on.
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

  /**
   * Appends entries in order, as {@link #append(String)} does each; an implementation may write
   * them at once. An entry it refuses refuses the whole call, before anything is written.
   *
   * @throws IllegalArgumentException if an entry holds a line break
   * @throws JournalException if they cannot be written
   */
  default void append(List<String> entries) {
    entries.forEach(this::append);
  }

  /** Makes every appended entry durable: flushed and synced to storage. */
  void sync();

  /**
   * Starts making every appended entry durable and returns at once; the future completes when
   * they are. The engine does not wait for it: an entry lost with the machine before it is synced
   * is an outcome whose process runs again on resume. By default it syncs in the caller.
   */
  default CompletableFuture<Void> syncAsync() {
    sync();
    return CompletableFuture.completedFuture(null);
  }

  /** Syncs and gives up the lease. */
  @Override
  void close();
}

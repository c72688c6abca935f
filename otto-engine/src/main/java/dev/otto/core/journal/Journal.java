package dev.otto.core.journal;

import java.util.List;

/**
 * Where the engine records what a run has done, so that another engine can take the run over
 * after the host process died.
 *
 * <p>A journal stores, for each run, an append-only sequence of entries: single lines of text
 * that the engine writes and reads back. The journal knows nothing of their meaning; it keeps
 * them in order, makes them durable when asked, and gives one holder at a time the right to
 * append (a lease). Entries never contain secret values.
 *
 * <pre>{@code
 * Journal journal = FileJournal.in(Path.of("/var/lib/otto/runs"));
 * LocalEngine engine = LocalEngine.builder(root).journal(journal).build();
 * }</pre>
 *
 * <p>Implementations must be safe for use from several threads.
 */
public interface Journal {

  /**
   * Begins the journal of a new run and takes its lease.
   *
   * @throws JournalException if the run already has a journal, or it cannot be written
   */
  RunLog create(String runId);

  /**
   * Takes the lease on an existing run's journal to append to it, after reading its entries.
   *
   * @throws JournalException if the run has no journal, another holder has the lease, or the
   *     journal is damaged before its last entry
   */
  RunLog open(String runId);

  /**
   * Reads a run's entries without taking the lease, e.g. to restart a new run from a finished
   * one.
   *
   * @throws JournalException if the run has no journal or it is damaged before its last entry
   */
  List<String> read(String runId);
}

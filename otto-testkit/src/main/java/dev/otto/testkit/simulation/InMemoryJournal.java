package dev.otto.testkit.simulation;

import static java.util.Objects.requireNonNull;

import dev.otto.core.journal.Journal;
import dev.otto.core.journal.JournalException;
import dev.otto.core.journal.RunLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A journal in memory, for tests: it keeps entries for as long as it lives, gives one holder a
 * run at a time, and lets a test read what the engine journaled ({@link #entries}).
 */
public final class InMemoryJournal implements Journal {
  private final Map<String, List<String>> runs = new ConcurrentHashMap<>();
  private final Set<String> held = new HashSet<>();

  @Override
  public RunLog create(String runId) {
    requireNonNull(runId, "runId");
    if (runs.putIfAbsent(runId, new ArrayList<>()) != null) {
      throw new JournalException(JournalException.Reason.EXISTS, "run '" + runId + "' already has a journal");
    }
    return lease(runId, List.of());
  }

  @Override
  public RunLog open(String runId) {
    return lease(runId, entries(runId));
  }

  @Override
  public List<String> read(String runId) {
    return entries(runId);
  }

  /** A journal holding what this one holds now, with no run leased: what a host leaves when it goes away. */
  InMemoryJournal copy() {
    InMemoryJournal copy = new InMemoryJournal();
    runs.forEach((run, entries) -> {
      synchronized (entries) {
        copy.runs.put(run, new ArrayList<>(entries));
      }
    });
    return copy;
  }

  /** What the run's journal holds now. */
  public List<String> entries(String runId) {
    List<String> entries = runs.get(requireNonNull(runId, "runId"));
    if (entries == null) {
      throw new JournalException(JournalException.Reason.NOT_FOUND, "run '" + runId + "' has no journal");
    }
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  private RunLog lease(String runId, List<String> before) {
    synchronized (held) {
      if (!held.add(runId)) {
        throw new JournalException(JournalException.Reason.LEASED, "run '" + runId + "' is held by another engine");
      }
    }
    List<String> entries = runs.get(runId);
    return new RunLog() {
      private boolean closed;

      @Override
      public String runId() {
        return runId;
      }

      @Override
      public List<String> entries() {
        return before;
      }

      @Override
      public void append(String entry) {
        if (entry.indexOf('\n') >= 0) {
          throw new IllegalArgumentException("a journal entry is one line; this one holds a line break");
        }
        synchronized (entries) {
          if (closed) {
            throw new IllegalStateException("the journal of run '" + runId + "' was closed");
          }
          entries.add(entry);
        }
      }

      @Override
      public void sync() {}

      @Override
      public void close() {
        synchronized (entries) {
          if (closed) {
            return;
          }
          closed = true;
        }
        synchronized (held) {
          held.remove(runId);
        }
      }
    };
  }
}

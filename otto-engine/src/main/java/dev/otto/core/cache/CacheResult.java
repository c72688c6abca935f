package dev.otto.core.cache;

import static java.util.Objects.requireNonNull;

/**
 * What a restore or a save did. A store reports trouble here rather than throwing: a cache is an
 * optimisation, and a run goes on without it.
 *
 * @param status what happened
 * @param detail a sentence for the run's events and logs
 */
public record CacheResult(Status status, String detail) {

  /** What happened. */
  public enum Status {
    /** The entry was restored into the workspace. */
    HIT,
    /**
     * The key had no entry, and the newest entry of one of the cache's fallback keys was restored
     * instead; saving the cache afterwards writes the key's own entry.
     */
    FALLBACK_HIT,
    /** There was no entry for the key. */
    MISS,
    /** An entry was damaged; it was removed and treated as a miss. */
    CORRUPT,
    /** The paths were saved as the key's entry. */
    SAVED,
    /** The key already had an entry, which stays as it is for the rest of the run and later runs. */
    ALREADY_SAVED,
    /** The save or restore failed (a full disk, say); the run goes on without the cache. */
    FAILED
  }

  public CacheResult {
    requireNonNull(status, "status");
    requireNonNull(detail, "detail");
  }

  /** Whether the workspace now holds the cache's files. */
  public boolean restored() {
    return status == Status.HIT || status == Status.FALLBACK_HIT;
  }
}

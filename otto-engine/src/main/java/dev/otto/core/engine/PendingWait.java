package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A wait a run is blocked on.
 *
 * @param run the run's id
 * @param stage the stage that waits
 * @param id the wait's id in the plan, e.g. {@code Deploy > Production#enter-1}
 * @param kind {@code await-approval}, {@code await-webhook}, {@code poll} or {@code lock}
 * @param description the approval's prompt, what the webhook or poll is for, or the lock's name
 * @param approvers who may decide an approval; empty when anyone may
 * @param deadline when the wait times out
 */
public record PendingWait(String run, String stage, String id, String kind, String description,
    List<String> approvers, Instant deadline) {
  public PendingWait {
    requireNonNull(run, "run");
    requireNonNull(stage, "stage");
    requireNonNull(id, "id");
    requireNonNull(kind, "kind");
    requireNonNull(description, "description");
    approvers = List.copyOf(approvers);
    requireNonNull(deadline, "deadline");
  }
}

package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * Where a run is, at one moment.
 *
 * @param run the run's id
 * @param pipeline the pipeline's name
 * @param state {@code running}, or how it ended: {@code succeeded}, {@code failed}, {@code cancelled}
 * @param stages each stage's state, in plan order: {@code pending}, {@code running},
 *     {@code waiting}, or how it ended
 * @param waits the waits the run is blocked on
 */
public record RunSnapshot(String run, String pipeline, String state, Map<String, String> stages,
    List<PendingWait> waits) {
  public RunSnapshot {
    requireNonNull(run, "run");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(state, "state");
    stages = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stages));
    waits = List.copyOf(waits);
  }
}

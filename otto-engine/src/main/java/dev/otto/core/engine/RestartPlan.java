package dev.otto.core.engine;

import dev.otto.core.OttoException;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.StageStatus;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which stages a restart runs again and which it takes from the earlier run. Runs again: the
 * chosen stage, when one is, every stage inside it, every stage that depends on one that runs again, and
 * every stage that did not succeed before or whose definition changed; the groups around a stage
 * that runs again run too (their stages that need not run again are reused). Everything else is
 * reused with its recorded result.
 */
final class RestartPlan {
  private RestartPlan() {}

  /** @param fromStage the stage chosen to run again with what follows it; none: only what did not succeed */
  static Map<String, RunResult.StageResult> reused(Plan plan, Recovery before, Optional<String> fromStage) {
    Map<String, PlannedStage> byId = new LinkedHashMap<>();
    plan.stages().forEach(s -> byId.put(s.id(), s));
    Deque<String> todo = new ArrayDeque<>();
    fromStage.ifPresent(chosen -> {
      if (!byId.containsKey(chosen)) {
        throw new OttoException("the plan has no stage '" + chosen + "' to restart from; its stages are "
            + byId.keySet().stream().map(s -> "'" + s + "'").toList());
      }
      if (byId.get(chosen).status() == StageStatus.SKIP) {
        throw new OttoException("stage '" + chosen + "' is skipped by the plan (" + byId.get(chosen).reason()
            .orElse("") + "); restart from a stage that runs");
      }
      todo.add(chosen);
    });
    Map<String, List<String>> dependents = new HashMap<>();
    for (PlannedStage stage : plan.stages()) {
      stage.dependsOn().forEach(d -> dependents.computeIfAbsent(d, k -> new java.util.ArrayList<>()).add(stage.id()));
    }
    Set<String> again = new HashSet<>();
    Set<String> whole = new HashSet<>();
    for (PlannedStage stage : plan.stages()) {
      Recovery.StageRecord record = before.stages.get(stage.id());
      boolean usable = record != null && record.result != null && StageDigest.of(stage).equals(record.digest)
          && (record.result.status() == RunResult.Status.SUCCEEDED
              || record.result.status() == RunResult.Status.SKIPPED && stage.status() == StageStatus.SKIP);
      if (!usable && stage.status() != StageStatus.SKIP) {
        todo.add(stage.id());
      }
    }
    Deque<String> groups = new ArrayDeque<>();
    while (!todo.isEmpty() || !groups.isEmpty()) {
      if (!todo.isEmpty()) {
        String id = todo.poll();
        if (!whole.add(id)) {
          continue;
        }
        again.add(id);
        PlannedStage stage = byId.get(id);
        todo.addAll(stage.children());
        todo.addAll(dependents.getOrDefault(id, List.of()));
        stage.parent().ifPresent(groups::add);
      } else {
        String group = groups.poll();
        if (!again.add(group)) {
          continue;
        }
        todo.addAll(dependents.getOrDefault(group, List.of()));
        byId.get(group).parent().ifPresent(groups::add);
      }
    }
    Map<String, RunResult.StageResult> reused = new LinkedHashMap<>();
    for (PlannedStage stage : plan.stages()) {
      if (!again.contains(stage.id()) && stage.status() != StageStatus.SKIP) {
        reused.put(stage.id(), before.stages.get(stage.id()).result);
      }
    }
    return reused;
  }
}

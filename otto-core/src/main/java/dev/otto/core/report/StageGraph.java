package dev.otto.core.report;

import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stages a picture draws and the arrows between them: the stages that do work (not groups),
 * in columns by how many stages come before them, an arrow from each stage to those that wait
 * for it directly or through their groups.
 */
final class StageGraph {
  final List<PlannedStage> nodes = new ArrayList<>();
  final Map<String, Integer> column = new LinkedHashMap<>();
  final Map<String, Integer> row = new HashMap<>();
  final Map<String, Set<String>> arrowsInto = new LinkedHashMap<>();
  int columns;
  int rows;

  StageGraph(Plan plan) {
    Map<String, PlannedStage> byId = new HashMap<>();
    plan.stages().forEach(s -> byId.put(s.id(), s));
    for (PlannedStage stage : plan.stages()) {
      if (!stage.isGroup()) {
        nodes.add(stage);
      }
    }
    for (PlannedStage stage : nodes) {
      Set<String> from = new LinkedHashSet<>();
      for (PlannedStage at = stage; at != null; at = at.parent().map(byId::get).orElse(null)) {
        for (String dependency : at.dependsOn()) {
          from.addAll(ends(byId.get(dependency), byId));
        }
      }
      arrowsInto.put(stage.id(), from);
    }
    Map<Integer, Integer> perColumn = new HashMap<>();
    for (PlannedStage stage : nodes) {
      int c = 0;
      for (String source : arrowsInto.get(stage.id())) {
        c = Math.max(c, column.getOrDefault(source, 0) + 1);
      }
      column.put(stage.id(), c);
      int r = perColumn.merge(c, 1, Integer::sum) - 1;
      row.put(stage.id(), r);
      columns = Math.max(columns, c + 1);
      rows = Math.max(rows, r + 1);
    }
  }

  /** The stages of {@code stage} that finish it: itself, or the leaves of a group no other of its leaves waits for. */
  private static Set<String> ends(PlannedStage stage, Map<String, PlannedStage> byId) {
    Set<String> ends = new LinkedHashSet<>();
    if (!stage.isGroup()) {
      ends.add(stage.id());
      return ends;
    }
    Set<String> waitedFor = new LinkedHashSet<>();
    for (String child : stage.children()) {
      waitedFor.addAll(byId.get(child).dependsOn());
    }
    for (String child : stage.children()) {
      if (!waitedFor.contains(child)) {
        ends.addAll(ends(byId.get(child), byId));
      }
    }
    return ends;
  }
}

package dev.otto.report;

import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stages a picture draws and the arrows between them: the stages that do work (not groups),
 * in the plan's order, an arrow from each stage to those that wait for it directly or through
 * their groups, leaving out arrows that other arrows already imply. {@link GraphLayout} places them.
 */
final class StageGraph {
  final List<PlannedStage> nodes = new ArrayList<>();
  final Map<String, Set<String>> arrowsInto = new LinkedHashMap<>();

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
    arrowsInto.forEach((to, froms) -> froms.removeIf(from -> reachesOtherwise(from, to)));
  }

  /**
   * Whether {@code to} waits for {@code from} through some other stage too: then the direct arrow
   * says nothing the picture does not already show, and is left out (a transitive reduction).
   */
  private boolean reachesOtherwise(String from, String to) {
    Deque<String> open = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    arrowsInto.get(to).stream().filter(s -> !s.equals(from)).forEach(open::add);
    while (!open.isEmpty()) {
      String at = open.pop();
      if (at.equals(from)) {
        return true;
      }
      if (seen.add(at)) {
        open.addAll(arrowsInto.get(at));
      }
    }
    return false;
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

package dev.otto.core.explain;

import dev.otto.core.Printable;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.StageStatus;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mermaid and Graphviz renderings: a group is a subgraph holding its children, a dependency is
 * an arrow. Node ids are {@code s0, s1, ...} in plan order, so they are stable and safe in both
 * languages whatever the stage names hold.
 */
final class GraphRenderer {
  private final Plan plan;
  private final Map<String, String> ids = new HashMap<>();

  GraphRenderer(Plan plan) {
    this.plan = plan;
    int n = 0;
    for (PlannedStage stage : plan.stages()) {
      ids.put(stage.id(), "s" + n++);
    }
  }

  String mermaid() {
    StringBuilder out = new StringBuilder("flowchart TD\n");
    walk(new Visitor() {
      @Override
      public void enterGroup(PlannedStage group, String indent) {
        out.append(indent).append("subgraph ").append(ids.get(group.id())).append(" [\"")
            .append(mermaidText(label(group))).append("\"]\n");
        out.append(indent).append("  direction ").append(group.parallel() ? "LR" : "TB").append('\n');
      }

      @Override
      public void leaf(PlannedStage stage, String indent) {
        out.append(indent).append(ids.get(stage.id())).append("[\"").append(mermaidText(label(stage)))
            .append("\"]\n");
      }

      @Override
      public void exitGroup(PlannedStage group, String indent) {
        out.append(indent).append("end\n");
      }
    }, "  ");
    for (PlannedStage stage : plan.stages()) {
      for (String dependency : stage.dependsOn()) {
        out.append("  ").append(ids.get(dependency)).append(" --> ").append(ids.get(stage.id())).append('\n');
      }
    }
    out.append("  classDef skipped fill:#eee,stroke:#999,color:#777,stroke-dasharray:4 3\n");
    out.append("  classDef conditional stroke-dasharray:6 3\n");
    for (PlannedStage stage : plan.stages()) {
      if (stage.status() != StageStatus.RUN) {
        out.append("  class ").append(ids.get(stage.id())).append(' ')
            .append(stage.status() == StageStatus.SKIP ? "skipped" : "conditional").append('\n');
      }
    }
    return out.toString();
  }

  String dot() {
    StringBuilder out = new StringBuilder();
    out.append("digraph ").append(dotString(plan.pipeline())).append(" {\n");
    out.append("  compound=true;\n  rankdir=TB;\n");
    out.append("  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\"];\n");
    walk(new Visitor() {
      @Override
      public void enterGroup(PlannedStage group, String indent) {
        out.append(indent).append("subgraph cluster_").append(ids.get(group.id())).append(" {\n");
        out.append(indent).append("  label=").append(dotString(label(group))).append(";\n");
        if (group.status() != StageStatus.RUN) {
          out.append(indent).append("  style=dashed;\n");
        }
      }

      @Override
      public void leaf(PlannedStage stage, String indent) {
        out.append(indent).append(ids.get(stage.id())).append(" [label=").append(dotString(label(stage)));
        if (stage.status() == StageStatus.SKIP) {
          out.append(", style=\"rounded,dashed,filled\", fillcolor=\"#eeeeee\", fontcolor=\"#777777\"");
        } else if (stage.status() == StageStatus.UNDECIDED) {
          out.append(", style=\"rounded,dashed,filled\"");
        }
        out.append("];\n");
      }

      @Override
      public void exitGroup(PlannedStage group, String indent) {
        out.append(indent).append("}\n");
      }
    }, "  ");
    for (PlannedStage stage : plan.stages()) {
      for (String dependency : stage.dependsOn()) {
        PlannedStage from = plan.stage(dependency).orElseThrow();
        out.append("  ").append(ids.get(anchor(from, false).id())).append(" -> ")
            .append(ids.get(anchor(stage, true).id()));
        StringBuilder attributes = new StringBuilder();
        if (from.isGroup()) {
          attributes.append("ltail=cluster_").append(ids.get(from.id()));
        }
        if (stage.isGroup()) {
          attributes.append(attributes.length() > 0 ? ", " : "").append("lhead=cluster_").append(ids.get(stage.id()));
        }
        if (attributes.length() > 0) {
          out.append(" [").append(attributes).append(']');
        }
        out.append(";\n");
      }
    }
    out.append("}\n");
    return out.toString();
  }

  /** The leaf an edge to or from a group attaches to: its first leaf as a target, its last as a source. */
  private PlannedStage anchor(PlannedStage stage, boolean first) {
    PlannedStage at = stage;
    while (at.isGroup()) {
      List<String> children = at.children();
      at = plan.stage(children.get(first ? 0 : children.size() - 1)).orElseThrow();
    }
    return at;
  }

  private static String label(PlannedStage stage) {
    StringBuilder label = new StringBuilder(Printable.of(stage.name()));
    if (!stage.isGroup()) {
      label.append('\n').append(Printable.of(stage.runtime().describe()));
    }
    stage.environment().ifPresent(e -> label.append("\nto ").append(Printable.of(e)));
    if (!stage.waits().isEmpty()) {
      label.append('\n').append(stage.waits().size()).append(stage.waits().size() == 1 ? " wait" : " waits");
    }
    if (stage.status() != StageStatus.RUN) {
      label.append("\n(").append(stage.status().word()).append(')');
    }
    return label.toString();
  }

  private interface Visitor {
    void enterGroup(PlannedStage group, String indent);

    void leaf(PlannedStage stage, String indent);

    void exitGroup(PlannedStage group, String indent);
  }

  /** Visits the stage tree in declaration order without recursion. */
  private void walk(Visitor visitor, String baseIndent) {
    Deque<Object[]> stack = new ArrayDeque<>();
    List<PlannedStage> top = plan.stages().stream().filter(s -> s.parent().isEmpty()).toList();
    for (int i = top.size() - 1; i >= 0; i--) {
      stack.push(new Object[] {top.get(i), Boolean.FALSE});
    }
    while (!stack.isEmpty()) {
      Object[] item = stack.pop();
      PlannedStage stage = (PlannedStage) item[0];
      String indent = baseIndent + "  ".repeat(Math.min(stage.path().depth() - 1, 40));
      if ((Boolean) item[1]) {
        visitor.exitGroup(stage, indent);
      } else if (stage.isGroup()) {
        visitor.enterGroup(stage, indent);
        stack.push(new Object[] {stage, Boolean.TRUE});
        List<String> children = stage.children();
        for (int i = children.size() - 1; i >= 0; i--) {
          stack.push(new Object[] {plan.stage(children.get(i)).orElseThrow(), Boolean.FALSE});
        }
      } else {
        visitor.leaf(stage, indent);
      }
    }
  }

  private static String mermaidText(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("#quot;");
        case '\n' -> out.append("<br/>");
        case '<' -> out.append("#lt;");
        case '>' -> out.append("#gt;");
        case '#' -> out.append("#35;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String dotString(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }
}

package dev.otto.core.validate;

import static dev.otto.core.validate.Problem.error;
import static org.apiguardian.api.API.Status.INTERNAL;

import dev.otto.core.model.Matrix;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.Stage;
import dev.otto.core.model.StagePath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A pipeline's stages with matrices expanded, flattened in declaration (pre-order) order, with
 * every dependency resolved to a node and the whole turned into a graph of stage starts and
 * ends. Validation and planning both stand on it.
 *
 * <p>The graph has two vertices per stage, {@code start(i) = 2i} and {@code end(i) = 2i + 1},
 * and these edges: a stage's start precedes its end; a group's start precedes its children's
 * starts; a child's end precedes its group's end; a dependency's end precedes the dependent's
 * start. A cycle in it is a pipeline that can never finish, and "stage A runs before stage B"
 * means {@code end(A)} reaches {@code start(B)}.
 *
 * <p>Public for Otto's planner, which lowers the stages in the tree's order. Not an API: it may
 * change in any release.
 */
@API(status = INTERNAL, since = "0.1")
public final class StageTree {
  /** The deepest nesting of stages accepted. */
  public static final int MAX_DEPTH = Validator.MAX_STAGE_DEPTH;
  /** The most combinations one matrix may produce. */
  public static final int MAX_MATRIX_CELLS = 10_000;
  private static final int MAX_CYCLES_REPORTED = 10;

  /** One stage after matrix expansion. */
  public static final class Node {
    public final int index;
    /** The stage; for a matrix cell, with its values filled in. Use {@link #children}, not its stages. */
    public final Stage stage;
    public final StagePath path;
    public final String id;
    public final int parent;
    public final boolean parallel;
    public final String origin;
    public final List<Integer> children = new ArrayList<>();
    /** Stages that must end before this one starts: the previous sibling, then explicit ones. */
    public final List<Integer> dependsOn = new ArrayList<>();
    /** The dependencies whose skip does not skip this stage. */
    public final List<Integer> runsEvenIfSkipped = new ArrayList<>();
    /** The matrix cell this node was expanded from, if any. */
    public final Map<String, String> cell;

    Node(int index, Stage stage, StagePath path, int parent, boolean parallel, String origin, Map<String, String> cell) {
      this.index = index;
      this.stage = stage;
      this.path = path;
      this.id = path.toString();
      this.parent = parent;
      this.parallel = parallel;
      this.origin = origin;
      this.cell = cell;
    }

    public boolean isGroup() {
      return !children.isEmpty();
    }
  }

  private final String pipeline;
  private final List<Node> nodes = new ArrayList<>();
  private final Map<StagePath, Integer> byPath = new HashMap<>();
  private final List<Problem> problems;
  private IntGraph graph;
  private int[] order;

  private StageTree(String pipeline, List<Problem> problems) {
    this.pipeline = pipeline;
    this.problems = problems;
  }

  /** Builds the tree, adding every structural problem found to {@code problems}. */
  public static StageTree of(Pipeline pipeline, List<Problem> problems) {
    StageTree tree = new StageTree(pipeline.name(), problems);
    tree.expand(pipeline.stages());
    tree.resolveDependencies();
    tree.buildGraph();
    return tree;
  }

  public List<Node> nodes() {
    return nodes;
  }

  public Node node(int index) {
    return nodes.get(index);
  }

  /** The node at {@code path}, or -1. */
  public int find(StagePath path) {
    return byPath.getOrDefault(path, -1);
  }

  /** Stage indices in the order their starts become ready, declaration order breaking ties; null on a cycle. */
  public int[] order() {
    return order;
  }

  /** Every stage that runs only after all of {@code stages} have ended, as a set of graph vertices. */
  public BitSet after(int... stages) {
    int[] ends = new int[stages.length];
    for (int i = 0; i < stages.length; i++) {
      ends[i] = 2 * stages[i] + 1;
    }
    return graph.reachableFrom(ends);
  }

  /** Whether a stage in {@code afterSet} (from {@link #after}) starts only after the sources end. */
  public static boolean startsWithin(BitSet afterSet, int stage) {
    return afterSet.get(2 * stage);
  }

  public String where(Node node) {
    return Where.stage(pipeline, node.path);
  }

  private static final class Frame {
    final Stage stage;
    final int parent;
    final StagePath parentPath;
    final int depth;
    final String origin;
    final Map<String, String> cell;

    Frame(Stage stage, int parent, StagePath parentPath, int depth, String origin, Map<String, String> cell) {
      this.stage = stage;
      this.parent = parent;
      this.parentPath = parentPath;
      this.depth = depth;
      this.origin = origin;
      this.cell = cell;
    }
  }

  private void expand(List<Stage> top) {
    Deque<Frame> stack = new ArrayDeque<>();
    for (int i = top.size() - 1; i >= 0; i--) {
      stack.push(new Frame(top.get(i), -1, null, 1, null, Map.of()));
    }
    Map<Integer, Map<String, Integer>> siblingNames = new HashMap<>();
    while (!stack.isEmpty()) {
      Frame frame = stack.pop();
      Stage stage = frame.stage;
      StagePath path = frame.parentPath == null ? StagePath.of(stage.name()) : frame.parentPath.child(stage.name());
      String origin = stage.origin().orElse(frame.origin);
      boolean matrixGroup = stage.matrix().isPresent();
      int index = nodes.size();
      // A matrix stage becomes a group: what runs (steps, runtime, caches, environment) moves to its cells.
      Stage own = matrixGroup
          ? Stage.builder(stage.name()).from(stage).runtime(java.util.Optional.empty()).steps(List.of())
              .services(List.of())
              .restores(List.of()).saves(List.of()).environment(java.util.Optional.empty()).stages(List.of())
              .timeout(java.util.Optional.empty()).build()
          : stage;
      Node node = new Node(index, own, path, frame.parent, stage.parallel() || matrixGroup, origin, frame.cell);
      nodes.add(node);
      if (frame.parent >= 0) {
        nodes.get(frame.parent).children.add(index);
      }
      checkName(node, siblingNames.computeIfAbsent(frame.parent, k -> new HashMap<>()));
      if (frame.depth >= MAX_DEPTH && (!stage.stages().isEmpty() || matrixGroup)) {
        problems.add(error(Rule.NESTING_TOO_DEEP, where(node),
            "stages are nested more than " + MAX_DEPTH + " levels deep here.",
            "flatten the pipeline: use after(...) dependencies instead of deeper nesting."));
        continue;
      }
      if (matrixGroup) {
        List<Cell> cells = cells(node, stage, stage.matrix().get());
        for (int i = cells.size() - 1; i >= 0; i--) {
          stack.push(new Frame(cells.get(i).stage, index, path, frame.depth + 1, origin, cells.get(i).values));
        }
      } else {
        List<Stage> children = stage.stages();
        for (int i = children.size() - 1; i >= 0; i--) {
          stack.push(new Frame(children.get(i), index, path, frame.depth + 1, origin, frame.cell));
        }
      }
    }
  }

  private final java.util.Set<Integer> matricesWithDuplicates = new java.util.HashSet<>();

  private void checkName(Node node, Map<String, Integer> siblings) {
    String name = node.stage.name();
    var nameError = Names.displayNameError(name);
    if (nameError.isPresent()) {
      problems.add(error(Rule.STAGE_NAME, where(node), nameError.get() + ".",
          "name stages with printable text of at most " + Names.MAX_DISPLAY_LENGTH + " characters, without '>'."));
      return;
    }
    Integer first = siblings.putIfAbsent(Names.comparable(name), node.index);
    if (first == null) {
      byPath.putIfAbsent(node.path, node.index);
      return;
    }
    Node firstNode = nodes.get(first);
    boolean fromMatrix = node.parent >= 0 && nodes.get(node.parent).stage.matrix().isPresent();
    if (fromMatrix) {
      if (!matricesWithDuplicates.add(node.parent)) {
        return;
      }
      problems.add(error(Rule.MATRIX_DUPLICATE_NAME, where(nodes.get(node.parent)),
          "the matrix produces the stage name '" + Names.printable(name) + "' for more than one combination ("
              + firstNode.cell + " and " + node.cell + ").",
          "remove duplicate axis values, or use every axis in the name template, e.g. '${matrix.os} ${matrix.jdk}'."));
    } else {
      problems.add(error(Rule.DUPLICATE_STAGE, where(node),
          "another stage at the same level is already named '" + Names.printable(name) + "'.",
          "give sibling stages distinct names."));
    }
  }

  private static final class Cell {
    final Stage stage;
    final Map<String, String> values;

    Cell(Stage stage, Map<String, String> values) {
      this.stage = stage;
      this.values = values;
    }
  }

  private List<Cell> cells(Node group, Stage template, Matrix matrix) {
    String where = where(group);
    if (matrix.axes().isEmpty()) {
      problems.add(error(Rule.MATRIX_AXIS, where, "the matrix has no axis.",
          "add at least one axis with values, e.g. axis(\"os\", \"linux\", \"macos\")."));
      return List.of();
    }
    long combinations = 1;
    for (Map.Entry<String, List<String>> axis : matrix.axes().entrySet()) {
      if (!Names.isVariable(axis.getKey())) {
        problems.add(error(Rule.MATRIX_AXIS, where, "the axis name '" + Names.printable(axis.getKey())
            + "' is not an identifier.", "name axes with letters, digits and '_', e.g. 'jdk'."));
        return List.of();
      }
      if (axis.getValue().isEmpty()) {
        problems.add(error(Rule.MATRIX_AXIS, where, "the axis '" + axis.getKey() + "' has no values.",
            "give the axis at least one value."));
        return List.of();
      }
      combinations *= axis.getValue().size();
      if (combinations > MAX_MATRIX_CELLS) {
        problems.add(error(Rule.MATRIX_TOO_LARGE, where,
            "the matrix has more than " + MAX_MATRIX_CELLS + " combinations.",
            "split it into several matrices, or remove axis values."));
        return List.of();
      }
    }
    List<String> axes = new ArrayList<>(matrix.axes().keySet());
    List<Cell> cells = new ArrayList<>((int) combinations);
    int[] pick = new int[axes.size()];
    for (long c = 0; c < combinations; c++) {
      Map<String, String> values = new LinkedHashMap<>(group.cell);
      List<String> own = new ArrayList<>(axes.size());
      for (int a = 0; a < axes.size(); a++) {
        String value = matrix.axes().get(axes.get(a)).get(pick[a]);
        values.put(axes.get(a), value);
        own.add(value);
      }
      String name = matrix.nameTemplate().map(t -> Templates.substitute(t, values)).orElse(String.join(", ", own));
      Stage body = Templates.substitute(template, values, MAX_DEPTH);
      Stage cell = Stage.builder(name)
          .runtime(body.runtime())
          .steps(body.steps())
          .services(body.services())
          .restores(body.restores())
          .saves(body.saves())
          .environment(body.environment())
          .timeout(body.timeout())
          .stages(body.stages())
          .parallel(body.parallel())
          .build();
      cells.add(new Cell(cell, Map.copyOf(values)));
      for (int a = axes.size() - 1; a >= 0; a--) {
        if (++pick[a] < matrix.axes().get(axes.get(a)).size()) {
          break;
        }
        pick[a] = 0;
      }
    }
    return cells;
  }

  private void resolveDependencies() {
    chainInOrder(topLevel());
    for (Node node : nodes) {
      if (!node.parallel) {
        chainInOrder(node.children);
      }
    }
    for (Node node : nodes) {
      for (StagePath target : node.stage.after()) {
        int dependency = find(target);
        if (dependency < 0) {
          problems.add(error(Rule.UNKNOWN_STAGE, where(node),
              "it runs after " + Where.quoted(target) + ", but no stage has that path.",
              "refer to a stage of this pipeline: in the DSL, the StageRef that this pipeline's p.stage(...) "
                  + "returned; in the model, its full path, e.g. 'Deploy > Production'."));
        } else if (dependency == node.index || isAncestor(dependency, node.index)) {
          problems.add(error(Rule.SELF_OR_ANCESTOR_DEPENDENCY, where(node),
              "it runs after " + Where.quoted(target) + ", which contains it or is itself, so it could never start.",
              "depend on a stage outside this one's own group."));
        } else if (isAncestor(node.index, dependency)) {
          problems.add(error(Rule.SELF_OR_ANCESTOR_DEPENDENCY, where(node),
              "it runs after " + Where.quoted(target) + ", which is inside it, so it could never start.",
              "order the children of a group within the group instead."));
        } else if (!node.dependsOn.contains(dependency)) {
          node.dependsOn.add(dependency);
        }
      }
    }
    for (Node node : nodes) {
      for (StagePath target : node.stage.runsEvenIfSkipped()) {
        int dependency = find(target);
        if (dependency < 0) {
          problems.add(error(Rule.UNKNOWN_STAGE, where(node),
              "it runs even if " + Where.quoted(target) + " is skipped, but no stage has that path.",
              "refer to a stage of this pipeline: in the DSL, the StageRef that this pipeline's p.stage(...) "
                  + "returned; in the model, its full path, e.g. 'Deploy > Pre-production'."));
        } else if (!node.dependsOn.contains(dependency)) {
          problems.add(error(Rule.UNKNOWN_STAGE, where(node),
              "it runs even if " + Where.quoted(target) + " is skipped, but it does not depend on that stage.",
              "name a stage it runs after (the stage before it, or one of its after(...) stages), or add "
                  + "after(...) for it."));
        } else if (!node.runsEvenIfSkipped.contains(dependency)) {
          node.runsEvenIfSkipped.add(dependency);
        }
      }
    }
  }

  private void chainInOrder(List<Integer> siblings) {
    for (int i = 1; i < siblings.size(); i++) {
      nodes.get(siblings.get(i)).dependsOn.add(siblings.get(i - 1));
    }
  }

  private List<Integer> topLevelCache;

  private List<Integer> topLevel() {
    if (topLevelCache == null) {
      topLevelCache = new ArrayList<>();
      for (Node node : nodes) {
        if (node.parent < 0) {
          topLevelCache.add(node.index);
        }
      }
    }
    return topLevelCache;
  }

  /** Whether {@code ancestor} contains {@code node}, at any depth. */
  public boolean isAncestor(int ancestor, int node) {
    for (int p = nodes.get(node).parent; p >= 0; p = nodes.get(p).parent) {
      if (p == ancestor) {
        return true;
      }
    }
    return false;
  }

  private void buildGraph() {
    IntGraph.Builder builder = new IntGraph.Builder(2 * nodes.size());
    for (Node node : nodes) {
      int start = 2 * node.index;
      int end = start + 1;
      for (int child : node.children) {
        builder.edge(start, 2 * child);
      }
      builder.edge(start, end);
      if (node.parent >= 0) {
        builder.edge(end, 2 * node.parent + 1);
      }
      for (int dependency : node.dependsOn) {
        builder.edge(2 * dependency + 1, start);
      }
    }
    graph = builder.build();
    int[] vertexOrder = graph.topologicalOrder();
    if (vertexOrder != null) {
      order = new int[nodes.size()];
      int n = 0;
      for (int vertex : vertexOrder) {
        if (vertex % 2 == 0) {
          order[n++] = vertex / 2;
        }
      }
      return;
    }
    for (int[] cycle : graph.cycles(MAX_CYCLES_REPORTED)) {
      List<String> names = new ArrayList<>();
      int last = -1;
      for (int vertex : cycle) {
        int stage = vertex / 2;
        if (stage != last) {
          names.add(Where.quoted(nodes.get(stage).path));
          last = stage;
        }
      }
      if (names.size() > 1 && names.get(0).equals(names.get(names.size() - 1))) {
        names.remove(names.size() - 1);
      }
      names.add(names.get(0));
      problems.add(error(Rule.DEPENDENCY_CYCLE, where(nodes.get(cycle[0] / 2)),
          "the stages wait on each other in a cycle: " + String.join(" -> ", names) + ".",
          "remove one of the after(...) dependencies in the cycle."));
    }
  }
}

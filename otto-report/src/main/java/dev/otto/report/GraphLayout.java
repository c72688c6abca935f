package dev.otto.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.alg.layered.options.OrderingStrategy;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Where a picture puts each box and how each arrow runs, from Eclipse ELK's layered (Sugiyama)
 * algorithm: layers from left to right in the order of the arrows, few crossings, long arrows
 * routed around the boxes they pass, orthogonal lines. ELK is seeded and given the boxes and
 * arrows in declaration order, so the same graph always gets the same layout; coordinates are
 * rounded to whole pixels so that the page's bytes do not depend on the last bits of a double.
 */
final class GraphLayout {
  static final int PADDING = 12;

  /** A box's top left corner and size. */
  record Box(int x, int y, int width, int height) {}

  /** An arrow from box {@code from} to box {@code to}, through its points in order. */
  record Route(String from, String to, List<int[]> points) {}

  final Map<String, Box> boxes = new LinkedHashMap<>();
  final List<Route> routes = new ArrayList<>();
  final int width;
  final int height;

  static {
    // Registered by hand rather than found through ServiceLoader, so that a shaded jar or a
    // module path without the provider's service file lays out all the same.
    LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
  }

  /** Lays out boxes of the given sizes (in their order) and the arrows into each. */
  GraphLayout(Map<String, int[]> sizes, Map<String, ? extends Iterable<String>> arrowsInto) {
    ElkNode root = ElkGraphUtil.createGraph();
    root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
    root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
    root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
    root.setProperty(CoreOptions.RANDOM_SEED, 1);
    root.setProperty(CoreOptions.PADDING, new ElkPadding(PADDING));
    root.setProperty(LayeredOptions.SPACING_NODE_NODE, 22.0);
    root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 56.0);
    root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 16.0);
    root.setProperty(LayeredOptions.CONSIDER_MODEL_ORDER_STRATEGY, OrderingStrategy.NODES_AND_EDGES);
    root.setProperty(LayeredOptions.MERGE_EDGES, true);
    Map<String, ElkNode> nodes = new LinkedHashMap<>();
    sizes.forEach((id, size) -> {
      ElkNode node = ElkGraphUtil.createNode(root);
      node.setIdentifier(id);
      node.setDimensions(size[0], size[1]);
      nodes.put(id, node);
    });
    List<String[]> ends = new ArrayList<>();
    List<ElkEdge> edges = new ArrayList<>();
    arrowsInto.forEach((to, froms) -> froms.forEach(from -> {
      edges.add(ElkGraphUtil.createSimpleEdge(nodes.get(from), nodes.get(to)));
      ends.add(new String[] {from, to});
    }));
    new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());
    nodes.forEach((id, node) -> boxes.put(id, new Box(round(node.getX()), round(node.getY()),
        round(node.getWidth()), round(node.getHeight()))));
    for (int i = 0; i < edges.size(); i++) {
      routes.add(new Route(ends.get(i)[0], ends.get(i)[1], points(edges.get(i))));
    }
    width = Math.max(1, round(root.getWidth()));
    height = Math.max(1, round(root.getHeight()));
  }

  private static List<int[]> points(ElkEdge edge) {
    List<int[]> points = new ArrayList<>();
    // Through java.util.List: EMF's list type lives in a module Otto does not read.
    List<ElkEdgeSection> sections = edge.getSections();
    for (ElkEdgeSection section : sections) {
      points.add(new int[] {round(section.getStartX()), round(section.getStartY())});
      List<ElkBendPoint> bends = section.getBendPoints();
      for (ElkBendPoint bend : bends) {
        points.add(new int[] {round(bend.getX()), round(bend.getY())});
      }
      points.add(new int[] {round(section.getEndX()), round(section.getEndY())});
    }
    return points;
  }

  private static int round(double value) {
    return (int) Math.round(value);
  }
}

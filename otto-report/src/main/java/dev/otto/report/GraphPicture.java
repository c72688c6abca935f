package dev.otto.report;

import static dev.otto.report.HtmlReport.escape;

import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A plan's or a run's stages as SVG in a box that scrolls sideways when the graph is wider than
 * the page, with a legend under it. Each box says its stage's name, its group and environment,
 * why it is skipped or conditional, and its gates (approval ◆, webhook ●, poll ◷) with what they
 * wait for or how they went; arrows point from a stage to those that wait for it.
 */
final class GraphPicture {
  private static final int MIN_WIDTH = 120;
  private static final int MAX_WIDTH = 270;
  private static final int MIN_HEIGHT = 40;
  /** About how wide a character of a name (13 px, bold) and of a smaller line (11 px) is. */
  private static final double NAME_CHAR = 7.9;
  private static final double SMALL_CHAR = 6.1;

  /** What a box shows: its status (a CSS class), why it is skipped or conditional, and its gates. */
  record Card(String status, Optional<String> note, List<Gates.Line> gates) {}

  private GraphPicture() {}

  /** Draws the graph, each stage's box as {@code cards} describes it, and a legend for a plan or a run. */
  static void draw(StringBuilder out, Plan plan, Function<PlannedStage, Card> cards, boolean run) {
    StageGraph graph = new StageGraph(plan);
    Map<String, Card> shown = new LinkedHashMap<>();
    Map<String, int[]> sizes = new LinkedHashMap<>();
    for (PlannedStage stage : graph.nodes) {
      Card card = cards.apply(stage);
      shown.put(stage.id(), card);
      sizes.put(stage.id(), new int[] {width(stage, card), height(stage, card)});
    }
    GraphLayout layout = new GraphLayout(sizes, graph.arrowsInto);
    out.append("<div class=\"graph-box\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" width=\"")
        .append(layout.width).append("\" height=\"").append(layout.height).append("\" viewBox=\"0 0 ")
        .append(layout.width).append(' ').append(layout.height)
        .append("\" role=\"img\" aria-label=\"the stages, their gates, and what waits for what\">\n")
        .append("<defs><marker id=\"otto-arrowhead\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
            + " markerHeight=\"7\" orient=\"auto\"><path class=\"arrowhead\" d=\"M0,0 L10,5 L0,10 Z\"/></marker></defs>\n");
    for (GraphLayout.Route route : layout.routes) {
      String into = shown.get(route.to()).status();
      out.append("<path class=\"arrow").append(into.equals("skipped") ? " to-skipped" : "").append("\" d=\"");
      for (int i = 0; i < route.points().size(); i++) {
        int[] point = route.points().get(i);
        out.append(i == 0 ? "M" : " L").append(point[0]).append(',').append(point[1]);
      }
      out.append("\" marker-end=\"url(#otto-arrowhead)\"/>\n");
    }
    for (PlannedStage stage : graph.nodes) {
      box(out, stage, shown.get(stage.id()), layout.boxes.get(stage.id()));
    }
    out.append("</svg></div>\n");
    legend(out, run);
  }

  /** How wide a box must be for its longest line, within bounds: short names make small boxes. */
  private static int width(PlannedStage stage, Card card) {
    double widest = stage.name().length() * NAME_CHAR;
    widest = Math.max(widest, (header(stage).length() + stage.environment().map(e -> e.length() + 6).orElse(0))
        * SMALL_CHAR + 16);
    for (String line : note(card)) {
      widest = Math.max(widest, line.length() * SMALL_CHAR);
    }
    for (Gates.Line gate : card.gates()) {
      widest = Math.max(widest, 17 + gate.text().length() * SMALL_CHAR);
    }
    return (int) Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, Math.ceil(widest) + 20));
  }

  private static int height(PlannedStage stage, Card card) {
    return Math.max(MIN_HEIGHT, content(stage, card) + 12);
  }

  /** The height of a box's lines: header, name, note, gates. */
  private static int content(PlannedStage stage, Card card) {
    return (header(stage).isEmpty() && stage.environment().isEmpty() ? 0 : 15) + 17 + 15 * note(card).size()
        + 17 * card.gates().size();
  }

  /** A card's note on at most two lines, broken between words. */
  private static List<String> note(Card card) {
    if (card.note().isEmpty()) {
      return List.of();
    }
    String note = card.note().get();
    int room = (int) ((MAX_WIDTH - 20) / SMALL_CHAR);
    if (note.length() <= room) {
      return List.of(note);
    }
    int cut = note.lastIndexOf(' ', room);
    cut = cut <= room / 2 ? room : cut;
    return List.of(note.substring(0, cut).strip(), clip(note.substring(cut).strip(), room));
  }

  /** The names of the groups a stage is in, e.g. {@code Deploy}; empty at the top level. */
  private static String header(PlannedStage stage) {
    List<String> names = stage.path().names();
    return String.join(" > ", names.subList(0, names.size() - 1));
  }

  private static void box(StringBuilder out, PlannedStage stage, Card card, GraphLayout.Box box) {
    int x = box.x();
    int y = box.y() + (box.height() - content(stage, card)) / 2 - 3;
    int small = (int) ((box.width() - 20) / SMALL_CHAR);
    out.append("<g class=\"stage ").append(card.status()).append("\"><title>").append(escape(stage.id()))
        .append(" — ").append(card.status()).append(card.note().map(n -> ": " + escape(n)).orElse(""))
        .append("</title><rect x=\"").append(x).append("\" y=\"").append(box.y()).append("\" width=\"")
        .append(box.width()).append("\" height=\"").append(box.height()).append("\" rx=\"6\"/>");
    if (!header(stage).isEmpty() || stage.environment().isPresent()) {
      y += 15;
      String env = stage.environment().map(e -> "env " + clip(e, small / 2)).orElse("");
      text(out, "group", x + 10, y, clip(header(stage), small - env.length() - 2));
      if (!env.isEmpty()) {
        out.append("<text class=\"env\" x=\"").append(x + box.width() - 10).append("\" y=\"").append(y)
            .append("\" text-anchor=\"end\">").append(escape(env)).append("</text>");
      }
    }
    y += 17;
    text(out, "name", x + 10, y, clip(stage.name(), (int) ((box.width() - 20) / NAME_CHAR)));
    for (String line : note(card)) {
      y += 15;
      text(out, "note", x + 10, y, line);
    }
    for (Gates.Line gate : card.gates()) {
      y += 17;
      out.append("<g class=\"gate-line ").append(gate.state()).append("\"><title>").append(escape(gate.tooltip()))
          .append("</title>");
      symbol(out, gate.kind(), x + 16, y - 4);
      text(out, "gate-text", x + 27, y, clip(gate.text(), (int) ((box.width() - 37) / SMALL_CHAR)));
      out.append("</g>");
    }
    out.append("</g>\n");
  }

  /**
   * A gate's symbol centred on ({@code x}, {@code y}): a diamond for an approval, a ringed dot for
   * a webhook, a clock for a poll, a block for a lock.
   */
  static void symbol(StringBuilder out, String kind, int x, int y) {
    switch (kind) {
      case "approval" -> out.append("<path class=\"gate approval\" d=\"M").append(x).append(',').append(y - 5)
          .append(" L").append(x + 5).append(',').append(y).append(" L").append(x).append(',').append(y + 5)
          .append(" L").append(x - 5).append(',').append(y).append(" Z\"/>");
      case "webhook" -> out.append("<circle class=\"gate webhook\" cx=\"").append(x).append("\" cy=\"").append(y)
          .append("\" r=\"4.5\"/><circle class=\"gate-dot webhook\" cx=\"").append(x).append("\" cy=\"").append(y)
          .append("\" r=\"1.8\"/>");
      case "lock" -> out.append("<rect class=\"gate lock\" x=\"").append(x - 4).append("\" y=\"").append(y - 3)
          .append("\" width=\"8\" height=\"7\" rx=\"1\"/>");
      default -> out.append("<circle class=\"gate poll\" cx=\"").append(x).append("\" cy=\"").append(y)
          .append("\" r=\"4.5\"/><path class=\"gate-hands\" d=\"M").append(x).append(',').append(y - 3).append(" L")
          .append(x).append(',').append(y).append(" L").append(x + 3).append(',').append(y).append("\"/>");
    }
  }

  private static void text(StringBuilder out, String kind, int x, int y, String text) {
    out.append("<text class=\"").append(kind).append("\" x=\"").append(x).append("\" y=\"").append(y).append("\">")
        .append(escape(text)).append("</text>");
  }

  /** What the colours, symbols and arrows mean: a plan's statuses or a run's results. */
  private static void legend(StringBuilder out, boolean run) {
    out.append("<div class=\"legend\">");
    List<String[]> statuses = run
        ? List.of(new String[] {"succeeded", "succeeded"}, new String[] {"failed", "failed"},
            new String[] {"cancelled", "cancelled"}, new String[] {"skipped", "skipped"},
            new String[] {"pending", "not run"})
        : List.of(new String[] {"runs", "runs"}, new String[] {"conditional", "runs if its condition holds"},
            new String[] {"skipped", "skipped"});
    for (String[] status : statuses) {
      out.append("<span><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"swatch\" width=\"26\" height=\"16\">"
          + "<g class=\"stage ").append(status[0]).append("\"><rect x=\"1\" y=\"2\" width=\"24\" height=\"12\" rx=\"3\"/>"
          + "</g></svg>").append(status[1]).append("</span>");
    }
    for (String[] gate : List.of(new String[] {"approval", "approval"}, new String[] {"webhook", "webhook"},
        new String[] {"poll", "poll"})) {
      out.append("<span><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"swatch\" width=\"16\" height=\"16\">");
      symbol(out, gate[0], 8, 8);
      out.append("</svg>").append(gate[1]).append(" gate</span>");
    }
    out.append("<span><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"swatch\" width=\"34\" height=\"16\">"
        + "<path class=\"arrow\" d=\"M2,8 L24,8\" marker-end=\"url(#otto-arrowhead)\"/></svg>then</span>");
    out.append("</div>\n");
  }

  static String clip(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length - 1) + "…";
  }
}

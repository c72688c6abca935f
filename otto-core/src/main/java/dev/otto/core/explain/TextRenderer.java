package dev.otto.core.explain;

import dev.otto.core.Printable;
import dev.otto.core.model.BlueprintUse;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Environment;
import dev.otto.core.model.LibraryUse;
import dev.otto.core.model.Parameter;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.Service;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.StageStatus;
import dev.otto.core.validate.Problem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The text tree of explain:
 *
 * <pre>
 * pipeline 'webapp' for branch 'master'
 * ...
 * stages:
 *   Build  [runs]  container ruby; uses bundle; needs the network
 *     service db: postgres:16; ready when 'pg_isready' succeeds, within 2m
 *     - run bundle install --path=vendor
 *   Deploy  [runs]  after Test
 *     Production  [skipped: ...]
 * </pre>
 */
final class TextRenderer {
  private final Plan plan;
  private final StringBuilder out = new StringBuilder();

  private final Map<String, String> previousSibling = new java.util.HashMap<>();

  private final Map<String, String> notes;

  TextRenderer(Plan plan) {
    this(plan, Map.of());
  }

  TextRenderer(Plan plan, Map<String, String> notes) {
    this.plan = plan;
    this.notes = notes;
    chain(plan.stages().stream().filter(s -> s.parent().isEmpty()).map(PlannedStage::id).toList());
    for (PlannedStage stage : plan.stages()) {
      if (stage.isGroup() && !stage.parallel()) {
        chain(stage.children());
      }
    }
  }

  private void chain(List<String> siblings) {
    for (int i = 1; i < siblings.size(); i++) {
      previousSibling.put(siblings.get(i), siblings.get(i - 1));
    }
  }

  String render() {
    line("", "pipeline '" + plan.pipeline() + "' for "
        + (plan.context().isKnown() ? plan.context() : "an unknown context (conditions undecided)"));
    out.append("fingerprint ").append(plan.fingerprint()).append('\n');
    header();
    warnings();
    out.append("\nstages:\n");
    for (PlannedStage stage : preOrder()) {
      stage(stage);
    }
    summary();
    return out.toString();
  }

  private void header() {
    if (!plan.blueprints().isEmpty()) {
      out.append("\nfrom blueprints:\n");
      for (BlueprintUse blueprint : plan.blueprints()) {
        line("  ", blueprint.name() + pairs(blueprint.variables(), " "));
      }
    }
    if (!plan.parameters().isEmpty()) {
      out.append("\nparameters:\n");
      for (Parameter p : plan.parameters()) {
        String value = plan.parameterValues().get(p.name());
        StringBuilder text = new StringBuilder(p.name()).append(": ").append(p.type().name().toLowerCase(Locale.ROOT));
        if (!p.choices().isEmpty()) {
          text.append(' ').append(p.choices());
        }
        p.defaultValue().ifPresent(d -> text.append(" = ").append(d));
        text.append(value == null ? "  (undecided)" : "  -> " + value);
        if (!p.description().isEmpty()) {
          text.append("  # ").append(p.description());
        }
        line("  ", text.toString());
      }
    }
    if (!plan.libraries().isEmpty()) {
      out.append("\nlibraries:\n");
      for (LibraryUse use : plan.libraries()) {
        String config = use.config().isEmpty() ? "" : "  (" + use.config().entrySet().stream()
            .map(e -> e.getKey() + "=" + (e.getValue() instanceof SecretRef s ? "secret " + s.name() : e.getValue()))
            .collect(Collectors.joining(", ")) + ")";
        line("  ", use.id() + "  " + use.library().description() + config);
      }
    }
    if (!plan.environments().isEmpty()) {
      out.append("\nenvironments:\n");
      for (Environment e : plan.environments()) {
        List<String> parts = new ArrayList<>();
        if (!e.settings().isEmpty()) {
          parts.add(pairs(e.settings(), ", ").strip());
        }
        if (!e.secrets().isEmpty()) {
          parts.add("secrets " + e.secrets().stream().map(Describe::binding).collect(Collectors.joining(", ")));
        }
        if (!e.allowedBranches().isEmpty()) {
          parts.add("only branches " + String.join(", ", e.allowedBranches()));
        }
        if (e.requiresApproval()) {
          parts.add("approval required (timeout " + Describe.duration(e.approvalTimeout()) + ")");
        }
        e.locks().forEach(lock -> parts.add("lock " + lock.name() + " ("
            + lock.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ")"));
        line("  ", e.name() + (parts.isEmpty() ? "" : "  " + String.join("; ", parts)));
      }
    }
    if (!plan.secrets().isEmpty()) {
      out.append("\nsecrets (by name only):\n");
      line("  ", String.join(", ", plan.secrets()));
    }
    if (!plan.caches().isEmpty()) {
      out.append("\ncaches:\n");
      for (Cache c : plan.caches()) {
        line("  ", c.name() + "  " + String.join(", ", c.paths())
            + (c.keyFiles().isEmpty() ? "" : "  keyed by " + String.join(", ", c.keyFiles()))
            + Describe.fallbacks(c.keyFiles(), c.fallbacks()));
      }
    }
  }

  private static String pairs(Map<String, String> map, String separator) {
    return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(separator, " ", ""));
  }

  /** Stages in declaration order, parents before children, without recursion. */
  private List<PlannedStage> preOrder() {
    List<PlannedStage> ordered = new ArrayList<>(plan.stages().size());
    Deque<PlannedStage> stack = new ArrayDeque<>();
    List<PlannedStage> top = plan.stages().stream().filter(s -> s.parent().isEmpty()).toList();
    for (int i = top.size() - 1; i >= 0; i--) {
      stack.push(top.get(i));
    }
    while (!stack.isEmpty()) {
      PlannedStage stage = stack.pop();
      ordered.add(stage);
      List<String> children = stage.children();
      for (int i = children.size() - 1; i >= 0; i--) {
        stack.push(plan.stage(children.get(i)).orElseThrow());
      }
    }
    return ordered;
  }

  private void stage(PlannedStage stage) {
    String indent = "  ".repeat(stage.path().depth());
    List<String> facts = new ArrayList<>();
    if (!stage.isGroup()) {
      facts.add(stage.runtime().describe() + stage.runtimeSource().filter(s -> s.startsWith("same as"))
          .map(s -> " (" + s + ")").orElse(""));
      if (!stage.runtime().tools().isEmpty()) {
        facts.add("uses " + String.join(", ", stage.runtime().tools()));
      }
      if (stage.runtime().network()) {
        facts.add("needs the network");
      }
    } else {
      facts.add(stage.parallel() ? "children in parallel" : "children in order");
      if (stage.ops().stream().anyMatch(op -> op instanceof Op.AwaitChildren children && children.keepsGoing())) {
        facts.add("keeps going when a child fails");
      }
    }
    stage.environment().ifPresent(e -> facts.add("deploys to " + e));
    List<String> explicit = explicitDependencies(stage);
    if (!explicit.isEmpty()) {
      facts.add("after " + String.join(", ", explicit));
    }
    if (!stage.runsEvenIfSkipped().isEmpty()) {
      facts.add("runs even if " + String.join(", ", stage.runsEvenIfSkipped().stream().map(d -> "'" + d + "'")
          .toList()) + " is skipped");
    }
    stage.origin().ifPresent(o -> facts.add("from " + o));
    stage.timeout().ifPresent(d -> facts.add("timeout " + Describe.duration(d)));
    line(indent, stage.name() + "  [" + stage.status().word() + "]  " + String.join("; ", facts));
    String note = notes.get(stage.id());
    if (note != null) {
      line(indent + "  ", note);
    }
    stage.reason().ifPresent(r -> line(indent + "  ", (stage.status() == StageStatus.SKIP ? "skipped because " : "") + r));
    for (Service service : stage.services()) {
      line(indent + "  ", Describe.service(service));
    }
    for (Op op : stage.ops()) {
      if (op instanceof Op.BeginStage || op instanceof Op.EndStage || op instanceof Op.AwaitChildren) {
        continue;
      }
      line(indent + "  - ", Describe.op(op));
      if (op instanceof Op.RunProcess process) {
        script(indent + "      | ", process);
      }
    }
  }

  /**
   * The lines of a script that its label shows cut (a label is the first line of an unnamed step's script, at most
   * {@link dev.otto.core.model.ShStep#MAX_LABEL} characters of it), so that explain shows what runs; a script of
   * more than {@value #MAX_SCRIPT_LINES} lines ends with how many more it has.
   */
  private void script(String indent, Op.RunProcess process) {
    String script = process.script().strip();
    String label = process.label();
    if (!label.endsWith(" …") || !script.startsWith(label.substring(0, label.length() - 2)) || label.equals(script)) {
      return;
    }
    List<String> lines = script.lines().toList();
    int shown = Math.min(lines.size(), MAX_SCRIPT_LINES);
    for (int i = 0; i < shown; i++) {
      line(indent, lines.get(i));
    }
    if (lines.size() > shown) {
      line(indent, "… " + (lines.size() - shown) + " more lines (--format json shows the whole script)");
    }
  }

  /** The most lines of a script the text shows. */
  private static final int MAX_SCRIPT_LINES = 40;

  /** Dependencies besides the previous sibling, which the tree's order already shows. */
  private List<String> explicitDependencies(PlannedStage stage) {
    String previous = previousSibling.get(stage.id());
    return stage.dependsOn().stream().filter(d -> !d.equals(previous)).map(d -> "'" + d + "'").toList();
  }

  /**
   * The validation warnings of the pipeline: what works, but probably not as its author meant.
   * Errors never reach a plan.
   */
  private void warnings() {
    if (plan.warnings().isEmpty()) {
      return;
    }
    out.append("\nwarnings:\n");
    for (Problem warning : plan.warnings()) {
      line("  ", "[" + warning.code() + "] at " + warning.path() + ": " + warning.message() + " Fix: " + warning.fix());
    }
  }

  /**
   * One line: {@code text} comes from the pipeline, so a line break or a control character in a
   * name or a prompt is shown as an escape instead of breaking the tree.
   */
  private void line(String indent, String text) {
    out.append(indent).append(Printable.of(text)).append('\n');
  }

  private void summary() {
    long runs = plan.stages().stream().filter(s -> s.status() == StageStatus.RUN).count();
    long skipped = plan.stages().stream().filter(s -> s.status() == StageStatus.SKIP).count();
    long undecided = plan.stages().size() - runs - skipped;
    long processes = plan.stages().stream().flatMap(s -> s.ops().stream()).filter(Op.RunProcess.class::isInstance).count();
    long waits = plan.stages().stream().mapToLong(s -> s.waits().size()).sum();
    out.append("\n").append(plan.stages().size()).append(plan.stages().size() == 1 ? " stage: " : " stages: ").append(runs).append(" run, ")
        .append(skipped).append(" skipped, ").append(undecided).append(" conditional; ")
        .append(processes).append(processes == 1 ? " process, " : " processes, ")
        .append(waits).append(waits == 1 ? " wait\n" : " waits\n");
  }
}

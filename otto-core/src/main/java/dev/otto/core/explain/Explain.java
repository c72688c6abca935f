package dev.otto.core.explain;

import static java.util.Objects.requireNonNull;

import dev.otto.core.plan.Plan;
import java.util.Locale;

/**
 * Renders a plan for people and tools: what will run, where, in which order, with which
 * environment, caches, gates and secrets (by name).
 *
 * <pre>{@code
 * Plan plan = Planner.plan(pipeline, RunContext.branch("master"));
 * System.out.print(Explain.text(plan));              // a tree for the terminal
 * Files.writeString(path, Explain.json(plan));       // the otto-plan/1 JSON form
 * }</pre>
 *
 * <p>Every rendering is deterministic: the same plan gives the same text, byte for byte, with
 * {@code \n} line ends on every platform.
 */
public final class Explain {
  private Explain() {}

  /** The renderings explain offers. */
  public enum Format {
    TEXT,
    JSON,
    MERMAID,
    DOT;

    /** Renders {@code plan} in this format. */
    public String render(Plan plan) {
      return switch (this) {
        case TEXT -> text(plan);
        case JSON -> json(plan);
        case MERMAID -> mermaid(plan);
        case DOT -> dot(plan);
      };
    }

    /** The format named {@code name}, ignoring case: {@code text}, {@code json}, {@code mermaid} or {@code dot}. */
    public static Format of(String name) {
      requireNonNull(name, "name");
      try {
        return valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown explain format '" + name + "'; use text, json, mermaid or dot", e);
      }
    }
  }

  /** A human-readable tree of the plan. */
  public static String text(Plan plan) {
    return new TextRenderer(requireNonNull(plan, "plan")).render();
  }

  /**
   * The text tree with a note under each stage named in {@code notes}, such as where a host's
   * engine would run it ({@code LocalEngine.executorsFor(plan)}).
   */
  public static String text(Plan plan, java.util.Map<String, String> notes) {
    return new TextRenderer(requireNonNull(plan, "plan"), requireNonNull(notes, "notes")).render();
  }

  /**
   * The plan's JSON form, schema {@value Plan#SCHEMA}, indented, with its fingerprint: {@link
   * Plan#toJson()}.
   */
  public static String json(Plan plan) {
    return requireNonNull(plan, "plan").toJson();
  }

  /**
   * Writes the plan's JSON form to {@code out} as UTF-8 without building it as one string first:
   * the way to write a large plan to a file or a terminal ({@link Plan#writeJson}). Does not close
   * {@code out}.
   */
  public static void writeJson(Plan plan, java.io.OutputStream out) {
    requireNonNull(plan, "plan").writeJson(out);
  }

  /** A Mermaid flowchart, which GitHub renders in Markdown. */
  public static String mermaid(Plan plan) {
    return new GraphRenderer(requireNonNull(plan, "plan")).mermaid();
  }

  /** A Graphviz DOT digraph. */
  public static String dot(Plan plan) {
    return new GraphRenderer(requireNonNull(plan, "plan")).dot();
  }
}

package dev.otto.examples;

import dev.otto.core.OttoException;
import dev.otto.core.explain.Explain;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Explains an example from the command line:
 *
 * <pre>
 * explain webapp [--branch B] [--tag T] [--trigger T] [--param NAME=VALUE]... [--format text|json|mermaid|dot]
 * </pre>
 *
 * <p>Without {@code --branch}, {@code --tag}, {@code --trigger} or {@code --param}, the context is
 * unknown and conditions stay undecided.
 */
public final class ExplainCommand {
  private ExplainCommand() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try {
      out.print(run(args));
    } catch (IllegalArgumentException | OttoException e) {
      System.err.println("explain: " + e.getMessage());
      System.exit(2);
    }
  }

  static String run(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      throw new IllegalArgumentException("name an example first: one of " + String.join(", ", Examples.names()));
    }
    String example = args[0];
    RunContext.Builder context = RunContext.builder();
    boolean known = false;
    Explain.Format format = Explain.Format.TEXT;
    for (int i = 1; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("the option " + option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--branch" -> context.branch(value);
        case "--tag" -> context.tag(value);
        case "--trigger" -> context.trigger(value);
        case "--param" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("write parameters as NAME=VALUE, not '" + value + "'");
          }
          context.param(value.substring(0, eq), value.substring(eq + 1));
        }
        case "--format" -> format = Explain.Format.of(value);
        default -> throw new IllegalArgumentException(
            "unknown option " + option + "; use --branch, --tag, --trigger, --param or --format");
      }
      known |= !option.equals("--format");
    }
    Plan plan = Planner.plan(Examples.get(example), known ? context.build() : RunContext.unknown());
    return format.render(plan);
  }
}

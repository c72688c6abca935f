package dev.otto.cli;

import dev.otto.cli.spi.CommandPlugin;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import picocli.CommandLine;

/**
 * The commands that plugins on the class path add ({@link CommandPlugin}), and, for a command Otto
 * publishes as a plugin, what to add when it is not there: the default command leaves out
 * libraries few runs need (Temporal's SDK is most of a command that carries it).
 */
final class Plugins {
  /** The artifact that adds Temporal support, as Maven names it. */
  static final String TEMPORAL = "dev.otto:otto-cli-temporal:" + OttoCommand.VERSION;

  /** Commands that Otto's own plugins add, and what to do when one is asked for without its plugin. */
  private static final Map<String, String> PUBLISHED = Map.of("worker", "'otto worker' runs a worker of a "
      + "Temporal cluster, and Temporal support is a plugin this otto was started without. Put the plugin on the "
      + "command's class path: java -cp otto-cli-" + OttoCommand.VERSION + "-all.jar:otto-cli-temporal-"
      + OttoCommand.VERSION + "-plugin.jar dev.otto.cli.OttoCommand worker ... (the jar is " + TEMPORAL
      + ":jar:plugin), or run the command with Temporal built in: java -jar otto-cli-temporal-" + OttoCommand.VERSION
      + "-all.jar worker ... (" + TEMPORAL + ":jar:all). With ./otto: OTTO_PLUGIN_PATH="
      + "otto-cli-temporal/target/otto-cli-temporal-plugin.jar ./otto worker ...");

  private Plugins() {}

  /**
   * Adds the commands of every plugin found on the class path to {@code otto}, and has a command
   * line that names a missing plugin's command say what to add: whether it fails to parse, or
   * parses because it asks for help ({@code otto worker --help}), which would show the general
   * help without a word about the plugin.
   */
  static void addTo(CommandLine otto) {
    for (CommandPlugin plugin : ServiceLoader.load(CommandPlugin.class)) {
      for (Object command : plugin.commands()) {
        CommandLine subcommand = new CommandLine(command);
        // A plugin's command that lists its own exit codes keeps them: a worker's are not a run's.
        String[] footer = subcommand.getCommandSpec().usageMessage().footer();
        if (footer == null || footer.length == 0) {
          subcommand.getCommandSpec().usageMessage().footer(ExitCodes.HELP);
        }
        otto.addSubcommand(subcommand);
      }
    }
    otto.setParameterExceptionHandler((e, args) -> {
      java.io.PrintWriter err = e.getCommandLine().getErr();
      String missing = missing(otto, args);
      if (missing != null) {
        err.println("otto: " + missing);
        return ExitCodes.USAGE;
      }
      // What is wrong, and how to find what is right, rather than the whole help after it.
      err.println("otto: " + e.getMessage().replace("option option", "option"));
      Optional<String> command = misspeltCommand(e);
      if (command.isPresent()) {
        err.println("Did you mean '" + e.getCommandLine().getCommandSpec().qualifiedName() + " " + command.get() + "'?");
      } else if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
        err.println(helpHint(e.getCommandLine()));
      }
      return ExitCodes.USAGE;
    });
    CommandLine.IExecutionStrategy execution = otto.getExecutionStrategy();
    otto.setExecutionStrategy(parsed -> {
      String missing = missing(otto, parsed.originalArgs().toArray(String[]::new));
      if (missing == null) {
        return execution.execute(parsed);
      }
      otto.getErr().println("otto: " + missing);
      return ExitCodes.USAGE;
    });
  }

  /**
   * The command a misspelt first word most likely meant: one of the command's subcommands that
   * the word becomes by at most two edits (a letter added, removed, changed, or two swapped), as
   * {@code rnu} is {@code run}; picocli's own suggestions compare pairs of letters, and miss such.
   */
  static Optional<String> misspeltCommand(CommandLine.ParameterException e) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
      return Optional.empty();
    }
    String word = unmatched.getUnmatched().get(0);
    if (word.startsWith("-")) {
      return Optional.empty();
    }
    return e.getCommandLine().getSubcommands().keySet().stream()
        .filter(name -> edits(word, name) <= Math.min(2, name.length() / 2))
        .min(java.util.Comparator.comparingInt((String name) -> edits(word, name)).thenComparing(name -> name));
  }

  /** The optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
  private static int edits(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /**
   * Where to read the options of {@code command}: its own help option, or, for a command without
   * one (a plugin's may have none), the nearest command above it that has one.
   */
  static String helpHint(CommandLine command) {
    for (CommandLine c = command; c != null; c = c.getParent()) {
      java.util.Optional<String> help = c.getCommandSpec().options().stream()
          .filter(CommandLine.Model.OptionSpec::usageHelp).map(CommandLine.Model.OptionSpec::longestName).findFirst();
      if (help.isPresent()) {
        return "Run '" + c.getCommandSpec().qualifiedName() + " " + help.get() + "' for its "
            + (c == command ? "options." : "commands and options.");
      }
    }
    return "See the documentation of '" + command.getCommandSpec().qualifiedName() + "' for its options.";
  }

  /** What to add for the command {@code args} name, when a plugin that is not here adds it; else null. */
  private static String missing(CommandLine otto, String[] args) {
    return Arrays.stream(args).filter(arg -> !arg.startsWith("-")).findFirst()
        .filter(name -> !otto.getSubcommands().containsKey(name))
        .map(PUBLISHED::get).orElse(null);
  }
}

package dev.otto.cli;

import dev.otto.core.OttoException;
import dev.otto.core.validate.PipelineValidationException;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code otto} command: explain, validate, run and resume pipelines from a terminal. */
@Command(name = "otto", mixinStandardHelpOptions = true, version = "otto " + OttoCommand.VERSION,
    description = "Explains, validates and runs continuous delivery pipelines written as Java code "
        + "(an Ottofile.java) or detected from a repository's files.",
    footer = ExitCodes.HELP)
public final class OttoCommand implements Runnable {
  /** This command's version, which names the plugins that go with it. */
  static final String VERSION = "0.1.0-SNAPSHOT";

  /**
   * The built-in commands by name, in the order the help lists them. Picocli reads a command's
   * annotations, and loads the classes they name, when the command is added: for all of them, a
   * good part of the command's start.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("explain", ExplainCommand::new);
    COMMANDS.put("validate", ValidateCommand::new);
    COMMANDS.put("run", RunCommand::new);
    COMMANDS.put("resume", ResumeCommand::new);
    COMMANDS.put("restart", RestartCommand::new);
    COMMANDS.put("deployments", DeploymentsCommand::new);
    COMMANDS.put("prune", PruneCommand::new);
    COMMANDS.put("init", InitCommand::new);
    COMMANDS.put("approve", ApproveCommand::new);
    COMMANDS.put("callback", CallbackCommand::new);
    COMMANDS.put("help", CommandLine.HelpCommand::new);
    COMMANDS.put("generate-completion", picocli.AutoComplete.GenerateCompletion::new);
  }

  /** Commands that read the others: the help, and the shell completion of every command. */
  private static final List<String> NEED_ALL = List.of("help", "generate-completion");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. 'otto explain'");
  }

  /**
   * The command line, with the commands of the plugins on the class path ({@link
   * dev.otto.cli.spi.CommandPlugin}) and Otto's failures turned into messages and exit codes: what
   * a plugin's tests run it through. {@link #main} runs the same with only the command it runs.
   */
  public static CommandLine commandLine() {
    return commandLine(COMMANDS.keySet());
  }

  /**
   * The command line for {@code args}: with only the built-in command they start with, when there
   * is one that needs no other, and else with all of them, which parses {@code args} the same way.
   */
  static CommandLine commandLine(String[] args) {
    return args.length > 0 && COMMANDS.containsKey(args[0]) && !NEED_ALL.contains(args[0])
        ? commandLine(List.of(args[0])) : commandLine();
  }

  private static CommandLine commandLine(Collection<String> names) {
    CommandLine line = new CommandLine(new OttoCommand());
    for (String name : names) {
      line.addSubcommand(COMMANDS.get(name).get());
    }
    Plugins.addTo(line);
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      if (e instanceof CliException cli) {
        err.println("otto: " + cli.getMessage());
        return cli.exitCode();
      }
      if (e instanceof PipelineValidationException invalid) {
        err.println("otto: " + invalid.getMessage().strip());
        return ExitCodes.INVALID_PIPELINE;
      }
      if (e instanceof dev.otto.core.plan.InvalidRunContextException context) {
        // The run's context comes from the command line: a parameter or environment it names wrongly.
        err.println("otto: " + context.getMessage());
        return ExitCodes.USAGE;
      }
      if (e instanceof OttoException otto) {
        err.println("otto: " + otto.getMessage());
        return ExitCodes.CANNOT_RUN;
      }
      throw e;
    });
    return line;
  }

  public static void main(String[] args) {
    CommandLine line = commandLine(args);
    line.setOut(new StandardOutput(line.getOut(), System.out));
    System.exit(line.execute(args));
  }
}

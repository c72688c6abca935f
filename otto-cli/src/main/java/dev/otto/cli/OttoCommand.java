package dev.otto.cli;

import dev.otto.core.OttoException;
import dev.otto.core.validate.PipelineValidationException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code otto} command: explain, validate, run and resume pipelines from a terminal. */
@Command(name = "otto", mixinStandardHelpOptions = true, version = "otto " + OttoCommand.VERSION,
    description = "Explains, validates and runs continuous delivery pipelines written as Java code "
        + "(an Ottofile.java) or detected from a repository's files.",
    subcommands = {ExplainCommand.class, ValidateCommand.class, RunCommand.class, ResumeCommand.class,
        DeploymentsCommand.class, InitCommand.class, ApproveCommand.class, CallbackCommand.class,
        CommandLine.HelpCommand.class,
        picocli.AutoComplete.GenerateCompletion.class},
    footer = ExitCodes.HELP)
public final class OttoCommand implements Runnable {
  /** This command's version, which names the plugins that go with it. */
  static final String VERSION = "0.1.0-SNAPSHOT";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. 'otto explain'");
  }

  /**
   * The command line, with the commands of the plugins on the class path ({@link
   * dev.otto.cli.spi.CommandPlugin}) and Otto's failures turned into messages and exit codes: what
   * {@link #main} runs, and what a plugin's tests run it through.
   */
  public static CommandLine commandLine() {
    CommandLine line = new CommandLine(new OttoCommand());
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
      if (e instanceof OttoException otto) {
        err.println("otto: " + otto.getMessage());
        return ExitCodes.CANNOT_RUN;
      }
      throw e;
    });
    return line;
  }

  public static void main(String[] args) {
    CommandLine line = commandLine();
    line.setOut(new StandardOutput(line.getOut(), System.out));
    System.exit(line.execute(args));
  }
}

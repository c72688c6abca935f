package dev.otto.cli;

import dev.otto.core.model.Pipeline;
import dev.otto.core.validate.Problem;
import dev.otto.core.validate.Validator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code otto validate}: every problem of a pipeline, at once. */
@Command(name = "validate", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
    description = "Checks the pipeline and lists every problem, with its code, where it is and how to fix it.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "the folder; the current one by default")
  Path dir = Path.of(".");

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PipelineSource.Loaded loaded = PipelineSource.load(dir);
    Pipeline pipeline = loaded.pipeline();
    List<Problem> problems = Validator.validate(pipeline);
    PrintWriter out = spec.commandLine().getOut();
    long errors = problems.stream().filter(Problem::isError).count();
    out.printf("pipeline '%s' from %s: %s%n", pipeline.name(), loaded.source(),
        problems.isEmpty() ? "valid" : errors + " errors, " + (problems.size() - errors) + " warnings");
    for (Problem problem : problems) {
      out.println("  " + problem.toString().replace("\n", "\n  "));
    }
    out.flush();
    return errors == 0 ? ExitCodes.OK : ExitCodes.INVALID_PIPELINE;
  }
}

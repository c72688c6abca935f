package dev.otto.cli;

import dev.otto.core.Printable;
import dev.otto.core.model.Pipeline;
import dev.otto.core.validate.Problem;
import dev.otto.core.validate.Validator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code otto validate}: every problem of a pipeline, at once. */
@Command(name = "validate", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
    description = "Checks the pipeline and lists every problem, errors and warnings, with its code, where it is and "
        + "how to fix it. Warnings alone leave the pipeline valid: the exit code is 0.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "the folder; the current one by default")
  Path dir = Path.of(".");

  @Mixin
  DependencyOptions dependencies;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PipelineSource.Loaded loaded = PipelineSource.load(dir, false, dependencies);
    Pipeline pipeline = loaded.pipeline();
    List<Problem> problems = Validator.validate(pipeline);
    PrintWriter out = spec.commandLine().getOut();
    long errors = problems.stream().filter(Problem::isError).count();
    long warnings = problems.size() - errors;
    out.printf("pipeline '%s' from %s: %s%n", Printable.of(pipeline.name()), loaded.source(), verdict(errors, warnings));
    for (Problem problem : problems) {
      out.println("  " + problem.toString().replace("\n", "\n  "));
    }
    out.flush();
    return errors == 0 ? ExitCodes.OK : ExitCodes.INVALID_PIPELINE;
  }

  /** {@code valid}, {@code valid, with 1 warning}, or {@code 2 errors, 0 warnings}. */
  private static String verdict(long errors, long warnings) {
    if (errors > 0) {
      return count(errors, "error") + ", " + count(warnings, "warning");
    }
    return warnings > 0 ? "valid, with " + count(warnings, "warning") : "valid";
  }

  private static String count(long n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }
}

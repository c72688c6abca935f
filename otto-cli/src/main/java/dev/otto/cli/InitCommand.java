package dev.otto.cli;

import dev.otto.conventions.ConventionException;
import dev.otto.conventions.Conventions;
import dev.otto.conventions.Project;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code otto init}: writes an Ottofile.java that starts from the folder's conventions. */
@Command(name = "init", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
    description = "Writes an Ottofile.java that starts from the conventions detected in the folder, ready to adjust "
        + "and extend. Never overwrites an existing one.")
final class InitCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "the folder; the current one by default")
  Path dir = Path.of(".");

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Path target = dir.resolve(PipelineSource.OTTOFILE);
    if (Files.exists(target)) {
      throw new CliException(ExitCodes.USAGE, target + " exists already; edit it, or remove it first");
    }
    Path absolute = dir.toAbsolutePath().normalize();
    List<Project> projects;
    try {
      projects = Conventions.in(absolute).projects();
    } catch (ConventionException e) {
      throw new CliException(ExitCodes.CANNOT_RUN, e.getMessage());
    }
    String name = absolute.getFileName() == null ? "pipeline" : absolute.getFileName().toString();
    StringBuilder found = new StringBuilder();
    for (Project project : projects) {
      found.append("//   ").append(project.convention()).append(": ").append(project.reason()).append('\n');
    }
    String source = """
        import static dev.otto.dsl.Otto.sh;

        import dev.otto.conventions.Conventions;
        import dev.otto.core.model.Pipeline;
        import java.nio.file.Path;

        // The pipeline of this folder. Otto found:
        %s//
        // Explain it with 'otto explain', run it with 'otto run'. Adjust a convention's projects with
        // adjust("id", project -> project.withImage(...).withTest(...)), and add stages after them below.
        public class Ottofile {
          public static Pipeline pipeline() {
            return Conventions.in(Path.of("%s"))
                .pipeline("%s", p -> {
                  // p.stage("Deploy", s -> s.steps(sh("./deploy.sh")));
                });
          }
        }
        """.formatted(found, absolute.toString().replace("\\", "\\\\").replace("\"", "\\\""),
        name.replace("\\", "\\\\").replace("\"", "\\\""));
    Files.writeString(target, source, StandardCharsets.UTF_8);
    spec.commandLine().getOut().println("wrote " + target + " from " + projects.size()
        + (projects.size() == 1 ? " project" : " projects"));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}

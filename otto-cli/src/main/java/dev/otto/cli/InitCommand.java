package dev.otto.cli;

import dev.otto.conventions.ConventionException;
import dev.otto.conventions.Conventions;
import dev.otto.conventions.Project;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code otto init}: writes an Ottofile.java that starts from the folder's conventions, or, where
 * none matches, a starter pipeline that runs anywhere with a shell. The file names no folder, so
 * it works in every checkout, and {@code .otto/} is kept out of git.
 */
@Command(name = "init", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
    description = "Writes an Ottofile.java that starts from the conventions detected in the folder, ready to adjust "
        + "and extend, or a starter pipeline when none matches. Adds .otto/ to the folder's .gitignore in a git "
        + "work tree. Never overwrites an existing Ottofile.java.")
final class InitCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "the folder; the current one by default")
  Path dir = Path.of(".");

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PipelineSource.requireFolder(dir);
    Path target = dir.resolve(PipelineSource.OTTOFILE);
    if (Files.exists(target)) {
      throw new CliException(ExitCodes.USAGE, target + " exists already; edit it, or remove it first");
    }
    Path folder = dir.toAbsolutePath().normalize();
    String name = folder.getFileName() == null ? "pipeline" : folder.getFileName().toString();
    PrintWriter out = spec.commandLine().getOut();
    try {
      Conventions conventions = Conventions.in(folder);
      if (conventions.matchesAny()) {
        List<Project> projects = conventions.projects();
        Files.writeString(target, fromConventions(name, projects), StandardCharsets.UTF_8);
        out.println("wrote " + target + " from " + projects.size() + (projects.size() == 1 ? " project" : " projects"));
      } else {
        Files.writeString(target, starter(name), StandardCharsets.UTF_8);
        out.println("no convention matches " + folder + ", so " + target + " is a starter pipeline that runs "
            + "anywhere with a shell: 'otto run " + dir + "' runs it; replace its steps with your build's commands");
      }
    } catch (ConventionException e) {
      throw new CliException(ExitCodes.CANNOT_RUN, e.getMessage());
    }
    switch (GitIgnore.ignoreOttoFolder(folder)) {
      case ADDED -> out.println("added " + GitIgnore.ENTRY + " to " + folder.resolve(".gitignore"));
      case NO_GIT -> out.println("otto keeps its runs and caches in " + GitIgnore.ENTRY + " beside the Ottofile; "
          + "add " + GitIgnore.ENTRY + " to the ignore file of your version control");
      case IGNORED_ALREADY -> { }
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** An Ottofile given its folder by the command, so that it finds the projects wherever it is checked out. */
  private static String fromConventions(String name, List<Project> projects) {
    StringBuilder found = new StringBuilder();
    for (Project project : projects) {
      found.append("//   ").append(project.convention()).append(": ").append(project.reason()).append('\n');
    }
    return """
        import static dev.otto.dsl.Otto.sh;

        import dev.otto.conventions.Conventions;
        import dev.otto.core.model.Pipeline;
        import java.nio.file.Path;

        // The pipeline of this folder. Otto found:
        %s//
        // Explain it with 'otto explain', run it with 'otto run'. Adjust a convention's projects with
        // adjust("id", project -> project.withImage(...).withBuild(...)) (withTest(...) for a Test stage's command),
        // and add stages after them below.
        public class Ottofile {
          /** The otto command gives the folder this file is in, wherever it was checked out. */
          public static Pipeline pipeline(Path folder) {
            return Conventions.in(folder)
                .pipeline("%s", p -> {
                  // p.stage("Deploy", s -> s.steps(sh("./deploy.sh")));
                });
          }
        }
        """.formatted(found, javaString(name));
  }

  private static String starter(String name) {
    return """
        import static dev.otto.dsl.Otto.sh;

        import dev.otto.core.model.Pipeline;
        import dev.otto.dsl.Otto;

        // A starter pipeline: Otto found no project it knows in this folder. Its steps only print, so it
        // runs anywhere with a shell. Explain it with 'otto explain', run it with 'otto run', and replace
        // the steps with your build's commands; the DSL adds caches, secrets, approvals and deployments.
        public class Ottofile {
          public static Pipeline pipeline() {
            return Otto.pipeline("%s", p -> {
              p.stage("Build", s -> s.steps(sh("echo 'build: put the command that builds the project here'")));
              p.stage("Test", s -> s.steps(sh("echo 'test: put the command that tests the project here'")));
            });
          }
        }
        """.formatted(javaString(name));
  }

  private static String javaString(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}

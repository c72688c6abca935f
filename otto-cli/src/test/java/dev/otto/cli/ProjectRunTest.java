package dev.otto.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** `otto run DIR` works on DIR's own files and leaves DIR as it found it. */
@EnabledOnOs(OS.LINUX)
class ProjectRunTest {
  @TempDir
  Path temp;

  static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Otto", "-c", "user.email=otto@example.org",
        "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
    command.addAll(List.of(args));
    Process git = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(git.waitFor()).as(out).isZero();
    return out;
  }

  private Path project() throws Exception {
    Path project = Files.createDirectories(temp.resolve("project"));
    Files.writeString(project.resolve(".gitignore"), "out/\n");
    Files.writeString(project.resolve("version.txt"), "1.0\n");
    Files.writeString(project.resolve("Ottofile.java"), """
        import static dev.otto.dsl.Otto.sh;

        import dev.otto.core.model.Pipeline;
        import dev.otto.dsl.Otto;

        public class Ottofile {
          public static Pipeline pipeline() {
            return Otto.pipeline("project", p -> p.stage("Build", s -> s.steps(
                sh("echo \\"version $(cat version.txt) at $(git rev-parse --short HEAD)\\""),
                sh("mkdir -p out && echo built > out/app && echo 2.0 > version.txt && rm Ottofile.java"))));
          }
        }
        """);
    git(project, "init", "-q");
    git(project, "add", "-A");
    git(project, "commit", "-q", "-m", "first");
    Files.writeString(project.resolve("notes.txt"), "untracked\n");
    return project;
  }

  @Test
  void should_run_on_the_project_s_files_and_leave_the_project_unchanged() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")) || Files.isExecutable(Path.of("/bin/git")), "needs git");
    // given a git project with an untracked file
    Path project = project();
    String head = git(project, "rev-parse", "--short", "HEAD").strip();
    String before = git(project, "status", "--porcelain", "--ignored");

    // when it runs with its runs and caches elsewhere
    OttoCommandTest.Outcome outcome = OttoCommandTest.otto("run", project.toString(),
        "--runs", temp.resolve("runs").toString(), "--caches", temp.resolve("caches").toString());

    // then the steps saw the project's files and its commit, and the project is as it was
    assertThat(outcome.code()).as(outcome.err()).isZero();
    assertThat(outcome.out()).contains("workspace: the files of " + project + " as git sees them",
        "Build | version 1.0 at " + head);
    assertThat(git(project, "status", "--porcelain", "--ignored")).isEqualTo(before);
    assertThat(Files.readString(project.resolve("version.txt"))).isEqualTo("1.0\n");
    assertThat(project.resolve("out")).doesNotExist();
  }

  @Test
  void should_keep_only_its_own_state_in_the_project_with_the_default_folders() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")) || Files.isExecutable(Path.of("/bin/git")), "needs git");
    // given
    Path project = project();
    String before = git(project, "status", "--porcelain", "--ignored");

    // when it runs twice with the default runs folder, .otto/ in the project
    assertThat(OttoCommandTest.otto("run", project.toString()).code()).isZero();
    OttoCommandTest.Outcome second = OttoCommandTest.otto("run", project.toString());

    // then the second run did not copy the first's state, and only .otto/ is new in the project
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("Build | version 1.0");
    assertThat(git(project, "status", "--porcelain", "--ignored").lines().filter(line -> !line.endsWith(".otto/")))
        .containsExactlyElementsOf(before.lines().toList());
  }

  @Test
  void should_explain_where_the_workspace_comes_from() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")) || Files.isExecutable(Path.of("/bin/git")), "needs git");
    Path project = project();

    assertThat(OttoCommandTest.otto("explain", project.toString()).out())
        .contains("\nworkspace: the files of " + project + " as git sees them");
    assertThat(OttoCommandTest.otto("explain", "--from", "head", project.toString()).out())
        .contains("\nworkspace: the last commit (HEAD) of " + project);
    assertThat(OttoCommandTest.otto("explain", "--from", "nowhere", project.toString()).err())
        .contains("--from is worktree, head or empty, not 'nowhere'");
  }

  @Test
  void should_decide_changed_path_conditions_from_git_with_changed_since() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")) || Files.isExecutable(Path.of("/bin/git")), "needs git");
    // given a project whose docs stage runs only when docs change, and a commit that changes only code
    Path project = Files.createDirectories(temp.resolve("changes"));
    Files.writeString(project.resolve("Ottofile.java"), """
        import static dev.otto.dsl.Otto.changed;
        import static dev.otto.dsl.Otto.sh;

        import dev.otto.core.model.Pipeline;
        import dev.otto.dsl.Otto;

        public class Ottofile {
          public static Pipeline pipeline() {
            return Otto.pipeline("changes", p -> {
              p.parallel("Parts", parts -> {
                parts.stage("Code", s -> s.when(changed("src/**")).steps(sh("echo code")));
                parts.stage("Docs", s -> s.when(changed("docs/**", "*.md")).steps(sh("echo docs")));
              });
            });
          }
        }
        """);
    Files.createDirectories(project.resolve("src"));
    Files.writeString(project.resolve("src/a.c"), "int a;\n");
    git(project, "init", "-q");
    git(project, "add", "-A");
    git(project, "commit", "-q", "-m", "first");
    Files.writeString(project.resolve("src/a.c"), "int a = 1;\n");
    git(project, "commit", "-q", "-am", "code only");

    // when explained for the last commit's changes, and given by hand
    OttoCommandTest.Outcome fromGit = OttoCommandTest.otto("explain", "--changed-since", "HEAD~1",
        project.toString());
    OttoCommandTest.Outcome byHand = OttoCommandTest.otto("explain", "--branch", "main", "--changed", "README.md",
        project.toString());
    OttoCommandTest.Outcome wrongBase = OttoCommandTest.otto("explain", "--changed-since", "no-such-base",
        project.toString());

    // then
    assertThat(fromGit.out()).contains("Code  [runs]", "Docs  [skipped]",
        "skipped because [changed files match 'docs/**' or '*.md'] is false", "1 changed file");
    assertThat(byHand.out()).contains("Docs  [runs]", "Code  [skipped]");
    assertThat(wrongBase.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(wrongBase.err()).contains("could not find the files changed since 'no-such-base'");
  }

  @Test
  void should_run_container_stages_as_local_processes_when_told_to_use_no_container_engine() throws Exception {
    // given a stage in a container, on a machine where an engine may answer but no image can be pulled
    Path project = Files.createDirectories(temp.resolve("no-engine"));
    Files.writeString(project.resolve("Ottofile.java"), """
        import static dev.otto.dsl.Otto.docker;
        import static dev.otto.dsl.Otto.sh;

        import dev.otto.core.model.Pipeline;
        import dev.otto.dsl.Otto;

        public class Ottofile {
          public static Pipeline pipeline() {
            return Otto.pipeline("imaged", p -> p.stage("Build", s -> s.runtime(docker("example/never-pulled:1"))
                .steps(sh("echo built here"))));
          }
        }
        """);

    // when it runs with no container engine, falling back to local processes
    OttoCommandTest.Outcome outcome = OttoCommandTest.otto("run", "--container-engine", "none", "--containers",
        "local", "--runs", temp.resolve("runs").toString(), project.toString());
    OttoCommandTest.Outcome refused = OttoCommandTest.otto("run", "--container-engine", "none", "--runs",
        temp.resolve("runs").toString(), project.toString());

    // then it ran here, and without the fallback it is refused, naming the option
    assertThat(outcome.code()).as(outcome.err()).isZero();
    assertThat(outcome.out()).contains("Build | built here");
    assertThat(refused.code()).isEqualTo(ExitCodes.CANNOT_RUN);
    assertThat(refused.err()).contains("--containers local");
  }
}

package dev.otto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OttoCommandTest {
  @TempDir
  Path dir;

  /** What a command printed, and its exit code. */
  record Outcome(int code, String out, String err) {
    /** The id of the run whose summary this command printed last. */
    String runId() {
      return out.replaceAll("(?s).*\nrun (\\S+) (succeeded|failed|cancelled) in .*", "$1");
    }
  }

  static Outcome otto(String... args) {
    return run(OttoCommand.commandLine(), args);
  }

  static Outcome run(CommandLine line, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream before = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      line.setOut(new PrintWriter(out));
      line.setErr(new PrintWriter(err));
      int code = line.execute(args);
      return new Outcome(code, out + printed.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(before);
    }
  }

  Path ottofile(String body) throws Exception {
    Files.writeString(dir.resolve("Ottofile.java"), """
        import static dev.otto.dsl.Otto.sh;
        import static dev.otto.dsl.Otto.approval;
        import static dev.otto.dsl.Otto.branch;
        import static dev.otto.dsl.Otto.when;

        import dev.otto.core.model.Pipeline;
        import dev.otto.dsl.Otto;

        public class Ottofile {
          public static Pipeline pipeline() {
            return Otto.pipeline("shop", p -> {
        %s
            });
          }
        }
        """.formatted(body));
    return dir;
  }

  /** Runs the pipeline {@code body} declares, keeping runs under {@code runs}; returns the run's id. */
  String ranOnce(String body, String runs) throws Exception {
    ottofile(body);
    return otto("run", dir.toString(), "--runs", runs).runId();
  }

  @Nested
  class OneCommand {
    @Test
    void should_hold_only_the_command_run_when_main_runs_a_built_in_one_that_needs_no_other() {
      // when
      CommandLine explain = OttoCommand.commandLine(new String[] {"explain", "."});
      CommandLine help = OttoCommand.commandLine(new String[] {"help", "explain"});
      CommandLine misspelt = OttoCommand.commandLine(new String[] {"explian"});

      // then
      assertThat(explain.getSubcommands()).containsOnlyKeys("explain");
      assertThat(help.getSubcommands().keySet()).containsExactlyElementsOf(
          OttoCommand.commandLine().getSubcommands().keySet());
      assertThat(misspelt.getSubcommands().keySet()).containsExactly("explain", "validate", "run", "resume",
          "restart", "deployments", "prune", "init", "approve", "callback", "help", "generate-completion");
    }

    @Test
    void should_say_what_is_wrong_with_an_option_and_where_to_look_without_the_whole_help() {
      // when
      Outcome noValue = otto("run", "--branch");
      Outcome badValue = otto("run", "--param", "foo");
      Outcome misspelt = otto("run", "--contaner-engine", "none");

      // then
      assertThat(noValue.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(noValue.err()).isEqualTo("otto: Missing required parameter for option '--branch' (B)"
          + System.lineSeparator() + "Run 'otto run --help' for its options." + System.lineSeparator());
      assertThat(badValue.err()).startsWith("otto: Value for option '--param' (NAME=VALUE) should be in KEY=VALUE "
          + "format but was foo").doesNotContain("Usage:");
      assertThat(misspelt.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(misspelt.err()).contains("Unknown option: '--contaner-engine'", "--container-engine")
          .doesNotContain("Usage:");
    }

    @CommandLine.Command(name = "bare")
    static final class Bare implements Runnable {
      @CommandLine.Option(names = "--size")
      int size;

      @Override
      public void run() {}
    }

    @Test
    void should_name_the_command_a_misspelt_one_most_likely_meant() {
      Outcome swapped = otto("rnu", dir.toString());
      Outcome missing = otto("explan", dir.toString());
      Outcome unlike = otto("deploy", dir.toString());

      assertThat(swapped.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(swapped.err()).contains("'rnu'", "Did you mean 'otto run'?");
      assertThat(missing.err()).contains("Did you mean 'otto explain'?");
      assertThat(unlike.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(unlike.err()).doesNotContain("Did you mean 'otto");
    }

    @Test
    void should_point_a_command_without_a_help_option_to_the_help_of_the_command_above_it() {
      // given
      CommandLine otto = OttoCommand.commandLine();
      otto.addSubcommand(new CommandLine(new Bare()));

      // when
      String bare = Plugins.helpHint(otto.getSubcommands().get("bare"));
      String run = Plugins.helpHint(otto.getSubcommands().get("run"));

      // then
      assertThat(bare).isEqualTo("Run 'otto --help' for its commands and options.");
      assertThat(run).isEqualTo("Run 'otto run --help' for its options.");
    }

    @Test
    void should_call_a_parameter_the_pipeline_does_not_declare_a_usage_error() throws Exception {
      ottofile("p.stage(\"Build\", s -> s.steps(sh(\"true\")));");

      Outcome unknown = otto("explain", dir.toString(), "--param", "foo=bar");

      assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(unknown.err()).contains("'foo' is not a parameter of the pipeline; declared: []");
    }

    @Test
    void should_refuse_a_parallelism_below_one_and_a_report_path_that_is_a_folder_before_the_run() throws Exception {
      ottofile("p.stage(\"Build\", s -> s.steps(sh(\"touch built\")));");
      String runs = dir.resolve("runs").toString();

      Outcome none = otto("run", dir.toString(), "--runs", runs, "--parallelism", "0");
      Outcome folder = otto("run", dir.toString(), "--runs", runs, "--report", dir.toString());

      assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(none.err()).isEqualTo("otto: --parallelism is how many stages run at once, at least 1, not 0"
          + System.lineSeparator());
      assertThat(folder.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(folder.err()).contains("--report names the file to write", "is a folder");
      assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void should_keep_its_runs_and_caches_out_of_git_without_a_gitignore_of_the_project() throws Exception {
      ottofile("p.stage(\"Build\", s -> s.steps(sh(\"true\")));");
      git("init", "-q");

      Outcome run = otto("run", dir.toString());
      String status = git("status", "--porcelain", "--untracked-files=all");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(dir.resolve(".otto/.gitignore")).content().endsWith("*\n");
      assertThat(dir.resolve(".otto/runs")).isDirectory();
      assertThat(status).isEqualTo("?? Ottofile.java\n");
    }

    @Test
    void should_make_the_otto_folder_for_caches_only_when_one_is_saved_if_runs_go_elsewhere() throws Exception {
      // given
      String runs = dir.resolve("runs").toString();
      ottofile("p.stage(\"Build\", s -> s.steps(sh(\"true\")));");

      // when a pipeline without caches runs
      Outcome plain = otto("run", dir.toString(), "--runs", runs);

      // then
      assertThat(plain.code()).as(plain.err()).isZero();
      assertThat(dir.resolve(".otto")).doesNotExist();

      // when one with a cache runs
      ottofile("""
          var deps = p.cache("deps", "vendor/");
          p.stage("Build", s -> s.restores(deps).saves(deps).steps(sh("mkdir -p vendor && echo lib > vendor/lib")));
          """);
      Outcome cached = otto("run", dir.toString(), "--runs", runs);

      // then
      assertThat(cached.code()).as(cached.err()).isZero();
      assertThat(dir.resolve(".otto/.gitignore")).content().endsWith("*\n");
      assertThat(dir.resolve(".otto/caches/deps")).isDirectory();
    }

    @Test
    void should_refuse_runs_or_caches_in_the_project_folder_itself() throws Exception {
      ottofile("p.stage(\"Build\", s -> s.steps(sh(\"true\")));");

      Outcome runs = otto("run", dir.toString(), "--runs", dir.toString());
      Outcome caches = otto("run", dir.toString(), "--runs", dir.resolve("r").toString(), "--caches",
          dir.resolve(".").toString());

      assertThat(runs.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(runs.err()).contains("--runs is the project folder itself, so every run would be copied into the "
          + "next one's workspace and show in git; give a folder of its own, e.g. --runs ");
      assertThat(caches.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(caches.err()).contains("--caches is the project folder itself");
      try (var entries = Files.list(dir)) {
        assertThat(entries.map(path -> path.getFileName().toString())).containsExactly("Ottofile.java");
      }
    }

    @Test
    void should_keep_runs_and_caches_folders_it_makes_inside_the_project_out_of_git() throws Exception {
      // given a project in git whose runs and caches go to folders of their own inside it
      ottofile("""
          var deps = p.cache("deps", "vendor/");
          p.stage("Build", s -> s.restores(deps).saves(deps).steps(sh("mkdir -p vendor && echo lib > vendor/lib")));
          """);
      git("init", "-q");
      Path kept = Files.createDirectories(dir.resolve("kept"));

      // when
      Outcome run = otto("run", dir.toString(), "--runs", dir.resolve("myruns").toString(), "--caches",
          dir.resolve("mycaches").toString());
      Outcome again = otto("run", dir.toString(), "--runs", kept.toString());
      String status = git("status", "--porcelain", "--untracked-files=all");

      // then git sees only the Ottofile, and a folder that was there already is left as it was
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(dir.resolve("myruns/.gitignore")).content().endsWith("*\n");
      assertThat(dir.resolve("mycaches/.gitignore")).content().endsWith("*\n");
      assertThat(kept.resolve(".gitignore")).doesNotExist();
      assertThat(status).contains("?? Ottofile.java\n").doesNotContain("myruns").doesNotContain("mycaches");
    }

    @Test
    void should_run_on_the_branch_the_work_tree_is_on_unless_told() throws Exception {
      ottofile("""
          p.stage("Build", s -> s.steps(sh("echo built")));
          p.stage("Deploy", s -> s.when(branch().is("main")).steps(sh("echo deployed")));
          """);
      git("init", "-q");
      git("symbolic-ref", "HEAD", "refs/heads/feature/login");
      String runs = dir.resolve("runs").toString();

      Outcome feature = otto("run", dir.toString(), "--runs", runs);
      Outcome told = otto("run", dir.toString(), "--runs", runs, "--branch", "main");

      assertThat(feature.code()).as(feature.err()).isZero();
      assertThat(feature.out()).contains("Build | built").doesNotContain("Deploy | deployed")
          .containsPattern("skipped +Deploy .*branch");
      assertThat(told.out()).contains("Deploy | deployed");
    }

    @Test
    void should_run_a_detached_head_on_no_branch_at_the_tag_that_points_there() throws Exception {
      org.junit.jupiter.api.Assumptions.assumeTrue(CiBranch.of(System.getenv()).isEmpty(),
          "a CI system's variable names the branch here: a detached HEAD runs on it");
      // given a work tree whose branch is main, checked out detached at a tag, then at a commit no tag names
      ottofile("""
          p.stage("Build", s -> s.steps(sh("echo built")));
          p.parallel("Ship", g -> {
            g.stage("Deploy", s -> s.when(branch().is("main")).steps(sh("echo deployed")));
            g.stage("Release", s -> s.when(Otto.tag().matches("v*")).steps(sh("echo released")));
          });
          """);
      git("init", "-q", "-b", "main");
      git("add", "Ottofile.java");
      git("-c", "user.name=Otto", "-c", "user.email=otto@example.org", "commit", "-q", "-m", "first");
      git("tag", "v1.0");
      git("-c", "user.name=Otto", "-c", "user.email=otto@example.org", "commit", "-q", "--allow-empty", "-m",
          "second");
      String runs = dir.resolve("runs").toString();

      // when
      git("checkout", "-q", "--detach", "v1.0");
      Outcome tagged = otto("run", dir.toString(), "--runs", runs);
      git("checkout", "-q", "--detach", "main");
      Outcome bare = otto("run", dir.toString(), "--runs", runs);
      Outcome told = otto("run", dir.toString(), "--runs", runs, "--branch", "main");

      // then a branch condition is met only on the branch, and a tag condition at the tag
      assertThat(tagged.code()).as(tagged.err()).isZero();
      assertThat(tagged.out()).contains("Build | built", "Release | released").doesNotContain("deployed");
      assertThat(bare.code()).as(bare.err()).isZero();
      assertThat(bare.out()).contains("Build | built").doesNotContain("deployed").doesNotContain("released");
      assertThat(told.out()).contains("Deploy | deployed");
    }

    private String git(String... args) throws Exception {
      List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
      command.addAll(List.of(args));
      Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(git.waitFor()).as(output).isZero();
      return output;
    }

    @Test
    void should_refuse_dependencies_for_a_folder_whose_pipeline_comes_from_the_conventions() throws Exception {
      Files.writeString(dir.resolve("Makefile"), "all:\n\ttrue\n");

      Outcome deps = otto("explain", dir.toString(), "--deps", "foo");
      Outcome emptyClassPath = otto("explain", dir.toString(), "--class-path", "");

      assertThat(deps.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(deps.err()).contains("--deps adds to the class path of an Ottofile.java, and " + dir
          + " has none: its pipeline comes from the conventions.");
      assertThat(emptyClassPath.code()).as(emptyClassPath.err()).isZero();
    }

    @Test
    void should_remove_the_workspaces_of_older_finished_runs() throws Exception {
      ottofile("p.stage(\"Build\", s -> s.steps(sh(\"echo made > made.txt\")));");
      String runs = dir.resolve("runs").toString();
      assertThat(otto("run", dir.toString(), "--runs", runs).code()).isZero();
      Thread.sleep(20);
      assertThat(otto("run", dir.toString(), "--runs", runs).code()).isZero();

      Outcome pruned = otto("prune", dir.toString(), "--runs", runs, "--keep", "1");
      Outcome none = otto("prune", dir.resolve("nowhere").toString());
      Outcome negative = otto("prune", dir.toString(), "--runs", runs, "--keep", "-1");

      assertThat(pruned.code()).as(pruned.err()).isZero();
      assertThat(pruned.out()).containsPattern("removed the workspace of run \\d{8}-")
          .contains("removed 1 workspace (0.0 MiB); the newest finished run keeps its workspace");
      try (var folders = Files.list(dir.resolve("runs"))) {
        assertThat(folders.filter(run -> Files.exists(run.resolve("workspace/made.txt")))).hasSize(1);
      }
      assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(none.err()).contains("there are no runs in " + dir.resolve("nowhere/.otto/runs"));
      assertThat(negative.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void should_refuse_a_secrets_folder_that_is_not_one_before_the_run() throws Exception {
      ottofile("p.stage(\"Build\", s -> s.steps(sh(\"true\")));");
      Path file = Files.writeString(dir.resolve("token"), "not a folder");

      Outcome missing = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString(), "--secrets-dir",
          dir.resolve("nosuch").toString());
      Outcome notFolder = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString(), "--secrets-dir",
          file.toString());

      assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(missing.err()).contains("--secrets-dir names the folder secrets are read from, a file each; "
          + dir.resolve("nosuch") + " does not exist");
      assertThat(notFolder.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(notFolder.err()).contains(file + " is a file");
      assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void should_keep_a_secrets_folder_inside_the_project_out_of_the_run_s_workspace() throws Exception {
      ottofile("""
          var token = p.secret("api-token");
          p.stage("Use", s -> s.steps(sh("test -n \\"$TOKEN\\" && ls -a > seen.txt").with(token.asEnv("TOKEN"))));
          """);
      Files.createDirectories(dir.resolve("secrets"));
      Files.writeString(dir.resolve("secrets/api-token"), "canary-7d1e5b90");
      String runs = dir.resolve("runs").toString();

      Outcome inside = otto("run", dir.toString(), "--runs", runs, "--secrets-dir", dir.resolve("secrets").toString());
      Outcome itself = otto("run", dir.toString(), "--runs", runs, "--secrets-dir", dir.toString());

      assertThat(inside.code()).as(inside.err()).isZero();
      try (var files = Files.walk(dir.resolve("runs"))) {
        List<Path> written = files.filter(Files::isRegularFile).toList();
        assertThat(written).anySatisfy(file -> assertThat(file).endsWith(Path.of("workspace", "seen.txt")));
        for (Path file : written) {
          assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).as(file.toString())
              .doesNotContain("canary-7d1e5b90");
        }
      }
      assertThat(itself.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(itself.err()).contains("--secrets-dir is the project folder itself, so every run's workspace would "
          + "get a copy of each secret's file; keep the secrets in a folder of their own");
    }

    @Test
    void should_name_both_places_a_secret_is_read_from_when_it_is_missing() throws Exception {
      ottofile("""
          var token = p.secret("otto-test-never-set-4c1f");
          p.stage("Use", s -> s.steps(sh("true").with(token.asEnv("TOKEN"))));
          """);

      Outcome missing = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString());

      assertThat(missing.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(missing.err()).contains("the secret 'otto-test-never-set-4c1f' is read from the environment variable "
          + "$OTTO_TEST_NEVER_SET_4C1F, which is not set; set it in the environment that starts the engine, or keep it "
          + "in a file named otto-test-never-set-4c1f of a folder given with --secrets-dir");
    }

    @Test
    void should_make_the_folder_of_the_report_before_the_run() throws Exception {
      ottofile("p.stage(\"Build\", s -> s.steps(sh(\"true\")));");
      Path report = dir.resolve("reports/today/run.html");

      Outcome run = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString(), "--report",
          report.toString());

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(report).content().contains("<html");
      assertThat(run.out()).contains("report: " + report);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void should_refuse_a_report_that_cannot_be_written_before_the_run_and_say_why_one_was_not_after_it()
        throws Exception {
      // given a run whose step takes the report's folder away, leaving a file in its place
      Path reports = dir.resolve("reports");
      ottofile("p.stage(\"Build\", s -> s.steps(sh(\"touch built && rm -rf '%s' && touch '%s'\")));"
          .formatted(reports, reports));
      Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
      String runs = dir.resolve("runs").toString();

      // when
      Outcome proc = otto("run", dir.toString(), "--runs", runs, "--report", "/proc/otto-report.html");
      Outcome underFile = otto("run", dir.toString(), "--runs", runs, "--report", file.resolve("x.html").toString());
      boolean ran = Files.exists(dir.resolve("runs"));
      ByteArrayOutputStream said = new ByteArrayOutputStream();
      PrintStream before = System.err;
      System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
      Outcome gone;
      try {
        gone = otto("run", dir.toString(), "--runs", runs, "--report", reports.resolve("run.html").toString());
      } finally {
        System.setErr(before);
      }

      // then the first two are refused before anything runs, and the third says why, and exits so
      assertThat(proc.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(proc.err()).contains("otto: --report /proc/otto-report.html: no file can be written in /proc (");
      assertThat(underFile.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(underFile.err()).contains("otto: --report " + file.resolve("x.html") + ": " + file + " is a file, "
          + "not a folder, so the report cannot go under it; name a file in a folder");
      assertThat(ran).isFalse();
      assertThat(gone.out()).contains("succeeded  Build").doesNotContain("report: ");
      assertThat(said.toString(StandardCharsets.UTF_8)).contains("otto: could not write the report to " + reports.resolve("run.html")
          + ": not a directory").doesNotContain("Exception");
      assertThat(gone.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      // a file there already, which need not sit in a folder that takes new files, is written over
      Outcome devNull = otto("run", dir.toString(), "--runs", runs, "--report", "/dev/null");
      assertThat(devNull.code()).as(devNull.err()).isZero();
      assertThat(Path.of("/dev/null")).exists();
    }

    @Test
    void should_print_and_exit_alike_when_the_command_line_holds_only_the_command_run() {
      for (String[] args : List.of(new String[] {"explain", "--help"}, new String[] {"explain", "--formt", "json"},
          new String[] {"explain", dir.toString()}, new String[] {"validate", "--help"}, new String[] {"run", "--help"},
          new String[] {"resume", "--help"}, new String[] {"init", "--help"}, new String[] {"approve", "--help"},
          new String[] {"callback", "--help"}, new String[] {"explain", "extra", "args"})) {
        // when
        Outcome alone = run(OttoCommand.commandLine(args), args);
        Outcome among = run(OttoCommand.commandLine(), args);

        // then
        assertThat(alone).as(String.join(" ", args)).isEqualTo(among);
      }
    }
  }

  @Nested
  class Explain {
    @Test
    void explains_an_ottofile_for_a_context_in_each_format() throws Exception {
      ottofile("""
          p.stage("Build", s -> s.steps(sh("make")));
          p.stage("Deploy", s -> s.when(branch().is("main")).steps(sh("./deploy.sh")));
          """);

      Outcome feature = otto("explain", dir.toString(), "--branch", "feature/x");
      assertThat(feature.code()).isZero();
      assertThat(feature.out()).contains("pipeline 'shop' for branch 'feature/x'", "Build  [runs]",
          "Deploy  [skipped]");
      assertThat(otto("explain", dir.toString()).out()).contains("for an unknown context", "Deploy  [conditional]");
      assertThat(otto("explain", dir.toString(), "--format", "json").out()).contains("\"schema\" : \"otto-plan/1\"");
      assertThat(otto("explain", dir.toString(), "--format", "mermaid").out()).startsWith("flowchart");
      Outcome wrong = otto("explain", dir.toString(), "--format", "pdf");
      assertThat(wrong.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(wrong.err()).contains("unknown format 'pdf'");
    }

    @Test
    void explains_a_context_given_in_part_on_the_branch_a_run_takes_from_git() throws Exception {
      // given a repository of two commits on branch main
      ottofile("""
          p.stage("Build", s -> s.steps(sh("echo built")));
          p.stage("Deploy", s -> s.when(branch().is("main")).steps(sh("echo deployed")));
          """);
      ProjectRunTest.git(dir, "init", "-q");
      ProjectRunTest.git(dir, "add", "Ottofile.java");
      ProjectRunTest.git(dir, "commit", "-q", "-m", "first");
      ProjectRunTest.git(dir, "commit", "-q", "--allow-empty", "-m", "second");

      // when
      Outcome pushed = otto("explain", "--trigger", "push", dir.toString());
      Outcome changed = otto("explain", "--changed-since", "HEAD~1", dir.toString());
      Outcome nothing = otto("explain", dir.toString());
      Outcome run = otto("run", "--trigger", "push", dir.toString(), "--runs", dir.resolve(".runs").toString(),
          "--container-engine", "none");

      // then explain says what the run does: on the work tree's branch
      assertThat(pushed.code()).as(pushed.err()).isZero();
      assertThat(pushed.out()).contains("pipeline 'shop' for branch 'main', trigger 'push'", "Deploy  [runs]");
      assertThat(changed.out()).contains("pipeline 'shop' for branch 'main', 0 changed files", "Deploy  [runs]");
      assertThat(run.out()).contains("Deploy | deployed");
      assertThat(nothing.out()).contains("for an unknown context", "Deploy  [conditional]");
    }

    @Test
    void prints_the_warnings_of_a_pipeline_in_the_text_and_to_the_error_output_with_other_formats() throws Exception {
      // given
      ottofile("""
          var deps = p.cache("deps", "vendor/");
          p.stage("Build", s -> s.saves(deps).steps(sh("make")));
          """);
      String warning = "[OTTO-044] at pipeline 'shop' > cache 'deps': the cache 'deps' is saved, but no stage restores it";

      // when
      Outcome text = otto("explain", dir.toString());
      Outcome json = otto("explain", dir.toString(), "--format", "json");
      Outcome validated = otto("validate", dir.toString());

      // then
      assertThat(text.code()).isZero();
      assertThat(text.out()).contains("\nwarnings:\n  " + warning);
      assertThat(json.code()).isZero();
      assertThat(json.out()).doesNotContain("OTTO-044");
      assertThat(json.err()).contains("otto: [OTTO-044] warning at pipeline 'shop' > cache 'deps'");
      assertThat(validated.code()).isZero();
      assertThat(validated.out()).contains("pipeline 'shop' from ", ": valid, with 1 warning\n",
          "  [OTTO-044] warning at pipeline 'shop' > cache 'deps'");
    }

    @Test
    void should_print_the_same_json_as_bytes_when_the_output_is_the_standard_one() throws Exception {
      // given: what main gives the command, a standard output that takes bytes too
      ottofile("""
          p.stage("Build \u00e9", s -> s.steps(sh("make \\"quoted  text\\"")));
          """);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      StringWriter chars = new StringWriter();
      CommandLine line = OttoCommand.commandLine();
      line.setOut(new StandardOutput(new PrintWriter(chars), new PrintStream(bytes, true, StandardCharsets.UTF_8)));
      line.setErr(new PrintWriter(new StringWriter()));

      // when
      int code = line.execute("explain", dir.toString(), "--format", "json");

      // then
      assertThat(code).isZero();
      assertThat(chars.toString()).isEmpty();
      assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(otto("explain", dir.toString(), "--format", "json")
          .out()).contains("\"name\" : \"Build \u00e9\"", "make \\\"quoted  text\\\"");
    }

    @Test
    void says_when_only_changed_changes_nothing_and_refuses_a_changed_file_outside_the_repository() throws Exception {
      // given a repository of two projects, and a folder with an Ottofile
      for (String project : List.of("api", "web")) {
        Files.createDirectories(dir.resolve(project));
        Files.writeString(dir.resolve(project).resolve("package.json"), "{\"name\":\"" + project + "\"}");
      }
      Path withOttofile = Files.createDirectories(dir.resolve("tool"));

      // when
      Outcome noList = otto("explain", dir.toString(), "--only-changed", "--branch", "main");
      Outcome listed = otto("explain", dir.toString(), "--only-changed", "--changed", "./api/index.js");
      Outcome folder = otto("explain", dir.toString(), "--only-changed", "--changed", "api");
      Outcome outside = otto("explain", dir.toString(), "--only-changed", "--changed", "/etc/passwd");
      Outcome up = otto("explain", dir.toString(), "--changed", "api/../../x");
      Files.writeString(withOttofile.resolve("Ottofile.java"), Files.readString(ottofile(
          "p.stage(\"Build\", s -> s.steps(sh(\"true\")));").resolve("Ottofile.java")));
      Outcome ottofile = otto("explain", withOttofile.toString(), "--only-changed", "--changed", "src/A.java");

      // then
      assertThat(noList.code()).as(noList.err()).isZero();
      assertThat(noList.err()).contains("otto: --only-changed builds the projects under which a file changed, and no "
          + "changed files were given (--changed-since BASE or --changed PATH): every project is built");
      assertThat(listed.err()).doesNotContain("--only-changed");
      assertThat(listed.out()).contains("    api  [runs]", "    web  [skipped]");
      assertThat(folder.err()).contains("otto: --only-changed builds the projects under which a file changed, and the "
          + "changed file lies under no project's folder: no project is built (changed files are paths from the "
          + "repository's root, as git prints them: api/pom.xml)");
      assertThat(outside.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(outside.err()).contains("--changed names a file from the repository's root, as git prints it "
          + "(src/Main.java); '/etc/passwd' is not one");
      assertThat(up.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(ottofile.err()).contains("otto: --only-changed changes the pipelines the conventions make; this one "
          + "is " + withOttofile.resolve("Ottofile.java") + "'s, which it leaves as it is");
    }

    @Test
    void explains_the_conventions_of_a_folder_without_an_ottofile() throws Exception {
      Files.writeString(dir.resolve("package.json"), "{\"name\":\"web\",\"scripts\":{\"test\":\"node t.js\"}}");

      Outcome outcome = otto("explain", dir.toString());

      assertThat(outcome.code()).isZero();
      assertThat(outcome.out()).contains("from convention node: found package.json at the root", "npm test");
    }

    @Test
    void says_whether_a_folder_given_does_not_exist_or_is_a_file() throws Exception {
      Path file = Files.writeString(dir.resolve("notes.txt"), "a file");

      Outcome missing = otto("explain", dir.resolve("nowhere").toString());
      Outcome notFolder = otto("run", file.toString());
      Outcome init = otto("init", dir.resolve("nowhere").toString());

      assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(missing.err()).contains(dir.resolve("nowhere") + " does not exist; give the project's folder");
      assertThat(notFolder.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(notFolder.err()).contains(file + " is a file, not a folder; give the project's folder");
      assertThat(init.err()).contains(dir.resolve("nowhere") + " does not exist");
    }

    @Test
    void says_what_was_looked_for_when_there_is_nothing_to_explain() {
      Outcome outcome = otto("explain", dir.toString());

      assertThat(outcome.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(outcome.err()).contains("there is no Ottofile.java in", "no convention matches", "pom.xml (maven)",
          "Run 'otto init'");
    }

    @Test
    void reports_an_exception_in_the_ottofile_with_its_line_and_the_variable_s_name() throws Exception {
      ottofile("""
              String tool = System.getProperty("otto.no.such.property");
              p.stage("Build", s -> s.steps(sh(tool.trim())));""");

      Outcome failed = otto("explain", dir.toString());

      assertThat(failed.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(failed.err()).contains("Ottofile.java:13: pipeline() failed: java.lang.NullPointerException",
          "because \"tool\" is null");
    }

    @Test
    void reports_a_refusal_of_the_dsl_in_the_ottofile_by_its_message_alone() throws Exception {
      ottofile("""
              p.stage("Build", s -> s.steps(sh("make")));
              p.stage("Test", s -> s.runtime(Otto.sameAs(p.ref("Biuld"))).steps(sh("make test")));""");

      Outcome failed = otto("explain", dir.toString());

      assertThat(failed.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(failed.err()).contains("Ottofile.java:13: pipeline() failed: no stage 'Biuld' has been declared "
          + "yet; declared: [Build]").doesNotContain("java.lang.");
    }

    @Test
    void reports_compile_errors_with_their_lines_and_an_invalid_pipeline_with_its_problems() throws Exception {
      ottofile("p.stage(\"Build\", s -> s.steps(sh(42)));");
      Outcome broken = otto("explain", dir.toString());
      assertThat(broken.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(broken.err()).contains("does not compile", "Ottofile.java:12: incompatible types");

      ottofile("p.stage(\"Deploy\", s -> s.enter(approval(\"ok?\")).steps(sh(\"true\")));");
      Outcome invalid = otto("validate", dir.toString());
      assertThat(invalid.code()).isEqualTo(ExitCodes.INVALID_PIPELINE);
      assertThat(invalid.err() + invalid.out()).contains("OTTO-060");
    }
  }

  @Nested
  @EnabledOnOs(OS.LINUX)
  class Run {
    @Test
    void runs_a_pipeline_and_prints_its_output_and_a_summary() throws Exception {
      ottofile("""
          p.stage("Build", s -> s.steps(sh("echo built")));
          p.stage("Test", s -> s.steps(sh("echo tested")));
          """);

      Outcome outcome = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString());

      assertThat(outcome.code()).isZero();
      assertThat(outcome.out()).contains("Build | built", "Test | tested", "succeeded  Build", "succeeded in");
    }

    @Test
    void refuses_to_resume_or_restart_a_run_that_is_not_there_without_writing_into_the_project() throws Exception {
      ottofile("""
          p.stage("Build", s -> s.steps(sh("echo built")));
          """);

      Outcome resumed = otto("resume", "20000101-000000-0000", dir.toString());
      Outcome restarted = otto("restart", "20000101-000000-0000", dir.toString());

      assertThat(resumed.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(resumed.err()).contains("run '20000101-000000-0000' has no journal", "; runs are looked for in "
          + dir.resolve(".otto/runs").toAbsolutePath().normalize() + ", the project's own; --runs names where they "
          + "went instead");
      assertThat(restarted.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(dir.resolve(".otto")).doesNotExist();
      // a folder given where the run's id goes (src is a folder where the tests run)
      assertThat(otto("restart", "src", dir.toString()).err()).contains("'src' is a folder: give the run's id first, "
          + "then the folder, as the run's last lines say (otto restart RUN DIR)");
      assertThat(otto("run", dir.toString(), "--branch", " ").err()).contains("--branch names a branch, e.g. --branch "
          + "main; it is blank");
      Outcome blankRollback = otto("explain", dir.toString(), "--rollback", "");
      assertThat(blankRollback.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(blankRollback.err()).contains("--rollback names the environment to roll back, e.g. --rollback "
          + "production; it is blank").doesNotContain("Exception");
    }

    @Test
    void resumes_a_run_whose_engine_died_after_its_last_step_without_saying_it_had_finished() throws Exception {
      // given a run that did all its work, whose journal lost its end as if the engine died before writing it
      ottofile("""
          p.stage("Build", s -> s.steps(sh("echo built")));
          """);
      String runs = dir.resolve("runs").toString();
      Outcome ran = otto("run", dir.toString(), "--runs", runs);
      String run = ran.runId();
      Path journal = Path.of(runs, run, "journal.log");
      List<String> entries = Files.readAllLines(journal);
      Files.write(journal, entries.stream().filter(entry -> !entry.contains("run-end")).toList());

      // when
      Outcome resumed = otto("resume", run, dir.toString(), "--runs", runs);
      Outcome again = otto("resume", run, dir.toString(), "--runs", runs);

      // then the first resume ends the run, and only the second finds it had finished
      assertThat(entries).anyMatch(entry -> entry.contains("run-end"));
      assertThat(resumed.code()).isZero();
      assertThat(resumed.err()).doesNotContain("had finished");
      assertThat(resumed.out()).contains("succeeded  Build", "run " + run + " succeeded in");
      assertThat(again.code()).isZero();
      assertThat(again.err()).contains("otto: run " + run + " had finished (succeeded): nothing was left to resume");
    }

    @Test
    void resumes_a_run_with_the_changed_files_it_was_told_without_being_told_again() throws Exception {
      // given a run told only docs changed, whose journal lost its end as if the engine died before writing it
      ottofile("""
          p.stage("Build", s -> s.when(Otto.changed("src/**")).steps(sh("echo built")));
          p.stage("Docs", s -> s.steps(sh("echo documented")));
          """);
      String runs = dir.resolve("runs").toString();
      Outcome ran = otto("run", dir.toString(), "--runs", runs, "--changed", "docs/guide.md");
      String run = ran.runId();
      Path journal = Path.of(runs, run, "journal.log");
      Files.write(journal, Files.readAllLines(journal).stream().filter(entry -> !entry.contains("run-end")).toList());

      // when
      Outcome resumed = otto("resume", run, dir.toString(), "--runs", runs);

      // then Build stays skipped, as the files the run was told decided
      assertThat(ran.out()).containsPattern("skipped +Build");
      assertThat(resumed.code()).as(resumed.err()).isZero();
      assertThat(resumed.out()).containsPattern("skipped +Build").contains("run " + run + " succeeded in");
    }

    @Test
    void resumes_a_monorepo_run_planned_with_only_changed_without_being_told_again() throws Exception {
      // given a run of two projects' conventions that built only the one a change touched, whose journal lost its end
      for (String project : List.of("api", "web")) {
        Files.createDirectories(dir.resolve(project));
        Files.writeString(dir.resolve(project).resolve("package.json"),
            "{\"name\":\"" + project + "\",\"scripts\":{\"test\":\"echo tested " + project + "\"}}");
      }
      String runs = dir.resolve("runs").toString();
      String[] local = {"--runs", runs, "--container-engine", "none", "--containers", "local"};
      Outcome ran = otto(concat(new String[] {"run", dir.toString(), "--only-changed", "--changed", "api/index.js"},
          local));
      assertThat(ran.code()).as(ran.out() + ran.err()).isZero();
      String run = ran.runId();
      Path journal = Path.of(runs, run, "journal.log");
      Files.write(journal, Files.readAllLines(journal).stream().filter(entry -> !entry.contains("run-end")).toList());

      // when resumed without --only-changed
      Outcome resumed = otto(concat(new String[] {"resume", run, dir.toString()}, local));

      // and when a finished run of it is restarted without --only-changed
      Outcome restarted = otto(concat(new String[] {"restart", run, dir.toString(), "--stage", "Projects > api"}, local));

      // then the restart says it builds every project
      assertThat(restarted.err()).contains("otto: the run was planned with --only-changed, as its plan's fingerprint "
          + "shows, and this restart builds every project, those it skipped too; give --only-changed to restart it as "
          + "it was planned");

      // then the run's own plan goes on, and the note says why
      assertThat(ran.out()).contains("tested api").doesNotContain("tested web");
      assertThat(resumed.code()).as(resumed.err()).isZero();
      assertThat(resumed.err()).contains("otto: the run was planned with --only-changed, as its plan's fingerprint "
          + "shows: resumed so");
      assertThat(resumed.out()).containsPattern("skipped +Projects > web").contains("run " + run + " succeeded in");
    }

    private static String[] concat(String[] first, String[] second) {
      return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(second))
          .toArray(String[]::new);
    }

    @Test
    void says_to_give_the_folder_the_run_was_started_from_when_a_resume_plans_another_pipeline() throws Exception {
      // given a run whose journal lost its end, and another project beside it
      String runs = dir.resolve("runs").toString();
      String run = ranOnce("p.stage(\"Build\", s -> s.steps(sh(\"echo built\")));", runs);
      Path journal = Path.of(runs, run, "journal.log");
      Files.write(journal, Files.readAllLines(journal).stream().filter(entry -> !entry.contains("run-end")).toList());
      Path other = Files.createDirectories(dir.resolve("other"));
      Files.writeString(other.resolve("Ottofile.java"), Files.readString(dir.resolve("Ottofile.java"))
          .replace("echo built", "echo other"));

      // when
      Outcome elsewhere = otto("resume", run, other.toString(), "--runs", runs);

      // then
      assertThat(elsewhere.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(elsewhere.err()).contains("run '" + run + "' ran a plan with fingerprint", "'otto resume' planned "
          + "the pipeline of " + other.toAbsolutePath().normalize() + ": give the folder the run was started from, "
          + "with its pipeline as it was then; 'otto restart " + run + " " + other + "' runs the pipeline as it is now");
    }

    @Test
    void restarts_what_a_failed_run_did_not_get_done_and_says_how_after_the_failure() throws Exception {
      // given a run whose Test stage fails until a file outside its workspace exists
      Path flag = dir.resolve("fixed");
      ottofile("""
          p.stage("Build", s -> s.steps(sh("echo built >> built.txt")));
          p.stage("Test", s -> s.steps(sh("test -f '%s' && wc -l < built.txt")));
          p.stage("Ship", s -> s.steps(sh("echo shipped")));
          """.formatted(flag));
      String runs = dir.resolve("runs").toString();
      Outcome failed = otto("run", dir.toString(), "--runs", runs);
      String run = failed.runId();
      Files.writeString(flag, "");

      // when
      Outcome resumed = otto("resume", run, dir.toString(), "--runs", runs);
      Outcome none = otto("restart", "20000101-000000-0000", dir.toString(), "--runs", runs);
      Outcome unknown = otto("restart", run, dir.toString(), "--runs", runs, "--stage", "Deploy");
      Outcome restarted = otto("restart", run, dir.toString(), "--runs", runs);
      String second = restarted.runId();
      Outcome nothing = otto("restart", second, dir.toString(), "--runs", runs);
      Outcome fromShip = otto("restart", second, dir.toString(), "--runs", runs, "--stage", "Ship");

      // then
      assertThat(failed.code()).isEqualTo(ExitCodes.RUN_FAILED);
      assertThat(failed.out()).contains("to run again what it did not get done, from its workspace: otto restart "
          + run + " " + dir + " (with the options given here)");
      assertThat(resumed.code()).isEqualTo(ExitCodes.RUN_FAILED);
      assertThat(resumed.err()).contains("otto: run " + run + " had finished (failed): nothing was left to resume; "
          + "its summary follows. 'otto restart " + run + " " + dir + "' runs again what it did not get done");
      assertThat(none.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(none.err()).contains("run '20000101-000000-0000' has no journal", "; runs are looked for in "
          + Path.of(runs).toAbsolutePath().normalize());
      assertThat(unknown.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(unknown.err()).contains("the plan has no stage 'Deploy' to restart from; its stages are ['Build', "
          + "'Test', 'Ship']");
      assertThat(restarted.code()).as(restarted.err()).isZero();
      // Build kept its result and its file: the Test stage read one line, from the first run's Build.
      assertThat(restarted.out()).contains("workspace: the workspace of run " + run + " as it ended (")
          .contains("Test | 1", "Ship | shipped").doesNotContain("Build | ")
          .doesNotContain("otto restart");
      assertThat(nothing.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(nothing.err()).contains("succeeded and no stage changed since: nothing to run again; restart from "
          + "a stage", "'otto restart RUN --stage STAGE'");
      assertThat(fromShip.code()).as(fromShip.err()).isZero();
      assertThat(fromShip.out()).contains("Ship | shipped").doesNotContain("Test | ");
    }

    @Test
    void says_in_its_own_words_that_a_pruned_run_cannot_be_restarted() throws Exception {
      // given a failed run whose workspace was pruned
      String runs = dir.resolve("runs").toString();
      String run = ranOnce("p.stage(\"Build\", s -> s.steps(sh(\"false\")));", runs);
      assertThat(otto("prune", dir.toString(), "--runs", runs, "--keep", "0").code()).isZero();

      // when
      Outcome restarted = otto("restart", run, dir.toString(), "--runs", runs);

      // then
      assertThat(restarted.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(restarted.err()).contains("otto: run " + run + " has no workspace any more ('otto prune' removes "
          + "those of finished runs but the newest), and a restart starts from a copy of it; 'otto run " + dir
          + "' starts a new run from the folder's files").doesNotContain("removeWorkspaces", "from a stage");
    }

    @Test
    void restarts_a_run_on_the_branch_it_ran_on_with_its_parameters_unless_told_another() throws Exception {
      // given a run of a feature branch, with a parameter every run must give, that failed
      Path flag = dir.resolve("fixed");
      ottofile("""
          p.requiredStringParam("region", "where it deploys");
          p.stage("Test", s -> s.steps(sh("test -f '%s' && echo tested")));
          """.formatted(flag));
      String runs = dir.resolve("runs").toString();
      Outcome failed = otto("run", dir.toString(), "--runs", runs, "--branch", "feature/login", "--param",
          "region=eu-west");
      String run = failed.runId();
      Files.writeString(flag, "");

      // when restarted without saying where, and then for another branch
      Outcome elsewhere = otto("restart", run, dir.toString(), "--runs", runs, "--branch", "main");
      Outcome restarted = otto("restart", run, dir.toString(), "--runs", runs);

      // then
      assertThat(failed.code()).isEqualTo(ExitCodes.RUN_FAILED);
      assertThat(elsewhere.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(elsewhere.err()).contains("ran on branch 'feature/login', and this plan is for branch 'main'");
      assertThat(restarted.code()).as(restarted.err()).isZero();
      assertThat(restarted.out()).contains("Test | tested");
    }

    @Test
    void says_so_when_runs_or_caches_name_a_file_and_where_it_looked_for_a_run_it_did_not_find() throws Exception {
      ottofile("p.stage(\"Build\", s -> s.steps(sh(\"true\")));");
      Path file = Files.writeString(dir.resolve("notes.md"), "notes");

      Outcome runs = otto("run", dir.toString(), "--runs", file.toString());
      Outcome caches = otto("run", dir.toString(), "--caches", file.toString(), "--runs", dir.resolve("r").toString());
      Outcome resumed = otto("resume", "20000101-000000-0000", dir.toString());
      Outcome notAnId = otto("restart", "../../etc", dir.toString());

      assertThat(runs.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(runs.err()).contains("--runs names the folder runs go to; " + file + " is a file");
      assertThat(caches.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(caches.err()).contains("--caches names the folder caches go to; " + file + " is a file");
      assertThat(resumed.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(resumed.err()).contains("has no journal", "; runs are looked for in "
          + dir.resolve(".otto").resolve("runs").toAbsolutePath().normalize() + ", the project's own; --runs names "
          + "where they went instead");
      assertThat(notAnId.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(notAnId.err()).contains("'../../etc' is not a run id").doesNotContain("Exception");
      Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
      assertThat(otto("resume", "a/b", elsewhere.toString()).code()).isEqualTo(ExitCodes.USAGE);
      assertThat(elsewhere.resolve(".otto")).as("nothing is written for an id that cannot be one").doesNotExist();
    }

    @Test
    void passes_a_variable_of_this_machine_to_the_steps_only_when_asked() throws Exception {
      // given a variable of this process's environment that steps do not see by default
      java.util.Optional<Map.Entry<String, String>> variable = System.getenv().entrySet().stream()
          .filter(e -> e.getKey().matches("[A-Z][A-Z0-9_]*") && e.getValue().matches("[A-Za-z0-9/._:-]{1,60}")
              && !List.of("PATH", "HOME", "LANG", "TMPDIR").contains(e.getKey()))
          .min(Map.Entry.comparingByKey());
      org.junit.jupiter.api.Assumptions.assumeTrue(variable.isPresent(), "no variable to pass in this environment");
      String name = variable.get().getKey();
      ottofile("p.stage(\"Show\", s -> s.steps(sh(\"echo \\\"seen=${" + name + ":-none}\\\"\")));");
      String runs = dir.resolve("runs").toString();

      // when
      Outcome plain = otto("run", dir.toString(), "--runs", runs);
      Outcome passed = otto("run", dir.toString(), "--runs", runs, "--pass-env", name);
      Outcome wrong = otto("run", dir.toString(), "--runs", runs, "--pass-env", "NOT-A-NAME");

      // then
      assertThat(plain.out()).contains("Show | seen=none");
      assertThat(passed.out()).contains("Show | seen=" + variable.get().getValue());
      assertThat(wrong.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(wrong.err()).contains("--pass-env names a variable, e.g. HTTPS_PROXY; 'NOT-A-NAME' is not");
    }

    @Test
    void says_which_variables_that_tools_read_to_reach_the_network_steps_will_not_see() {
      RunCommand.EngineOptions options = new RunCommand.EngineOptions();
      Map<String, String> environment = Map.of("HTTPS_PROXY", "http://proxy:3128", "NODE_EXTRA_CA_CERTS",
          "/etc/ssl/corp.pem", "EDITOR", "vi");

      assertThat(options.unpassed(environment)).hasValue("otto: steps do not see HTTPS_PROXY, NODE_EXTRA_CA_CERTS of "
          + "this machine's environment, which tools read to reach the network; --pass-env HTTPS_PROXY passes one, "
          + "unmasked (a proxy or index address that holds a password is better given as a secret)");
      options.passEnv.add("HTTPS_PROXY");
      assertThat(options.unpassed(environment)).hasValue("otto: steps do not see NODE_EXTRA_CA_CERTS of this "
          + "machine's environment, which tools read to reach the network; --pass-env NODE_EXTRA_CA_CERTS passes it, "
          + "unmasked (a proxy or index address that holds a password is better given as a secret)");
      options.passEnv.add("NODE_EXTRA_CA_CERTS");
      assertThat(options.unpassed(environment)).isEmpty();
    }

    @Test
    void leaves_out_the_network_variables_only_tools_the_stages_do_not_call_read() {
      RunCommand.EngineOptions options = new RunCommand.EngineOptions();
      Map<String, String> environment = Map.of("HTTPS_PROXY", "http://proxy:3128", "NODE_EXTRA_CA_CERTS",
          "/etc/ssl/corp.pem", "PIP_INDEX_URL", "https://pypi.example.org/simple", "SSL_CERT_FILE", "/etc/ssl/ca.pem");

      assertThat(options.unpassed(environment, Optional.of(java.util.Set.of("mvn", "java")))).get().asString()
          .startsWith("otto: steps do not see HTTPS_PROXY, SSL_CERT_FILE of this machine's environment");
      assertThat(options.unpassed(environment, Optional.of(java.util.Set.of("node", "npm")))).get().asString()
          .startsWith("otto: steps do not see HTTPS_PROXY, NODE_EXTRA_CA_CERTS, SSL_CERT_FILE of");
      assertThat(options.unpassed(environment, Optional.empty())).get().asString()
          .startsWith("otto: steps do not see HTTPS_PROXY, NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, PIP_INDEX_URL of");
    }

    @Test
    void says_which_variables_to_pass_this_machine_does_not_have() {
      RunCommand.EngineOptions options = new RunCommand.EngineOptions();
      Map<String, String> environment = Map.of("HTTPS_PROXY", "http://proxy:3128");

      assertThat(options.notSet(environment)).isEmpty();
      options.passEnv.addAll(List.of("HTTPS_PROXY", "HTTPS_PROXI"));
      assertThat(options.notSet(environment)).hasValue("otto: --pass-env HTTPS_PROXI: this machine's environment "
          + "has no such variable, so steps do not see it; check the spelling, or set it before running otto");
      options.passEnv.add("NODE_EXTRA_CA_CERT");
      assertThat(options.notSet(environment)).hasValue("otto: --pass-env HTTPS_PROXI, NODE_EXTRA_CA_CERT: this "
          + "machine's environment has no such variables, so steps do not see them; check the spelling, or set them "
          + "before running otto");
    }

    @Test
    void refuses_to_pass_a_secret_s_variable_to_every_step() throws Exception {
      ottofile("""
          var key = p.secret("deploy-key");
          p.stage("Deploy", s -> s.steps(sh("true")));
          """);

      Outcome outcome = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString(), "--pass-env",
          "DEPLOY_KEY");

      assertThat(outcome.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(outcome.err()).contains("--pass-env DEPLOY_KEY would hand the secret 'deploy-key' to every step, "
          + "unmasked");
    }

    @Test
    void lists_what_runs_deployed_to_an_environment_as_text_and_json_and_the_run_report_says_it_too() throws Exception {
      // given
      ottofile("""
          var std = p.use(dev.otto.dsl.library.Stdlib.library());
          var production = p.environment("production", e -> e.setting("REGION", "eu"));
          var mirror = p.environment("mirror", e -> e.setting("REGION", "us"));
          p.stage("Build", s -> s.steps(sh("mkdir -p dist && echo app > dist/app.txt"), std.archive("app", "dist/")));
          p.stage("Production", s -> s.environment(production).steps(std.unarchive("app"), sh("cat dist/app.txt")));
          p.stage("Mirror", s -> s.environment(mirror).steps(std.promote("app", production), sh("cat dist/app.txt")));
          """);
      String runs = dir.resolve("runs").toString();
      Outcome before = otto("explain", dir.toString(), "--runs", runs);
      Path report = dir.resolve("run.html");
      assertThat(otto("run", dir.toString(), "--runs", runs, "--report", report.toString()).code()).isZero();

      // when
      Outcome text = otto("deployments", "production", dir.toString(), "--runs", runs);
      Outcome json = otto("deployments", "production", dir.toString(), "--runs", runs, "--format", "json");
      Outcome none = otto("deployments", "staging", dir.toString(), "--runs", runs);
      Outcome after = otto("explain", dir.toString(), "--runs", runs);

      // then
      assertThat(text.code()).as(text.err()).isZero();
      assertThat(text.out()).contains("deployments to 'production', newest first:", "SUCCEEDED  run ",
          "shop > Production").containsPattern("    app  sha256:[0-9a-f]{64}");
      assertThat(json.out()).contains("\"environment\" : \"production\"", "\"stage\" : \"Production\"",
          "\"name\" : \"app\"", "\"digest\" : \"sha256:");
      assertThat(none.out()).contains("nothing was deployed to 'staging'\nthe runs under "
          + dir.resolve("runs").toAbsolutePath().normalize() + " deployed to mirror, production");
      assertThat(otto("deployments", "staging", dir.toString()).out()).contains("no run under "
          + dir.resolve(".otto/runs").toAbsolutePath().normalize() + " recorded a deployment; --runs names where the "
          + "runs were kept");
      assertThat(Files.readString(report)).contains("<h2>Deployments</h2>", "<td>production</td>");
      assertThat(before.out()).contains("- restore artifact app as deployed to 'production' by its last successful "
          + "deployment", "takes artifact 'app' (none yet: no deployment of the artifact 'app' to 'production' has "
          + "succeeded yet; deploy it there first)");
      assertThat(after.out()).containsPattern("takes artifact 'app' sha256:[0-9a-f]{64} from run \\S+ \\(deployed to "
          + "'production' at ");
      assertThat(otto("deployments", "mirror", dir.toString(), "--runs", runs).out()).contains("shop > Mirror");
      Outcome rollback = otto("run", dir.toString(), "--runs", runs, "--rollback", "production");
      assertThat(rollback.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(rollback.out()).doesNotContain("> Production");
      assertThat(rollback.err()).contains("stage 'Production' rolls back, but 'production' ran no other files of the artifact 'app' before what it runs "
          + "now, as its record says; there is nothing to roll back to");
    }

    @Test
    void runs_the_hello_example_of_the_readme() {
      Outcome outcome = otto("run", Path.of("../examples/hello").toString(), "--runs", dir.resolve("runs").toString(),
          "--caches", dir.resolve("caches").toString());

      assertThat(outcome.code()).as(outcome.err()).isZero();
      assertThat(outcome.out()).contains("Build | built dist/hello.txt", "Test > Linux | linux: ok",
          "Test > Mac | mac: ok", "Package | packaged hello.tgz", "succeeded in");
    }

    @Test
    void runs_container_stages_with_the_container_engine_it_is_told_to_use() throws Exception {
      // given
      ottofile("p.stage(\"Build\", s -> s.runtime(Otto.docker(\"ruby:3.3\")).steps(sh(\"ruby -v\")));");

      Path engine = dir.resolve("broken-engine");
      Files.writeString(engine, "#!/bin/sh\nexit 125\n");
      engine.toFile().setExecutable(true);

      // when
      Outcome outcome = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString(), "--container-engine",
          engine.toString());
      Outcome missing = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString(), "--container-engine",
          "/no/such/engine");
      Outcome misspelt = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString(), "--container-engine",
          "podmn");

      // then
      assertThat(outcome.code()).isEqualTo(ExitCodes.CANNOT_RUN);
      assertThat(outcome.err()).contains("stage 'Build' needs container ruby:3.3",
          "no container engine answers here: '" + engine + " info' failed");
      assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(missing.err()).contains("--container-engine /no/such/engine: no such file; ");
      Outcome folder = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString(), "--container-engine",
          dir.toString(), "--report", dir.resolve("report").resolve("r.html").toString());
      assertThat(folder.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(folder.err()).contains("--container-engine " + dir + ": a folder, not a command; ");
      assertThat(dir.resolve("report")).as("nothing is written before the options are checked").doesNotExist();
      assertThat(misspelt.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(misspelt.err()).contains("--container-engine podmn: no such command on the PATH here; ");
    }

    @Test
    void exits_with_1_when_the_run_fails() throws Exception {
      ottofile("p.stage(\"Build\", s -> s.steps(sh(\"echo broken; exit 3\")));");

      Outcome outcome = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString());

      assertThat(outcome.code()).isEqualTo(ExitCodes.RUN_FAILED);
      assertThat(outcome.out()).contains("failed     Build", "exited with status 3", "run ", " failed in");
    }

    @Test
    void waits_for_an_approval_given_with_otto_approve_over_http() throws Exception {
      ottofile("""
          p.stage("Deploy", s -> s.enter(approval("Ship it?").timeout(java.time.Duration.ofMinutes(5)))
              .steps(sh("echo shipped")));
          """);
      Path bearer = dir.resolve("bearer");
      Files.writeString(bearer, "a-bearer-token-for-the-test\n");
      int port;
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      CompletableFuture<Outcome> run = CompletableFuture.supplyAsync(() -> otto("run", dir.toString(), "--runs",
          dir.resolve("runs").toString(), "--listen", String.valueOf(port), "--bearer-file", bearer.toString()));
      Path runs = dir.resolve("runs");
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
      java.util.function.Supplier<java.util.Optional<Path>> started = () -> {
        try (var found = Files.list(runs)) {
          return found.filter(Files::isDirectory).findFirst();
        } catch (java.io.IOException e) {
          return java.util.Optional.empty();
        }
      };
      while (started.get().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      String runId = started.get().orElseThrow().getFileName().toString();

      Outcome approved;
      do {
        Thread.sleep(50);
        approved = otto("approve", runId, "Deploy#enter-1", "--by", "alice", "--endpoint",
            "http://127.0.0.1:" + port, "--bearer-file", bearer.toString());
      } while (approved.code() != 0 && System.nanoTime() < deadline);

      assertThat(approved.out()).contains("\"outcome\":\"approved\"");
      Outcome finished = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(finished.code()).isZero();
      assertThat(finished.out()).contains("wait Deploy: approval 'Ship it?'", "approved by alice", "Deploy | shipped");
    }
  }

  @Test
  void init_writes_an_ottofile_from_the_conventions_that_otto_then_explains() throws Exception {
    Files.writeString(dir.resolve("go.mod"), "module example.com/tool\n");

    Outcome init = otto("init", dir.toString());
    assertThat(init.code()).isZero();
    assertThat(Files.readString(dir.resolve("Ottofile.java"))).contains("//   go: found go.mod at the root");
    assertThat(otto("init", dir.toString()).code()).isEqualTo(ExitCodes.USAGE);

    Outcome explained = otto("explain", dir.toString());
    assertThat(explained.code()).as(explained.err()).isZero();
    assertThat(explained.out()).contains("go test ./...");
  }

  @Test
  void compiles_an_ottofile_once_and_again_when_it_changes_keeping_the_classes_outside_the_project()
      throws Exception {
    ottofile("p.stage(\"Build\", s -> s.steps(sh(\"make\")));");
    Path first = PipelineSource.classesFor(dir.resolve("Ottofile.java"), java.util.List.of());
    assertThat(otto("explain", dir.toString()).out()).contains("run make");
    long compiled = Files.getLastModifiedTime(first).toMillis();
    assertThat(otto("explain", dir.toString()).out()).contains("run make");
    assertThat(Files.getLastModifiedTime(first).toMillis()).as("the classes were kept").isEqualTo(compiled);

    ottofile("p.stage(\"Build\", s -> s.steps(sh(\"make all\")));");

    assertThat(otto("explain", dir.toString()).out()).contains("run make all");
    Path second = PipelineSource.classesFor(dir.resolve("Ottofile.java"), java.util.List.of());
    assertThat(second).isNotEqualTo(first).isDirectory();
    assertThat(dir.resolve(".otto")).as("nothing written into the project").doesNotExist();
  }


  @Test
  void documents_its_exit_codes_and_completes_in_the_shell() {
    Outcome help = otto("run", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Exit codes:", "3  the pipeline is invalid", "--branch", "--containers");
    assertThat(otto().code()).isEqualTo(ExitCodes.USAGE);
    assertThat(otto("generate-completion").out()).contains("complete -F");
  }

  @Test
  void should_say_which_plugin_to_add_when_a_temporal_command_runs_without_it() {
    // when
    Outcome worker = otto("worker", "--parallelism", "0");

    // then
    assertThat(worker.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(worker.err()).contains("Temporal support is a plugin",
        "java -cp otto-cli-0.1.0-SNAPSHOT-all.jar:otto-cli-temporal-0.1.0-SNAPSHOT-plugin.jar dev.otto.cli.OttoCommand",
        "dev.otto:otto-cli-temporal:0.1.0-SNAPSHOT:jar:all", "OTTO_PLUGIN_PATH=");
  }

  @Test
  void should_say_which_plugin_to_add_when_a_temporal_command_is_asked_for_its_help_without_it() {
    // when
    Outcome help = otto("worker", "--help");

    // then
    assertThat(help.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(help.err()).contains("Temporal support is a plugin", "dev.otto:otto-cli-temporal:0.1.0-SNAPSHOT:jar:all");
    assertThat(help.out()).doesNotContain("Usage: otto");
  }

  @Test
  void should_carry_no_temporal_sdk_when_no_plugin_is_added() {
    // when
    Throwable loading = org.assertj.core.api.Assertions.catchThrowable(
        () -> Class.forName("io.temporal.client.WorkflowClient"));

    // then
    assertThat(loading).isInstanceOf(ClassNotFoundException.class);
    assertThat(otto("--help").out()).doesNotContain("worker");
  }
}

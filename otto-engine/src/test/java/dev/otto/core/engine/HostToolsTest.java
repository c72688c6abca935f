package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.OttoException;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Stages that run on this machine say which of its tools they use, and a missing tool refuses the run. */
@EnabledOnOs(OS.LINUX)
class HostToolsTest {
  @TempDir
  Path root;

  private Path bin;
  private final List<RunEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void tools() throws IOException {
    // A Go-like tool: "--version" fails, "version" answers.
    bin = Files.createDirectories(root.resolve("bin"));
    tool("fakego", "[ \"$1\" = version ] && echo 'go version go1.22.2 linux/amd64' && exit 0; echo \"unknown: $1\" >&2; exit 2");
    tool("fakemvn", "echo 'Apache Maven 3.9.6 (bc0240f3c744dd6b6ec2920b3cd08dcc295161ae)'; echo 'Maven home: /x'");
  }

  private void tool(String name, String body) throws IOException {
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private LocalEngine.Builder engine() {
    return LocalEngine.builder(root.resolve("runs")).listener(events::add).executor(LocalProcessExecutor.builder()
        .hostEnvironment(Map.of("PATH", bin + ":/usr/bin:/bin")).build());
  }

  private static Stage stage(String name, Runtime runtime, String script) {
    return Stage.builder(name).runtime(runtime).addSteps(ShStep.of(script)).build();
  }

  private static Plan plan(Stage... stages) {
    return Planner.plan(Pipeline.builder("p").addStages(stages).build(), RunContext.branch("main"));
  }

  @Test
  void should_refuse_a_plan_naming_every_missing_tool_by_stage_before_anything_runs() throws IOException {
    // given a local stage and a container stage falling back to local processes, each missing tools
    Plan plan = plan(stage("First", Runtime.local(), "touch first-ran"),
        stage("Build", Runtime.local().requires("fakego", "otto-no-such-go"), "fakego build"),
        stage("Image", Runtime.container("rust:1").requires("otto-no-such-cargo", "otto-no-such-rustc"), "cargo build"));

    // when / then
    assertThatThrownBy(() -> engine().containerPolicy(ContainerPolicy.LOCAL_FALLBACK).build().start(plan))
        .isInstanceOf(OttoException.class)
        .hasMessage("the plan of pipeline 'p' cannot run here:\n"
            + "  - stage 'Build' needs otto-no-such-go, which the local executor does not find on this machine; "
            + "install it where its processes find it, or run the stage where it is\n"
            + "  - stage 'Image' needs otto-no-such-cargo and otto-no-such-rustc, which the local executor does not "
            + "find on this machine (the stage, container rust:1, would run as local processes, as no executor runs "
            + "containers here); install them where its processes find them, or run the stage where they are");
    assertThat(events).isEmpty();
    try (var files = Files.walk(root)) {
      assertThat(files).noneMatch(file -> file.endsWith("first-ran"));
    }
  }

  @Test
  void should_say_which_tools_and_versions_a_stage_uses_before_it_starts() {
    // given
    Plan plan = plan(stage("Build", Runtime.local().requires("fakego", "sh"), "fakego version"),
        stage("Image", Runtime.container("maven:3").requires("fakemvn"), "fakemvn"),
        stage("Plain", Runtime.container("alpine"), "true"));

    // when
    RunResult result = engine().containerPolicy(ContainerPolicy.LOCAL_FALLBACK).build().run(plan);

    // then
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    List<RunEvent> beforeStages = events.stream().takeWhile(e -> !(e instanceof RunEvent.StageStarted)).toList();
    assertThat(beforeStages).filteredOn(RunEvent.Warning.class::isInstance)
        .extracting(e -> ((RunEvent.Warning) e).message()).containsExactly(
            "stage 'Build' uses fakego 1.22.2 (" + bin.resolve("fakego") + "), sh (/usr/bin/sh) of this machine",
            "no executor runs containers here, so stage 'Image' (container maven:3) runs as local processes; it uses "
                + "fakemvn 3.9.6 (" + bin.resolve("fakemvn") + ") of this machine",
            "no executor runs containers here, so stage 'Plain' (container alpine) runs as local processes; it names "
                + "no tools it needs (Runtime.requires), so none were looked for");
  }

  @Test
  void should_say_when_a_tool_of_this_machine_is_older_than_the_stage_asks_for() {
    // given stages asking for versions of the tools, one newer and one as old as this machine's
    Plan plan = plan(stage("Build", Runtime.local().requires("fakego>=1.23", "fakemvn>=3.9"), "true"),
        stage("Image", Runtime.container("maven:3").requires("fakemvn>=3.9.6"), "true"));

    // when
    RunResult result = engine().containerPolicy(ContainerPolicy.LOCAL_FALLBACK).build().run(plan);

    // then the run goes on, warned about the older one only
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(events).filteredOn(RunEvent.Warning.class::isInstance)
        .extracting(e -> ((RunEvent.Warning) e).message()).containsExactly(
            "stage 'Build' uses fakego 1.22.2 (" + bin.resolve("fakego") + "), fakemvn 3.9.6 (" + bin.resolve("fakemvn")
                + ") of this machine; fakego 1.22.2 is older than the 1.23 it asks for: its steps may fail; put one "
                + "it works with first on the PATH its processes get, or run the stage where one is",
            "no executor runs containers here, so stage 'Image' (container maven:3) runs as local processes; it uses "
                + "fakemvn 3.9.6 (" + bin.resolve("fakemvn") + ") of this machine");
  }

  @Test
  void should_say_when_a_tool_of_this_machine_is_newer_than_the_stage_works_with() {
    // given a stage that works with fakego before 1.22 (as a build for Java 6 works with JDKs before 12)
    Plan plan = plan(stage("Build", Runtime.local().requires("fakego>=1.20,<1.22"), "true"),
        stage("Later", Runtime.local().requires("fakego>=1.20,<1.23"), "true"));

    // when
    RunResult result = engine().build().run(plan);

    // then the run goes on, warned about the stage this machine's is too new for only
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(events).filteredOn(RunEvent.Warning.class::isInstance)
        .extracting(e -> ((RunEvent.Warning) e).message()).containsExactly(
            "stage 'Build' uses fakego 1.22.2 (" + bin.resolve("fakego") + ") of this machine; fakego 1.22.2 is newer "
                + "than it works with (fakego>=1.20,<1.22): its steps may fail; put one it works with first on the "
                + "PATH its processes get, or run the stage where one is",
            "stage 'Later' uses fakego 1.22.2 (" + bin.resolve("fakego") + ") of this machine");
  }

  @Test
  void should_read_the_version_of_a_java_8_and_of_a_jdk_s_first_release() throws IOException {
    // given a Java 8, which knows only -version, and a javac of a first release, which prints no dotted number
    tool("java", "[ \"$1\" = -version ] && echo 'openjdk version \"1.8.0_292\"' >&2 && exit 0; "
        + "echo \"Unrecognized option: $1\" >&2; exit 1");
    tool("javac", "echo 'javac 21'");
    Plan plan = plan(stage("Build", Runtime.local().requires("java>=11", "javac>=25"), "true"));

    // when
    RunResult result = engine().build().run(plan);

    // then both versions are read, and both found older
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(events).filteredOn(RunEvent.Warning.class::isInstance)
        .extracting(e -> ((RunEvent.Warning) e).message()).singleElement().asString()
        .contains("java 1.8.0 (" + bin.resolve("java") + "), javac 21 (" + bin.resolve("javac") + ")",
            "java 1.8.0 is older than the 11 it asks for, javac 21 is older than the 25 it asks for");
  }

  @Test
  void should_compare_versions_number_by_number_and_read_java_8_as_8() {
    assertThat(PlanCheck.compareVersions("java", "17.0.15", "21")).isNegative();
    assertThat(PlanCheck.compareVersions("java", "21.0.2", "21")).isPositive();
    assertThat(PlanCheck.compareVersions("java", "21", "21")).isZero();
    assertThat(PlanCheck.compareVersions("java", "1.8.0_292", "8")).isZero();
    assertThat(PlanCheck.compareVersions("java", "1.8.0", "11")).isNegative();
    assertThat(PlanCheck.compareVersions("go", "1.22", "1.22.3")).isNegative();
    assertThat(PlanCheck.compareVersions("go", "1.10", "1.9")).isPositive();
    assertThat(PlanCheck.compareVersions("node", "1.2", "1.2.0")).isZero();
  }

  @Test
  void should_say_why_the_container_executor_did_not_take_a_stage_that_falls_back_to_local_processes() {
    // given a container engine whose name is misspelt
    Plan plan = plan(stage("Plain", Runtime.container("alpine"), "true"));
    LocalEngine engine = LocalEngine.builder(root.resolve("runs")).listener(events::add)
        .executor(dev.otto.core.executor.ContainerExecutor.builder().engine("/no/such/podmn").build())
        .executor(LocalProcessExecutor.builder().build()).containerPolicy(ContainerPolicy.LOCAL_FALLBACK).build();

    // when
    RunResult result = engine.run(plan);

    // then
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(events).filteredOn(RunEvent.Warning.class::isInstance).extracting(e -> ((RunEvent.Warning) e).message())
        .singleElement().asString().startsWith("no executor runs containers here (container: ")
        .contains("'/no/such/podmn' could not be started", "so stage 'Plain' (container alpine) runs as local processes");
  }

  @Test
  void should_name_the_hosts_own_way_to_allow_local_processes_when_refusing_a_container_stage() {
    // given
    Plan plan = plan(stage("Image", Runtime.container("ruby"), "ruby -v"));

    // then
    assertThatThrownBy(() -> engine().build().start(plan))
        .hasMessageContaining("stage 'Image' needs container ruby, which no executor here runs: let it run as local "
            + "processes with LocalEngine.Builder.containerPolicy(ContainerPolicy.LOCAL_FALLBACK), or run it where a "
            + "container engine answers (local: ");
    assertThatThrownBy(() -> engine().containerFallbackHint("--containers local").build().start(plan))
        .hasMessageContaining("which no executor here runs: let it run as local processes with --containers local, ");
  }

  @Test
  void should_show_the_tools_found_and_missing_in_the_notes_for_explain() {
    // given
    Plan plan = plan(stage("Build", Runtime.local().requires("fakego"), "fakego build"),
        stage("Lint", Runtime.local().requires("otto-no-such-lint"), "lint"));

    // when
    Map<String, String> notes = engine().build().executorsFor(plan);

    // then
    assertThat(notes.get("Build")).startsWith("runs on the local executor; isolation: none")
        .endsWith("; uses fakego 1.22.2 (" + bin.resolve("fakego") + ")");
    assertThat(notes.get("Lint")).endsWith("; cannot run here: stage 'Lint' needs otto-no-such-lint, which the local "
        + "executor does not find on this machine; install it where its processes find it, or run the stage where it is");
  }
}

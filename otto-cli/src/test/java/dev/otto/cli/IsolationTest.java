package dev.otto.cli;

import static dev.otto.cli.OttoCommandTest.otto;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otto.cli.OttoCommandTest.Outcome;
import dev.otto.core.engine.ContainerPolicy;
import dev.otto.core.executor.ContainerExecutor;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.executor.Sandbox;
import dev.otto.core.model.Runtime;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@code --isolation}: explain says what each stage gets, and run gives it. */
class IsolationTest {
  private static final String SANDBOX = "isolation: sandbox (bubblewrap: read-only host, no network, own PIDs)";

  @TempDir
  Path dir;

  private Path ottofile(String body) throws Exception {
    Files.writeString(dir.resolve("Ottofile.java"), """
        import static dev.otto.dsl.Otto.docker;
        import static dev.otto.dsl.Otto.local;
        import static dev.otto.dsl.Otto.sh;

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

  @Test
  void should_explain_the_isolation_each_stage_gets() throws Exception {
    // given
    ottofile("""
        p.stage("Build", s -> s.runtime(local().requires("sh")).steps(sh("make")));
        p.stage("Fetch", s -> s.runtime(local().withNetwork()).steps(sh("curl -O https://example.org/x")));
        p.stage("Image", s -> s.runtime(docker("node:20")).steps(sh("npm test")));
        """);

    // when
    Outcome none = otto("explain", dir.toString());
    Outcome sandbox = otto("explain", dir.toString(), "--isolation", "sandbox");
    Outcome wrong = otto("explain", dir.toString(), "--isolation", "jail");

    // then
    assertThat(none.out()).contains("  Build  [runs]  local; uses sh\n    isolation: none (a process of this machine's "
        + "user: it sees the user's files, processes and network)\n");
    assertThat(sandbox.out()).contains("  Build  [runs]  local; uses sh\n    " + SANDBOX + "\n",
        "  Fetch  [runs]  local; needs the network\n    isolation: sandbox (bubblewrap: read-only host, network, own "
            + "PIDs)\n",
        "  Image  [runs]  container node:20\n    isolation: its container; as local processes (--containers local, no "
            + "container engine): sandbox (bubblewrap: read-only host, no network, own PIDs)\n");
    assertThat(wrong.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(wrong.err()).contains("--isolation is none or sandbox, not 'jail'");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void should_run_each_stage_in_a_sandbox_when_asked() throws Exception {
    // given
    assumeTrue(LocalProcessExecutor.builder().sandbox(Sandbox.bubblewrap()).build().whyNot(Runtime.local()).isEmpty(),
        "bubblewrap cannot make a sandbox here");
    ottofile("""
        p.stage("Build", s -> s.steps(sh("touch /usr/otto-x 2>/dev/null || echo host is read-only; "
            + "test -e /proc/1/environ && echo own pid 1")));
        """);

    // when
    Outcome outcome = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString(), "--isolation", "sandbox");

    // then
    assertThat(outcome.code()).as(outcome.err()).isZero();
    assertThat(outcome.out()).contains("Build | host is read-only", "Build | own pid 1", "succeeded  Build");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void should_name_its_own_option_when_refusing_a_container_stage_without_a_container_engine() throws Exception {
    // given
    assumeTrue(ContainerExecutor.builder().build().unavailable().isPresent(), "a container engine answers here");
    ottofile("""
        p.stage("Image", s -> s.runtime(docker("node:20").requires("node", "otto-no-such-npm")).steps(sh("npm test")));
        """);

    // when
    Outcome refused = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString());
    Outcome missing = otto("run", dir.toString(), "--runs", dir.resolve("runs").toString(), "--containers", "local");

    // then
    assertThat(refused.code()).isEqualTo(ExitCodes.CANNOT_RUN);
    assertThat(refused.err()).contains("stage 'Image' needs container node:20, which no executor here runs: let it "
        + "run as local processes with --containers local").doesNotContain("ContainerPolicy");
    assertThat(missing.code()).isEqualTo(ExitCodes.CANNOT_RUN);
    assertThat(missing.err()).contains("stage 'Image' needs otto-no-such-npm, which the local executor does not find "
        + "on this machine (the stage, container node:20, would run as local processes");
  }
}

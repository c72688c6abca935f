package dev.otto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asked to stop (SIGTERM; Ctrl-C's SIGINT takes the same path), the command cancels its run,
 * stops the processes the run's steps started and says so, rather than leaving them running.
 */
@EnabledOnOs(OS.LINUX)
class InterruptTest {
  @TempDir
  Path dir;

  @Test
  void should_cancel_the_run_and_stop_its_processes_when_asked_to_stop() throws Exception {
    // given a run whose step starts a long process in the background and waits for it
    Files.writeString(dir.resolve("Ottofile.java"), """
        import static dev.otto.dsl.Otto.sh;

        import dev.otto.core.model.Pipeline;
        import dev.otto.dsl.Otto;

        public class Ottofile {
          public static Pipeline pipeline() {
            return Otto.pipeline("long", p -> {
              p.stage("Serve", s -> s.steps(sh("sleep 300 & echo $! > sleeper.pid; wait")));
              p.stage("After", s -> s.steps(sh("touch after-ran")));
            });
          }
        }
        """);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process otto = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        OttoCommand.class.getName(), "run", "--runs", dir.resolve("runs").toString(), "--container-engine", "none",
        dir.toString()).redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(otto.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    long sleeper = awaitPid(Duration.ofMinutes(2));
    assertThat(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive)).contains(true);

    // when it is asked to stop
    assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(otto.pid())).start().waitFor()).isZero();

    // then it cancels the run, stops the step's processes, prints the summary and exits as a stopped command does
    assertThat(otto.waitFor(1, TimeUnit.MINUTES)).isTrue();
    String printed = output.get(10, TimeUnit.SECONDS);
    assertThat(otto.exitValue()).as(printed).isEqualTo(128 + 15);
    assertThat(printed).contains("otto: SIGTERM: cancelling run", "cancelled").doesNotContain("Exception");
    ProcessHandle.of(sleeper).ifPresent(process -> process.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    assertThat(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    try (Stream<Path> files = Files.walk(dir.resolve("runs"))) {
      assertThat(files.filter(path -> path.endsWith("after-ran"))).isEmpty();
    }

    // and a resume of the cancelled run finds it had ended so, and exits as a cancelled run does
    String run = printed.replaceAll("(?s).*\nrun (\\S+) cancelled in .*", "$1");
    OttoCommandTest.Outcome resumed = OttoCommandTest.otto("resume", run, dir.toString(), "--runs",
        dir.resolve("runs").toString(), "--container-engine", "none");
    assertThat(resumed.err()).contains("otto: run " + run + " had finished (cancelled): nothing was left to resume");
    assertThat(resumed.code()).isEqualTo(ExitCodes.RUN_FAILED);
  }

  /** The process id the step wrote, once it has. */
  private long awaitPid(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Path> file = Optional.empty();
      try (Stream<Path> files = Files.walk(dir)) {
        file = files.filter(path -> path.endsWith("sleeper.pid")).findFirst();
      } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException changing) {
        // the run's folders change while they are walked: look again
      }
      if (file.isPresent()) {
        String pid = Files.readString(file.get(), StandardCharsets.UTF_8).strip();
        if (!pid.isEmpty()) {
          return Long.parseLong(pid);
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the step did not start its process within " + timeout);
  }
}

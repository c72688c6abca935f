package dev.otto.cli.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.cli.OttoCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WorkerCommandTest {
  /** What a command printed, and its exit code. */
  record Outcome(int code, String out, String err) {}

  static Outcome otto(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = OttoCommand.commandLine();
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(err));
    int code = line.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void should_add_otto_worker_to_the_command_when_the_plugin_is_on_the_class_path() {
    // when
    Outcome help = otto("worker", "--help");

    // then
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--task-queue=QUEUE", "--label=LABEL", "--caches=DIR", "127.0.0.1:7233",
        "Exit codes:");
    assertThat(otto("--help").out()).contains("worker");
  }

  @Test
  void should_refuse_a_worker_when_its_options_are_wrong() {
    // when
    Outcome bad = otto("worker", "--parallelism", "0");

    // then
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("parallelism must be at least 1, not 0");
  }

  @Test
  void should_say_in_one_line_that_the_frontend_cannot_be_reached(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root) {
    // when no server listens at the address
    Outcome unreachable = otto("worker", "--address", "127.0.0.1:1", "--root", root.toString());

    // then
    assertThat(unreachable.code()).isEqualTo(4);
    assertThat(unreachable.err()).startsWith("otto worker: cannot reach the Temporal frontend at 127.0.0.1:1 (connection refused): start a "
            + "server there")
        .contains("give its address with --address HOST:PORT").doesNotContain("Exception", "\tat ");
    assertThat(otto("worker", "--help").out()).contains("4  the Temporal frontend could not be reached at --address")
        .doesNotContain("the pipeline is invalid");
  }
}

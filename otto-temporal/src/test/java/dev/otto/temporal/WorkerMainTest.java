package dev.otto.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WorkerMainTest {

  @Test
  void reads_every_option() {
    WorkerMain.Options options = WorkerMain.parse(new String[] {"--address", "temporal:7233", "--namespace", "ci",
        "--task-queue", "otto", "--label", "macos", "--label", "linux", "--root", "/srv/w", "--caches", "/mnt/c",
        "--secrets-dir", "/etc/s", "--parallelism", "3", "--container-fallback"});

    assertThat(options).isEqualTo(new WorkerMain.Options("temporal:7233", "ci", java.util.List.of("otto"),
        java.util.List.of("macos", "linux"), Path.of("/srv/w"), Path.of("/mnt/c"), Path.of("/etc/s"), 3, true));
  }

  @Test
  void has_defaults_and_help() {
    WorkerMain.Options options = WorkerMain.parse(new String[0]);
    assertThat(options.address()).isEqualTo("127.0.0.1:7233");
    assertThat(options.taskQueues()).isEmpty();
    assertThat(options.caches()).isNull();
    assertThat(WorkerMain.parse(new String[] {"--help"})).isNull();
  }

  @Test
  void says_what_is_wrong_with_bad_options() {
    assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--queue", "x"})).hasMessage("unknown option '--queue'");
    assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--root"})).hasMessage("--root needs a value");
    assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--parallelism", "many"}))
        .hasMessage("--parallelism must be a whole number, not 'many'");
    assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--parallelism", "0"}))
        .hasMessage("parallelism must be at least 1, not 0");
    assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--root", "a", "--root", "b"}))
        .hasMessage("--root is given more than once");
  }
}

package dev.otto.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class SnapshotsTest {
  @TempDir
  Path dir;

  @AfterEach
  void stopUpdating() {
    System.clearProperty(Snapshots.UPDATE_PROPERTY);
  }

  @Test
  void should_pass_when_the_output_equals_the_golden_file_whatever_its_line_ends() throws Exception {
    Path golden = dir.resolve("plan.txt");
    Files.writeString(golden, "a\r\nb\r\n", StandardCharsets.UTF_8);

    Snapshots.assertMatches(golden, "a\nb\n");
  }

  @Test
  void should_fail_with_the_first_different_line_and_both_texts() throws Exception {
    Path golden = dir.resolve("plan.txt");
    Files.writeString(golden, "same\nold\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Snapshots.assertMatches(golden, "same\nnew\n"))
        .isInstanceOfSatisfying(AssertionFailedError.class, e -> {
          assertThat(e.getMessage()).contains("at line 2").contains("-Dotto.snapshots.update=true")
              .contains("  same\n- old\n+ new\n");
          assertThat(e.getActual().getStringRepresentation()).isEqualTo("same\nnew\n");
        });
  }

  @Test
  void should_fail_on_a_missing_golden_file_unless_updating() throws Exception {
    Path golden = dir.resolve("nested/plan.txt");

    assertThatThrownBy(() -> Snapshots.assertMatches(golden, "x\n")).hasMessageContaining("does not exist");
    assertThat(golden).doesNotExist();

    System.setProperty(Snapshots.UPDATE_PROPERTY, "true");
    Snapshots.assertMatches(golden, "x\n");
    assertThat(golden).hasContent("x");
  }

  @Test
  void should_rewrite_a_different_golden_file_when_updating() throws Exception {
    Path golden = dir.resolve("plan.txt");
    Files.writeString(golden, "old\n", StandardCharsets.UTF_8);
    System.setProperty(Snapshots.UPDATE_PROPERTY, "true");

    Snapshots.assertMatches(golden, "new\n");

    assertThat(Files.readString(golden)).isEqualTo("new\n");
  }
}

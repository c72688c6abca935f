package dev.otto.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShStepTest {
  @Test
  void should_cut_a_label_taken_from_a_huge_script_and_keep_a_short_one_whole() {
    // given a script of ten million characters on one line, and short ones
    ShStep huge = ShStep.of("echo " + "x".repeat(10_000_000));

    // then its label is short, and says it was cut
    assertThat(huge.label()).hasSize(ShStep.MAX_LABEL).startsWith("echo xxx").endsWith(" …");
    assertThat(ShStep.of("make test").label()).isEqualTo("make test");
    assertThat(ShStep.of("make\nmake test").label()).isEqualTo("make …");
    assertThat(ShStep.of("x".repeat(500)).named("build").label()).isEqualTo("build");
  }

  @Test
  void should_not_split_a_character_outside_the_basic_plane_when_cutting_a_label() {
    // given a script of emoji, each two Java chars
    ShStep emoji = ShStep.of("echo " + "\uD83D\uDE80".repeat(300));

    // then the label is cut between characters
    String label = emoji.label();
    assertThat(label.codePointCount(0, label.length())).isEqualTo(ShStep.MAX_LABEL);
    assertThat(Character.isHighSurrogate(label.charAt(label.length() - 3))).isFalse();
  }
}

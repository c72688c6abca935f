package dev.otto.core.explain;

import static dev.otto.core.Fixtures.leaf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.Fixtures;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.WebhookGate;
import dev.otto.core.plan.Planner;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExplainTextTest {

  @Test
  void should_show_line_breaks_and_control_characters_from_the_pipeline_as_escapes() {
    // given
    Pipeline pipeline = Fixtures.pipeline(leaf("Deploy")
        .addEnter(ApprovalGate.of("Ship it?\u001b[2J").timeout(Duration.ofHours(1)))
        .addExit(WebhookGate.of("smoke\ntest").timeout(Duration.ofMinutes(5))).build()).build();

    // when
    String text = Explain.text(Planner.plan(pipeline));

    // then
    assertThat(text).doesNotContain("\u001b").contains("wait for approval 'Ship it?\\u001B[2J'")
        .contains("wait for webhook 'smoke\\u000Atest'");
  }
}

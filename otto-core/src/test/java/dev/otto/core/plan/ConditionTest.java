package dev.otto.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.model.Condition;
import dev.otto.core.plan.Conditions.Truth;
import dev.otto.core.validate.Glob;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {

  @Test
  void should_print_as_readable_text_with_parentheses_only_where_needed() {
    Condition c = Condition.branch().matches("release/*").or(Condition.param("deploy").isTrue())
        .and(Condition.not(Condition.tag().isPresent().or(Condition.trigger().is("schedule"))));
    assertThat(c).hasToString(
        "(branch matches 'release/*' or param 'deploy' is 'true') and not (tag is present or trigger is 'schedule')");
    assertThat(Condition.branch().is("it's")).hasToString("branch is 'it\\'s'");
  }

  @Test
  void should_decide_with_three_outcomes() {
    Condition onMain = Condition.branch().is("main");
    assertThat(Conditions.evaluate(onMain, RunContext.unknown(), Map.of())).isEqualTo(Truth.UNKNOWN);
    assertThat(Conditions.evaluate(onMain, RunContext.branch("main"), Map.of())).isEqualTo(Truth.TRUE);
    assertThat(Conditions.evaluate(onMain, RunContext.builder().build(), Map.of())).isEqualTo(Truth.FALSE);
    Condition either = onMain.or(Condition.param("x").isTrue());
    assertThat(Conditions.evaluate(either, RunContext.unknown(), Map.of("x", "true"))).isEqualTo(Truth.TRUE);
    Condition both = onMain.and(Condition.param("x").isTrue());
    assertThat(Conditions.evaluate(both, RunContext.unknown(), Map.of("x", "false"))).isEqualTo(Truth.FALSE);
    assertThat(Conditions.evaluate(Condition.not(onMain), RunContext.unknown(), Map.of())).isEqualTo(Truth.UNKNOWN);
  }

  @Test
  void should_match_globs_by_path_segment() {
    assertThat(Glob.matches("release/*", "release/1.0")).isTrue();
    assertThat(Glob.matches("release/*", "release/1.0/hotfix")).isFalse();
    assertThat(Glob.matches("release/**", "release/1.0/hotfix")).isTrue();
    assertThat(Glob.matches("v?.*", "v1.2")).isTrue();
    assertThat(Glob.matches("feature.(x)", "feature.(x)")).isTrue();
    assertThat(Glob.matches("a\\*", "a*")).isTrue();
    assertThat(Glob.matches("a\\*", "ab")).isFalse();
    assertThat(Glob.error("")).isPresent();
  }

  @Test
  void should_need_two_operands_for_and_and_or() {
    assertThatThrownBy(() -> Condition.allOf(Condition.always()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("'and' needs at least two conditions, got 1");
  }
}

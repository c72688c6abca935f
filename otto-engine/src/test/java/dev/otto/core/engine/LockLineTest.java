package dev.otto.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.model.LockMode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The line of one lock as a value: what each mode does, and how dead runs are passed over. */
class LockLineTest {
  private static final Predicate<String> ALL_RUNNING = run -> true;

  @Test
  void should_keep_a_waiting_request_s_place_when_it_asks_again() {
    // given
    LockLine line = new LockLine(List.of());
    line.request(LockMode.QUEUE, "a", "Deploy", false, ALL_RUNNING);
    line.request(LockMode.QUEUE, "b", "Deploy", false, ALL_RUNNING);
    line.request(LockMode.QUEUE, "c", "Deploy", false, ALL_RUNNING);

    // when
    List<LockLine.Notice> again = line.request(LockMode.QUEUE, "b", "Deploy", false, ALL_RUNNING);
    List<LockLine.Notice> released = line.release("a", "Deploy", ALL_RUNNING);

    // then
    assertThat(again).isEmpty();
    assertThat(released).containsExactly(new LockLine.Notice("b", "Deploy", true, Optional.empty()));
  }

  @Test
  void should_ask_the_holder_to_give_way_and_supersede_the_waiting_when_a_newer_run_cancels_in_progress() {
    // given
    LockLine line = new LockLine(List.of());
    line.request(LockMode.QUEUE, "a", "Deploy", false, ALL_RUNNING);
    line.request(LockMode.QUEUE, "b", "Deploy", false, ALL_RUNNING);

    // when
    List<LockLine.Notice> notices = line.request(LockMode.CANCEL_IN_PROGRESS, "c", "Deploy", false, ALL_RUNNING);

    // then
    assertThat(notices).containsExactly(new LockLine.Notice("a", "Deploy", false, Optional.of("c")),
        new LockLine.Notice("b", "Deploy", false, Optional.of("c")));
    assertThat(line.holds("a", "Deploy")).isTrue();
    assertThat(line.request(LockMode.QUEUE, "b", "Deploy", false, ALL_RUNNING))
        .containsExactly(new LockLine.Notice("b", "Deploy", false, Optional.of("c")));
    assertThat(line.release("a", "Deploy", ALL_RUNNING))
        .containsExactly(new LockLine.Notice("c", "Deploy", true, Optional.empty()));
    assertThat(line.release("b", "Deploy", ALL_RUNNING)).isEmpty();
  }

  @Test
  void should_pass_over_a_dead_holder_and_a_dead_run_at_the_head_but_not_one_further_back() {
    // given
    LockLine line = new LockLine(List.of(
        new LockLine.Request("dead-holder", "Deploy", LockMode.QUEUE, LockLine.State.HOLDING, null),
        new LockLine.Request("dead-head", "Deploy", LockMode.QUEUE, LockLine.State.WAITING, null),
        new LockLine.Request("alive", "Deploy", LockMode.QUEUE, LockLine.State.WAITING, null),
        new LockLine.Request("dead-behind", "Deploy", LockMode.QUEUE, LockLine.State.WAITING, null)));
    Set<String> running = Set.of("alive", "newcomer");

    // when
    List<LockLine.Notice> notices = line.request(LockMode.QUEUE, "newcomer", "Deploy", false, running::contains);

    // then
    assertThat(notices).containsExactly(new LockLine.Notice("alive", "Deploy", true, Optional.empty()));
    assertThat(line.requests()).extracting(LockLine.Request::run).containsExactly("alive", "dead-behind", "newcomer");
  }

  @Test
  void should_tell_a_resumed_stage_it_lost_a_lock_the_line_no_longer_gives_it_and_not_put_it_in_line() {
    // given
    LockLine line = new LockLine(List.of());

    // when
    List<LockLine.Notice> notices = line.request(LockMode.QUEUE, "a", "Deploy", true, ALL_RUNNING);

    // then
    assertThat(notices).containsExactly(new LockLine.Notice("a", "Deploy", false, Optional.empty()));
    assertThat(line.requests()).isEmpty();
  }
}

package dev.otto.core.model;

import static dev.otto.core.Fixtures.leaf;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StageTest {

  @Test
  void should_compare_every_attribute_besides_the_child_stages_level_by_level() {
    // given
    long attributes = Arrays.stream(Stage.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getParameterCount() == 0 && m.getDeclaringClass() == Stage.class)
        .map(Method::getName)
        .filter(name -> !name.equals("hashCode") && !name.equals("toString"))
        .count();

    // when
    int compared = leaf("A").build().ownValues().size();

    // then
    assertThat(compared).as("attributes of Stage compared by equals, child stages apart").isEqualTo(attributes - 1);
  }

  @Test
  void should_be_equal_with_equal_hash_codes_when_built_alike_and_differ_in_any_attribute() {
    // given
    Stage a = Stage.builder("G").addStages(leaf("A").build()).build();
    Stage same = Stage.builder("G").addStages(leaf("A").build()).build();
    Stage other = Stage.builder("G").addStages(leaf("A").origin("convention").build()).build();

    // then
    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other).isNotEqualTo("G");
  }
}

package dev.otto.dsl;

import static dev.otto.dsl.Otto.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.model.Pipeline;
import dev.otto.core.validate.PipelineValidationException;
import dev.otto.core.validate.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlueprintTest {
  static final Variable<String> SERVICE = Variable.string("service").description("the service to build");
  static final Variable<Long> SHARDS = Variable.integer("shards").defaultValue(2L);

  static final Blueprint SERVICE_BLUEPRINT = new Blueprint() {
    @Override
    public String name() {
      return "service";
    }

    @Override
    public List<Variable<?>> variables() {
      return List.of(SERVICE, SHARDS);
    }

    @Override
    public void contribute(PipelineSpec p, BlueprintValues values) {
      p.stage("Build " + values.get(SERVICE), s -> s.steps(sh("make -j" + values.get(SHARDS))));
    }
  };

  @Test
  void should_report_a_required_variable_without_a_value() {
    assertThatThrownBy(() -> Otto.pipeline("svc", p -> p.from(SERVICE_BLUEPRINT)))
        .isInstanceOfSatisfying(PipelineValidationException.class, e -> {
          assertThat(e.problems()).extracting(Problem::code).containsExactly("OTTO-101");
          assertThat(e.problems().get(0).path()).isEqualTo("pipeline 'svc' > blueprint 'service'");
          assertThat(e.problems().get(0).message()).contains("'service' (string) has no default");
        });
  }

  @Test
  void should_convert_text_values_of_integer_variables_and_record_the_values_used() {
    Pipeline pipeline = Otto.pipeline("svc", p -> p.from(SERVICE_BLUEPRINT, Map.of("service", "api", "shards", "8")));

    assertThat(pipeline.stages()).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("Build api"));
    assertThat(pipeline.blueprints().get(0).variables()).containsExactly(Map.entry("service", "api"),
        Map.entry("shards", "8"));
  }

  @Test
  void should_refuse_to_read_a_variable_the_blueprint_does_not_declare() {
    Variable<String> undeclared = Variable.string("other");
    Blueprint sloppy = new Blueprint() {
      @Override
      public String name() {
        return "sloppy";
      }

      @Override
      public List<Variable<?>> variables() {
        return List.of();
      }

      @Override
      public void contribute(PipelineSpec p, BlueprintValues values) {
        values.get(undeclared);
      }
    };
    assertThatThrownBy(() -> Otto.pipeline("p", p -> p.from(sloppy)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("blueprint 'sloppy' does not declare the variable 'other'; add it to variables()");
  }
}

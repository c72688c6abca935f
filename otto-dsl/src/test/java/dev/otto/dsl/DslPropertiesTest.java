package dev.otto.dsl;

import static dev.otto.dsl.Otto.agent;
import static dev.otto.dsl.Otto.approval;
import static dev.otto.dsl.Otto.branch;
import static dev.otto.dsl.Otto.docker;
import static dev.otto.dsl.Otto.sameAs;
import static dev.otto.dsl.Otto.sh;
import static dev.otto.dsl.Otto.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otto.core.explain.Explain;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.validate.PipelineValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws of pipelines written with the DSL, from programs generated at random. */
class DslPropertiesTest {
  private static final String[] NAMES = {"Build", "Test", "Deploy", "Build", "", " x", "a>b", "Déploiement", "\u0000"};
  private static final StageRef FOREIGN = new StageRef(dev.otto.core.model.StagePath.of("Elsewhere"));

  @Provide
  Arbitrary<List<Integer>> programs() {
    return Arbitraries.integers().between(0, 99).list().ofMinSize(1).ofMaxSize(120);
  }

  /** Runs a program: each number picks the next DSL call, so the same numbers write the same pipeline. */
  private static Pipeline write(List<Integer> program) {
    int[] at = {0};
    java.util.function.IntUnaryOperator next = bound -> Math.floorMod(program.get(at[0]++ % program.size()) + at[0], bound);
    return Otto.pipeline("random", p -> {
      var gems = p.cache("gems", "vendor/");
      var token = p.secret(next.applyAsInt(10) < 9 ? "token" : "bad secret");
      var deploy = p.booleanParam("deploy", true, "deploy");
      var prod = p.environment("prod", e -> e.setting("HOST", "prod").allowBranches("main"));
      if (next.applyAsInt(10) == 0) {
        p.from(new Blueprint() {
          @Override
          public String name() {
            return "bp";
          }

          @Override
          public List<Variable<?>> variables() {
            return List.of(Variable.bool("flag").defaultValue(true));
          }

          @Override
          public void contribute(PipelineSpec spec, BlueprintValues values) {
            spec.stage("From blueprint", s -> s.steps(sh("make")));
          }
        }, next.applyAsInt(2) == 0 ? Map.of("flag", "maybe") : Map.of());
      }
      List<StageRef> declared = new ArrayList<>();
      int stages = 1 + next.applyAsInt(6);
      for (int i = 0; i < stages; i++) {
        String name = next.applyAsInt(4) == 0 ? NAMES[next.applyAsInt(NAMES.length)] : "S" + i;
        declared.add(p.stage(name, s -> {
          switch (next.applyAsInt(6)) {
            case 0 -> s.runtime(docker("ruby"));
            case 1 -> s.runtime(agent("linux"));
            case 2 -> s.runtime(sameAs(declared.isEmpty() ? FOREIGN : declared.get(next.applyAsInt(declared.size()))));
            default -> { }
          }
          if (next.applyAsInt(4) == 0) {
            s.parallel();
            int children = next.applyAsInt(4);
            for (int c = 0; c < children; c++) {
              s.stage("C" + c, child -> child.steps(sh("make " + next.applyAsInt(9))));
            }
          } else if (next.applyAsInt(10) > 0) {
            s.steps(next.applyAsInt(8) == 0 ? sh("deploy").with(token.asEnv("TOKEN")) : sh("make"));
          }
          if (next.applyAsInt(5) == 0) {
            s.saves(gems);
          }
          if (next.applyAsInt(5) == 0) {
            s.restores(gems);
          }
          if (next.applyAsInt(6) == 0) {
            s.environment(prod);
          }
          if (next.applyAsInt(5) == 0) {
            s.when(branch().matches("release/*").or(deploy.isTrue()));
          }
          if (next.applyAsInt(6) == 0) {
            s.enter(next.applyAsInt(2) == 0 ? approval("ok?") : approval("ok?").timeout(Duration.ofHours(1)));
          }
          if (next.applyAsInt(8) == 0) {
            s.exit(webhook("hook").timeout(Duration.ofMinutes(next.applyAsInt(3))));
          }
          if (next.applyAsInt(6) == 0) {
            s.after(next.applyAsInt(3) == 0 || declared.isEmpty() ? FOREIGN : declared.get(next.applyAsInt(declared.size())));
          }
          if (next.applyAsInt(10) == 0) {
            var os = s.matrix().axis("os", "linux", next.applyAsInt(2) == 0 ? "linux" : "mac");
            s.runtime(agent(os.value()));
          }
        }));
      }
    });
  }

  @Property(tries = 400)
  void a_dsl_program_yields_a_valid_pipeline_or_one_exception_listing_its_problems(
      @ForAll("programs") List<Integer> program) {
    Pipeline pipeline;
    try {
      pipeline = write(program);
    } catch (PipelineValidationException e) {
      assertThat(e.problems()).isNotEmpty();
      assertThat(e.getMessage()).startsWith("pipeline 'random' has ");
      return;
    }
    assertThat(Explain.text(Planner.plan(pipeline, RunContext.branch("main")))).startsWith("pipeline 'random'");
  }

  @Property(tries = 200)
  void the_same_program_writes_the_same_pipeline_and_plan(@ForAll("programs") List<Integer> program) {
    Pipeline first;
    try {
      first = write(program);
    } catch (PipelineValidationException e) {
      return;
    }
    Pipeline second = write(program);
    assertThat(second).isEqualTo(first);
    assertThat(Planner.plan(second).fingerprint()).isEqualTo(Planner.plan(first).fingerprint());
  }
}

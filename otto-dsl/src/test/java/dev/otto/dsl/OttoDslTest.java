package dev.otto.dsl;

import static dev.otto.dsl.Otto.agent;
import static dev.otto.dsl.Otto.approval;
import static dev.otto.dsl.Otto.branch;
import static dev.otto.dsl.Otto.docker;
import static dev.otto.dsl.Otto.poll;
import static dev.otto.dsl.Otto.sameAs;
import static dev.otto.dsl.Otto.sh;
import static dev.otto.dsl.Otto.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.explain.Explain;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.plan.StageStatus;
import dev.otto.core.validate.PipelineValidationException;
import dev.otto.core.validate.Problem;
import dev.otto.dsl.library.Slack;
import dev.otto.dsl.library.Stdlib;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OttoDslTest {

  @Test
  void should_build_nested_stages_with_typed_references() {
    Pipeline pipeline = Otto.pipeline("app", p -> {
      var jars = p.cache("jars", "target/");
      var build = p.stage("Build", s -> s.runtime(docker("maven:3")).saves(jars).steps(sh("mvn -B package")));
      p.parallel("Checks", checks -> {
        checks.stage("Unit", s -> s.runtime(sameAs(build)).restores(jars).steps(sh("mvn -B test")));
        checks.stage("Lint", s -> s.runtime(agent("linux")).steps(sh("make lint")));
      });
      p.stage("Publish", s -> s.after(build).steps(sh("mvn -B deploy")));
    });

    Plan plan = Planner.plan(pipeline);
    assertThat(plan.stages()).extracting(PlannedStage::id)
        .containsExactly("Build", "Checks", "Checks > Unit", "Checks > Lint", "Publish");
    assertThat(plan.stage("Checks").orElseThrow().parallel()).isTrue();
    assertThat(plan.stage("Publish").orElseThrow().dependsOn()).containsExactly("Checks", "Build");
    assertThat(plan.stage("Checks > Unit").orElseThrow().runtime().describe()).isEqualTo("container maven:3");
  }

  @Test
  void should_throw_one_exception_listing_every_problem() {
    assertThatThrownBy(() -> Otto.pipeline("broken", p -> {
      p.stage("Deploy", s -> s.enter(approval("Ship it?")).steps(sh("./deploy")));
      p.stage("Deploy", s -> s.exit(webhook("smoke test")).steps(sh(" ")));
    })).isInstanceOfSatisfying(PipelineValidationException.class, e ->
        assertThat(e.problems()).extracting(Problem::code).containsExactly("OTTO-011", "OTTO-060", "OTTO-060",
            "OTTO-120"));
  }

  @Test
  void should_name_the_argument_that_is_null() {
    assertThatThrownBy(() -> Otto.pipeline(null, p -> {})).isInstanceOf(NullPointerException.class)
        .hasMessage("pipeline name");
    assertThatThrownBy(() -> Otto.pipeline("p", p -> p.stage(null, s -> {}))).hasMessage("stage name");
    assertThatThrownBy(() -> Otto.pipeline("p", p -> p.stage("A", s -> s.steps(sh("x"), null))))
        .hasMessage("step 2 of steps");
    assertThatThrownBy(() -> Otto.pipeline("p", p -> p.environment("e", e -> e.setting("K", null))))
        .hasMessage("value of setting K");
    assertThatThrownBy(() -> sh(null)).hasMessage("script");
  }

  @Test
  void should_refer_to_stages_a_blueprint_declared_by_path_and_explain_unknown_ones() {
    assertThatThrownBy(() -> Otto.pipeline("p", p -> {
      p.stage("Build", s -> s.steps(sh("make")));
      p.ref("Bulid");
    })).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no stage 'Bulid' has been declared yet; declared: [Build]");
    assertThatThrownBy(() -> Otto.pipeline("p", p -> {
      p.stage("Test", s -> {
        var jdk = s.matrix().axis("jdk", "17", "21");
        s.steps(sh("make test JDK=" + jdk.value()));
      });
      p.ref("Test", "17");
    })).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no stage 'Test > 17' can be referred to: 'Test' is a matrix, whose stages are made from its values "
            + "when the pipeline is planned; refer to the matrix, p.ref(\"Test\"), which ends when all of them have");
  }

  @Test
  void should_keep_secrets_as_names_and_bind_them_to_steps() {
    Pipeline pipeline = Otto.pipeline("deploy", p -> {
      var token = p.secret("deploy-token");
      assertThat(token).hasToString("secret(deploy-token)");
      p.stage("Deploy", s -> s.steps(sh("./deploy").with(token.asEnv("TOKEN"), token.asFile("TOKEN_FILE"))));
    });
    Op.RunProcess run = (Op.RunProcess) Planner.plan(pipeline).stages().get(0).ops().get(1);
    assertThat(run.secrets()).containsExactly(SecretBinding.asEnv("deploy-token", "TOKEN"),
        SecretBinding.asFile("deploy-token", "TOKEN_FILE"));
  }

  @Nested
  class Parameters {
    private final Pipeline pipeline = Otto.pipeline("params", p -> {
      var deploy = p.booleanParam("deploy", false, "deploy after the build");
      var region = p.choiceParam("region", List.of("eu", "us"), "where to deploy");
      var shards = p.integerParam("shards", 2, "test shards");
      p.stage("Test", s -> s.when(shards.is(2L)).steps(sh("make test")));
      p.stage("Deploy", s -> s.when(deploy.isTrue().and(region.is("eu"))).steps(sh("./deploy eu")));
    });

    @Test
    void should_use_defaults_and_given_values() {
      assertThat(Planner.plan(pipeline, RunContext.branch("main")).stage("Deploy").orElseThrow().status())
          .isEqualTo(StageStatus.SKIP);
      Plan deploying = Planner.plan(pipeline, RunContext.builder().param("deploy", "true").build());
      assertThat(deploying.stage("Deploy").orElseThrow().status()).isEqualTo(StageStatus.RUN);
      assertThat(deploying.parameterValues()).containsExactly(java.util.Map.entry("deploy", "true"),
          java.util.Map.entry("region", "eu"), java.util.Map.entry("shards", "2"));
    }
  }

  @Nested
  class Matrices {
    @Test
    void should_expand_every_combination_with_a_name_template() {
      Pipeline pipeline = Otto.pipeline("m", p -> p.stage("Test", s -> {
        var os = s.matrix().axis("os", "linux", "mac");
        var jdk = s.matrix().axis("jdk", "17", "21");
        s.matrix(m -> m.nameTemplate(os.value() + " / JDK " + jdk.value()))
            .runtime(agent(os.value()))
            .steps(sh("./gradlew test -Pjdk=" + jdk.value()).env("JDK", jdk.value()));
      }));

      Plan plan = Planner.plan(pipeline);
      assertThat(plan.stage("Test").orElseThrow().children()).containsExactly(
          "Test > linux / JDK 17", "Test > linux / JDK 21", "Test > mac / JDK 17", "Test > mac / JDK 21");
      Op.RunProcess run = (Op.RunProcess) plan.stage("Test > mac / JDK 21").orElseThrow().ops().get(1);
      assertThat(run.script()).isEqualTo("./gradlew test -Pjdk=21");
      assertThat(run.env()).containsEntry("JDK", "21");
    }
  }

  @Nested
  class Services {
    @Test
    void should_declare_a_service_of_a_container_stage_and_explain_it() {
      // given
      Pipeline pipeline = Otto.pipeline("rails", p -> p.stage("Test", s -> s.runtime(docker("ruby:3.3"))
          .service("db", "postgres:16", db -> db.env("POSTGRES_HOST_AUTH_METHOD", "trust")
              .healthCheck("pg_isready -h 127.0.0.1 -U postgres").startTimeout(Duration.ofMinutes(3)))
          .service("cache", "redis:7")
          .steps(sh("bundle exec rspec"))));

      // when
      Plan plan = Planner.plan(pipeline);

      // then
      assertThat(plan.stage("Test").orElseThrow().services()).extracting(s -> s.name() + " " + s.image())
          .containsExactly("db postgres:16", "cache redis:7");
      assertThat(Explain.text(plan)).contains("  Test  [runs]  container ruby:3.3\n"
          + "    service db: postgres:16; env POSTGRES_HOST_AUTH_METHOD; ready when 'pg_isready -h 127.0.0.1 -U postgres' "
          + "succeeds, within 3m\n"
          + "    service cache: redis:7; ready when running, within 2m\n"
          + "    - run bundle exec rspec\n");
    }

    @Test
    void should_give_each_cell_of_a_matrix_its_services_with_the_cells_values() {
      // given
      Pipeline pipeline = Otto.pipeline("pg", p -> p.stage("Test", s -> {
        var pg = s.matrix().axis("pg", "15", "16");
        s.runtime(docker("ruby:3.3")).service("db", "postgres:" + pg.value()).steps(sh("rake"));
      }));

      // when
      Plan plan = Planner.plan(pipeline);

      // then
      assertThat(plan.stage("Test").orElseThrow().services()).isEmpty();
      assertThat(plan.stage("Test > 16").orElseThrow().services()).singleElement()
          .satisfies(db -> assertThat(db.image()).isEqualTo("postgres:16"));
    }

    @Test
    void should_refuse_services_on_a_stage_that_runs_locally() {
      assertThatThrownBy(() -> Otto.pipeline("local", p -> p.stage("Test", s -> s.service("db", "postgres:16")
          .steps(sh("rake"))))).isInstanceOf(PipelineValidationException.class).hasMessageContaining("OTTO-053");
    }
  }

  @Nested
  class Caches {
    @Test
    void should_fall_back_to_the_newest_entry_of_a_cache_unless_told_otherwise() {
      // given
      Pipeline pipeline = Otto.pipeline("caches", p -> {
        var gems = p.cache("gems", List.of("vendor/"), List.of("Gemfile.lock"));
        var npm = p.cache("npm", c -> c.paths(".npm/").keyFiles(".nvmrc", "package-lock.json")
            .fallback(".nvmrc").fallback());
        var out = p.cache("out", c -> c.paths("out/").keyFiles("src.lock").exactKeyOnly());
        p.stage("Build", s -> s.restores(gems, npm, out).saves(gems, npm, out).steps(sh("make")));
      });

      // when
      List<Op> ops = Planner.plan(pipeline).stage("Build").orElseThrow().ops();

      // then
      assertThat(ops).filteredOn(Op.RestoreCache.class::isInstance)
          .extracting(op -> ((Op.RestoreCache) op).fallbacks()).containsExactly(
              List.of(Cache.Fallback.ANY_KEY_FILES),
              List.of(new Cache.Fallback(List.of(".nvmrc")), Cache.Fallback.ANY_KEY_FILES),
              List.of());
      assertThat(Explain.text(Planner.plan(pipeline))).contains(
          "restore cache npm [.npm/] keyed by .nvmrc, package-lock.json, else the newest entry with the same .nvmrc, "
              + "else the cache's newest entry",
          "restore cache out [out/] keyed by src.lock, exact key only",
          "gems  vendor/  keyed by Gemfile.lock, else the cache's newest entry");
    }

    @Test
    void should_refuse_a_cache_that_both_falls_back_and_matches_its_exact_key_only() {
      assertThatThrownBy(() -> Otto.pipeline("caches", p -> p.cache("npm", c -> c.paths(".npm/")
          .keyFiles("package-lock.json").fallback().exactKeyOnly())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("the cache 'npm' declares fallback(...), so it is not exactKeyOnly()");
    }
  }

  @Nested
  class Environments {
    @Test
    void should_apply_settings_protection_and_approval() {
      Pipeline pipeline = Otto.pipeline("env", p -> {
        var key = p.secret("api-key");
        var prod = p.environment("production", e -> e.setting("RAILS_ENV", "production")
            .secret(key.asEnv("API_KEY")).allowBranches("main", "release/*").requireApproval(Duration.ofHours(4)));
        p.stage("Deploy", s -> s.environment(prod).steps(sh("./deploy"))
            .exit(poll("healthy", sh("curl -fsS https://example.org/health")).every(Duration.ofSeconds(15))
                .timeout(Duration.ofMinutes(10))));
      });

      Plan onRelease = Planner.plan(pipeline, RunContext.branch("release/2.0"));
      List<Op> ops = onRelease.stage("Deploy").orElseThrow().ops();
      assertThat(ops).extracting(Op::kind).containsExactly("begin-stage", "await-approval", "run", "poll", "end-stage");
      assertThat(((Op.RunProcess) ops.get(2)).env()).containsEntry("RAILS_ENV", "production");
      assertThat(Planner.plan(pipeline, RunContext.branch("dev")).stage("Deploy").orElseThrow().status())
          .isEqualTo(StageStatus.SKIP);
    }
  }

  @Nested
  class Libraries {
    @Test
    void should_expand_slack_into_a_process_that_keeps_the_webhook_off_the_command_line() {
      Pipeline pipeline = Otto.pipeline("notify", p -> {
        var hook = p.secret("slack-webhook");
        var slack = p.use(Slack.library(), cfg -> cfg.channel("#ops").webhook(hook));
        p.stage("Build", s -> s.steps(sh("make")).onFailure(slack.send("Build \"broke\" on\nmain")));
      });

      Op.RunProcess run = (Op.RunProcess) Planner.plan(pipeline).stages().get(0).ops().get(2);
      assertThat(run.guard()).isEqualTo(Op.Guard.ON_FAILURE);
      assertThat(run.secrets()).containsExactly(SecretBinding.asEnv("slack-webhook", "OTTO_SLACK_WEBHOOK_URL"));
      assertThat(run.script()).contains("--config -").doesNotContain("curl \"$OTTO_SLACK_WEBHOOK_URL\"");
      assertThat(run.env().get("OTTO_SLACK_PAYLOAD"))
          .isEqualTo("{\"channel\":\"#ops\",\"username\":\"otto\",\"text\":\"Build \\\"broke\\\" on\\nmain\"}");
    }

    @Test
    void should_report_missing_library_configuration() {
      assertThatThrownBy(() -> Otto.pipeline("notify", p -> {
        var slack = p.use(Slack.library(), cfg -> cfg.channel("#ops"));
        p.stage("Build", s -> s.steps(sh("make"), slack.send("done")));
      })).isInstanceOfSatisfying(PipelineValidationException.class, e -> {
        assertThat(e.problems()).extracting(Problem::code).containsExactly("OTTO-113");
        assertThat(e.problems().get(0).message()).contains("needs the parameter 'webhook'");
      });
    }

    @Test
    void should_expand_standard_steps_to_artifacts_and_host_notifications() {
      Pipeline pipeline = Otto.pipeline("std", p -> {
        var std = p.use(Stdlib.library());
        p.stage("Package", s -> s.steps(sh("make dist"), std.archive("dist", "dist/*.tar.gz"))
            .always(std.notify("packaged")));
      });
      Plan plan = Planner.plan(pipeline);
      assertThat(plan.stages().get(0).ops()).extracting(Op::kind)
          .containsExactly("begin-stage", "run", "store-artifact", "emit", "end-stage");
      assertThat(Explain.text(plan)).contains("store artifact dist [dist/*.tar.gz]").contains("always: emit notification: packaged");
    }
  }

  @Test
  void should_accept_conditions_from_the_static_helpers() {
    Pipeline pipeline = Otto.pipeline("c", p -> p.stage("Release", s -> s
        .enter(Otto.when(branch().matches("release/*")))
        .steps(sh("make release"))));
    assertThat(Planner.plan(pipeline, RunContext.branch("release/1")).stages().get(0).status())
        .isEqualTo(StageStatus.RUN);
  }
}

package dev.otto.examples;

import static dev.otto.dsl.Otto.branch;
import static dev.otto.dsl.Otto.docker;
import static dev.otto.dsl.Otto.sameAs;
import static dev.otto.dsl.Otto.sh;

import dev.otto.dsl.Blueprint;
import dev.otto.dsl.BlueprintValues;
import dev.otto.dsl.PipelineSpec;
import dev.otto.dsl.Variable;
import java.util.List;

/**
 * The original Otto Rubygem blueprint: build and test a gem in a Ruby container and, unless
 * {@code deploy} is false, publish it from master.
 */
public final class RubyGem implements Blueprint {
  /** The container image to build with. */
  public static final Variable<String> RUBY_VERSION =
      Variable.string("rubyVersion").defaultValue("ruby").description("the Ruby container image to build with");

  /** Whether to publish the gem from master. */
  public static final Variable<Boolean> DEPLOY =
      Variable.bool("deploy").defaultValue(true).description("publish the gem to rubygems.org from master");

  @Override
  public String name() {
    return "rubygem";
  }

  @Override
  public List<Variable<?>> variables() {
    return List.of(RUBY_VERSION, DEPLOY);
  }

  @Override
  public void contribute(PipelineSpec p, BlueprintValues values) {
    var gems = p.cache("gems", List.of("vendor/bundle/"), List.of("Gemfile.lock"));
    var build = p.stage("Build", s -> s
        .runtime(docker(values.get(RUBY_VERSION)))
        .saves(gems)
        .steps(sh("bundle install --path=vendor/bundle"), sh("bundle exec rake build")));
    p.stage("Test", s -> s
        .runtime(sameAs(build))
        .restores(gems)
        .steps(sh("bundle exec rake test")));
    if (values.get(DEPLOY)) {
      var apiKey = p.secret("rubygems-api-key");
      p.stage("Publish", s -> s
          .when(branch().is("master"))
          .runtime(sameAs(build))
          .restores(gems)
          .steps(sh("bundle exec rake build && gem push pkg/*.gem").with(apiKey.asEnv("GEM_HOST_API_KEY"))));
    }
  }
}

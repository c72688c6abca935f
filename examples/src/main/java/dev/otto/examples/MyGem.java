package dev.otto.examples;

import static dev.otto.dsl.Otto.sameAs;
import static dev.otto.dsl.Otto.sh;

import dev.otto.core.model.Pipeline;
import dev.otto.dsl.Otto;

/** A gem's pipeline built from the {@link RubyGem} blueprint, with one stage of its own added. */
public final class MyGem {
  private MyGem() {}

  public static Pipeline pipeline() {
    return Otto.pipeline("my-gem", p -> {
      p.from(new RubyGem(), v -> v.set(RubyGem.RUBY_VERSION, "ruby:3.3"));
      p.stage("Docs", s -> s
          .runtime(sameAs(p.ref("Build")))
          .steps(sh("bundle exec yard doc")));
    });
  }
}

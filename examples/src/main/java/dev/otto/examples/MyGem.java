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
      // Docs follows Publish, which runs only on master; the docs are built on every branch.
      p.stage("Docs", s -> s
          .runtime(sameAs(p.ref("Build")))
          .runsEvenIfSkipped(p.ref("Publish"))
          .steps(sh("bundle exec yard doc")));
    });
  }
}

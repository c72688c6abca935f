package dev.otto.examples;

import static dev.otto.dsl.Otto.agent;
import static dev.otto.dsl.Otto.sh;

import dev.otto.core.model.Pipeline;
import dev.otto.dsl.Otto;

/**
 * The original Otto matrix example: one build stage run on four platforms at once, each on an
 * agent carrying the platform's label.
 */
public final class Matrix {
  private Matrix() {}

  public static Pipeline pipeline() {
    return Otto.pipeline("matrix", p -> {
      p.stage("Build", s -> {
        var platform = s.matrix().axis("platform", "win10", "macos", "linux-jdk12", "linux-jdk8");
        s.runtime(agent(platform.value()))
            .steps(sh("./gradlew check"));
      });
    });
  }
}

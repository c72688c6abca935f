package dev.otto.examples;

import static dev.otto.dsl.Otto.sh;

import dev.otto.core.model.Pipeline;
import dev.otto.dsl.Otto;
import dev.otto.dsl.library.Stdlib;
import java.time.Duration;

/**
 * A pipeline that deploys what it builds to staging, and promotes to production exactly what
 * staging runs: production takes the artifact by the digest staging's record holds, not what
 * the run built. Every deployment is recorded ({@code otto deployments production}); {@code otto
 * run --rollback production} redeploys what production ran before.
 */
public final class Delivery {
  private Delivery() {}

  public static Pipeline pipeline() {
    return Otto.pipeline("delivery", p -> {
      var std = p.use(Stdlib.library());
      var staging = p.environment("staging", e -> e.setting("URL", "https://staging.example.com"));
      var production = p.environment("production", e -> e.setting("URL", "https://example.com")
          .requireApproval(Duration.ofHours(4)));
      p.stage("Build", s -> s.steps(sh("mkdir -p dist && date > dist/app.txt"), std.archive("app", "dist/")));
      p.stage("Staging", s -> s.environment(staging)
          .steps(std.unarchive("app"), sh("echo deploying $(cat dist/app.txt) to $URL")));
      p.stage("Production", s -> s.environment(production)
          .steps(std.promote("app", staging), sh("echo deploying $(cat dist/app.txt) to $URL")));
    });
  }
}

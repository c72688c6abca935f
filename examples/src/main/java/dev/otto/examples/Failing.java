package dev.otto.examples;

import static dev.otto.dsl.Otto.sh;

import dev.otto.core.model.Pipeline;
import dev.otto.dsl.Otto;
import dev.otto.dsl.library.Stdlib;

/**
 * A pipeline that runs on any machine with a shell, and whose integration tests fail: the run
 * shows the failure, the notification it triggers, and the stages skipped after it.
 */
public final class Failing {
  private Failing() {}

  public static Pipeline pipeline() {
    return Otto.pipeline("failing", p -> {
      var std = p.use(Stdlib.library());
      var build = p.stage("Build", s -> s.steps(
          sh("mkdir -p dist && echo 'compiled' > dist/app.txt && echo compiled"),
          std.archive("app", "dist/")));
      p.parallel("Test", test -> {
        test.stage("Unit", s -> s.steps(sh("echo '12 tests passed'")));
        test.stage("Integration", s -> s
            .steps(sh("echo 'connecting to the test database'; echo 'connection refused' >&2; exit 3"))
            .onFailure(std.notify("Integration tests failed")));
      });
      p.stage("Package", s -> s.after(build).steps(sh("tar czf app.tgz dist")));
      p.stage("Publish", s -> s.steps(sh("echo publishing app.tgz")));
    });
  }
}

import static dev.otto.dsl.Otto.sh;

import dev.otto.core.model.Pipeline;
import dev.otto.dsl.Otto;

/**
 * A pipeline that runs on any machine with a shell, in a few seconds: `./otto run examples/hello`.
 * It builds, tests on two "platforms" at once, and packages, printing as it goes.
 */
public class Ottofile {
  public static Pipeline pipeline() {
    return Otto.pipeline("hello", p -> {
      var dist = p.cache("dist", "dist/");
      p.stage("Build", s -> s.saves(dist).steps(
          sh("mkdir -p dist && echo 'hello, world' > dist/hello.txt"),
          sh("sleep 1; echo 'built dist/hello.txt'")));
      p.parallel("Test", test -> {
        test.stage("Linux", s -> s.restores(dist).steps(sh("sleep 1; grep -q hello dist/hello.txt && echo 'linux: ok'")));
        test.stage("Mac", s -> s.restores(dist).steps(sh("sleep 2; grep -q world dist/hello.txt && echo 'mac: ok'")));
      });
      p.stage("Package", s -> s.restores(dist).steps(sh("tar czf hello.tgz dist && echo 'packaged hello.tgz'")));
    });
  }
}

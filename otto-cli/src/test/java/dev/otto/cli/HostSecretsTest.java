package dev.otto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The otto command's own environment holds no secret value a step could read. */
@EnabledOnOs(OS.LINUX)
class HostSecretsTest {
  private static final String CANARY = "canary-" + UUID.randomUUID();

  @TempDir
  Path dir;

  @Test
  void should_leave_no_secret_value_in_the_environment_of_the_otto_process_for_steps_to_read() throws Exception {
    // given a pipeline whose step reads the environment of every process above it, and a secret in otto's
    Files.writeString(dir.resolve("Ottofile.java"), """
        import static dev.otto.dsl.Otto.sh;

        import dev.otto.core.model.Pipeline;
        import dev.otto.dsl.Otto;

        public class Ottofile {
          public static Pipeline pipeline() {
            return Otto.pipeline("spy", p -> {
              var token = p.secret("deploy-token");
              p.stage("Spy", s -> s.steps(
                  sh("p=$$; while [ \\"$p\\" -gt 1 ]; do tr '\\\\0' '\\\\n' < /proc/$p/environ; "
                      + "p=$(cut -d' ' -f4 /proc/$p/stat); done > ancestors.txt; echo \\"used $TOKEN\\"")
                      .with(token.asEnv("TOKEN"))));
            });
          }
        }
        """);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        OttoCommand.class.getName(), "run", "--runs", dir.resolve("runs").toString(), dir.toString())
        .redirectErrorStream(true);
    builder.environment().put("DEPLOY_TOKEN", CANARY);

    // when otto runs it
    Process otto = builder.start();
    String output = new String(otto.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(otto.waitFor(2, TimeUnit.MINUTES)).isTrue();

    // then the step had the secret, and found none of it in the environment of otto's process
    assertThat(otto.exitValue()).as(output).isZero();
    assertThat(output).contains("used ***").doesNotContain(CANARY);
    Path ancestors;
    try (var found = Files.find(dir.resolve("runs"), 4, (path, attributes) -> path.endsWith("ancestors.txt"))) {
      ancestors = found.findFirst().orElseThrow();
    }
    String seen = Files.readString(ancestors, StandardCharsets.UTF_8);
    assertThat(seen).contains("DEPLOY_TOKEN=" + "*".repeat(CANARY.length())).doesNotContain(CANARY);
  }
}

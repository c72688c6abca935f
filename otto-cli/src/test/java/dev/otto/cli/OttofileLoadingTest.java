package dev.otto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An Ottofile that does not return a pipeline gets the "could not be loaded" status and says why. */
class OttofileLoadingTest {
  @TempDir
  Path dir;

  private void ottofile(String body) throws Exception {
    Files.writeString(dir.resolve("Ottofile.java"), """
        import dev.otto.core.model.Pipeline;

        public class Ottofile {
          public static Pipeline pipeline() {
            %s
          }
        }
        """.formatted(body));
  }

  @Test
  void should_refuse_an_ottofile_whose_pipeline_is_null() throws Exception {
    // given
    ottofile("return null;");

    // when
    OttoCommandTest.Outcome outcome = OttoCommandTest.otto("validate", dir.toString());

    // then
    assertThat(outcome.code()).isEqualTo(ExitCodes.CANNOT_RUN);
    assertThat(outcome.err()).contains("Ottofile.pipeline() returned null",
        "return the Pipeline that Otto.pipeline(...) builds");
  }

  @Test
  void should_not_let_an_ottofile_that_exits_make_validate_succeed() throws Exception {
    // given an Ottofile that ends the process with status 0 while it builds its pipeline
    ottofile("System.exit(0); return null;");

    // when otto validates it, in a process of its own
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process otto = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        OttoCommand.class.getName(), "validate", dir.toString()).redirectErrorStream(true).start();
    String output = new String(otto.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(otto.waitFor(2, TimeUnit.MINUTES)).isTrue();

    // then it fails as an Ottofile that could not be loaded, and says why
    assertThat(otto.exitValue()).as(output).isEqualTo(ExitCodes.CANNOT_RUN);
    assertThat(output).contains("ended the process (System.exit or Runtime.halt) while its pipeline was being built");
  }
}

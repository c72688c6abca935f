package dev.otto.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretProvidersTest {
  private static final String CANARY = "canary-7f3a9c-do-not-print";

  @Test
  void a_value_never_shows_in_its_text_form() {
    SecretValue value = SecretValue.of("token", CANARY);
    assertThat(value.toString()).isEqualTo("SecretValue[token, ***]").doesNotContain(CANARY);
    assertThat(value.reveal()).isEqualTo(CANARY);
  }

  @Nested
  class InMemory {
    @Test
    void should_resolve_given_values_and_name_the_known_ones_when_asked_for_another() {
      SecretProvider provider = SecretProviders.inMemory(Map.of("token", CANARY));
      assertThat(provider.resolve("token").reveal()).isEqualTo(CANARY);
      assertThatThrownBy(() -> provider.resolve("other"))
          .isInstanceOfSatisfying(SecretResolutionException.class, e -> assertThat(e.secret()).isEqualTo("other"))
          .hasMessageContaining("'other'").hasMessageContaining("[token]").hasMessageNotContaining(CANARY);
    }
  }

  @Nested
  class Environment {
    @Test
    void should_read_the_variable_named_after_the_secret() {
      SecretProvider provider = SecretProviders.environment(Map.of("HEROKU_API_KEY", CANARY, "OTTO_SECRET_DB_URL", "x://y"));
      assertThat(provider.resolve("heroku-api-key").reveal()).isEqualTo(CANARY);
      assertThat(SecretProviders.environment(Map.of("OTTO_SECRET_DB_URL", "x://y"), "OTTO_SECRET_").resolve("db.url")
          .reveal()).isEqualTo("x://y");
      assertThat(SecretProviders.variableName("a.b-c_d9")).isEqualTo("A_B_C_D9");
    }

    @Test
    void should_say_which_variable_is_missing() {
      assertThatThrownBy(() -> SecretProviders.environment(Map.of()).resolve("heroku-api-key"))
          .isInstanceOf(SecretResolutionException.class)
          .hasMessageContaining("$HEROKU_API_KEY, which is not set");
    }

    @Test
    void should_say_before_the_run_that_a_value_is_too_short_to_mask_without_the_value() {
      SecretProvider provider = SecretProviders.environment(Map.of("PIN", "k9", "TOKEN", CANARY));

      assertThat(provider.whyNot("pin")).hasValue("the secret 'pin' is 2 characters long, not counting line breaks; "
          + "Otto masks secrets of at least 4 characters, and a shorter one would go unmasked. Use a longer secret.");
      assertThat(provider.whyNot("token")).isEmpty();
      assertThatThrownBy(() -> provider.resolve("pin")).isInstanceOf(SecretResolutionException.class)
          .hasMessageNotContaining("k9");
    }
  }

  @Nested
  class Directory {
    @TempDir
    Path dir;

    @Test
    void should_read_a_file_named_like_the_secret_without_its_trailing_line_end() throws Exception {
      Files.writeString(dir.resolve("token"), CANARY + "\n");
      Files.writeString(dir.resolve("multi"), "line one\nline two\r\n");
      SecretProvider provider = SecretProviders.directory(dir);
      assertThat(provider.resolve("token").reveal()).isEqualTo(CANARY);
      assertThat(provider.resolve("multi").reveal()).isEqualTo("line one\nline two");
    }

    @Test
    void should_refuse_names_that_leave_the_directory_and_explain_a_missing_file() throws Exception {
      Files.writeString(dir.resolve("token"), CANARY);
      Files.setPosixFilePermissions(dir.resolve("token"), PosixFilePermissions.fromString("rw-------"));
      SecretProvider provider = SecretProviders.directory(dir.resolve("sub").resolve(".."));
      assertThat(provider.resolve("token").reveal()).isEqualTo(CANARY);
      assertThatThrownBy(() -> provider.resolve("../etc/passwd")).hasMessageContaining("does not name a file directly");
      assertThatThrownBy(() -> provider.resolve(".hidden")).hasMessageContaining("plain file names");
      assertThatThrownBy(() -> provider.resolve("absent")).hasMessageContaining("has no file")
          .hasMessageNotContaining(CANARY).hasMessageNotContaining("does not exist");
      Files.writeString(dir.resolve("pin"), "k9\n");
      assertThat(provider.whyNot("pin")).hasValueSatisfying(why -> assertThat(why)
          .startsWith("the secret 'pin' is 2 characters long").doesNotContain("k9"));
      assertThat(provider.whyNot("token")).isEmpty();
      assertThat(SecretProviders.directory(dir.resolve("nosuch")).whyNot("token")).hasValue("the secret 'token' has "
          + "no file " + dir.resolve("nosuch/token") + " (the folder " + dir.resolve("nosuch") + " does not exist); "
          + "put its value in that file");
      assertThatThrownBy(() -> SecretProviders.directory(dir.resolve("nosuch")).resolve("token"))
          .hasMessage("the secret 'token' has no file " + dir.resolve("nosuch/token") + " (the folder "
              + dir.resolve("nosuch") + " does not exist); put its value in that file");
    }
  }

  @Nested
  class Command {
    private SecretProvider helper(String script, Duration timeout) {
      return SecretProviders.command(List.of("/bin/sh", "-c", script, "helper"), timeout);
    }

    @Test
    void should_pass_the_name_as_the_last_argument_and_read_the_value_from_standard_output() {
      SecretProvider provider = helper("test \"$1\" = token && printf '%s\\n' '" + CANARY + "'", Duration.ofSeconds(20));
      assertThat(provider.resolve("token").reveal()).isEqualTo(CANARY);
    }

    @Test
    void should_report_a_failing_helper_without_repeating_what_it_printed() {
      SecretProvider provider = helper("echo '" + CANARY + "'; echo '" + CANARY + "' >&2; exit 3", Duration.ofSeconds(20));
      assertThatThrownBy(() -> provider.resolve("token"))
          .isInstanceOf(SecretResolutionException.class)
          .hasMessageContaining("exited with status 3")
          .hasMessageNotContaining(CANARY);
    }

    @Test
    void should_stop_a_helper_that_hangs_even_if_it_keeps_its_output_open() {
      SecretProvider provider = helper("sleep 30", Duration.ofMillis(300));
      assertThatThrownBy(() -> provider.resolve("token")).hasMessageContaining("was stopped");
    }

    @Test
    void should_refuse_an_empty_value_and_an_empty_command() {
      assertThatThrownBy(() -> helper("true", Duration.ofSeconds(20)).resolve("token")).hasMessageContaining("printed nothing");
      assertThatThrownBy(() -> SecretProviders.command(List.of(), Duration.ofSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command is empty");
      assertThatThrownBy(() -> SecretProviders.command(List.of("/no/such/helper"), Duration.ofSeconds(1)).resolve("x"))
          .hasMessageContaining("could not be started");
    }
  }
}

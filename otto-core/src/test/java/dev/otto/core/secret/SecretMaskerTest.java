package dev.otto.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
  private static final String TOKEN = "s3cr3t-T0ken";

  private static SecretMasker masker(String... values) {
    SecretMasker.Builder builder = SecretMasker.builder();
    for (int i = 0; i < values.length; i++) {
      builder.add("secret-" + i, values[i]);
    }
    return builder.build();
  }

  @Test
  void should_mask_the_value_wherever_it_appears() {
    assertThat(masker(TOKEN).mask("token=" + TOKEN + " and again " + TOKEN + "!"))
        .isEqualTo("token=*** and again ***!");
  }

  @Test
  void should_leave_text_without_secrets_unchanged() {
    assertThat(masker(TOKEN).mask("nothing to see here, s3cr3t-T0ke")).isEqualTo("nothing to see here, s3cr3t-T0ke");
    assertThat(SecretMasker.none().mask("anything")).isEqualTo("anything");
  }

  @Test
  void should_refuse_a_secret_too_short_to_mask_and_name_it_without_its_value() {
    assertThatThrownBy(() -> SecretMasker.builder().add("pin", "123"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the secret 'pin' is 3 characters long")
        .hasMessageNotContaining("123");
  }

  @Test
  void should_mask_the_longer_secret_where_two_overlap() {
    assertThat(masker("abcd", "cdefgh").mask("xxabcdefghyy")).isEqualTo("xx***yy");
    assertThat(masker("abcdef", "bcde").mask("-abcdef-bcde-")).isEqualTo("-***-***-");
  }

  @Test
  void should_mask_each_line_of_a_multi_line_secret() {
    String key = "-----BEGIN KEY-----\nMIIEvQIBADANBg\n-----END KEY-----";
    assertThat(masker(key).mask("line: MIIEvQIBADANBg\n")).isEqualTo("line: ***\n");
  }

  @Nested
  class EncodedForms {
    @Test
    void should_mask_base64_at_every_alignment_standard_and_url_safe() {
      String secret = "p@ss/word+?>~value";
      SecretMasker masker = masker(secret);
      for (String prefix : new String[] {"", "a", "ab"}) {
        for (Base64.Encoder encoder : new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder(),
            Base64.getEncoder().withoutPadding()}) {
          String encoded = encoder.encodeToString((prefix + secret + "tail").getBytes(StandardCharsets.UTF_8));
          String masked = masker.mask(encoded);
          assertThat(masked).as("%s + secret in %s", prefix, encoded).contains(SecretMasker.MASK);
          String full = encoder.encodeToString(secret.getBytes(StandardCharsets.UTF_8));
          assertThat(masked).doesNotContain(full.substring(3, full.length() - 3));
        }
      }
    }

    @Test
    void should_mask_url_encoded_json_escaped_and_shell_quoted_forms() {
      String secret = "it's \"a\" $ecret & 100% 🔑";
      SecretMasker masker = masker(secret);
      String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
      assertThat(masker.mask("?q=" + url)).isEqualTo("?q=***");
      assertThat(masker.mask("?q=" + url.replace("+", "%20"))).isEqualTo("?q=***");
      assertThat(masker.mask("{\"k\":\"it's \\\"a\\\" $ecret & 100% 🔑\"}")).isEqualTo("{\"k\":\"***\"}");
      assertThat(masker.mask("{\"k\":\"it's \\\"a\\\" $ecret & 100% \\ud83d\\udd11\"}")).isEqualTo("{\"k\":\"***\"}");
      assertThat(masker.mask("echo 'it'\\''s \"a\" $ecret & 100% 🔑'")).isEqualTo("echo '***'");
      assertThat(masker.mask("echo \"it's \\\"a\\\" \\$ecret & 100% 🔑\"")).isEqualTo("echo \"***\"");
    }

    @Test
    void should_mask_the_html_escaped_forms_that_common_escapers_write() {
      SecretMasker masker = masker("it's \"a\" <b> & c");
      assertThat(masker.mask("<p>it&#39;s &quot;a&quot; &lt;b&gt; &amp; c</p>")).as("Guava, Spring, Ruby")
          .isEqualTo("<p>***</p>");
      assertThat(masker.mask("<p>it&#x27;s &quot;a&quot; &lt;b&gt; &amp; c</p>")).as("Python html.escape")
          .isEqualTo("<p>***</p>");
      assertThat(masker.mask("<p>it&#39;s &#34;a&#34; &lt;b&gt; &amp; c</p>")).as("Go, OWASP, MarkupSafe")
          .isEqualTo("<p>***</p>");
      assertThat(masker.mask("<p>it's &quot;a&quot; &lt;b&gt; &amp; c</p>")).as("commons-text escapeHtml4")
          .isEqualTo("<p>***</p>");
      assertThat(masker.mask("<p>it&apos;s &quot;a&quot; &lt;b&gt; &amp; c</p>")).as("XML escapers")
          .isEqualTo("<p>***</p>");
      assertThat(masker.mask("<p>it&#039;s &quot;a&quot; &lt;b&gt; &amp; c</p>")).as("PHP htmlspecialchars")
          .isEqualTo("<p>***</p>");
    }
  }

  @Nested
  class Streams {
    @Test
    void should_mask_a_secret_split_across_writes_and_hold_back_only_a_possible_beginning() throws Exception {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      OutputStream out = masker(TOKEN).wrap(sink);

      out.write("a long line of ordinary log output; log: s3cr".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat("a long line of ordinary log output; log: ").startsWith(sink.toString(StandardCharsets.UTF_8));
      assertThat(sink.toString(StandardCharsets.UTF_8)).startsWith("a long line of ordinary");
      out.write("3t-T0ken done".getBytes(StandardCharsets.UTF_8));
      out.close();

      assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("a long line of ordinary log output; log: *** done");
    }

    @Test
    void should_write_a_held_back_beginning_at_close_when_no_secret_followed() throws Exception {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      try (OutputStream out = masker(TOKEN).wrap(sink)) {
        out.write("ends with s3cr3t-T0".getBytes(StandardCharsets.UTF_8));
      }
      assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("ends with s3cr3t-T0");
    }

    @Test
    void should_keep_memory_bounded_on_an_endless_run_of_secrets() throws Exception {
      CountingStream sink = new CountingStream();
      byte[] run = "abcdabcdabcdabcd".repeat(4096).getBytes(StandardCharsets.UTF_8);
      try (OutputStream out = masker("abcdabcd").wrap(sink)) {
        for (int i = 0; i < 256; i++) {
          out.write(run);
        }
      }
      assertThat(sink.count).isEqualTo(SecretMasker.MASK.length());
    }
  }

  static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}

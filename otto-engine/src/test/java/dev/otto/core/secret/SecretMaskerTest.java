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
  void should_pass_a_stream_through_as_written_and_closed_when_there_is_nothing_to_mask() throws Exception {
    // given a stream wrapped by a masker of no secret
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    boolean[] closed = {false};
    java.io.OutputStream target = new java.io.FilterOutputStream(sink) {
      @Override
      public void close() throws java.io.IOException {
        closed[0] = true;
        super.close();
      }
    };
    java.io.OutputStream out = SecretMasker.builder().build().wrap(target);

    // when pieces of every size are written and the stream closed
    byte[] text = "line one\nline two, ünïcode\n".repeat(500).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.write(text, 0, 7);
    out.write(text[7]);
    out.write(text, 8, text.length - 8);
    out.close();

    // then the bytes arrived as they were, and the target was closed
    assertThat(sink.toByteArray()).isEqualTo(text);
    assertThat(closed[0]).isTrue();
  }

  @Test
  void should_refuse_a_secret_too_short_to_mask_and_name_it_without_its_value() {
    assertThatThrownBy(() -> SecretMasker.builder().add("pin", "123"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the secret 'pin' is 3 characters long")
        .hasMessageNotContaining("123");
  }

  @Test
  void should_refuse_a_secret_of_fewer_than_four_characters_besides_line_breaks() {
    // Line breaks are passed over so that wrapped forms match: this secret would mask every "zqx" anywhere.
    assertThatThrownBy(() -> SecretMasker.builder().add("pem", "zq\r\n\nx"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the secret 'pem' is 3 characters long, not counting line breaks")
        .hasMessageNotContaining("zq");
  }

  @Test
  void should_mask_a_multi_line_secret_written_with_other_line_breaks_and_keep_the_breaks_around_it() {
    assertThat(masker("first line\nsecond line").mask("> first line\r\nsecond line\r\n> next"))
        .isEqualTo("> ***\r\n> next");
  }

  @Test
  void should_mask_a_multi_line_secret_line_by_line_across_more_than_a_blank_line() {
    assertThat(masker("first line\n\n\n\n\nsecond line").mask("first line\n\n\n\n\nsecond line"))
        .isEqualTo("***\n\n\n\n\n***");
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
    void should_mask_what_bash_printf_q_and_python_shlex_quote_write() {
      SecretMasker masker = masker("p@ss/w0rd&<x>\"q'z #~a,b{c}");
      // As bash 5.2 prints them: printf '%q' "$secret".
      assertThat(masker.mask("set -- p@ss/w0rd\\&\\<x\\>\\\"q\\'z\\ #~a\\,b\\{c\\}")).isEqualTo("set -- ***");
      assertThat(masker("#~lead-in").mask("x=\\#~lead-in")).isEqualTo("x=***");
      assertThat(masker("x=~y-secret").mask("x=\\~y-secret")).isEqualTo("***");
      assertThat(masker("pass:~word").mask("pass:\\~word")).isEqualTo("***");
      // As Python's shlex.quote(secret) prints it.
      assertThat(masker.mask("run 'p@ss/w0rd&<x>\"q'\"'\"'z #~a,b{c}'")).isEqualTo("run '***'");
    }

    @Test
    void should_mask_the_dollar_quoted_form_bash_printf_q_writes_for_characters_the_locale_does_not_print() {
      SecretMasker masker = masker("pässwörd-123\tx");
      // As bash 5.2 prints them: LC_ALL=C printf '%q' "$secret", then in a UTF-8 locale.
      assertThat(masker.mask("secret=$'p\\303\\244ssw\\303\\266rd-123\\tx'")).isEqualTo("secret=$'***'");
      assertThat(masker.mask("secret=$'pässwörd-123\\tx'")).isEqualTo("secret=$'***'");
      // In a UTF-8 locale, printable letters as they are and the others in octal, in one value.
      assertThat(masker("AB12cd\u00e4\u0085EF34gh").mask("$'AB12cd\u00e4\\302\\205EF34gh'")).isEqualTo("$'***'");
      assertThat(masker("ab\u00e4\u2028cdef").mask("$'ab\u00e4\\342\\200\\250cdef'")).isEqualTo("$'***'");
      assertThat(masker("x\u4e2d\u0378yzw").mask("$'x\u4e2d\\315\\270yzw'")).isEqualTo("$'***'");
      // A character newer than this JDK's Unicode tables (U+1FAE0, Unicode 14), which a newer C library prints.
      assertThat(masker("Canary\u0001\uD83E\uDEE0Secret").mask("$'Canary\\001\uD83E\uDEE0Secret'"))
          .isEqualTo("$'***'");
      // An escape character, an apostrophe and a backslash, in C.
      assertThat(masker("a'b\\c\u001bd-key").mask("$'a\\'b\\\\c\\Ed-key'")).isEqualTo("$'***'");
    }

    @Test
    void should_mask_whole_a_value_seen_after_others_in_or_around_it_were_masked() {
      java.util.List<String> known = java.util.List.of("Kanary7Pw", "ZedQ9known");
      SecretMasker first = SecretMasker.builder().add("a", known.get(0)).add("b", known.get(1)).build();
      SecretMasker late = SecretMasker.builder().addSeenAfter("late", "7PwMIDCANARYZed", known)
          .addSeenAfter("url", "pg://u:Kanary7Pw@host/db", known).build();

      assertThat(late.mask(first.mask("both: Kanary7PwMIDCANARYZedQ9known"))).isEqualTo("both: ***");
      assertThat(late.mask(first.mask("url pg://u:Kanary7Pw@host/db"))).isEqualTo("url ***");
      assertThat(late.mask(first.mask("json " + "{\"u\":\"pg://u:Kanary7Pw@host/db\"}"))).isEqualTo("json {\"u\":\"***\"}");
    }

    @Test
    void should_mask_url_encoded_forms_whatever_the_case_of_their_hex_digits() {
      SecretMasker masker = masker("p@ss/w\\rd:42");
      assertThat(masker.mask("?q=p%40ss%2Fw%5Crd%3A42&x")).isEqualTo("?q=***&x");
      assertThat(masker.mask("?q=p%40ss%2fw%5crd%3a42&x")).isEqualTo("?q=***&x");
      assertThat(masker.mask("?q=p%40ss%2fw%5Crd%3a42&x")).isEqualTo("?q=***&x");
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

    @Test
    void should_mask_base64_wrapped_at_76_columns_wherever_the_line_breaks_fall() {
      String secret = "a private key of some length, longer than one line of base64 (57 bytes), with ~?>";
      SecretMasker masker = masker(secret);
      String full = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
      String middle = full.substring(3, full.length() - 3);
      for (String lineEnd : new String[] {"\r\n", "\n"}) {
        Base64.Encoder mime = Base64.getMimeEncoder(76, lineEnd.getBytes(StandardCharsets.US_ASCII));
        // Each prefix moves the secret to another alignment and the line break to another column.
        for (int prefix = 0; prefix < 60; prefix++) {
          String encoded = mime.encodeToString(("x".repeat(prefix) + secret + "tail").getBytes(StandardCharsets.UTF_8));
          String masked = masker.mask(encoded + lineEnd);
          assertThat(masked).as("%d bytes before the secret, %s", prefix, encoded).contains(SecretMasker.MASK)
              .endsWith(lineEnd);
          assertThat(masked.replace("\r", "").replace("\n", "")).doesNotContain(middle);
        }
      }
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

    @Test
    void should_not_hold_back_a_run_of_line_breaks_after_the_beginning_of_a_secret() throws Exception {
      // given
      CountingStream sink = new CountingStream();
      OutputStream out = masker(TOKEN).wrap(sink);

      // when
      out.write("s3cr3t".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 100_000; i++) {
        out.write('\n');
      }
      out.flush();

      // then: a blank line ends a match in progress, so all but the last few bytes are written
      assertThat(sink.count).isGreaterThan(100_006 - 64);
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

package dev.otto.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.html.HtmlEscapers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** No registered secret survives masking, however the output around it is written. */
class MaskingPropertiesTest {

  @Provide
  Arbitrary<String> secrets() {
    Arbitrary<Character> chars = Arbitraries.oneOf(
        Arbitraries.chars().alpha().numeric(),
        Arbitraries.of('\'', '"', '&', '<', '>', '%', '$', '\\', '/', '+', '=', ' ', '\n', '-', '_', '?', '#'),
        Arbitraries.chars().range('\u00e0', '\u017f'),
        Arbitraries.chars().range('\u4e00', '\u4e2f'));
    return chars.list().ofMinSize(SecretMasker.MINIMUM_LENGTH).ofMaxSize(64).map(list -> {
      StringBuilder out = new StringBuilder(list.size());
      list.forEach(out::append);
      return out.toString();
    }).filter(secret -> secret.replaceAll("[\r\n]", "").length() >= SecretMasker.MINIMUM_LENGTH)
        // Across more than a blank line a secret is masked line by line, as SecretMaskerTest shows.
        .filter(secret -> !secret.matches("(?s).*[\r\n]{5}.*"));
  }

  @Provide
  Arbitrary<String> affixes() {
    return Arbitraries.strings().withCharRange(' ', '~').withChars('é', '\n', '\t').ofMaxLength(40)
        .map(s -> s.replace('*', '.'));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String write(SecretMasker masker, byte[] data, List<Integer> cuts) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = masker.wrap(sink)) {
      int at = 0;
      for (int cut : cuts) {
        int next = Math.min(data.length, at + cut);
        out.write(data, at, next - at);
        at = next;
      }
      out.write(data, at, data.length - at);
    }
    return sink.toString(StandardCharsets.UTF_8);
  }

  @Property(tries = 300)
  void a_secret_never_survives_at_any_split_offset(
      @ForAll("secrets") String secret, @ForAll("affixes") String prefix, @ForAll("affixes") String suffix)
      throws IOException {
    Assume.that(!secret.contains("*"));
    SecretMasker masker = SecretMasker.builder().add("s", secret).build();
    byte[] data = bytes(prefix + secret + suffix);
    String whole = masker.mask(prefix + secret + suffix);
    assertThat(whole).doesNotContain(secret);

    for (int split = 0; split <= data.length; split++) {
      assertThat(write(masker, data, List.of(split))).as("split at %d", split).isEqualTo(whole);
    }
    assertThat(write(masker, data, java.util.Collections.nCopies(data.length, 1))).isEqualTo(whole);
  }

  @Property(tries = 300)
  void no_form_of_a_secret_survives_random_chunks(
      @ForAll("secrets") String secret, @ForAll("affixes") String prefix, @ForAll("affixes") String suffix,
      @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 7) Integer> cuts) throws IOException {
    SecretMasker masker = SecretMasker.builder().add("s", secret).build();
    for (String form : SecretForms.of(secret, SecretMasker.MINIMUM_LENGTH)) {
      Assume.that(!form.contains("*"));
      String text = prefix + form + suffix;
      String masked = write(masker, bytes(text), cuts);
      assertThat(masked).as("form %s", form).doesNotContain(form).isEqualTo(masker.mask(text));
    }
  }

  @Property(tries = 300)
  void url_encoded_forms_are_masked_whatever_the_case_of_each_hex_digit(
      @ForAll("secrets") String secret, @ForAll("affixes") String prefix, @ForAll("affixes") String suffix,
      @ForAll @Size(min = 1, max = 64) List<Boolean> lower,
      @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 7) Integer> cuts) throws IOException {
    // given
    SecretMasker masker = SecretMasker.builder().add("s", secret).build();
    String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    Assume.that(url.contains("%") && !url.contains("*"));
    String mixed = mixHexCase(url, lower);
    String text = prefix + mixed + suffix;

    // when
    String masked = write(masker, bytes(text), cuts);

    // then
    assertThat(masked).as("form %s", mixed).doesNotContain(mixed).isEqualTo(masker.mask(text));
  }

  /** {@code url} with the hex digits of its escapes in upper or lower case, as {@code lower} says in turn. */
  private static String mixHexCase(String url, List<Boolean> lower) {
    StringBuilder out = new StringBuilder(url.length());
    int escape = 0;
    for (int i = 0; i < url.length(); i++) {
      boolean hexDigit = i >= 1 && (url.charAt(i - 1) == '%' || i >= 2 && url.charAt(i - 2) == '%');
      boolean toLower = hexDigit && lower.get(escape++ % lower.size());
      out.append(toLower ? Character.toLowerCase(url.charAt(i)) : url.charAt(i));
    }
    return out.toString();
  }

  /** HTML escapers as libraries write them; they differ in how they write quotes. */
  private static final List<UnaryOperator<String>> HTML_ESCAPERS = List.of(
      HtmlEscapers.htmlEscaper()::escape,
      html("&quot;", "&#x27;"),  // Python html.escape
      html("&#34;", "&#39;"),    // Go html.EscapeString, OWASP, MarkupSafe
      html("&quot;", "'"),       // commons-text escapeHtml4
      html("&quot;", "&apos;"),  // XML escapers
      html("&quot;", "&#039;")); // PHP htmlspecialchars

  private static UnaryOperator<String> html(String quote, String apostrophe) {
    return value -> value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", quote).replace("'", apostrophe);
  }

  @Property(tries = 300)
  void html_escaped_forms_are_masked_as_each_common_escaper_writes_them(
      @ForAll("secrets") String secret, @ForAll("affixes") String prefix, @ForAll("affixes") String suffix,
      @ForAll @IntRange(min = 0, max = 5) int escaper,
      @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 7) Integer> cuts) throws IOException {
    // given
    SecretMasker masker = SecretMasker.builder().add("s", secret).build();
    String escaped = HTML_ESCAPERS.get(escaper).apply(secret);
    Assume.that(!escaped.contains("*"));
    String text = prefix + escaped + suffix;

    // when
    String masked = write(masker, bytes(text), cuts);

    // then
    assertThat(masked).as("form %s", escaped).doesNotContain(escaped).isEqualTo(masker.mask(text));
  }

  @Property(tries = 300)
  void base64_wrapped_in_lines_is_masked_at_every_alignment_and_column(
      @ForAll("secrets") String secret, @ForAll("affixes") String before, @ForAll("affixes") String after,
      @ForAll boolean crlf, @ForAll boolean pem,
      @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 50) Integer> cuts) throws IOException {
    // given: the secret inside base64 output wrapped as MIME (76 columns) or PEM (64) wraps it
    SecretMasker masker = SecretMasker.builder().add("s", secret).build();
    String lineEnd = crlf ? "\r\n" : "\n";
    Base64.Encoder encoder = Base64.getMimeEncoder(pem ? 64 : 76, bytes(lineEnd));
    String text = encoder.encodeToString(bytes(before + secret + after)) + lineEnd;
    String core = SecretForms.base64Core(Base64.getEncoder().withoutPadding(), bytes(secret), bytes(before).length % 3);
    Assume.that(core.length() >= SecretMasker.MINIMUM_LENGTH);

    // when
    String masked = write(masker, bytes(text), cuts);

    // then
    assertThat(masked).isEqualTo(masker.mask(text)).endsWith(lineEnd);
    assertThat(masked.replace("\r", "").replace("\n", "")).as("core %s in %s", core, text).doesNotContain(core);
  }

  @Property(tries = 200)
  void text_without_secrets_passes_unchanged(
      @ForAll("affixes") String text, @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 5) Integer> cuts)
      throws IOException {
    SecretMasker masker = SecretMasker.builder().add("a", "\u0001never-in-text\u0002").build();
    assertThat(write(masker, bytes(text), cuts)).isEqualTo(text);
  }

  @Property(tries = 200)
  void many_secrets_are_all_masked_and_nothing_else_changes(
      @ForAll @Size(min = 1, max = 20) List<@From("secrets") String> secrets, @ForAll("affixes") String glue)
      throws IOException {
    Assume.that(secrets.stream().noneMatch(s -> s.contains("*")));
    SecretMasker.Builder builder = SecretMasker.builder();
    for (int i = 0; i < secrets.size(); i++) {
      builder.add("s" + i, secrets.get(i));
    }
    SecretMasker masker = builder.build();
    String text = String.join(glue, secrets);
    String masked = masker.mask(text);
    for (String secret : secrets) {
      assertThat(masked).doesNotContain(secret);
    }
  }

  @Provide
  Arbitrary<String> longSecrets() {
    return Arbitraries.strings().alpha().numeric().withChars('-', '_').ofMinLength(16).ofMaxLength(40);
  }

  @Property(tries = 200)
  void long_secrets_are_masked_in_any_chunking_where_the_filter_skips_several_bytes_at_once(
      @ForAll @Size(min = 1, max = 30) List<@From("longSecrets") String> secrets, @ForAll("affixes") String glue,
      @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 50) Integer> cuts) throws IOException {
    SecretMasker.Builder builder = SecretMasker.builder();
    for (int i = 0; i < secrets.size(); i++) {
      builder.add("s" + i, secrets.get(i));
    }
    SecretMasker masker = builder.build();
    String text = glue + String.join(glue + glue, secrets) + glue;
    String masked = write(masker, bytes(text), cuts);
    assertThat(masked).isEqualTo(masker.mask(text));
    for (String secret : secrets) {
      assertThat(masked).doesNotContain(secret);
    }
  }
}

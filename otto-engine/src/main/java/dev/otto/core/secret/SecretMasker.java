package dev.otto.core.secret;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

/**
 * Replaces secret values with {@value #MASK} in everything that leaves an executor: output
 * streams, event text, results and exception messages.
 *
 * <pre>{@code
 * SecretMasker masker = SecretMasker.builder().add("heroku-api-key", value).build();
 * OutputStream safe = masker.wrap(log);      // masks across writes split anywhere
 * String line = masker.mask(message);
 * }</pre>
 *
 * <p>What is masked, for each secret:
 *
 * <ul>
 *   <li>the value, and each line of a multi-line value;
 *   <li>its base64 encodings, standard and URL-safe, with and without padding, at each of the
 *       three positions a value can take in an encoded stream, on one line or wrapped (MIME's 76
 *       columns, PEM's 64, or any other width, with CRLF or LF);
 *   <li>its URL-encoded forms, the hex digits of each escape in upper or lower case
 *       ({@code %2F} or {@code %2f});
 *   <li>its JSON-escaped and shell-quoted forms;
 *   <li>its HTML-escaped forms: {@code &amp;}, {@code &lt;} and {@code &gt;}, with quotes as the
 *       common escapers write them: {@code &quot;} and {@code &#39;} (Guava's
 *       {@code HtmlEscapers}, Spring, Ruby, lodash), {@code &quot;} and {@code &#x27;} (Python's
 *       {@code html.escape}), {@code &#34;} and {@code &#39;} (Go's {@code html.EscapeString},
 *       OWASP's encoder, MarkupSafe), {@code &quot;} and a plain apostrophe (commons-text's
 *       {@code escapeHtml4}), {@code &quot;} and {@code &apos;} (XML escapers), {@code &quot;}
 *       and {@code &#039;} (PHP's {@code htmlspecialchars}).
 * </ul>
 *
 * <p>Line breaks (CR, LF) are passed over while matching: a value or form written across lines
 * is masked together with the breaks inside it, and the breaks around it stay. More than four
 * breaks in a row (more than a blank line) end a match, so a multi-line value with longer runs
 * of blank lines is masked line by line. Where two matches overlap, the whole overlapping span
 * becomes one mask, so the longer secret is never partly shown.
 *
 * <p>Secrets of fewer than {@value #MINIMUM_LENGTH} characters besides line breaks are refused:
 * they would mask ordinary words in every log, and a secret that short is not secret. Lines of a
 * multi-line value and encoded forms shorter than the minimum are not masked on their own.
 *
 * <p>Cost: linear in the length of the output, whatever the number of secrets (an Aho-Corasick
 * automaton over bytes); memory is bounded by the longest form with the line breaks it may span,
 * not by the output.
 */
public final class SecretMasker {
  /** What a secret is replaced with. */
  public static final String MASK = "***";

  /** The shortest secret, in characters besides line breaks, that can be masked. */
  public static final int MINIMUM_LENGTH = 4;

  /**
   * Why {@code value} cannot be the secret {@code name}: it is shorter than {@value #MINIMUM_LENGTH}
   * characters besides line breaks, in a sentence that names the secret and not the value; empty
   * when it can.
   */
  static Optional<String> tooShort(String name, String value) {
    long length = SecretForms.length(value);
    return length >= MINIMUM_LENGTH ? Optional.empty() : Optional.of("the secret '" + name + "' is " + length
        + " characters long, not counting line breaks; Otto masks secrets of at least " + MINIMUM_LENGTH
        + " characters, and a shorter one would go unmasked. Use a longer secret.");
  }

  private static final SecretMasker NONE = new SecretMasker(List.of());

  private final ByteAutomaton automaton;
  private final List<String> names;

  private SecretMasker(List<String> names, ByteAutomaton automaton) {
    this.names = List.copyOf(names);
    this.automaton = automaton;
  }

  private SecretMasker(List<String> names) {
    this(names, ByteAutomaton.of(List.of()));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A masker that masks nothing. */
  public static SecretMasker none() {
    return NONE;
  }

  /** The names of the secrets this masker masks, in the order they were added. */
  public List<String> names() {
    return names;
  }

  /** {@code text} with every form of every secret replaced by {@value #MASK}. */
  public String mask(String text) {
    requireNonNull(text, "text");
    if (names.isEmpty()) {
      return text;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
    try (OutputStream masking = wrap(out)) {
      masking.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not mask text in memory", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * A stream that writes to {@code out} with secrets masked. It holds back only the last bytes
   * that could begin a secret, so {@link OutputStream#flush()} may keep up to the longest form's
   * length; {@link OutputStream#close()} writes everything and closes {@code out}.
   */
  public OutputStream wrap(OutputStream out) {
    requireNonNull(out, "out");
    if (names.isEmpty()) {
      // Nothing to look for: the bytes go through as they come.
      return new java.io.FilterOutputStream(out) {
        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          out.write(bytes, offset, length);
        }
      };
    }
    return new MaskingOutputStream(out, automaton, MASK.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "SecretMasker" + names;
  }

  /** Collects secrets by name and value; values are kept only inside the built automaton. */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();
    /** Forms of values as they read once other values in them were masked: patterns as they are. */
    private final Set<String> seenAfter = new java.util.LinkedHashSet<>();

    private Builder() {}

    /**
     * Adds a secret.
     *
     * @throws IllegalArgumentException when the value has fewer than {@value #MINIMUM_LENGTH}
     *     characters besides line breaks; the message names the secret, never the value
     */
    public Builder add(String name, String value) {
      requireNonNull(name, "secret name");
      requireNonNull(value, "value of secret " + name);
      Optional<String> tooShort = tooShort(name, value);
      if (tooShort.isPresent()) {
        throw new IllegalArgumentException(tooShort.get());
      }
      values.put(name, value);
      return this;
    }

    /**
     * Adds a secret that output may show after it was masked for {@code maskedBefore} (by a
     * masker in front of this one): besides its own forms, each form as it reads with a value of
     * {@code maskedBefore} it holds, or one that overlaps it, already masked.
     *
     * @throws IllegalArgumentException as {@link #add} does
     */
    public Builder addSeenAfter(String name, String value, java.util.Collection<String> maskedBefore) {
      add(name, value);
      seenAfter.addAll(SecretForms.seenAfter(value, maskedBefore, MINIMUM_LENGTH));
      return this;
    }

    public SecretMasker build() {
      if (values.isEmpty()) {
        return NONE;
      }
      List<byte[]> patterns = new ArrayList<>();
      for (String value : values.values()) {
        Set<String> forms = SecretForms.of(value, MINIMUM_LENGTH);
        for (String form : forms) {
          patterns.add(form.getBytes(StandardCharsets.UTF_8));
        }
      }
      for (String form : seenAfter) {
        patterns.add(form.getBytes(StandardCharsets.UTF_8));
      }
      return new SecretMasker(new ArrayList<>(values.keySet()), ByteAutomaton.of(patterns));
    }
  }
}

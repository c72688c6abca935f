package dev.otto.core.secret;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The forms in which a secret's value may show up in output: the value itself; each line of a
 * multi-line value; its base64 encodings (standard and URL-safe, padded or not) wherever it
 * falls in the encoded stream; and its URL-encoded, JSON-escaped, HTML-escaped and shell-quoted
 * forms.
 *
 * <p>URL-encoded forms are listed with upper-case hex digits and base64 on one line:
 * {@link ByteAutomaton} matches each escape's hex digits in either case and passes over line
 * breaks, so the same forms with lower-case escapes or wrapped in lines (MIME, PEM) match too.
 */
final class SecretForms {
  /**
   * How HTML escapers write a double quote and an apostrophe; all of them write {@code &amp;},
   * {@code &lt;} and {@code &gt;}. In turn: Guava's {@code HtmlEscapers}, Spring's
   * {@code HtmlUtils}, Ruby's {@code CGI.escapeHTML} and lodash; Python's {@code html.escape};
   * Go's {@code html.EscapeString}, the OWASP encoder and MarkupSafe; Apache commons-text's
   * {@code escapeHtml4}, which leaves apostrophes alone; XML escapers; PHP's
   * {@code htmlspecialchars}.
   */
  private static final String[][] HTML_QUOTES = {
      {"&quot;", "&#39;"}, {"&quot;", "&#x27;"}, {"&#34;", "&#39;"}, {"&quot;", "'"}, {"&quot;", "&apos;"},
      {"&quot;", "&#039;"}};

  /** What bash's {@code printf %q} puts a backslash before. */
  private static final String SHELL_SPECIAL = " \t\n!\"$&'()*,;<>?[\\]^`{|}";

  private SecretForms() {}

  /**
   * Every form of {@code value} of at least {@code minimum} characters besides line breaks, as
   * UTF-8 bytes.
   */
  public static Set<String> of(String value, int minimum) {
    Set<String> forms = new LinkedHashSet<>();
    add(forms, value, minimum);
    for (String line : value.split("\r\n|\r|\n")) {
      add(forms, line, minimum);
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (Base64.Encoder encoder : new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder()}) {
      add(forms, encoder.encodeToString(bytes), minimum);
      add(forms, encoder.withoutPadding().encodeToString(bytes), minimum);
      for (int offset = 0; offset < 3; offset++) {
        add(forms, base64Core(encoder.withoutPadding(), bytes, offset), minimum);
      }
    }
    add(forms, URLEncoder.encode(value, StandardCharsets.UTF_8), minimum);
    add(forms, URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"), minimum);
    add(forms, new String(JsonStringEncoder.getInstance().quoteAsString(value)), minimum);
    add(forms, asciiJson(value), minimum);
    for (String[] quotes : HTML_QUOTES) {
      add(forms, html(value, quotes[0], quotes[1]), minimum);
    }
    add(forms, value.replace("'", "'\\''"), minimum);
    // Python's shlex.quote, which closes the quote and puts the apostrophe in double quotes.
    add(forms, value.replace("'", "'\"'\"'"), minimum);
    add(forms, backslashQuoted(value), minimum);
    // printf %q of a value with characters the locale cannot print: $'...', in a UTF-8 locale and in C.
    add(forms, ansiCQuoted(value, false), minimum);
    add(forms, ansiCQuoted(value, true), minimum);
    // A C library that knows characters newer than this JDK's Unicode tables prints them as they are.
    add(forms, ansiCQuoted(value, false, true), minimum);
    add(forms, value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`"), minimum);
    return forms;
  }

  /**
   * How the forms of {@code value} read in output that was masked for the {@code known} values
   * first: each form with the forms of a known value it holds, and the value with a known value
   * that overlaps its start or its end, as {@link SecretMasker#MASK}, all the known values at
   * once as well as each alone. Forms shorter than {@code minimum} besides the masks are left out.
   */
  static Set<String> seenAfter(String value, java.util.Collection<String> known, int minimum) {
    Set<String> valueForms = of(value, minimum);
    java.util.List<String> knownForms = new java.util.ArrayList<>();
    for (String k : known) {
      if (!k.isEmpty() && !k.equals(value)) {
        knownForms.addAll(of(k, minimum));
      }
    }
    knownForms.sort(java.util.Comparator.comparingInt(String::length).reversed());
    Set<String> seen = new LinkedHashSet<>();
    for (String form : valueForms) {
      Set<String> current = new LinkedHashSet<>(Set.of(form));
      for (String g : knownForms) {
        Set<String> next = new LinkedHashSet<>(current);
        for (String c : current) {
          if (c.contains(g)) {
            next.add(c.replace(g, SecretMasker.MASK));
          }
          if (form.equals(value)) {
            // A known value printed beside this one, overlapping it, is masked with the part they share.
            for (int overlap = Math.min(g.length(), c.length()) - 1; overlap >= 1; overlap--) {
              if (g.endsWith(c.substring(0, overlap))) {
                next.add(SecretMasker.MASK + c.substring(overlap));
              }
              if (g.startsWith(c.substring(c.length() - overlap))) {
                next.add(c.substring(0, c.length() - overlap) + SecretMasker.MASK);
              }
            }
          }
        }
        current = next;
        if (current.size() > 256) {
          break;
        }
      }
      seen.addAll(current);
    }
    seen.removeAll(valueForms);
    seen.removeIf(form -> length(form.replace(SecretMasker.MASK, "")) < minimum);
    return seen;
  }

  /**
   * The characters of the base64 encoding of {@code bytes} that do not depend on what surrounds
   * them, when they start {@code offset} bytes into a 3-byte group of the encoded stream.
   */
  public static String base64Core(Base64.Encoder encoder, byte[] bytes, int offset) {
    byte[] shifted = new byte[offset + bytes.length];
    System.arraycopy(bytes, 0, shifted, offset, bytes.length);
    String encoded = encoder.encodeToString(shifted);
    // The first group mixes the 'offset' unknown bytes before the value into its first characters.
    int skip = offset == 0 ? 0 : offset + 1;
    // A final partial group mixes the unknown bytes after the value into its last character.
    int drop = shifted.length % 3 == 0 ? 0 : 1;
    if (encoded.length() - drop <= skip) {
      return "";
    }
    return encoded.substring(skip, encoded.length() - drop);
  }

  /**
   * {@code value} with a backslash before each character a shell would read, as bash's
   * {@code printf %q} writes it ({@code p\&\<x\>}): blanks, quotes, the backslash, operators,
   * glob and expansion characters, a leading {@code #}, and a {@code ~} that leads or follows
   * {@code =} or {@code :}, where a shell would expand it.
   */
  static String backslashQuoted(String value) {
    StringBuilder quoted = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean wordStart = i == 0 || value.charAt(i - 1) == '=' || value.charAt(i - 1) == ':';
      if (SHELL_SPECIAL.indexOf(c) >= 0 || i == 0 && c == '#' || wordStart && c == '~') {
        quoted.append('\\');
      }
      quoted.append(c);
    }
    return quoted.toString();
  }

  /**
   * The inside of the {@code $'...'} that bash's {@code printf %q} (and {@code ${var@Q}}) writes
   * for a value holding a character the locale does not print: control characters as
   * {@code \t}, {@code \n}, {@code \E} and the like or three octal digits, the backslash and the
   * apostrophe escaped, and, when {@code asciiOnly} (the C locale), every byte of a non-ASCII
   * character in octal ({@code p\303\244ss}).
   */
  static String ansiCQuoted(String value, boolean asciiOnly) {
    return ansiCQuoted(value, asciiOnly, false);
  }

  /** As {@link #ansiCQuoted(String, boolean)}, taking code points this JDK knows as unassigned as printable when asked. */
  static String ansiCQuoted(String value, boolean asciiOnly, boolean unassignedPrintable) {
    StringBuilder quoted = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case 7 -> quoted.append("\\a");
        case 8 -> quoted.append("\\b");
        case 9 -> quoted.append("\\t");
        case 10 -> quoted.append("\\n");
        case 11 -> quoted.append("\\v");
        case 12 -> quoted.append("\\f");
        case 13 -> quoted.append("\\r");
        case 27 -> quoted.append("\\E");
        case '\\' -> quoted.append("\\\\");
        case '\'' -> quoted.append("\\'");
        default -> {
          boolean newer = unassignedPrintable && Character.getType(c) == Character.UNASSIGNED
              && (c & 0xFFFE) != 0xFFFE && !(c >= 0xFDD0 && c <= 0xFDEF);
          if (c < 0x20 || c == 0x7F || c > 0x7F && (asciiOnly || !printable(c) && !newer)) {
            for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
              quoted.append('\\').append(String.format("%03o", b & 0xFF));
            }
          } else {
            quoted.appendCodePoint(c);
          }
        }
      }
    }
    return quoted.toString();
  }

  /**
   * Whether a UTF-8 locale's {@code iswprint} takes the non-ASCII {@code c} as printable, which bash
   * then writes as it is: not the C1 controls, the line and paragraph separators, surrogates,
   * code points not assigned, nor the noncharacters.
   */
  private static boolean printable(int c) {
    int type = Character.getType(c);
    return !(c <= 0x9F || c == 0x2028 || c == 0x2029 || type == Character.UNASSIGNED || type == Character.SURROGATE
        || (c & 0xFFFE) == 0xFFFE || c >= 0xFDD0 && c <= 0xFDEF);
  }

  private static String html(String value, String quote, String apostrophe) {
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", quote)
        .replace("'", apostrophe);
  }

  private static String asciiJson(String value) {
    String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(value));
    StringBuilder out = new StringBuilder(escaped.length());
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c > 0x7E) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The characters of {@code form} that the masker reads: all but line breaks, which
   * {@link ByteAutomaton} passes over.
   */
  public static long length(String form) {
    return form.codePoints().filter(c -> c != '\n' && c != '\r').count();
  }

  private static void add(Set<String> forms, String form, int minimum) {
    if (length(form) >= minimum) {
      forms.add(form);
    }
  }
}

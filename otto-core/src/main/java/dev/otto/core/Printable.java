package dev.otto.core;

import static java.util.Objects.requireNonNull;

/**
 * Text from a pipeline (a name, a prompt, a description) made safe to print in a message or on a
 * terminal. Control characters (a NUL, an escape that starts a terminal sequence, a line break),
 * invisible formatting characters (such as U+202E, which reverses the text after it), line and
 * paragraph separators and unpaired surrogates are shown as Java escapes (a backslash, a {@code u}
 * and four hex digits), so that a name can neither garble a message nor hide part of it. Other
 * text, any script and emoji included, is left as it is.
 *
 * <p>For example, a pipeline named {@code web}, NUL, {@code app} prints as
 * <code>web&#92;u0000app</code>: a backslash, a {@code u} and four hex digits in place of the NUL.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} with every character not safe to print shown as a Java escape, e.g. <code>&#92;u0000</code>. */
  public static String of(String text) {
    requireNonNull(text, "text");
    int first = firstUnsafe(text);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isUnsafe(text, i)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int firstUnsafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isUnsafe(text, i)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isUnsafe(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))
          || Character.getType(text.codePointAt(i)) == Character.FORMAT;
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1))
          || Character.getType(text.codePointAt(i - 1)) == Character.FORMAT;
    }
    int type = Character.getType(c);
    return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }
}

package dev.otto.core.validate;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.otto.core.Printable;
import java.text.Normalizer;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The rules for names that validation enforces, and that the engine applies again to the names
 * it turns into files (artifacts, cache entries). Public for the engine; not an API for hosts: it
 * may change in any release.
 */
@API(status = INTERNAL, since = "0.1")
public final class Names {
  /** The longest display name (stage, pipeline), in code points. */
  public static final int MAX_DISPLAY_LENGTH = 200;

  /** What {@link #isIdentifier} accepts, as the fix of a message says it. */
  public static final String IDENTIFIER_RULE = "use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit";
  private static final int MAX_SHOWN = 240;

  private Names() {}

  /**
   * Why {@code name} cannot name a stage or a pipeline, or empty when it can. Display names may
   * hold any printable Unicode text but no control or invisible formatting characters (which
   * could make two names look alike or reorder text), no {@code '>'} (the path separator), and no
   * leading or trailing space.
   */
  public static Optional<String> displayNameError(String name) {
    if (name.isBlank()) {
      return Optional.of("the name is blank");
    }
    if (!name.strip().equals(name)) {
      return Optional.of("the name '" + printable(name) + "' starts or ends with white space");
    }
    int length = name.codePointCount(0, name.length());
    if (length > MAX_DISPLAY_LENGTH) {
      return Optional.of("the name is " + length + " characters long; the limit is " + MAX_DISPLAY_LENGTH);
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (Character.isSurrogate((char) cp)) {
        return Optional.of("the name holds an unpaired surrogate at index " + i);
      }
      int type = Character.getType(cp);
      if (Character.isISOControl(cp) || type == Character.FORMAT || type == Character.UNASSIGNED
          || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
          || type == Character.PRIVATE_USE) {
        return Optional.of(String.format("the name '%s' holds the invisible or control character U+%04X", printable(name), cp));
      }
      if (cp == '>') {
        return Optional.of("the name '" + name + "' holds '>', which separates the names of a stage path");
      }
      i += Character.charCount(cp);
    }
    return Optional.empty();
  }

  /** The form names are compared in: two names that look the same compare equal. */
  public static String comparable(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFC);
  }

  /**
   * Whether {@code name} fits secrets, environments, caches, parameters and libraries: 1 to 128
   * of {@code [A-Za-z0-9._-]}, starting with a letter or digit.
   */
  public static boolean isIdentifier(String name) {
    int length = name.length();
    if (length == 0 || length > 128 || !isAsciiLetterOrDigit(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < length; i++) {
      char c = name.charAt(i);
      if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code path} names a place inside the workspace as written: not blank, not absolute
   * and without a {@code ..} name. Links are the engine's to check, on the file system.
   */
  public static boolean isWorkspacePath(String path) {
    if (path.isBlank() || path.startsWith("/") || path.startsWith("\\")) {
      return false;
    }
    for (String name : path.split("[/\\\\]")) {
      if (name.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code path} starts as a shell would expand it ({@code ~/.m2}, {@code $HOME/.cache}):
   * the engine takes paths as written, so such a path names a folder called {@code ~} or
   * {@code $HOME} in the workspace, never the home folder.
   */
  public static boolean isUnexpanded(String path) {
    return path.startsWith("~") || path.startsWith("$");
  }

  /**
   * Whether {@code name} can name a service, which steps use as a host name: a DNS label of 1 to
   * 63 lower-case letters, digits and {@code '-'}, starting and ending with a letter or digit.
   */
  public static boolean isHostName(String name) {
    return name.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  }

  /** Whether {@code name} can be an environment variable: {@code [A-Za-z_][A-Za-z0-9_]*}, at most 255. */
  public static boolean isVariable(String name) {
    int length = name.length();
    if (length == 0 || length > 255) {
      return false;
    }
    char first = name.charAt(0);
    if (!(first == '_' || first >= 'A' && first <= 'Z' || first >= 'a' && first <= 'z')) {
      return false;
    }
    for (int i = 1; i < length; i++) {
      char c = name.charAt(i);
      if (c != '_' && !isAsciiLetterOrDigit(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
  }

  /**
   * {@code text} made safe for a message ({@link Printable#of}), cut after 240 characters: a
   * name that breaks the rules can be any length.
   */
  public static String printable(String text) {
    if (text.length() <= MAX_SHOWN) {
      return Printable.of(text);
    }
    int cut = Character.isHighSurrogate(text.charAt(MAX_SHOWN - 1)) ? MAX_SHOWN - 1 : MAX_SHOWN;
    return Printable.of(text.substring(0, cut)) + "…";
  }
}

package dev.otto.core.validate;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Optional;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Globs for branch and tag names: {@code *} matches any run of characters but {@code /},
 * {@code **} any run of characters, {@code ?} one character but {@code /}, and a backslash makes
 * the next character literal.
 *
 * <p>Validation reports a glob that is not valid; planning matches branch and tag names with it.
 * Public for Otto's planner; not an API: it may change in any release.
 */
@API(status = INTERNAL, since = "0.1")
public final class Glob {
  private Glob() {}

  /** Why {@code glob} is not valid, or empty. */
  public static Optional<String> error(String glob) {
    if (glob.isEmpty()) {
      return Optional.of("the glob is empty");
    }
    if (glob.endsWith("\\") && !glob.endsWith("\\\\")) {
      return Optional.of("the glob '" + glob + "' ends with a lone backslash");
    }
    return Optional.empty();
  }

  public static boolean matches(String glob, String text) {
    Pattern pattern = COMPILED.get(glob);
    if (pattern == null) {
      if (COMPILED.size() >= MAX_CACHED) {
        COMPILED.clear();
      }
      pattern = compile(glob);
      COMPILED.put(glob, pattern);
    }
    return pattern.matcher(text).matches();
  }

  /** Pipelines reuse a handful of globs across thousands of stages; compile each once. */
  private static final int MAX_CACHED = 1024;
  private static final java.util.concurrent.ConcurrentMap<String, Pattern> COMPILED =
      new java.util.concurrent.ConcurrentHashMap<>();

  static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder(glob.length() * 2);
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\' && i + 1 < glob.length()) {
        regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
      } else if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          regex.append(".*");
          i++;
        } else {
          regex.append("[^/]*");
        }
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}

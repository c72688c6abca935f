package dev.otto.testkit.simulation;

import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one matching rule of the testkit for stages and steps: a glob matches the whole text, and
 * its {@code *} stands for any text. {@code "git push*"} matches {@code git push heroku staging};
 * {@code "git push"} matches only {@code git push}.
 */
final class Globs {
  private Globs() {}

  static Pattern compile(String glob) {
    return Pattern.compile(Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote)
        .collect(Collectors.joining(".*")), Pattern.DOTALL);
  }
}

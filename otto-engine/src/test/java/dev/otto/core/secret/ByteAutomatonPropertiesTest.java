package dev.otto.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The automaton reports, at every position, the longest pattern ending there: the same answer as
 * comparing every pattern at every position. Patterns and text share a three-letter alphabet, so
 * that patterns overlap, share prefixes and fall back along failure links at every depth.
 */
class ByteAutomatonPropertiesTest {

  @Provide
  Arbitrary<String> words() {
    return Arbitraries.strings().withChars('a', 'b', 'c').ofMinLength(1).ofMaxLength(12);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withChars('a', 'b', 'c', 'x').ofMaxLength(300);
  }

  @Property(tries = 500)
  void the_longest_pattern_ending_at_each_position_is_the_one_a_naive_search_finds(
      @ForAll @Size(min = 1, max = 30) List<@From("words") String> patterns,
      @ForAll("texts") String text) {
    ByteAutomaton automaton = ByteAutomaton.of(
        patterns.stream().map(p -> p.getBytes(StandardCharsets.US_ASCII)).collect(Collectors.toList()));
    int state = 0;
    for (int end = 1; end <= text.length(); end++) {
      state = automaton.next(state, (byte) text.charAt(end - 1));
      assertThat(automaton.longestMatch(state))
          .as("longest pattern ending at %d of '%s'", end, text)
          .isEqualTo(longestEndingAt(patterns, text, end));
    }
  }

  private static int longestEndingAt(List<String> patterns, String text, int end) {
    int longest = 0;
    for (String pattern : patterns) {
      if (pattern.length() <= end && text.startsWith(pattern, end - pattern.length())) {
        longest = Math.max(longest, pattern.length());
      }
    }
    return longest;
  }
}

package dev.otto.core.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ByteSearchTest {
  /** Bytes next in value to those searched for, whose borrows a word-wide search must not misread. */
  private static final byte[] ALPHABET = {0x01, 0x00, 0x02, (byte) 0x81, (byte) 0xFF, 'M', 0x0A, 0x0B};

  private static byte[] bytes(List<Integer> picks) {
    byte[] bytes = new byte[picks.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = ALPHABET[picks.get(i)];
    }
    return bytes;
  }

  @Property(tries = 1000)
  void should_find_the_first_byte_as_a_byte_by_byte_search_does(
      @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 7) Integer> picks,
      @ForAll @IntRange(min = 0, max = 7) int sought,
      @ForAll @IntRange(min = 0, max = 80) int from,
      @ForAll @IntRange(min = 0, max = 80) int end) {
    byte[] bytes = bytes(picks);
    int e = Math.min(end, bytes.length);
    int f = Math.min(from, e);
    int expected = -1;
    for (int i = f; i < e && expected < 0; i++) {
      if (bytes[i] == ALPHABET[sought]) {
        expected = i;
      }
    }
    assertThat(ByteSearch.indexOf(bytes, ALPHABET[sought], f, e)).isEqualTo(expected);
  }

  @Property(tries = 1000)
  void should_find_the_first_whole_needle_as_a_naive_search_does(
      @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 2) Integer> picks,
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 2) Integer> needlePicks,
      @ForAll @IntRange(min = 0, max = 80) int from) {
    byte[] bytes = bytes(picks);
    byte[] needle = bytes(needlePicks);
    int f = Math.min(from, bytes.length);
    int expected = -1;
    outer:
    for (int i = f; i + needle.length <= bytes.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      expected = i;
      break;
    }
    assertThat(ByteSearch.indexOf(bytes, needle, f, bytes.length)).isEqualTo(expected);
  }
}

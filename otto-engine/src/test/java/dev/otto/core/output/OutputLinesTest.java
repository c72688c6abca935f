package dev.otto.core.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class OutputLinesTest {

  private static List<String> lines(int max, List<Integer> cuts, String text) throws IOException {
    return lines(max, cuts, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The lines of {@code bytes} written in pieces of the sizes {@code cuts} gives, then the rest. */
  private static List<String> lines(int max, List<Integer> cuts, byte[] bytes) throws IOException {
    List<String> lines = new ArrayList<>();
    try (OutputLines out = new OutputLines(max, lines::add)) {
      int at = 0;
      for (int cut : cuts) {
        int next = Math.min(bytes.length, at + cut);
        out.write(bytes, at, next - at);
        at = next;
      }
      out.write(bytes, at, bytes.length - at);
    }
    return lines;
  }

  @Test
  void should_split_on_line_ends_and_hand_over_a_last_line_without_one() throws IOException {
    assertThat(lines(64, List.of(3, 1, 5), "one\r\ntwo\n\nthree")).containsExactly("one", "two", "", "three");
    assertThat(lines(64, List.of(), "")).isEmpty();
  }

  @Test
  void should_cut_a_long_line_into_marked_pieces_without_splitting_a_character() throws IOException {
    List<String> pieces = lines(16, List.of(), "ééééééééééééé-end\n");
    assertThat(pieces).hasSize(2);
    assertThat(pieces.get(0)).isEqualTo("éééééééé" + OutputLines.CONTINUED);
    assertThat(pieces.get(1)).isEqualTo("ééééé-end");
  }

  @Test
  void should_refuse_a_tiny_limit() {
    assertThatThrownBy(() -> new OutputLines(8, l -> {})).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxLineBytes must be at least 16, not 8");
  }

  @Property(tries = 300)
  void joining_the_pieces_gives_back_the_text_however_it_was_written(
      @ForAll @StringLength(max = 300) String text,
      @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 40) Integer> cuts,
      @ForAll @IntRange(min = 16, max = 64) int max) throws IOException {
    String clean = text.replace("\r", "");
    StringBuilder joined = new StringBuilder();
    List<String> lines = lines(max, cuts, clean);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.endsWith(OutputLines.CONTINUED)) {
        joined.append(line, 0, line.length() - OutputLines.CONTINUED.length());
      } else {
        joined.append(line);
        if (i < lines.size() - 1 || clean.endsWith("\n")) {
          joined.append('\n');
        }
      }
      assertThat(line.replace(OutputLines.CONTINUED, "").getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(max);
    }
    String expected = new String(clean.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    assertThat(joined.toString()).isEqualTo(expected);
  }

  /**
   * Line ends are found eight bytes at a time: bytes next to a line end in value (0x09, 0x0B,
   * 0x8A, 0x00), at every offset of a word and across writes, split exactly where a byte-by-byte
   * search splits.
   */
  @Property(tries = 500)
  void should_split_where_a_byte_by_byte_search_splits(
      @ForAll @Size(max = 120) List<@IntRange(min = 0, max = 7) Integer> picks,
      @ForAll @Size(max = 10) List<@IntRange(min = 1, max = 20) Integer> cuts) throws IOException {
    byte[] alphabet = {'\n', 0x0B, 0x09, (byte) 0x8A, 0x00, 'a', '\n', (byte) 0x0A ^ 0x01};
    byte[] bytes = new byte[picks.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = alphabet[picks.get(i)];
    }
    List<String> expected = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        expected.add(new String(bytes, from, i - from, StandardCharsets.UTF_8));
        from = i + 1;
      }
    }
    if (from < bytes.length) {
      expected.add(new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8));
    }
    assertThat(lines(1024, cuts, bytes)).isEqualTo(expected);
  }
}

package dev.otto.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The laws of a damaged journal: whatever happens to the end of the file, reading it gives a
 * prefix of what was written; whatever single byte changes, reading it gives a prefix or fails.
 * It never gives an entry that was not written.
 */
class JournalDamageTest {

  @Provide
  Arbitrary<List<String>> entries() {
    return Arbitraries.strings().withCharRange(' ', '~').withChars('é', '→', '"', '\\').ofMinLength(0).ofMaxLength(40)
        .list().ofMinSize(1).ofMaxSize(12);
  }

  @Property(tries = 200)
  void a_cut_anywhere_gives_a_prefix_of_the_entries(@ForAll("entries") List<String> written,
      @ForAll @IntRange(min = 0, max = 10_000) int cut) throws IOException {
    Path root = Files.createTempDirectory("otto-journal-law");
    Path file = write(root, written);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, Math.min(cut, bytes.length)));

    List<String> read = FileJournal.in(root).read("r");
    delete(root);

    assertThat(written.subList(0, read.size())).isEqualTo(read);
  }

  @Property(tries = 300)
  void a_changed_byte_gives_a_prefix_or_an_error_never_a_wrong_entry(@ForAll("entries") @Size(min = 2) List<String> written,
      @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll @IntRange(min = 1, max = 255) int flip)
      throws IOException {
    Path root = Files.createTempDirectory("otto-journal-law");
    Path file = write(root, written);
    byte[] bytes = Files.readAllBytes(file);
    int at = position % bytes.length;
    bytes[at] = (byte) (bytes[at] ^ flip);
    Files.write(file, bytes);

    List<String> read;
    try (RunLog log = FileJournal.in(root).open("r")) {
      read = log.entries();
    } catch (JournalException e) {
      assertThat(e.reason()).isEqualTo(JournalException.Reason.CORRUPT);
      return;
    } finally {
      delete(root);
    }
    assertThat(read.size()).isLessThanOrEqualTo(written.size());
    assertThat(written.subList(0, read.size())).isEqualTo(read);
  }

  private static void delete(Path root) throws IOException {
    try (var files = Files.walk(root)) {
      for (Path path : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }

  private static Path write(Path root, List<String> entries) {
    try (RunLog log = FileJournal.in(root).create("r")) {
      entries.forEach(log::append);
    }
    return root.resolve("r").resolve("journal.log");
  }
}

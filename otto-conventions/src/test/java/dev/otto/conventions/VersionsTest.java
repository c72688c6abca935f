package dev.otto.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionsTest {

  @Test
  void should_keep_every_default_a_release_that_has_not_reached_its_end_of_life() throws IOException {
    // given the end-of-life dates recorded with their source
    Map<String, String[]> recorded = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("src/test/resources/end-of-life.txt"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] fields = line.split("\\|");
        recorded.put(fields[0].strip(), new String[] {fields[1].strip(), fields[2].strip(), fields[3].strip()});
      }
    }

    // then each default is the recorded release, and that release is still supported today
    SoftAssertions softly = new SoftAssertions();
    Versions.DEFAULTS.forEach((runtime, version) -> {
      String[] eol = recorded.get(runtime);
      softly.assertThat(eol).as("the end of life of %s's default, in end-of-life.txt", runtime).isNotNull();
      if (eol == null) {
        return;
      }
      softly.assertThat(eol[0]).as("the release end-of-life.txt records for %s", runtime).isEqualTo(version);
      if (!eol[1].equals("rolling")) {
        softly.assertThat(LocalDate.parse(eol[1])).as("%s %s reaches its end of life on %s (%s): move the default "
            + "in Versions.DEFAULTS to a supported release and record its date", runtime, version, eol[1], eol[2])
            .isAfter(LocalDate.now());
      }
    });
    softly.assertAll();
  }

  @ParameterizedTest(name = "{1} {0} gives {3}")
  @CsvSource(delimiter = ';', value = {
      ">=22; node; 1; 24",
      ">=18 <23; node; 1; 22",
      "^20 || ^22; node; 1; 22",
      "^24.1.0; node; 1; 24",
      "20.x; node; 1; 20",
      ">=26; node; 1; 26",
      "'>=3.9,<3.13'; python; 2; 3.12",
      ">=3.9; python; 2; 3.13",
      "~=3.10; python; 2; 3.13",
      "==3.11.*; python; 2; 3.11",
      "'>=3.8, !=3.9.*'; python; 2; 3.13",
      "'>=2.7,<3.0'; python; 2; 2",
      "~> 3.2; ruby; 2; 3.4",
      "~> 3.2.0; ruby; 2; 3.2",
      "18 - 22; node; 1; 22",
      "20 - 26; node; 1; 24",
  })
  void should_take_the_default_when_a_range_allows_it_else_the_nearest_release_it_allows(String range, String runtime,
      int parts, String expected) {
    assertThat(Versions.within(range, runtime, parts)).hasValue(expected);
  }

  @ParameterizedTest(name = "{0} at {1} parts allows {2} at the oldest")
  @CsvSource(delimiter = ';', value = {
      ">=18.17; 1; 18",
      ">=18 <23; 1; 18",
      "^20 || ^22; 1; 20",
      "20.x; 1; 20",
      "'>=3.9,<3.13'; 2; 3.9",
      "~=3.10; 2; 3.10",
      "18 - 22; 1; 18",
      "'>=16.14 <17 || 18.0.0 - 22'; 1; 16",
  })
  void should_take_the_oldest_version_a_range_allows(String range, int parts, String expected) {
    assertThat(Versions.oldest(range, parts)).hasValue(expected);
  }

  @Test
  void should_take_no_oldest_version_from_a_range_without_a_lower_bound() {
    assertThat(Versions.oldest("<23", 1)).isEmpty();
    assertThat(Versions.oldest("*", 1)).isEmpty();
    assertThat(Versions.oldest("^20 || <18", 1)).isEmpty();
  }

  @Test
  void should_read_a_pinned_version_without_its_prefix_and_ignore_what_names_none() {
    assertThat(Versions.pinned("v22.11.0\n")).hasValue("22.11.0");
    assertThat(Versions.pinned("ruby-3.3.5")).hasValue("3.3.5");
    assertThat(Versions.pinned("# comment\n3.12\n")).hasValue("3.12");
    assertThat(Versions.pinned("system")).isEmpty();
    assertThat(Versions.within("*", "node", 1)).isEmpty();
    assertThat(List.of(Versions.byDefault("node").describe(), new Versions.Version("node", "22", ".nvmrc").describe()))
        .containsExactly("node 24, the default", "node 22 from .nvmrc");
  }
}

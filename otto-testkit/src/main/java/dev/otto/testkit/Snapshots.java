package dev.otto.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.FileInfo;

/**
 * Golden-file snapshots: a test asserts that a rendering (explain text, JSON, a diagram) equals
 * a file checked in beside the tests, and a reviewer sees every change of output as a diff.
 *
 * <pre>{@code
 * Snapshots.assertMatches(Path.of("src/test/resources/golden/webapp.txt"), Explain.text(plan));
 * }</pre>
 *
 * <p>To accept new output, run the tests with {@code -Dotto.snapshots.update=true}: missing or
 * different files are then written instead of failing. A missing file without that flag fails
 * the test, so a forgotten golden file never passes silently.
 */
public final class Snapshots {
  /** The system property that turns on updating. */
  public static final String UPDATE_PROPERTY = "otto.snapshots.update";

  private Snapshots() {}

  /** Asserts that {@code golden} holds exactly {@code actual} (line ends normalized to {@code \n}). */
  public static void assertMatches(Path golden, String actual) {
    requireNonNull(golden, "golden");
    requireNonNull(actual, "actual");
    boolean update = Boolean.getBoolean(UPDATE_PROPERTY);
    String normalized = actual.replace("\r\n", "\n");
    try {
      if (!Files.exists(golden)) {
        if (update) {
          write(golden, normalized);
          return;
        }
        throw new AssertionFailedError("the golden file " + golden + " does not exist; run the tests with -D"
            + UPDATE_PROPERTY + "=true to create it, then review and commit it");
      }
      String expected = Files.readString(golden, StandardCharsets.UTF_8).replace("\r\n", "\n");
      if (expected.equals(normalized)) {
        return;
      }
      if (update) {
        write(golden, normalized);
        return;
      }
      int line = firstDifferentLine(expected, normalized);
      throw new AssertionFailedError("the output differs from the golden file " + golden + " at line " + line
          + "; if the change is intended, run the tests with -D" + UPDATE_PROPERTY + "=true and review the diff\n"
          + excerpt(expected, normalized, line),
          new FileInfo(golden.toString(), expected.getBytes(StandardCharsets.UTF_8)), normalized);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read or write the golden file " + golden, e);
    }
  }

  private static void write(Path golden, String content) throws IOException {
    Path parent = golden.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(golden, content, StandardCharsets.UTF_8);
  }

  /** The lines around the first difference: context, then the golden file's (-) and the output's (+). */
  static String excerpt(String expected, String actual, int line) {
    List<String> a = expected.lines().toList();
    List<String> b = actual.lines().toList();
    StringBuilder out = new StringBuilder();
    for (int i = Math.max(0, line - 3); i < line - 1; i++) {
      out.append("  ").append(a.get(i)).append('\n');
    }
    for (int i = line - 1; i < Math.min(a.size(), line + 4); i++) {
      out.append("- ").append(a.get(i)).append('\n');
    }
    for (int i = line - 1; i < Math.min(b.size(), line + 4); i++) {
      out.append("+ ").append(b.get(i)).append('\n');
    }
    return out.toString();
  }

  private static int firstDifferentLine(String expected, String actual) {
    List<String> a = expected.lines().toList();
    List<String> b = actual.lines().toList();
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      if (!a.get(i).equals(b.get(i))) {
        return i + 1;
      }
    }
    return n + 1;
  }
}

package dev.otto.conventions;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versions conventions build with: what the repository declares when it declares one, else a default. The
 * defaults are kept in this one table, and a test holds them against the recorded end-of-life dates of each
 * runtime, so the build says when a default is no longer supported.
 */
final class Versions {
  /** The default version of each runtime, a supported release, in the precision its images are tagged with. */
  static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> table = new LinkedHashMap<>();
    table.put("node", "24");
    table.put("go", "1.26");
    table.put("python", "3.13");
    table.put("ruby", "3.4");
    table.put("java", "21");
    table.put("rust", "1");
    table.put("dotnet", "10.0");
    table.put("debian", "trixie");
    return java.util.Collections.unmodifiableMap(table);
  }

  private static final Pattern HYPHEN = Pattern.compile("v?(\\d+(?:\\.[\\dxX*]+)*)\\s+-\\s+v?(\\d+(?:\\.[\\dxX*]+)*)");
  private static final Pattern COMPARISON = Pattern.compile("(!=|>=|<=|>|<|\\^|~=|~|==|=)?\\s*v?(\\d+(?:\\.\\d+)*)");

  private Versions() {}

  /**
   * A runtime's version and where it came from.
   *
   * @param runtime e.g. {@code node}
   * @param value e.g. {@code 22} or {@code 3.12.4}
   * @param source e.g. {@code .nvmrc}; empty for the default
   */
  record Version(String runtime, String value, String source) {
    /** For explain: {@code node 22 from .nvmrc}, or {@code node 24, the default}. */
    String describe() {
      return runtime + " " + value + (source.isEmpty() ? ", the default" : " from " + source);
    }
  }

  /** The default of {@code runtime}. */
  static Version byDefault(String runtime) {
    String value = DEFAULTS.get(runtime);
    if (value == null) {
      throw new IllegalArgumentException("no default version for '" + runtime + "'; there are " + DEFAULTS.keySet());
    }
    return new Version(runtime, value, "");
  }

  /** The version a file pins, e.g. {@code v22.11.0} in {@code .nvmrc}, without a leading {@code v} or runtime name. */
  static Optional<String> pinned(String text) {
    String first = text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .findFirst().orElse("");
    Matcher m = Pattern.compile("^(?:[a-z]+-)?v?(\\d+(?:\\.\\d+)*)$").matcher(first);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * The version a range allows, at {@code parts} components (1 for Node's and Java's majors, 2 for Python's and
   * Go's minor lines): the default when the range allows it, else the newest it allows below the default, else
   * the oldest above. Understands npm's ({@code >=18 <23}, {@code ^20 || ^22}), PEP 440's ({@code >=3.9,<3.13},
   * {@code ~=3.10}) and Gem's ({@code ~> 3.2}) forms; empty when it names no version.
   */
  static Optional<String> within(String range, String runtime, int parts) {
    int[] wanted = parse(DEFAULTS.get(runtime), parts);
    int[] best = null;
    for (String alternative : range.split("\\|\\|")) {
      int[][] bounds = bounds(alternative.replace("~>", "~="), parts);
      if (bounds == null) {
        continue;
      }
      int[] pick = compare(wanted, bounds[0]) < 0 ? bounds[0]
          : bounds[1] != null && compare(wanted, bounds[1]) > 0 ? bounds[1] : wanted;
      best = best == null ? pick : better(best, pick, wanted);
    }
    return Optional.ofNullable(best).map(Versions::format);
  }

  /**
   * The oldest version a range allows, at {@code parts} components ({@code >=18.17 <23} is 18 at
   * one part, {@code ^20 || ^22} is 20); empty when it names no version or sets no lower bound.
   */
  static Optional<String> oldest(String range, int parts) {
    int[] oldest = null;
    for (String alternative : range.split("\\|\\|")) {
      int[][] bounds = bounds(alternative.replace("~>", "~="), parts);
      if (bounds == null) {
        continue;
      }
      if (java.util.Arrays.stream(bounds[0]).allMatch(part -> part == 0)) {
        return Optional.empty();
      }
      oldest = oldest == null || compare(bounds[0], oldest) < 0 ? bounds[0] : oldest;
    }
    return Optional.ofNullable(oldest).map(Versions::format);
  }

  /** Of two candidates, the default, else the newest below it, else the oldest above it. */
  private static int[] better(int[] a, int[] b, int[] wanted) {
    if (compare(a, wanted) == 0 || compare(b, wanted) == 0) {
      return wanted;
    }
    boolean aBelow = compare(a, wanted) < 0;
    boolean bBelow = compare(b, wanted) < 0;
    if (aBelow != bBelow) {
      return aBelow ? a : b;
    }
    return aBelow == compare(a, b) > 0 ? a : b;
  }

  /** The lowest and highest versions one alternative of a range allows ({@code null} highest: no upper bound). */
  private static int[][] bounds(String alternative, int parts) {
    // npm's hyphen range: "18 - 22" is ">=18 <=22".
    alternative = HYPHEN.matcher(alternative).replaceAll(">=$1 <=$2");
    int[] low = new int[parts];
    int[] high = null;
    boolean named = false;
    Matcher m = COMPARISON.matcher(alternative);
    while (m.find()) {
      String op = m.group(1) == null ? "=" : m.group(1);
      String[] given = m.group(2).split("\\.");
      int[] version = parse(m.group(2), parts);
      named = true;
      switch (op) {
        case "!=" -> {
          // an excluded release narrows nothing at the precision versions are chosen in
        }
        case ">=", ">" -> low = max(low, version);
        case "<" -> high = min(high, below(version, given, parts));
        case "<=" -> high = min(high, version);
        case "~=" -> {
          // compatible release: ~=3.10 allows 3.x from 3.10 on; ~=3.10.2 allows 3.10.x
          low = max(low, version);
          high = min(high, given.length > parts ? version : withLast(version, Math.min(given.length, parts) - 2));
        }
        case "^" -> {
          low = max(low, version);
          high = min(high, withLast(version, 0));
        }
        default -> {
          low = max(low, version);
          high = min(high, version);
        }
      }
    }
    return named ? new int[][] {low, high} : null;
  }

  /** The version with every part after {@code index} open: {@code 3.10} at 0 is {@code 3.MAX}. */
  private static int[] withLast(int[] version, int index) {
    int[] open = version.clone();
    for (int i = Math.max(index, 0) + 1; i < open.length; i++) {
      open[i] = Integer.MAX_VALUE;
    }
    return open;
  }

  /** The newest version below {@code version}: {@code <23} allows 22, {@code <3.13} allows 3.12. */
  private static int[] below(int[] version, String[] given, int parts) {
    int[] result = version.clone();
    int last = Math.min(given.length, parts) - 1;
    boolean exact = true;
    for (int i = last + 1; i < given.length; i++) {
      exact &= Integer.parseInt(given[i]) == 0;
    }
    if (!exact) {
      return result;
    }
    for (int i = last; i >= 0; i--) {
      if (result[i] > 0) {
        result[i]--;
        return i == last ? result : withLast(result, i);
      }
    }
    return result;
  }

  private static int[] parse(String version, int parts) {
    int[] numbers = new int[parts];
    String[] given = version.split("\\.");
    for (int i = 0; i < parts && i < given.length; i++) {
      numbers[i] = Integer.parseInt(given[i]);
    }
    return numbers;
  }

  /** The version as written, up to its first open part: {@code 2.MAX} is {@code 2}. */
  private static String format(int[] version) {
    return String.join(".", Arrays.stream(version).takeWhile(part -> part != Integer.MAX_VALUE)
        .mapToObj(Integer::toString).toList());
  }

  private static int compare(int[] a, int[] b) {
    return Arrays.compare(a, b);
  }

  private static int[] max(int[] a, int[] b) {
    return compare(a, b) >= 0 ? a : b;
  }

  private static int[] min(int[] a, int[] b) {
    return a == null || compare(b, a) < 0 ? b : a;
  }

  /** The first of the candidates that is present, or the default. */
  static Version first(String runtime, List<Optional<Version>> candidates) {
    return candidates.stream().flatMap(Optional::stream).findFirst().orElseGet(() -> byDefault(runtime));
  }
}

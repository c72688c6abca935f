package dev.otto.bench;

import dev.otto.core.output.OutputLines;
import dev.otto.core.secret.SecretMasker;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Splits what masking costs into its parts, in one JVM, on {@link MaskBenchmark}'s log and
 * secrets: the unmasked stream (bytes into lines), the masked stream, the masker alone writing
 * into a sink that only counts bytes, and the same two with a masker of 100 other secrets, none
 * of which the log holds (what scanning costs without a secret to mask). After a warm-up, each
 * round times one pass of each, in turn; the medians are printed with each masked stream's ratio
 * to the unmasked one.
 *
 * <p>Usage: {@code java -Xms1g -Xmx1g -cp bench/target/otto-bench.jar dev.otto.bench.MaskParts
 * [rounds]} (10 unless told otherwise).
 */
public final class MaskParts {
  private static final int PIECE = 8192;
  private static final int WARM_UP_ROUNDS = 4;

  private final byte[] chunk;
  private long characters;

  private MaskParts(byte[] chunk) {
    this.chunk = chunk;
  }

  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    MaskBenchmark benchmark = new MaskBenchmark();
    benchmark.generate();
    MaskParts parts = new MaskParts(benchmark.chunk());
    SecretMasker.Builder held = SecretMasker.builder();
    for (int i = 0; i < benchmark.secrets().size(); i++) {
      held.add("secret-" + i, benchmark.secrets().get(i));
    }
    SecretMasker masker = held.build();
    SecretMasker absent = absentSecrets(benchmark.secrets().size());
    Map<String, Supplier<OutputStream>> streams = new LinkedHashMap<>();
    streams.put("unmasked stream", parts::lines);
    streams.put("masked stream", () -> masker.wrap(parts.lines()));
    streams.put("masker alone", () -> masker.wrap(parts.counting()));
    streams.put("masked stream, secrets absent", () -> absent.wrap(parts.lines()));
    streams.put("masker alone, secrets absent", () -> absent.wrap(parts.counting()));
    for (int round = 0; round < WARM_UP_ROUNDS; round++) {
      for (Supplier<OutputStream> stream : streams.values()) {
        parts.pass(stream.get());
      }
    }
    Map<String, double[]> times = new LinkedHashMap<>();
    streams.keySet().forEach(name -> times.put(name, new double[rounds]));
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, Supplier<OutputStream>> stream : streams.entrySet()) {
        long start = System.nanoTime();
        parts.pass(stream.getValue().get());
        times.get(stream.getKey())[round] = (System.nanoTime() - start) / 1e6;
      }
    }
    double unmasked = MaskCost.median(times.get("unmasked stream"));
    times.forEach((name, values) -> {
      double median = MaskCost.median(values);
      String ratio = name.contains("stream") && !name.equals("unmasked stream")
          ? String.format(" (%.2f x unmasked)", median / unmasked) : "";
      System.out.printf("%-32s %8.1f ms%s%n", name, median, ratio);
    });
    // Keeps the passes' work from being skipped.
    System.out.println("characters handed over: " + parts.characters);
  }

  /** A masker of {@code count} secrets of lower-case letters, which the log never holds. */
  private static SecretMasker absentSecrets(int count) {
    Random random = new Random(7);
    SecretMasker.Builder builder = SecretMasker.builder();
    for (int i = 0; i < count; i++) {
      StringBuilder secret = new StringBuilder();
      for (int j = 16 + random.nextInt(25); j > 0; j--) {
        secret.append((char) ('a' + random.nextInt(26)));
      }
      builder.add("absent-" + i, secret.toString());
    }
    return builder.build();
  }

  private OutputStream lines() {
    return new OutputLines(64 * 1024, line -> characters += line.length());
  }

  private OutputStream counting() {
    return new OutputStream() {
      @Override
      public void write(int b) {
        characters++;
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        characters += length;
      }
    };
  }

  /** Writes the log's {@value MaskBenchmark#TOTAL_MIB} MiB to {@code out} in 8 KiB pieces. */
  private void pass(OutputStream out) throws IOException {
    try (out) {
      for (int i = 0; i < MaskBenchmark.TOTAL_MIB; i++) {
        for (int at = 0; at < chunk.length; at += PIECE) {
          out.write(chunk, at, Math.min(PIECE, chunk.length - at));
        }
      }
    }
  }
}

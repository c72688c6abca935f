package dev.otto.bench;

import dev.otto.core.output.OutputLines;
import dev.otto.core.secret.SecretMasker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of masking step output: 256 MiB of build-log text, written in 8 KiB pieces, turned
 * into lines as the engine hands them to listeners, without masking and through a masker holding
 * 100 secrets (one line in fifty holds one of them).
 *
 * <p>{@link MaskCost} times the two benchmarks in turns within each JVM and prints their ratio;
 * run with JMH (as {@code org.openjdk.jmh.Main MaskBenchmark}), each is measured in JVMs of its
 * own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MaskBenchmark {
  static final int MIB = 1 << 20;
  static final int TOTAL_MIB = 256;
  private static final int PIECE = 8192;

  private byte[] chunk;
  private SecretMasker masker;
  private List<String> secrets;

  @Setup
  public void generate() {
    Random random = new Random(42);
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    List<String> secrets = new ArrayList<>();
    SecretMasker.Builder builder = SecretMasker.builder();
    for (int i = 0; i < 100; i++) {
      StringBuilder secret = new StringBuilder();
      for (int j = 16 + random.nextInt(25); j > 0; j--) {
        secret.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      secrets.add(secret.toString());
      builder.add("secret-" + i, secret.toString());
    }
    masker = builder.build();
    this.secrets = List.copyOf(secrets);
    String[] words = {"[INFO]", "Compiling", "42", "source", "files", "to", "/work/app/target/classes", "Tests",
        "run:", "Failures:", "0,", "Errors:", "Time", "elapsed:", "0.123", "s", "--", "in", "dev.otto.core.PlanTest",
        "WARNING:", "deprecated", "2026-11-25T10:11:12.345Z", "Downloading", "https://repo.example.org/x.jar"};
    StringBuilder log = new StringBuilder(MIB + 256);
    while (log.length() < MIB) {
      for (int i = 4 + random.nextInt(10); i > 0; i--) {
        log.append(words[random.nextInt(words.length)]).append(' ');
      }
      if (random.nextInt(50) == 0) {
        log.append("token=").append(secrets.get(random.nextInt(secrets.size())));
      }
      log.append('\n');
    }
    chunk = log.substring(0, MIB).getBytes(StandardCharsets.UTF_8);
  }

  /** One MiB of the log, which a pass writes {@value #TOTAL_MIB} times. */
  byte[] chunk() {
    return chunk;
  }

  /** The secrets the log holds, in the order they were made. */
  List<String> secrets() {
    return secrets;
  }

  private long feed(OutputStream out, long[] characters) throws IOException {
    try (out) {
      for (int i = 0; i < TOTAL_MIB; i++) {
        for (int at = 0; at < chunk.length; at += PIECE) {
          out.write(chunk, at, Math.min(PIECE, chunk.length - at));
        }
      }
    }
    return characters[0];
  }

  /** The stream without masking: bytes into lines for listeners. */
  @Benchmark
  public long lines() throws IOException {
    long[] characters = {0};
    return feed(new OutputLines(64 * 1024, line -> characters[0] += line.length()), characters);
  }

  /** The same stream with every secret masked before it becomes lines. */
  @Benchmark
  public long maskedLines() throws IOException {
    long[] characters = {0};
    return feed(masker.wrap(new OutputLines(64 * 1024, line -> characters[0] += line.length())), characters);
  }
}

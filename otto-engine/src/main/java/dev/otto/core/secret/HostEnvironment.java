package dev.otto.core.secret;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hides secret values that the host process received in its environment from the other
 * processes of its user.
 *
 * <p>A process's starting environment stays readable, for as long as it lives, in
 * {@code /proc/<pid>/environ} by every process of the same user: a step run by a local executor
 * could read every secret of the engine's host there. The JVM copies its environment when it
 * starts ({@link System#getenv()} keeps working), so once a host has built its
 * {@link SecretProviders#environment(java.util.Map) provider}, {@link #hide} overwrites the values
 * of the named variables in the process's own environment block with {@code *}, through
 * {@code /proc/self/mem}: {@code /proc/<pid>/environ} then shows {@code NAME=*****}.
 *
 * <p>This closes the plain read of the environment, not every way in: a process of the same user
 * that may trace the host (Linux's {@code kernel.yama.ptrace_scope} set to 0) can still read its
 * memory. Steps that must not reach the host at all run sandboxed or in containers. On systems
 * without {@code /proc/self/mem}, {@code hide} does nothing and says so.
 */
public final class HostEnvironment {
  private static final Logger LOG = LoggerFactory.getLogger(HostEnvironment.class);
  private static final Path STAT = Path.of("/proc/self/stat");
  private static final Path MEM = Path.of("/proc/self/mem");
  /** The fields of {@code /proc/self/stat} (proc(5), from 1) that bound the environment block. */
  private static final int ENV_START = 50;
  private static final int ENV_END = 51;

  private HostEnvironment() {}

  /**
   * Overwrites the values of {@code variables} in this process's environment block; returns how
   * many it overwrote, or -1 when this system gives no way to.
   */
  public static int hide(Collection<String> variables) {
    Set<String> names = Set.copyOf(requireNonNull(variables, "variables"));
    if (names.isEmpty()) {
      return 0;
    }
    // The JVM copies the environment the first time it is asked for: ask before overwriting it.
    System.getenv();
    if (!Files.isReadable(STAT) || !Files.isWritable(MEM)) {
      LOG.debug("no /proc/self/mem here: secret values stay in the host's environment");
      return -1;
    }
    try {
      long[] bounds = bounds(Files.readString(STAT, StandardCharsets.US_ASCII));
      int length = (int) Math.min(bounds[1] - bounds[0], 1 << 24);
      try (RandomAccessFile mem = new RandomAccessFile(MEM.toFile(), "rw")) {
        byte[] block = new byte[length];
        mem.seek(bounds[0]);
        mem.readFully(block);
        int hidden = 0;
        int start = 0;
        for (int i = 0; i <= block.length; i++) {
          if (i == block.length || block[i] == 0) {
            hidden += hideEntry(mem, bounds[0], block, start, i, names) ? 1 : 0;
            start = i + 1;
          }
        }
        return hidden;
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not hide secret values in the host's environment: {}", e.toString());
      return -1;
    }
  }

  private static boolean hideEntry(RandomAccessFile mem, long base, byte[] block, int start, int end,
      Set<String> names) throws IOException {
    int equals = -1;
    for (int i = start; i < end; i++) {
      if (block[i] == '=') {
        equals = i;
        break;
      }
    }
    if (equals < 0 || equals + 1 == end
        || !names.contains(new String(block, start, equals - start, StandardCharsets.UTF_8))) {
      return false;
    }
    byte[] stars = new byte[end - equals - 1];
    java.util.Arrays.fill(stars, (byte) '*');
    mem.seek(base + equals + 1);
    mem.write(stars);
    return true;
  }

  /** {@code env_start} and {@code env_end} from the text of {@code /proc/self/stat}. */
  static long[] bounds(String stat) {
    // The command name, field 2, is in parentheses and may hold spaces: count from after it.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return new long[] {Long.parseLong(fields[ENV_START - 3]), Long.parseLong(fields[ENV_END - 3])};
  }
}

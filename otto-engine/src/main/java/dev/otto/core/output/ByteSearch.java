package dev.otto.core.output;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * Finds bytes in step output eight at a time. Every byte a step prints passes through these
 * searches (line ends, the shell protocol's markers), so they read a word per round instead of a
 * byte, and they stay that cheap when the compiler inlines them into a caller that leaves them
 * few registers, as the masker does.
 */
@API(status = INTERNAL, since = "0.1")
public final class ByteSearch {
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  private ByteSearch() {}

  /** The first {@code b} in {@code bytes[from, end)}, or -1. */
  public static int indexOf(byte[] bytes, byte b, int from, int end) {
    long pattern = ONES * (b & 0xFF);
    int i = from;
    for (; i <= end - Long.BYTES; i += Long.BYTES) {
      long word = (long) LONG.get(bytes, i) ^ pattern;
      // The high bit of each zero byte, and possibly of bytes above the first: the lowest is exact.
      long zeros = (word - ONES) & ~word & HIGH_BITS;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < end; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Where {@code needle} first occurs whole in {@code bytes[from, end)}, or -1; the needle is not empty. */
  public static int indexOf(byte[] bytes, byte[] needle, int from, int end) {
    int last = end - needle.length;
    for (int i = indexOf(bytes, needle[0], from, end); i >= 0 && i <= last; i = indexOf(bytes, needle[0], i + 1, end)) {
      if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}

package dev.otto.core.output;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns a step's output into lines, in memory bounded by the longest line it keeps whole.
 *
 * <p>Each line goes to the consumer without its line end ({@code \n} or {@code \r\n}). A line
 * longer than {@code maxLineBytes} is cut into pieces at character boundaries; every piece but
 * the last ends with {@value #CONTINUED}, so a reader sees where a line was cut. Bytes that are
 * not valid UTF-8 become the replacement character. {@link #close()} hands over a last line
 * that had no line end.
 *
 * <pre>{@code
 * try (OutputStream out = new OutputLines(64 * 1024, line -> events.output(step, line))) {
 *   process.getInputStream().transferTo(out);
 * }
 * }</pre>
 */
public final class OutputLines extends OutputStream {
  /** The marker at the end of a piece of a line that was cut. */
  public static final String CONTINUED = " [continued]";

  private final int maxLineBytes;
  private final Consumer<String> onLine;
  /** The line so far; it grows up to {@code maxLineBytes}, as most steps print short lines or none. */
  private byte[] line = new byte[0];
  private int length;
  private boolean closed;

  /**
   * @param maxLineBytes the longest line, in bytes, handed over whole; at least 16
   * @param onLine receives each line
   */
  public OutputLines(int maxLineBytes, Consumer<String> onLine) {
    if (maxLineBytes < 16) {
      throw new IllegalArgumentException("maxLineBytes must be at least 16, not " + maxLineBytes);
    }
    this.maxLineBytes = maxLineBytes;
    this.onLine = requireNonNull(onLine, "onLine");
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int count) throws IOException {
    if (closed) {
      throw new IOException("the output is closed");
    }
    java.util.Objects.checkFromIndexSize(offset, count, bytes.length);
    int end = offset + count;
    int from = offset;
    for (int at = ByteSearch.indexOf(bytes, (byte) '\n', from, end); at >= 0;
        at = ByteSearch.indexOf(bytes, (byte) '\n', from, end)) {
      append(bytes, from, at - from);
      emit(true);
      from = at + 1;
    }
    append(bytes, from, end - from);
  }

  private void append(byte[] bytes, int from, int count) {
    while (count > 0) {
      int room = maxLineBytes - length;
      if (room == 0) {
        cut();
        continue;
      }
      int n = Math.min(room, count);
      if (length + n > line.length) {
        int size = Math.max(length + n, Math.max(256, line.length * 2));
        line = java.util.Arrays.copyOf(line, Math.min(maxLineBytes, size));
      }
      System.arraycopy(bytes, from, line, length, n);
      length += n;
      from += n;
      count -= n;
    }
  }

  /** Hands over the start of an over-long line, ending at a character boundary, with the marker. */
  private void cut() {
    int at = boundary();
    onLine.accept(new String(line, 0, at, StandardCharsets.UTF_8) + CONTINUED);
    System.arraycopy(line, at, line, 0, length - at);
    length -= at;
  }

  /** Where the buffer can be cut without splitting a UTF-8 character: its end, or before a partial last one. */
  private int boundary() {
    for (int p = length - 1; p >= Math.max(0, length - 4); p--) {
      int b = line[p] & 0xFF;
      if ((b & 0xC0) != 0x80) {
        int size = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return p + size <= length || p == 0 ? length : p;
      }
    }
    return length;
  }

  private void emit(boolean lineEnd) {
    int n = length;
    if (lineEnd && n > 0 && line[n - 1] == '\r') {
      n--;
    }
    onLine.accept(new String(line, 0, n, StandardCharsets.UTF_8));
    length = 0;
  }

  /** Hands over a last line without a line end, if any. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (length > 0) {
      emit(false);
    }
  }
}

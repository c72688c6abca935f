package dev.otto.core.secret;

import dev.otto.core.internal.ByteAutomaton;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Masks secrets in a byte stream written in pieces of any size. Bytes are held back only while
 * they could still be part of a secret: as long as the automaton's current match may grow, and
 * while a match found may still be extended by an overlapping one. Overlapping matches become
 * one mask; adjacent ones stay two.
 */
final class MaskingOutputStream extends OutputStream {
  private static final int SLICE = 8192;
  /** An open mask longer than this is written early, so a run of secrets cannot grow memory. */
  private static final int EARLY_MASK = 65536;

  private final OutputStream out;
  private final ByteAutomaton automaton;
  private final byte[] mask;
  private byte[] buffer = new byte[SLICE * 2];
  /** Absolute position of buffer[0]. */
  private long bufferBase;
  /** Absolute position of the first byte not yet written or masked. */
  private long next;
  /** Absolute number of bytes received. */
  private long position;
  /** Absolute number of bytes the automaton has read; the rest wait for more output. */
  private long scanned;
  private int state;
  /** Pending matches, merged, in order: [start, end) pairs, and whether the first's mask is written. */
  private long[] starts = new long[4];
  private long[] ends = new long[4];
  private int head;
  private int count;
  private boolean headMaskWritten;
  private boolean closed;

  MaskingOutputStream(OutputStream out, ByteAutomaton automaton, byte[] mask) {
    this.out = out;
    this.automaton = automaton;
    this.mask = mask;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    if (closed) {
      throw new IOException("the masking stream is closed");
    }
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    for (int done = 0; done < length; ) {
      int slice = Math.min(SLICE, length - done);
      scan(bytes, offset + done, slice);
      done += slice;
      drain(false);
    }
  }

  private void scan(byte[] bytes, int offset, int length) {
    int used = (int) (position - bufferBase);
    if (used + length > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, used + length));
    }
    System.arraycopy(bytes, offset, buffer, used, length);
    position += length;
    consume(false);
  }

  /**
   * Runs the automaton over the received bytes. While no match is in progress, bytes where no
   * secret can begin are passed over by the automaton's start filter, which needs four bytes:
   * the last three bytes of the stream wait for more output, or for {@link #close()}.
   */
  private void consume(boolean toEnd) {
    byte[] data = buffer;
    long base = bufferBase;
    int i = (int) (scanned - base);
    int end = (int) (position - base);
    boolean filter = automaton.hasStartFilter();
    int stride = automaton.stride();
    // The window checked for starts in [i, i + stride) is the four bytes at i + stride - 1.
    int filterLimit = end - stride - 3;
    int s = state;
    while (i < end) {
      if (s == 0 && filter) {
        while (i < filterLimit && !automaton.mayStartAt(data, i + stride - 1)) {
          i += stride;
        }
        if (i >= filterLimit && !toEnd) {
          break;
        }
      }
      s = automaton.next(s, data[i]);
      i++;
      int match = automaton.longestMatch(s);
      if (match > 0) {
        long at = base + i;
        addMatch(at - match, at);
      }
    }
    state = s;
    scanned = base + i;
  }

  private void addMatch(long start, long end) {
    while (count > 0) {
      int last = (head + count - 1) % starts.length;
      // Only overlapping matches merge: whether an adjacent one is found before the earlier mask
      // is written depends on how the output was split, and the result must not.
      if (start >= ends[last]) {
        break;
      }
      start = Math.min(start, starts[last]);
      end = Math.max(end, ends[last]);
      if (count == 1) {
        starts[last] = start;
        ends[last] = end;
        return;
      }
      count--;
    }
    if (count == starts.length) {
      long[] s = new long[count * 2];
      long[] e = new long[count * 2];
      for (int i = 0; i < count; i++) {
        s[i] = starts[(head + i) % starts.length];
        e[i] = ends[(head + i) % starts.length];
      }
      starts = s;
      ends = e;
      head = 0;
    }
    int slot = (head + count) % starts.length;
    starts[slot] = start;
    ends[slot] = end;
    if (count == 0) {
      headMaskWritten = false;
    }
    count++;
  }

  private void drain(boolean all) throws IOException {
    if (all) {
      consume(true);
    }
    long safe = all ? position : scanned - automaton.depth(state);
    while (count > 0 && ends[head] <= safe) {
      if (!headMaskWritten) {
        raw(starts[head]);
        out.write(mask);
      }
      next = Math.max(next, ends[head]);
      head = (head + 1) % starts.length;
      count--;
      headMaskWritten = false;
    }
    long limit = count == 0 ? safe : Math.min(safe, starts[head]);
    raw(limit);
    if (count > 0 && !headMaskWritten && ends[head] - starts[head] > EARLY_MASK
        && starts[head] <= scanned - automaton.maxLength()) {
      raw(starts[head]);
      out.write(mask);
      headMaskWritten = true;
    }
    if (count > 0 && headMaskWritten) {
      next = Math.max(next, ends[head]);
    }
    compact();
  }

  /** Writes the held bytes before {@code until} unchanged. */
  private void raw(long until) throws IOException {
    if (until > next) {
      out.write(buffer, (int) (next - bufferBase), (int) (until - next));
      next = until;
    }
  }

  private void compact() {
    int keep = (int) (position - next);
    if (keep < 0) {
      return;
    }
    System.arraycopy(buffer, (int) (next - bufferBase), buffer, 0, keep);
    bufferBase = next;
    if (buffer.length > SLICE * 4 && keep < SLICE) {
      buffer = Arrays.copyOf(buffer, SLICE * 2);
    }
  }

  /** Writes what can no longer be part of a secret; a possible secret's beginning is held back. */
  @Override
  public void flush() throws IOException {
    drain(false);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      drain(true);
    } finally {
      out.close();
    }
  }
}

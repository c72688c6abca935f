package dev.otto.core.secret;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Masks secrets in a byte stream written in pieces of any size. Bytes are held back only while
 * they could still be part of a secret: as long as the automaton's current match may grow, and
 * while a match found may still be extended by an overlapping one. Overlapping matches become
 * one mask; adjacent ones stay two. A match the automaton read across line breaks is masked
 * with the breaks inside it; breaks before or after it stay.
 */
final class MaskingOutputStream extends OutputStream {
  private static final int SLICE = 8192;
  private static final int BRIDGE = 256;
  /** An open mask longer than this is written early, so a run of secrets cannot grow memory. */
  private static final int EARLY_MASK = 65536;

  private final OutputStream out;
  private final ByteAutomaton automaton;
  private final byte[] mask;
  private byte[] buffer = new byte[SLICE * 2];
  /**
   * Where the bytes not yet written are read from: the buffer, or during a write the caller's own
   * array, so that most output is scanned and written without being copied.
   */
  private byte[] data = buffer;
  /** Absolute position of data[0]. */
  private long dataBase;
  /** Absolute position of the first byte not yet written or masked. */
  private long next;
  /** Absolute number of bytes received. */
  private long position;
  /** Absolute number of bytes the automaton has read; the rest wait for more output. */
  private long scanned;
  private int state;
  /** Absolute position of the last line break the automaton passed over; -1 before any. */
  private long lastBreak = -1;
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
    long start = position;
    // The first bytes join what is held back, so that a secret split across writes is seen.
    int bridged = Math.min(length, BRIDGE);
    append(bytes, offset, bridged);
    scanAndDrain();
    if (bridged == length) {
      return;
    }
    if (next >= start) {
      // Everything before this write is settled: read the rest straight from the caller's array.
      data = bytes;
      dataBase = start - offset;
      position = start + length;
      scanAndDrain();
      keepTail();
    } else {
      for (int done = bridged; done < length; ) {
        int slice = Math.min(SLICE, length - done);
        append(bytes, offset + done, slice);
        scanAndDrain();
        done += slice;
      }
    }
  }

  /** Appends to the buffer, which is then the source of unwritten bytes. */
  private void append(byte[] bytes, int offset, int length) {
    int used = (int) (position - dataBase);
    if (used + length > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, used + length));
      data = buffer;
    }
    System.arraycopy(bytes, offset, buffer, used, length);
    position += length;
  }

  /** Scans in slices, writing what is settled after each, so memory stays bounded on a huge write. */
  private void scanAndDrain() throws IOException {
    while (true) {
      long until = Math.min(position, scanned + SLICE * 8);
      consume(until, false);
      drain(false);
      // The scan stops short of what was received only at the slice's end, or where the filter waits for more output.
      if (until >= position || scanned < until) {
        return;
      }
    }
  }

  /** Copies the held-back bytes into the buffer, which is the source again. */
  private void keepTail() {
    int keep = (int) (position - next);
    if (keep > buffer.length) {
      buffer = new byte[Math.max(buffer.length * 2, keep)];
    }
    System.arraycopy(data, (int) (next - dataBase), buffer, 0, keep);
    data = buffer;
    dataBase = next;
  }

  /**
   * Runs the automaton over the received bytes up to {@code until}. While no match is in
   * progress, stretches where no secret can begin are passed over by the automaton's start
   * filter, which looks a few bytes ahead: the last few bytes of the stream wait for more
   * output, or for {@link #close()}.
   */
  private void consume(long until, boolean toEnd) {
    byte[] bytes = data;
    long base = dataBase;
    int i = (int) (scanned - base);
    int end = (int) (until - base);
    boolean filter = automaton.hasStartFilter();
    int stride = automaton.stride();
    // The window checked for starts in [i, i + stride) is read from i + stride - 1 on.
    int received = (int) (position - base);
    int filterLimit = received - stride + 1 - ByteAutomaton.LOOKAHEAD;
    int s = state;
    while (i < end) {
      if (s == 0 && filter) {
        int limit = Math.min(end, filterLimit);
        i = automaton.skip(bytes, i, limit);
        if (i >= end) {
          break;
        }
        if (i >= filterLimit && !toEnd) {
          break;
        }
      }
      byte b = bytes[i++];
      s = automaton.next(s, b);
      if (ByteAutomaton.skips(b)) {
        lastBreak = base + i - 1;
        continue;
      }
      int match = automaton.longestMatch(s);
      if (match > 0) {
        long at = base + i;
        addMatch(start(at, match), at);
      }
    }
    state = s;
    scanned = base + Math.min(i, received);
  }

  /**
   * Where the last {@code read} bytes the automaton read before {@code end} begin, counting the
   * line breaks it passed over among them. Bytes already written are not looked at: a start
   * before {@link #next} is only ever compared with positions at or after it.
   */
  private long start(long end, int read) {
    if (lastBreak < end - read) {
      return end - read;
    }
    long at = end;
    int left = read;
    while (left > 0 && at > next) {
      at--;
      if (!ByteAutomaton.skips(data[(int) (at - dataBase)])) {
        left--;
      }
    }
    return at - left;
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
      consume(position, true);
    }
    long safe = all ? position : start(scanned, automaton.depth(state));
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
    if (count > 0 && !headMaskWritten && ends[head] - starts[head] > EARLY_MASK && starts[head] <= safe) {
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
      out.write(data, (int) (next - dataBase), (int) (until - next));
      next = until;
    }
  }

  /** Moves the held-back bytes to the front of the buffer, when the buffer is the source. */
  private void compact() {
    if (data != buffer) {
      return;
    }
    int keep = (int) (position - next);
    System.arraycopy(buffer, (int) (next - dataBase), buffer, 0, keep);
    dataBase = next;
    if (buffer.length > SLICE * 4 && keep < SLICE) {
      buffer = Arrays.copyOf(buffer, SLICE * 2);
      data = buffer;
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

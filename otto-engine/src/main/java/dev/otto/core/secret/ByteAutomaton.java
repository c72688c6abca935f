package dev.otto.core.secret;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An Aho-Corasick automaton over bytes that reports, at each position of a stream, the length of
 * the longest pattern ending there, in time linear in the length of the stream whatever the
 * number of patterns.
 *
 * <p>It reads output the way encoded secrets show up in it, by two rules that hold for the
 * patterns and the stream alike:
 *
 * <ul>
 *   <li>Line breaks (CR, LF) are passed over ({@link #skips}): a pattern wrapped over several
 *       lines, as MIME wraps base64 at 76 columns and PEM at 64, with CRLF or LF, matches
 *       wherever the breaks fall. Lengths and depths count the bytes read. More than
 *       {@value #MAX_BREAKS} breaks in a row (more than a blank line) end every match in
 *       progress, so that the bytes a match spans stay within five times those it reads.
 *   <li>The two hex digits of a percent-escape match in either case: a URL-encoded pattern
 *       written {@code %2F} matches {@code %2f} too, each escape on its own. The state carries
 *       whether the last bytes read were {@code %}, or {@code %} and a hex digit; each pattern is
 *       also entered as read after those, since the bytes before a pattern decide how its first
 *       two are read.
 * </ul>
 *
 * <p>The root's transitions are a dense table (every byte of ordinary output passes through
 * it); deeper states keep their few edges in sorted arrays and fall back along failure links.
 * States are numbered in depth-first order, so that each state's first child is the state after
 * it: along a pattern's tail, where a state has one child, a step compares one byte.
 */
final class ByteAutomaton {
  /**
   * How many bytes from where it looks {@link #mayStartAt} may read: four, and as many line
   * breaks again among them.
   */
  public static final int LOOKAHEAD = 8;
  /** The most line-break bytes in a row a match is read across: a blank line, with CRLF. */
  public static final int MAX_BREAKS = 4;

  private static final int DENSE_DEPTH = 2;
  private static final int FILTER_BITS = 20;
  private static final int MAX_STRIDE = 16;
  private static final java.lang.invoke.VarHandle INT =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final java.lang.invoke.VarHandle LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  /**
   * A state holds a trie state in its low bits, the line breaks passed over since the last byte
   * read in the next three, and what the last bytes read were in the top two.
   */
  private static final int BREAKS_SHIFT = 27;
  private static final int CONTEXT_SHIFT = 30;
  private static final int TRIE_STATE = (1 << BREAKS_SHIFT) - 1;
  private static final int BREAKS = 7 << BREAKS_SHIFT;
  private static final int AFTER_PERCENT = 1;
  private static final int AFTER_PERCENT_AND_HEX = 2;
  private static final int[] CONTEXTS = {0, AFTER_PERCENT, AFTER_PERCENT_AND_HEX};

  private final int[] rootNext = new int[256];
  private final int[] edgeStart;
  /** The byte that leads from each state to the state after it, its first child; -1 for none. */
  private final int[] firstChildKey;
  private final byte[] edgeKeys;
  private final int[] edgeTargets;
  private final int[] fail;
  private final int[] depth;
  private final int[] longest;
  /** Full rows for the shallow states, where output that holds no secret spends its time. */
  private final int[][] dense;
  private final long[] startFilter = new long[1 << (FILTER_BITS - 6)];
  private final boolean filterUsable;
  private final int stride;

  /** @param patterns the patterns as written in output, without line breaks, none empty */
  private ByteAutomaton(List<Map<Byte, Integer>> trie, int[] ownLength, List<byte[]> patterns) {
    int shortest = Integer.MAX_VALUE;
    for (byte[] pattern : patterns) {
      shortest = Math.min(shortest, pattern.length);
    }
    boolean usable = shortest != Integer.MAX_VALUE && shortest >= 4;
    // Every pattern is at least 'stride + 3' bytes long, so each of its first 'stride' four-byte
    // windows lies inside it: checking one window every 'stride' bytes sees every start.
    stride = usable ? Math.min(MAX_STRIDE, shortest - 3) : 1;
    if (usable) {
      for (byte[] pattern : patterns) {
        boolean[] eitherCase = escapeHexLetters(pattern);
        for (int offset = 0; offset < stride; offset++) {
          addStartWindows(pattern, offset, eitherCase);
        }
      }
    }
    filterUsable = usable;
    int states = trie.size();
    if (states > TRIE_STATE) {
      throw new IllegalArgumentException("the secrets' forms need " + states + " states to match, more than the "
          + TRIE_STATE + " a masker can hold; mask fewer or shorter secrets with each masker");
    }
    fail = new int[states];
    depth = new int[states];
    longest = new int[states];
    edgeStart = new int[states + 1];
    firstChildKey = new int[states];
    Arrays.fill(firstChildKey, -1);
    // States are numbered in depth-first preorder, children in the order of their bytes, so that
    // each state's first child is the state after it.
    int[] order = new int[states];
    int[] number = new int[states];
    byte[][] keys = new byte[states][];
    int[] stack = new int[states];
    int top = 0;
    stack[top++] = 0;
    for (int n = 0; top > 0; n++) {
      int s = stack[--top];
      number[s] = n;
      order[n] = s;
      keys[s] = sortedKeys(trie.get(s));
      for (int k = keys[s].length - 1; k >= 0; k--) {
        stack[top++] = trie.get(s).get(keys[s][k]);
      }
    }
    int edges = 0;
    for (Map<Byte, Integer> children : trie) {
      edges += children.size();
    }
    edgeKeys = new byte[edges];
    edgeTargets = new int[edges];
    int e = 0;
    for (int s = 0; s < states; s++) {
      edgeStart[s] = e;
      Map<Byte, Integer> children = trie.get(order[s]);
      for (byte key : keys[order[s]]) {
        edgeKeys[e] = key;
        edgeTargets[e] = number[children.get(key)];
        if (edgeTargets[e] == s + 1) {
          firstChildKey[s] = key & 0xFF;
        }
        e++;
      }
    }
    edgeStart[states] = e;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int k = edgeStart[0]; k < edgeStart[1]; k++) {
      int child = edgeTargets[k];
      rootNext[edgeKeys[k] & 0xFF] = child;
      fail[child] = 0;
      depth[child] = 1;
      queue.add(child);
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      longest[s] = Math.max(ownLength[order[s]], longest[fail[s]]);
      for (int k = edgeStart[s]; k < edgeStart[s + 1]; k++) {
        int child = edgeTargets[k];
        depth[child] = depth[s] + 1;
        fail[child] = trieNext(fail[s], edgeKeys[k]);
        queue.add(child);
      }
    }
    dense = new int[states][];
    dense[0] = rootNext;
    for (int s = 1; s < states; s++) {
      if (depth[s] <= DENSE_DEPTH) {
        int[] row = new int[256];
        for (int b = 0; b < 256; b++) {
          row[b] = trieNext(s, (byte) b);
        }
        dense[s] = row;
      }
    }
  }

  /**
   * Puts in the start filter the window of {@code pattern} at {@code offset}, in every case its
   * escapes' hex letters may be written in.
   */
  private void addStartWindows(byte[] pattern, int offset, boolean[] eitherCase) {
    int varying = 0;
    for (int j = 0; j < 4; j++) {
      if (eitherCase[offset + j]) {
        varying |= 1 << j;
      }
    }
    byte[] window = new byte[4];
    for (int flips = 0; flips < 16; flips++) {
      if ((flips & ~varying) != 0) {
        continue;
      }
      for (int j = 0; j < 4; j++) {
        window[j] = (byte) (pattern[offset + j] ^ ((flips >> j & 1) == 0 ? 0 : 0x20));
      }
      int hash = ((int) INT.get(window, 0) * 0x9E3779B1) >>> (32 - FILTER_BITS);
      startFilter[hash >>> 6] |= 1L << hash;
    }
  }

  /** Which bytes of {@code pattern} are hex letters of a percent-escape it holds. */
  private static boolean[] escapeHexLetters(byte[] pattern) {
    boolean[] letters = new boolean[pattern.length];
    int context = 0;
    for (int i = 0; i < pattern.length; i++) {
      letters[i] = context != 0 && isHexLetter(pattern[i]);
      context = after(context, pattern[i]);
    }
    return letters;
  }

  /** An automaton finding {@code patterns}; line breaks in them are dropped, empty ones ignored. */
  public static ByteAutomaton of(List<byte[]> patterns) {
    List<Map<Byte, Integer>> trie = new ArrayList<>();
    trie.add(new HashMap<>());
    List<Integer> own = new ArrayList<>();
    own.add(0);
    List<byte[]> written = new ArrayList<>();
    for (byte[] pattern : patterns) {
      byte[] unbroken = withoutLineBreaks(pattern);
      if (unbroken.length == 0) {
        continue;
      }
      written.add(unbroken);
      for (int context : CONTEXTS) {
        insert(trie, own, read(unbroken, context));
      }
    }
    return new ByteAutomaton(trie, own.stream().mapToInt(Integer::intValue).toArray(), written);
  }

  private static byte[] sortedKeys(Map<Byte, Integer> children) {
    byte[] keys = new byte[children.size()];
    int k = 0;
    for (byte key : children.keySet()) {
      keys[k++] = key;
    }
    Arrays.sort(keys);
    return keys;
  }

  private static void insert(List<Map<Byte, Integer>> trie, List<Integer> own, byte[] pattern) {
    int s = 0;
    for (byte b : pattern) {
      Integer child = trie.get(s).get(b);
      if (child == null) {
        child = trie.size();
        trie.add(new HashMap<>());
        own.add(0);
        trie.get(s).put(b, child);
      }
      s = child;
    }
    own.set(s, Math.max(own.get(s), pattern.length));
  }

  private static byte[] withoutLineBreaks(byte[] pattern) {
    byte[] kept = new byte[pattern.length];
    int n = 0;
    for (byte b : pattern) {
      if (!skips(b)) {
        kept[n++] = b;
      }
    }
    return Arrays.copyOf(kept, n);
  }

  /** {@code pattern} as the automaton reads it when the bytes before it left {@code context}. */
  private static byte[] read(byte[] pattern, int context) {
    byte[] read = new byte[pattern.length];
    for (int i = 0; i < pattern.length; i++) {
      read[i] = context == 0 ? pattern[i] : upperHexLetter(pattern[i]);
      context = after(context, pattern[i]);
    }
    return read;
  }

  /** What the last bytes read were, after reading {@code b} where they were {@code context}. */
  private static int after(int context, byte b) {
    if (b == '%') {
      return AFTER_PERCENT;
    }
    return context == AFTER_PERCENT && (b >= '0' && b <= '9' || isHexLetter(b)) ? AFTER_PERCENT_AND_HEX : 0;
  }

  private static boolean isHexLetter(byte b) {
    int lower = b | 0x20;
    return lower >= 'a' && lower <= 'f';
  }

  private static byte upperHexLetter(byte b) {
    return b >= 'a' && b <= 'f' ? (byte) (b - ('a' - 'A')) : b;
  }

  /**
   * Whether the automaton passes over {@code b} without reading it: line breaks, so that a form
   * wrapped over lines matches. A caller counts them out when it turns a match's length into
   * where the match begins, and takes no match from the state after one: it is the state before.
   */
  public static boolean skips(byte b) {
    return b == '\n' || b == '\r';
  }

  /** The state after {@code b} in {@code state}. */
  public int next(int state, byte b) {
    if (skips(b)) {
      return passOver(state);
    }
    int context = state >>> CONTEXT_SHIFT;
    int t = state & TRIE_STATE;
    byte read = context == 0 ? b : upperHexLetter(b);
    int s = firstChildKey[t] == (read & 0xFF) ? t + 1 : trieNext(t, read);
    return s | after(context, b) << CONTEXT_SHIFT;
  }

  /** The state after a line break: the same, but for a count of breaks that ends a long run. */
  private static int passOver(int state) {
    if ((state & TRIE_STATE) == 0) {
      return state;
    }
    int breaks = ((state & BREAKS) >>> BREAKS_SHIFT) + 1;
    return breaks > MAX_BREAKS ? 0 : state & ~BREAKS | breaks << BREAKS_SHIFT;
  }

  private int trieNext(int state, byte b) {
    if (dense != null) {
      int[] row = dense[state];
      if (row != null) {
        return row[b & 0xFF];
      }
    }
    int s = state;
    while (s != 0) {
      for (int k = edgeStart[s], end = edgeStart[s + 1]; k < end; k++) {
        if (edgeKeys[k] == b) {
          return edgeTargets[k];
        }
      }
      s = fail[s];
      if (dense != null && dense[s] != null) {
        return dense[s][b & 0xFF];
      }
    }
    return rootNext[b & 0xFF];
  }

  /**
   * The length, in bytes read, of the longest pattern that ends where {@code state} was reached;
   * 0 when none.
   */
  public int longestMatch(int state) {
    return longest[state & TRIE_STATE];
  }

  /**
   * How many of the last bytes read may still begin a pattern: bytes before them can never be
   * part of a match found later.
   */
  public int depth(int state) {
    return depth[state & TRIE_STATE];
  }

  /**
   * Whether a pattern may begin anywhere in the {@link #stride()} bytes ending at
   * {@code buffer[at]}, judged from the four bytes starting there. False means certainly not;
   * true means perhaps. Output that holds no secret is scanned at this speed: one load, a
   * multiply and a bit test every {@code stride} bytes.
   *
   * <p>Where the four bytes hold a line break, the judgment is on the first four bytes from
   * {@code at} on that are not line breaks, as a pattern wrapped there would show them; when
   * those are not within {@value #LOOKAHEAD} bytes, the answer is perhaps. The caller makes sure
   * that {@value #LOOKAHEAD} bytes from {@code at} are output, so that the answer depends on the
   * output only, not on how it was split.
   */
  private boolean mayStartAt(byte[] buffer, int at) {
    int window = (int) INT.get(buffer, at);
    return mayHoldLineBreak(window) ? mayStartAcrossBreaks(buffer, at) : inStartFilter(window);
  }

  /**
   * The first of the blocks of {@link #stride()} bytes starting at {@code from},
   * {@code from + stride}, ... and below {@code limit} where a pattern may begin, as
   * {@link #mayStartAt} judges from the window at the block's last byte; when there is none, the
   * first block start at or past {@code limit}. The caller makes sure that {@value #LOOKAHEAD}
   * bytes from the last window below {@code limit} are output.
   */
  public int skip(byte[] buffer, int from, int limit) {
    int i = from;
    while (i < limit) {
      i = candidate(buffer, i, limit);
      if (i >= limit || mayStartAt(buffer, i + stride - 1)) {
        return i;
      }
      i += stride;
    }
    return i;
  }

  /**
   * The first block from {@code from} on whose window is in the start filter or may hold a line
   * break, or the first block start at or past {@code limit}. Output that holds no secret passes
   * through this loop alone, which is kept to a load, a multiply and a bit test a block: the
   * judgment of a window that holds a line break, and the rest of the caller's work, stay out of
   * it, so that the compiler keeps the loop's few values in registers.
   */
  private int candidate(byte[] buffer, int from, int limit) {
    int step = stride;
    int last = step - 1;
    long[] filter = startFilter;
    int i = from;
    for (; i < limit; i += step) {
      int window = (int) INT.get(buffer, i + last);
      int hash = (window * 0x9E3779B1) >>> (32 - FILTER_BITS);
      if ((filter[hash >>> 6] & (1L << hash)) != 0 || mayHoldLineBreak(window)) {
        return i;
      }
    }
    return i;
  }

  /** Judges the first four bytes from {@code at} on that are not line breaks. */
  private boolean mayStartAcrossBreaks(byte[] buffer, int at) {
    long bytes = (long) LONG.get(buffer, at);
    for (int removed = 0; removed < LOOKAHEAD - 4; removed++) {
      int window = (int) bytes;
      int breaks = zeroBytes(window ^ 0x0A0A0A0A) | zeroBytes(window ^ 0x0D0D0D0D);
      if (breaks == 0) {
        return inStartFilter(window);
      }
      // Takes the first line break out: the bytes after it move down by one.
      long before = (1L << (Integer.numberOfTrailingZeros(breaks) & ~7)) - 1;
      bytes = bytes & before | (bytes >>> 8) & ~before;
    }
    return true;
  }

  /** The high bit of each byte of {@code word} that is zero, and no other bit. */
  private static int zeroBytes(int word) {
    return ~(((word & 0x7F7F7F7F) + 0x7F7F7F7F) | word | 0x7F7F7F7F);
  }

  private boolean inStartFilter(int window) {
    int hash = (window * 0x9E3779B1) >>> (32 - FILTER_BITS);
    return (startFilter[hash >>> 6] & (1L << hash)) != 0;
  }

  /**
   * Whether a byte of {@code window} may be CR or LF: true for every byte below 0x0E (tabs too),
   * which takes three operations for all four bytes at once.
   */
  private static boolean mayHoldLineBreak(int window) {
    return ((window - 0x0E0E0E0E) & ~window & 0x80808080) != 0;
  }

  /** How many starting positions one {@link #mayStartAt} check covers. */
  public int stride() {
    return stride;
  }

  /** Whether every pattern is long enough for {@link #mayStartAt} to judge. */
  public boolean hasStartFilter() {
    return filterUsable;
  }

  /** The number of states, for memory estimates. */
  public int states() {
    return fail.length;
  }
}

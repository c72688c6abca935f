package dev.otto.core.internal;

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
 * <p>The root's transitions are a dense table (every byte of ordinary output passes through
 * it); deeper states keep their few edges in sorted arrays and fall back along failure links.
 */
public final class ByteAutomaton {
  private final int[] rootNext = new int[256];
  private final int[] edgeStart;
  private final byte[] edgeKeys;
  private final int[] edgeTargets;
  private final int[] fail;
  private final int[] depth;
  private final int[] longest;
  private final int maxLength;
  /** Full rows for the shallow states, where output that holds no secret spends its time. */
  private final int[][] dense;
  private static final int DENSE_DEPTH = 2;
  private static final int FILTER_BITS = 20;
  private static final int MAX_STRIDE = 16;
  private static final java.lang.invoke.VarHandle INT =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private final long[] startFilter = new long[1 << (FILTER_BITS - 6)];
  private final boolean filterUsable;
  private final int stride;

  private ByteAutomaton(List<Map<Byte, Integer>> trie, int[] ownLength, List<byte[]> patterns) {
    int shortest = Integer.MAX_VALUE;
    for (byte[] pattern : patterns) {
      if (pattern.length > 0) {
        shortest = Math.min(shortest, pattern.length);
      }
    }
    boolean usable = shortest != Integer.MAX_VALUE && shortest >= 4;
    // Every pattern is at least 'stride + 3' bytes long, so each of its first 'stride' four-byte
    // windows lies inside it: checking one window every 'stride' bytes sees every start.
    stride = usable ? Math.min(MAX_STRIDE, shortest - 3) : 1;
    if (usable) {
      for (byte[] pattern : patterns) {
        for (int offset = 0; offset < stride && pattern.length > 0; offset++) {
          int hash = ((int) INT.get(pattern, offset) * 0x9E3779B1) >>> (32 - FILTER_BITS);
          startFilter[hash >>> 6] |= 1L << hash;
        }
      }
    }
    filterUsable = usable;
    int states = trie.size();
    fail = new int[states];
    depth = new int[states];
    longest = new int[states];
    edgeStart = new int[states + 1];
    int edges = 0;
    for (Map<Byte, Integer> children : trie) {
      edges += children.size();
    }
    edgeKeys = new byte[edges];
    edgeTargets = new int[edges];
    int e = 0;
    for (int s = 0; s < states; s++) {
      edgeStart[s] = e;
      Byte[] keys = trie.get(s).keySet().toArray(new Byte[0]);
      Arrays.sort(keys);
      for (Byte key : keys) {
        edgeKeys[e] = key;
        edgeTargets[e] = trie.get(s).get(key);
        e++;
      }
    }
    edgeStart[states] = e;
    int max = 0;
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
      longest[s] = Math.max(ownLength[s], longest[fail[s]]);
      max = Math.max(max, longest[s]);
      for (int k = edgeStart[s]; k < edgeStart[s + 1]; k++) {
        int child = edgeTargets[k];
        depth[child] = depth[s] + 1;
        fail[child] = next(fail[s], edgeKeys[k]);
        queue.add(child);
      }
    }
    maxLength = max;
    dense = new int[states][];
    dense[0] = rootNext;
    for (int s = 1; s < states; s++) {
      if (depth[s] <= DENSE_DEPTH) {
        int[] row = new int[256];
        for (int b = 0; b < 256; b++) {
          row[b] = next(s, (byte) b);
        }
        dense[s] = row;
      }
    }
  }

  /** An automaton finding {@code patterns}; empty patterns are ignored. */
  public static ByteAutomaton of(List<byte[]> patterns) {
    List<Map<Byte, Integer>> trie = new ArrayList<>();
    trie.add(new HashMap<>());
    List<Integer> own = new ArrayList<>();
    own.add(0);
    for (byte[] pattern : patterns) {
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
      if (s != 0) {
        own.set(s, Math.max(own.get(s), pattern.length));
      }
    }
    return new ByteAutomaton(trie, own.stream().mapToInt(Integer::intValue).toArray(), patterns);
  }

  /** The state after reading {@code b} in {@code state}. */
  public int next(int state, byte b) {
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

  /** The length of the longest pattern that ends where {@code state} was reached; 0 when none. */
  public int longestMatch(int state) {
    return longest[state];
  }

  /**
   * How many of the last bytes read may still begin a pattern: bytes before them can never be
   * part of a match found later.
   */
  public int depth(int state) {
    return depth[state];
  }

  /**
   * Whether a pattern may begin anywhere in the {@link #stride()} bytes ending at
   * {@code buffer[at]}, judged from the four bytes starting there. False means certainly not;
   * true means perhaps. Output that holds no secret is scanned at this speed: one load, a
   * multiply and a bit test every {@code stride} bytes.
   */
  public boolean mayStartAt(byte[] buffer, int at) {
    int hash = ((int) INT.get(buffer, at) * 0x9E3779B1) >>> (32 - FILTER_BITS);
    return (startFilter[hash >>> 6] & (1L << hash)) != 0;
  }

  /** How many starting positions one {@link #mayStartAt} check covers. */
  public int stride() {
    return stride;
  }

  /** Whether every pattern is long enough for {@link #mayStartAt} to judge. */
  public boolean hasStartFilter() {
    return filterUsable;
  }

  /** The length of the longest pattern. */
  public int maxLength() {
    return maxLength;
  }

  /** The number of states, for memory estimates. */
  public int states() {
    return fail.length;
  }
}

package dev.otto.core.validate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A directed graph over the ints {@code 0..n-1}, stored as compressed adjacency arrays. All
 * traversals are iterative, so a graph of any depth is safe.
 */
final class IntGraph {
  private final int size;
  private final int[] offsets;
  private final int[] targets;

  private IntGraph(int size, int[] offsets, int[] targets) {
    this.size = size;
    this.offsets = offsets;
    this.targets = targets;
  }

  int size() {
    return size;
  }

  /** Collects edges, then freezes them into a graph; edges keep their insertion order per node. */
  static final class Builder {
    private final int size;
    private int[] from = new int[16];
    private int[] to = new int[16];
    private int count;

    Builder(int size) {
      this.size = size;
    }

    void edge(int a, int b) {
      if (count == from.length) {
        from = Arrays.copyOf(from, count * 2);
        to = Arrays.copyOf(to, count * 2);
      }
      from[count] = a;
      to[count] = b;
      count++;
    }

    IntGraph build() {
      int[] offsets = new int[size + 1];
      for (int i = 0; i < count; i++) {
        offsets[from[i] + 1]++;
      }
      for (int i = 0; i < size; i++) {
        offsets[i + 1] += offsets[i];
      }
      int[] fill = Arrays.copyOf(offsets, size);
      int[] targets = new int[count];
      for (int i = 0; i < count; i++) {
        targets[fill[from[i]]++] = to[i];
      }
      return new IntGraph(size, offsets, targets);
    }
  }

  /** Every node reachable from {@code sources}, the sources included. */
  BitSet reachableFrom(int... sources) {
    BitSet seen = new BitSet(size);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int source : sources) {
      if (!seen.get(source)) {
        seen.set(source);
        queue.add(source);
      }
    }
    while (!queue.isEmpty()) {
      int node = queue.poll();
      for (int e = offsets[node]; e < offsets[node + 1]; e++) {
        int next = targets[e];
        if (!seen.get(next)) {
          seen.set(next);
          queue.add(next);
        }
      }
    }
    return seen;
  }

  /**
   * Cycles found by one depth-first search, each as the list of its nodes in order, at most
   * {@code limit} of them. Empty when the graph is acyclic.
   */
  List<int[]> cycles(int limit) {
    List<int[]> found = new ArrayList<>();
    byte[] colour = new byte[size]; // 0 unseen, 1 on the stack, 2 done
    int[] parent = new int[size];
    int[] cursor = new int[size];
    int[] stack = new int[size];
    for (int root = 0; root < size && found.size() < limit; root++) {
      if (colour[root] != 0) {
        continue;
      }
      int top = 0;
      stack[top++] = root;
      colour[root] = 1;
      parent[root] = -1;
      cursor[root] = offsets[root];
      while (top > 0 && found.size() < limit) {
        int node = stack[top - 1];
        if (cursor[node] < offsets[node + 1]) {
          int next = targets[cursor[node]++];
          if (colour[next] == 0) {
            colour[next] = 1;
            parent[next] = node;
            cursor[next] = offsets[next];
            stack[top++] = next;
          } else if (colour[next] == 1) {
            found.add(path(parent, next, node));
          }
        } else {
          colour[node] = 2;
          top--;
        }
      }
    }
    return found;
  }

  private static int[] path(int[] parent, int from, int to) {
    ArrayDeque<Integer> nodes = new ArrayDeque<>();
    for (int n = to; n != from; n = parent[n]) {
      nodes.addFirst(n);
    }
    nodes.addFirst(from);
    return nodes.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * A topological order in which, among the nodes ready at any moment, the smallest comes first.
   * Returns {@code null} when the graph has a cycle.
   */
  int[] topologicalOrder() {
    int[] indegree = new int[size];
    for (int target : targets) {
      indegree[target]++;
    }
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < size; i++) {
      if (indegree[i] == 0) {
        ready.add(i);
      }
    }
    int[] order = new int[size];
    int n = 0;
    while (!ready.isEmpty()) {
      int node = ready.poll();
      order[n++] = node;
      for (int e = offsets[node]; e < offsets[node + 1]; e++) {
        if (--indegree[targets[e]] == 0) {
          ready.add(targets[e]);
        }
      }
    }
    return n == size ? order : null;
  }
}

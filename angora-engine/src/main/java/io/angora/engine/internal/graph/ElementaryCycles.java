package io.angora.engine.internal.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

/**
 * Lists the elementary cycles of a directed graph with Johnson's algorithm: each cycle once,
 * starting at its lowest vertex. Strongly connected components are re-split after each start
 * vertex is done, so acyclic parts cost nothing. Iterative, so a ring of ten thousand tasks
 * needs no deep stack. Stateless.
 */
final class ElementaryCycles {
  private ElementaryCycles() {}

  /**
   * Finds the cycles.
   *
   * @param successors for each vertex, its distinct successors
   * @param limit the most cycles to return; the search stops there
   * @return each cycle as its vertices, starting at the lowest, the first repeated at the end
   */
  static List<int[]> find(int[][] successors, int limit) {
    int n = successors.length;
    List<int[]> cycles = new ArrayList<>();
    BitSet all = new BitSet(n);
    all.set(0, n);
    StrongComponents components = new StrongComponents(successors);
    Deque<int[]> work = new ArrayDeque<>(components.cyclic(all));
    Search search = new Search(successors, limit, cycles);
    while (!work.isEmpty() && cycles.size() < limit) {
      int[] component = work.pop();
      int start = component[0];
      BitSet members = new BitSet(n);
      for (int v : component) {
        members.set(v);
      }
      search.circuitsFrom(start, members);
      members.clear(start);
      List<int[]> rest = components.cyclic(members);
      for (int i = rest.size() - 1; i >= 0; i--) {
        work.push(rest.get(i));
      }
    }
    return cycles;
  }

  /** Johnson's circuit search with its blocked set, reused across start vertices. */
  private static final class Search {
    private final int[][] successors;
    private final int limit;
    private final List<int[]> cycles;
    private final boolean[] blocked;
    private final List<BitSet> blockedBy;
    private final int[] path;
    private final int[] nextEdge;
    private final boolean[] closed;

    Search(int[][] successors, int limit, List<int[]> cycles) {
      int n = successors.length;
      this.successors = successors;
      this.limit = limit;
      this.cycles = cycles;
      this.blocked = new boolean[n];
      this.blockedBy = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        blockedBy.add(new BitSet());
      }
      this.path = new int[n];
      this.nextEdge = new int[n];
      this.closed = new boolean[n];
    }

    void circuitsFrom(int start, BitSet members) {
      for (int v = members.nextSetBit(0); v >= 0; v = members.nextSetBit(v + 1)) {
        blocked[v] = false;
        blockedBy.get(v).clear();
      }
      int depth = 0;
      path[0] = start;
      nextEdge[0] = 0;
      closed[0] = false;
      blocked[start] = true;
      while (depth >= 0) {
        int v = path[depth];
        int[] next = successors[v];
        if (nextEdge[depth] < next.length) {
          int w = next[nextEdge[depth]++];
          if (!members.get(w)) {
            continue;
          }
          if (w == start) {
            int[] cycle = Arrays.copyOf(path, depth + 2);
            cycle[depth + 1] = start;
            cycles.add(cycle);
            closed[depth] = true;
            if (cycles.size() >= limit) {
              return;
            }
          } else if (!blocked[w]) {
            depth++;
            path[depth] = w;
            nextEdge[depth] = 0;
            closed[depth] = false;
            blocked[w] = true;
          }
          continue;
        }
        if (closed[depth]) {
          unblock(v);
        } else {
          for (int w : next) {
            if (members.get(w)) {
              blockedBy.get(w).set(v);
            }
          }
        }
        depth--;
        if (depth >= 0 && closed[depth + 1]) {
          closed[depth] = true;
        }
      }
    }

    private void unblock(int vertex) {
      Deque<Integer> pending = new ArrayDeque<>();
      pending.push(vertex);
      while (!pending.isEmpty()) {
        int u = pending.pop();
        blocked[u] = false;
        BitSet waiting = blockedBy.get(u);
        for (int w = waiting.nextSetBit(0); w >= 0; w = waiting.nextSetBit(w + 1)) {
          if (blocked[w]) {
            pending.push(w);
          }
        }
        waiting.clear();
      }
    }
  }
}

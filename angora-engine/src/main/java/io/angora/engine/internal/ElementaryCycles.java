package io.angora.engine.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

/**
 * Lists the elementary cycles of a directed graph with Johnson's algorithm: each cycle once,
 * starting at its lowest vertex. Components are found with Tarjan's algorithm and re-split
 * after each start vertex is done, so acyclic parts cost nothing. Iterative throughout, so a
 * ring of ten thousand tasks needs no deep stack. Stateless.
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
    Components components = new Components(successors);
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

  /**
   * Tarjan's strongly connected components of the subgraph on the given vertices, keeping only
   * those holding a cycle (more than one vertex, or a self-loop). Each is sorted, and the list
   * is ordered by lowest vertex. The work arrays are reused, and reset only for the vertices
   * concerned, so re-splitting a small component costs little in a large graph.
   */
  private static final class Components {
    private final int[][] successors;
    private final int[] index;
    private final int[] low;
    private final boolean[] onStack;
    private final int[] stack;
    private final int[] callVertex;
    private final int[] callNext;

    Components(int[][] successors) {
      int n = successors.length;
      this.successors = successors;
      this.index = new int[n];
      this.low = new int[n];
      this.onStack = new boolean[n];
      this.stack = new int[n];
      this.callVertex = new int[n];
      this.callNext = new int[n];
    }

    List<int[]> cyclic(BitSet vertices) {
      for (int v = vertices.nextSetBit(0); v >= 0; v = vertices.nextSetBit(v + 1)) {
        index[v] = -1;
      }
      int stackSize = 0;
      int counter = 0;
      List<int[]> found = new ArrayList<>();
      for (int root = vertices.nextSetBit(0); root >= 0; root = vertices.nextSetBit(root + 1)) {
        if (index[root] >= 0) {
          continue;
        }
        int depth = 0;
        callVertex[0] = root;
        callNext[0] = 0;
        index[root] = low[root] = counter++;
        stack[stackSize++] = root;
        onStack[root] = true;
        while (depth >= 0) {
          int v = callVertex[depth];
          int[] next = successors[v];
          if (callNext[depth] < next.length) {
            int w = next[callNext[depth]++];
            if (!vertices.get(w)) {
              continue;
            }
            if (index[w] < 0) {
              index[w] = low[w] = counter++;
              stack[stackSize++] = w;
              onStack[w] = true;
              depth++;
              callVertex[depth] = w;
              callNext[depth] = 0;
            } else if (onStack[w]) {
              low[v] = Math.min(low[v], index[w]);
            }
            continue;
          }
          if (low[v] == index[v]) {
            int start = stackSize;
            do {
              start--;
            } while (stack[start] != v);
            int[] component = Arrays.copyOfRange(stack, start, stackSize);
            for (int w : component) {
              onStack[w] = false;
            }
            stackSize = start;
            if (component.length > 1 || hasSelfLoop(successors, v)) {
              Arrays.sort(component);
              found.add(component);
            }
          }
          depth--;
          if (depth >= 0) {
            int parent = callVertex[depth];
            low[parent] = Math.min(low[parent], low[v]);
          }
        }
      }
      found.sort((a, b) -> Integer.compare(a[0], b[0]));
      return found;
    }

    private static boolean hasSelfLoop(int[][] successors, int v) {
      for (int w : successors[v]) {
        if (w == v) {
          return true;
        }
      }
      return false;
    }
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

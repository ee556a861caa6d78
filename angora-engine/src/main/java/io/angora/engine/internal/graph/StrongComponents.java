package io.angora.engine.internal.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Tarjan's strongly connected components of subgraphs of one directed graph, iterative. The
 * work arrays are reused, and reset only for the vertices concerned, so re-splitting a small
 * component costs little in a large graph. Not thread-safe.
 */
final class StrongComponents {
  private final int[][] successors;
  private final int[] index;
  private final int[] low;
  private final boolean[] onStack;
  private final int[] stack;
  private final int[] callVertex;
  private final int[] callNext;

  /**
   * Prepares to split subgraphs of a graph.
   *
   * @param successors for each vertex, its successors
   */
  StrongComponents(int[][] successors) {
    int n = successors.length;
    this.successors = successors;
    this.index = new int[n];
    this.low = new int[n];
    this.onStack = new boolean[n];
    this.stack = new int[n];
    this.callVertex = new int[n];
    this.callNext = new int[n];
  }

  /**
   * Finds the components of the subgraph on the given vertices that hold a cycle: more than
   * one vertex, or a self-loop.
   *
   * @param vertices the subgraph's vertices
   * @return each component's vertices sorted, the components ordered by lowest vertex
   */
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

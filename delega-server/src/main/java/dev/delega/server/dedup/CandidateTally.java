package dev.delega.server.dedup;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Sums retrieval weight per task id for one search, in a fixed-size open-addressing table that
 * stops taking new ids when full (ids already in it keep accumulating). Ids the caller may not see
 * are tested once, remembered as excluded, and never returned, so that they take no candidate slot.
 *
 * <p>Used by one thread for one search.
 */
final class CandidateTally {
  private static final long EMPTY = Long.MIN_VALUE;
  private final long[] ids;
  private final double[] sums;
  private final int maxSize;
  private final LongPredicate allowed;
  private int size;

  CandidateTally(int maxSize, LongPredicate allowed) {
    this.allowed = allowed;
    int capacity = Integer.highestOneBit(Math.max(4, maxSize) * 2 - 1) << 1;
    this.ids = new long[capacity];
    this.sums = new double[capacity];
    this.maxSize = maxSize;
    Arrays.fill(ids, EMPTY);
  }

  void add(long id, double weight) {
    if (id == EMPTY) {
      return;
    }
    int mask = ids.length - 1;
    int i = LongSet.mix(id) & mask;
    while (ids[i] != EMPTY) {
      if (ids[i] == id) {
        sums[i] += weight; // NaN (excluded) stays NaN
        return;
      }
      i = (i + 1) & mask;
    }
    if (size < maxSize) {
      ids[i] = id;
      sums[i] = allowed.test(id) ? weight : Double.NaN;
      size++;
    }
  }

  int size() {
    return size;
  }

  /** The ids with the largest sums, at most {@code k}, ties broken by the smaller id. */
  long[] top(int k) {
    // A min-heap of slot indices holding the k best seen so far; its root is the worst of them.
    int[] heap = new int[Math.max(1, k)];
    int n = 0;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == EMPTY || Double.isNaN(sums[i]) || k == 0) {
        continue;
      }
      if (n < k) {
        heap[n] = i;
        siftUp(heap, n++);
      } else if (better(i, heap[0])) {
        heap[0] = i;
        siftDown(heap, n);
      }
    }
    long[] out = new long[n];
    // Pop worst first into the back of the array: best ends up first.
    for (int size = n; size > 0; size--) {
      out[size - 1] = ids[heap[0]];
      heap[0] = heap[size - 1];
      siftDown(heap, size - 1);
    }
    return out;
  }

  /** Whether slot x ranks before slot y: larger sum, then smaller id. */
  private boolean better(int x, int y) {
    int c = Double.compare(sums[x], sums[y]);
    return c != 0 ? c > 0 : ids[x] < ids[y];
  }

  private void siftUp(int[] heap, int at) {
    while (at > 0) {
      int parent = (at - 1) / 2;
      if (!better(heap[parent], heap[at])) {
        return;
      }
      swap(heap, parent, at);
      at = parent;
    }
  }

  private void siftDown(int[] heap, int size) {
    int at = 0;
    while (true) {
      int worst = at;
      int left = 2 * at + 1;
      int right = left + 1;
      if (left < size && better(heap[worst], heap[left])) {
        worst = left;
      }
      if (right < size && better(heap[worst], heap[right])) {
        worst = right;
      }
      if (worst == at) {
        return;
      }
      swap(heap, at, worst);
      at = worst;
    }
  }

  private static void swap(int[] heap, int a, int b) {
    int t = heap[a];
    heap[a] = heap[b];
    heap[b] = t;
  }
}

package dev.delega.server.dedup;

import java.util.function.LongConsumer;

/**
 * An open-addressing set of {@code long} (linear probing, backward-shift deletion, no boxing), used
 * for posting lists: about 16 bytes per member at the usual load, O(1) add and remove.
 *
 * <p>Not thread-safe; the index guards it with its lock.
 */
final class LongSet {
  private static final long EMPTY = Long.MIN_VALUE;
  private static final int MIN_CAPACITY = 2;

  private long[] slots = newSlots(MIN_CAPACITY);
  private int size;
  private boolean hasEmptyValue;

  int size() {
    return size + (hasEmptyValue ? 1 : 0);
  }

  boolean add(long v) {
    if (v == EMPTY) {
      boolean added = !hasEmptyValue;
      hasEmptyValue = true;
      return added;
    }
    if ((size + 1) * 4 > slots.length * 3) {
      rehash(slots.length * 2);
    }
    int mask = slots.length - 1;
    int i = mix(v) & mask;
    while (slots[i] != EMPTY) {
      if (slots[i] == v) {
        return false;
      }
      i = (i + 1) & mask;
    }
    slots[i] = v;
    size++;
    return true;
  }

  boolean contains(long v) {
    if (v == EMPTY) {
      return hasEmptyValue;
    }
    int mask = slots.length - 1;
    int i = mix(v) & mask;
    while (slots[i] != EMPTY) {
      if (slots[i] == v) {
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  boolean remove(long v) {
    if (v == EMPTY) {
      boolean had = hasEmptyValue;
      hasEmptyValue = false;
      return had;
    }
    int mask = slots.length - 1;
    int i = mix(v) & mask;
    while (slots[i] != v) {
      if (slots[i] == EMPTY) {
        return false;
      }
      i = (i + 1) & mask;
    }
    // Shift later members of the probe run back so that lookups never stop early.
    int gap = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      long k = slots[j];
      if (k == EMPTY) {
        break;
      }
      int home = mix(k) & mask;
      boolean movable = gap <= j ? (home <= gap || home > j) : (home <= gap && home > j);
      if (movable) {
        slots[gap] = k;
        gap = j;
      }
    }
    slots[gap] = EMPTY;
    size--;
    if (slots.length > 8 && size * 8 < slots.length) {
      rehash(slots.length / 2);
    }
    return true;
  }

  void forEach(LongConsumer action) {
    if (hasEmptyValue) {
      action.accept(EMPTY);
    }
    for (long v : slots) {
      if (v != EMPTY) {
        action.accept(v);
      }
    }
  }

  private void rehash(int capacity) {
    long[] old = slots;
    slots = newSlots(Math.max(MIN_CAPACITY, capacity));
    size = 0;
    int mask = slots.length - 1;
    for (long v : old) {
      if (v != EMPTY) {
        int i = mix(v) & mask;
        while (slots[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        slots[i] = v;
        size++;
      }
    }
  }

  private static long[] newSlots(int capacity) {
    long[] s = new long[capacity];
    java.util.Arrays.fill(s, EMPTY);
    return s;
  }

  static int mix(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}

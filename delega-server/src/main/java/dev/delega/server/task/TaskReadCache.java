package dev.delega.server.task;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON of tasks read lately, each kept with the row it was made from and the store's {@link
 * dev.delega.server.store.Database#generation} read before the read began. An entry answers only
 * while that number is unchanged, that is while nothing at all has been committed since: coarse,
 * but a task's JSON depends on other rows (agent names, a project, subtasks, whether its blockers
 * are done), and nothing finer is as plainly right. Entries of older generations are dropped
 * together when the first entry of a newer one arrives; a full cache takes no more.
 */
final class TaskReadCache {
  /** What a read produced: the row (for access checks) and the task's JSON. */
  record Entry(long generation, TaskRow row, byte[] json) {}

  private final int capacity;
  private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();
  /** The generation of the entries held (a late put from an older read may still slip in; it never answers). */
  private volatile long held = -1;

  TaskReadCache(int capacity) {
    this.capacity = capacity;
  }

  /** The entry of task {@code id} if it was read at {@code generation}, else null. */
  Entry get(long id, long generation) {
    Entry e = entries.get(id);
    return e != null && e.generation() == generation ? e : null;
  }

  void put(long id, Entry entry) {
    if (entry.generation() != held) {
      synchronized (this) {
        if (entry.generation() < held) {
          return;
        }
        if (entry.generation() > held) {
          entries.clear();
          held = entry.generation();
        }
      }
    }
    if (entries.size() < capacity) {
      entries.put(id, entry);
    }
  }

  /** Entries held, of any generation. */
  int size() {
    return entries.size();
  }
}

package dev.delega.api;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /fleet/attention}: tasks that need a look, in buckets {@code
 * abandoned_claims, silent_holders, errored, waiting_input, overdue, looping}; {@code count} is the
 * number of distinct tasks over all buckets.
 */
public record FleetAttention(int count, Map<String, List<Task>> buckets) {
  /** The tasks in one bucket, empty when the bucket is absent. */
  public List<Task> bucket(String name) {
    if (buckets == null) {
      return List.of();
    }
    List<Task> tasks = buckets.get(name);
    return tasks == null ? List.of() : tasks;
  }
}

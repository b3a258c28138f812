package dev.delega.server.task;

import java.time.LocalDate;
import java.util.List;

/**
 * The filters and page of {@code GET /tasks}. Null means "not filtered". When neither
 * {@code completed} nor {@code status} is given, completed tasks are left out unless
 * {@code includeCompleted}.
 */
public record TaskQuery(
    Long projectId,
    List<String> labels,
    String status,
    Boolean completed,
    boolean includeCompleted,
    Boolean claimed,
    Long assignedTo,
    Long createdBy,
    String due,
    LocalDate dueAfter,
    LocalDate dueBefore,
    Integer priority,
    String search,
    Long parentTaskId,
    Long rootTaskId,
    int limit,
    int offset) {

  /** Default page size. */
  public static final int DEFAULT_LIMIT = 100;

  /** Largest page size. */
  public static final int MAX_LIMIT = 500;

  /** No filters, the default page. */
  public static TaskQuery all() {
    return new TaskQuery(
        null, List.of(), null, null, true, null, null, null, null, null, null, null, null, null,
        null, DEFAULT_LIMIT, 0);
  }
}

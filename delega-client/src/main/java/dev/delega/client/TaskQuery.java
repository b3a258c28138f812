package dev.delega.client;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The filters of {@code GET /tasks}: every filter of the API, plus {@code limit} and {@code
 * offset}. Unset filters are not sent. Mutable and fluent: {@code
 * TaskQuery.create().status("open").limit(10)}.
 */
public final class TaskQuery {
  private final Map<String, List<String>> params = new LinkedHashMap<>();

  private TaskQuery() {}

  /** No filters. */
  public static TaskQuery create() {
    return new TaskQuery();
  }

  /** Tasks in this project. */
  public TaskQuery projectId(long projectId) {
    return put("project_id", projectId);
  }

  /** Tasks carrying this label. */
  public TaskQuery label(String label) {
    return put("label", label);
  }

  /** Tasks carrying all these labels (sent as repeated {@code labels}). */
  public TaskQuery labels(List<String> labels) {
    params.remove("labels");
    for (String label : labels) {
      add("labels", label);
    }
    return this;
  }

  /**
   * Tasks in this status ({@code open, in_progress, delegated, waiting_input, blocked, completed}).
   */
  public TaskQuery status(String status) {
    return put("status", status);
  }

  /** Only completed ({@code true}) or only not completed ({@code false}) tasks. */
  public TaskQuery completed(boolean completed) {
    return put("completed", completed);
  }

  /** Only claimed ({@code true}) or only unclaimed ({@code false}) tasks. */
  public TaskQuery claimed(boolean claimed) {
    return put("claimed", claimed);
  }

  /** Tasks assigned to this agent. */
  public TaskQuery assignedTo(long agentId) {
    return put("assigned_to", agentId);
  }

  /** Tasks created by this agent. */
  public TaskQuery createdBy(long agentId) {
    return put("created_by", agentId);
  }

  /** {@code today}, {@code upcoming} or {@code overdue}. */
  public TaskQuery due(String due) {
    return put("due", due);
  }

  /** Tasks due on or after this date. */
  public TaskQuery dueAfter(LocalDate date) {
    return put("due_after", date);
  }

  /** Tasks due on or before this date. */
  public TaskQuery dueBefore(LocalDate date) {
    return put("due_before", date);
  }

  /** Tasks of this priority (1 normal to 4 urgent). */
  public TaskQuery priority(int priority) {
    return put("priority", priority);
  }

  /** Full-text search over content and description. */
  public TaskQuery search(String search) {
    return put("search", search);
  }

  /** Direct children of this task. */
  public TaskQuery parentTaskId(long parentTaskId) {
    return put("parent_task_id", parentTaskId);
  }

  /** Members of this delegation tree. */
  public TaskQuery rootTaskId(long rootTaskId) {
    return put("root_task_id", rootTaskId);
  }

  /** Page size (default 100, max 500). */
  public TaskQuery limit(int limit) {
    return put("limit", limit);
  }

  /** Items to skip. */
  public TaskQuery offset(int offset) {
    return put("offset", offset);
  }

  /** Any other parameter; replaces earlier values of the same name, null removes it. */
  public TaskQuery param(String name, Object value) {
    if (value == null) {
      params.remove(name);
      return this;
    }
    return put(name, value);
  }

  /** A copy of the parameters, in the order they were set. */
  public Map<String, List<String>> params() {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  private TaskQuery put(String name, Object value) {
    List<String> values = new ArrayList<>();
    values.add(String.valueOf(Objects.requireNonNull(value, name)));
    params.put(name, values);
    return this;
  }

  private void add(String name, String value) {
    params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }

  String appendTo(String path, Map<String, String> extra) {
    Query query = Query.create();
    params.forEach((name, values) -> query.addAll(name, values));
    extra.forEach(query::add);
    return query.appendTo(path);
  }

  @Override
  public String toString() {
    return appendTo("TaskQuery", Map.of());
  }
}

package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code PUT}/{@code PATCH /tasks/{id}}: a partial update where an absent field is left
 * alone and an explicit null clears it (for example {@code assignedToAgentId(null)} unassigns).
 */
public final class TaskUpdate extends FieldUpdate<TaskUpdate> {
  /** An empty update; add fields with the setters. */
  public TaskUpdate() {}

  private TaskUpdate(Map<String, ?> fields) {
    super(fields);
  }

  /** A new, empty update. */
  public static TaskUpdate create() {
    return new TaskUpdate();
  }

  /** An update holding the given snake_case wire fields. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TaskUpdate of(Map<String, ?> fields) {
    return new TaskUpdate(fields);
  }

  /** Sets {@code content}. */
  public TaskUpdate content(String content) {
    return set("content", content);
  }

  /** Sets {@code description}. */
  public TaskUpdate description(String description) {
    return set("description", description);
  }

  /** Sets {@code project_id}; null detaches the task from its project. */
  public TaskUpdate projectId(Long projectId) {
    return set("project_id", projectId);
  }

  /** Sets {@code labels}. */
  public TaskUpdate labels(List<String> labels) {
    return set("labels", labels);
  }

  /** Sets {@code priority}, 1 (normal) to 4 (urgent). */
  public TaskUpdate priority(Integer priority) {
    return set("priority", priority);
  }

  /** Sets {@code due_date} ({@code YYYY-MM-DD}). */
  public TaskUpdate dueDate(String dueDate) {
    return set("due_date", dueDate);
  }

  /** Sets {@code due_time} ({@code HH:MM[:SS]}). */
  public TaskUpdate dueTime(String dueTime) {
    return set("due_time", dueTime);
  }

  /** Sets {@code status}. */
  public TaskUpdate status(String status) {
    return set("status", status);
  }

  /** Sets {@code completed}. */
  public TaskUpdate completed(Boolean completed) {
    return set("completed", completed);
  }

  /** Sets {@code assigned_to_agent_id}; null unassigns. */
  public TaskUpdate assignedToAgentId(Long agentId) {
    return set("assigned_to_agent_id", agentId);
  }

  /** Sets {@code evidence_policy} ({@code required} or null). */
  public TaskUpdate evidencePolicy(String policy) {
    return set("evidence_policy", policy);
  }

  /** Sets {@code blocked_by}, the ids of the tasks this one waits for. */
  public TaskUpdate blockedBy(List<Long> taskIds) {
    return set("blocked_by", taskIds);
  }

  /** Sets {@code context} (the server merges it shallowly). */
  public TaskUpdate context(Map<String, Object> context) {
    return set("context", context);
  }

  /** Sets {@code lease_token}, proving the caller holds the claim. */
  public TaskUpdate leaseToken(Long leaseToken) {
    return set("lease_token", leaseToken);
  }
}

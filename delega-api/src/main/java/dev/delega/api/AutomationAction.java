package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One "then" of an automation: {@code type} is one of {@code assign, set_priority, add_label,
 * add_comment, create_task, delegate, set_evidence_policy}; the other fields are that type's
 * arguments ({@code content} may use templates such as {@code {{task.id}}}). Null fields are not
 * sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AutomationAction(
    String type,
    Long agentId,
    Integer priority,
    String label,
    String policy,
    String content,
    String description,
    Long projectId,
    List<String> labels,
    Long assignedToAgentId) {

  /** An action of the given type with no arguments. */
  public static AutomationAction of(String type) {
    return new AutomationAction(type, null, null, null, null, null, null, null, null, null);
  }

  /** {@code assign} to an agent. */
  public static AutomationAction assign(long agentId) {
    return new AutomationAction("assign", agentId, null, null, null, null, null, null, null, null);
  }

  /** {@code add_label}. */
  public static AutomationAction addLabel(String label) {
    return new AutomationAction("add_label", null, null, label, null, null, null, null, null, null);
  }

  /** {@code set_priority}. */
  public static AutomationAction setPriority(int priority) {
    return new AutomationAction(
        "set_priority", null, priority, null, null, null, null, null, null, null);
  }

  /** {@code add_comment} with a content template. */
  public static AutomationAction addComment(String content) {
    return new AutomationAction(
        "add_comment", null, null, null, null, content, null, null, null, null);
  }
}

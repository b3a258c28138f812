package dev.delega.server.automation;

import java.util.List;

/**
 * The task fields automation conditions look at, taken from the task an event is about.
 *
 * @param labels the task's labels; {@code null} means none
 * @param priority 1–4
 * @param projectId the project, or {@code null}
 * @param assignedToAgentId the assignee, or {@code null}
 * @param createdByAgentId the creator, or {@code null}
 * @param source where the task came from ({@value #INGRESS_SOURCE} for ingress tasks, or whatever
 *     the task use-case records), or {@code null}
 */
public record AutomationSubject(
    List<String> labels,
    int priority,
    Long projectId,
    Long assignedToAgentId,
    Long createdByAgentId,
    String source) {

  /** The source of tasks created by ingress; rules ignore them unless they opt in. */
  public static final String INGRESS_SOURCE = "ingress";

  /** Copies the labels. */
  public AutomationSubject {
    labels = labels == null ? List.of() : List.copyOf(labels);
  }
}

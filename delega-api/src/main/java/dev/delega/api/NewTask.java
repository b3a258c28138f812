package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /tasks} and {@code POST /tasks/{id}/delegate}; null fields are not sent,
 * so the server applies its defaults. {@code dedup_check} asks for a duplicate check (409 {@code
 * duplicate_task} when one is found) and {@code force} creates the task anyway.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewTask(
    String content,
    String description,
    Long projectId,
    List<String> labels,
    Integer priority,
    String dueDate,
    String dueTime,
    Long assignedToAgentId,
    Long parentTaskId,
    String evidencePolicy,
    Map<String, Object> context,
    List<Long> blockedBy,
    Boolean dedupCheck,
    Boolean force) {

  /** A task with only its content. */
  public static NewTask of(String content) {
    return builder(content).build();
  }

  /** A builder for a task with the given content. */
  public static Builder builder(String content) {
    return new Builder(content);
  }

  /** Builds a {@link NewTask}. */
  public static final class Builder {
    private final String content;
    private String description;
    private Long projectId;
    private List<String> labels;
    private Integer priority;
    private String dueDate;
    private String dueTime;
    private Long assignedToAgentId;
    private Long parentTaskId;
    private String evidencePolicy;
    private Map<String, Object> context;
    private List<Long> blockedBy;
    private Boolean dedupCheck;
    private Boolean force;

    private Builder(String content) {
      this.content = Objects.requireNonNull(content, "content");
    }

    /** Sets the description. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Sets the project. */
    public Builder projectId(long projectId) {
      this.projectId = projectId;
      return this;
    }

    /** Sets the labels. */
    public Builder labels(List<String> labels) {
      this.labels = labels;
      return this;
    }

    /** Sets the labels. */
    public Builder labels(String... labels) {
      this.labels = List.of(labels);
      return this;
    }

    /** Sets the priority, 1 (normal) to 4 (urgent). */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** Sets the due date ({@code YYYY-MM-DD}). */
    public Builder dueDate(String dueDate) {
      this.dueDate = dueDate;
      return this;
    }

    /** Sets the due time ({@code HH:MM[:SS]}). */
    public Builder dueTime(String dueTime) {
      this.dueTime = dueTime;
      return this;
    }

    /** Assigns the task to an agent. */
    public Builder assignedToAgentId(long agentId) {
      this.assignedToAgentId = agentId;
      return this;
    }

    /** Makes the task a delegated child of another task. */
    public Builder parentTaskId(long parentTaskId) {
      this.parentTaskId = parentTaskId;
      return this;
    }

    /** Sets the evidence policy ({@code required}). */
    public Builder evidencePolicy(String evidencePolicy) {
      this.evidencePolicy = evidencePolicy;
      return this;
    }

    /** Sets the initial context. */
    public Builder context(Map<String, Object> context) {
      this.context = context;
      return this;
    }

    /** Sets the ids of the tasks this one waits for. */
    public Builder blockedBy(List<Long> blockedBy) {
      this.blockedBy = blockedBy;
      return this;
    }

    /** Asks the server to refuse the task (409) when it looks like an open one. */
    public Builder dedupCheck(boolean dedupCheck) {
      this.dedupCheck = dedupCheck;
      return this;
    }

    /** Creates the task even when the duplicate check finds matches. */
    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    /** The body. */
    public NewTask build() {
      return new NewTask(
          content,
          description,
          projectId,
          labels,
          priority,
          dueDate,
          dueTime,
          assignedToAgentId,
          parentTaskId,
          evidencePolicy,
          context,
          blockedBy,
          dedupCheck,
          force);
    }
  }
}

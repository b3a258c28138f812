package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The body of {@code POST /recurrences}; null fields are not sent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewRecurrence(
    String content,
    String ruleType,
    String description,
    Long projectId,
    List<String> labels,
    Integer priority,
    Long assignedToAgentId,
    Integer interval,
    String timezone,
    Integer anchorDay,
    Integer anchorMonth,
    Integer anchorWeekday,
    Instant nextDueAt,
    Boolean skipIfOpen) {

  /** A recurrence with only content and rule type. */
  public static NewRecurrence of(String content, String ruleType) {
    return builder(content, ruleType).build();
  }

  /** A builder for a recurrence. */
  public static Builder builder(String content, String ruleType) {
    return new Builder(content, ruleType);
  }

  /** Builds a {@link NewRecurrence}. */
  public static final class Builder {
    private final String content;
    private final String ruleType;
    private String description;
    private Long projectId;
    private List<String> labels;
    private Integer priority;
    private Long assignedToAgentId;
    private Integer interval;
    private String timezone;
    private Integer anchorDay;
    private Integer anchorMonth;
    private Integer anchorWeekday;
    private Instant nextDueAt;
    private Boolean skipIfOpen;

    private Builder(String content, String ruleType) {
      this.content = Objects.requireNonNull(content, "content");
      this.ruleType = Objects.requireNonNull(ruleType, "ruleType");
    }

    /** Sets the description of spawned tasks. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Sets the project of spawned tasks. */
    public Builder projectId(long projectId) {
      this.projectId = projectId;
      return this;
    }

    /** Sets the labels of spawned tasks. */
    public Builder labels(List<String> labels) {
      this.labels = labels;
      return this;
    }

    /** Sets the priority of spawned tasks. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** Sets the assignee of spawned tasks. */
    public Builder assignedToAgentId(long agentId) {
      this.assignedToAgentId = agentId;
      return this;
    }

    /** Every {@code interval} periods (default 1). */
    public Builder interval(int interval) {
      this.interval = interval;
      return this;
    }

    /** The IANA time zone the rule is evaluated in. */
    public Builder timezone(String timezone) {
      this.timezone = timezone;
      return this;
    }

    /** Day of month, 1 to 31. */
    public Builder anchorDay(int anchorDay) {
      this.anchorDay = anchorDay;
      return this;
    }

    /** Month, 1 to 12. */
    public Builder anchorMonth(int anchorMonth) {
      this.anchorMonth = anchorMonth;
      return this;
    }

    /** Weekday, 0 (Sunday) to 6. */
    public Builder anchorWeekday(int anchorWeekday) {
      this.anchorWeekday = anchorWeekday;
      return this;
    }

    /** The first occurrence. */
    public Builder nextDueAt(Instant nextDueAt) {
      this.nextDueAt = nextDueAt;
      return this;
    }

    /** Skip an occurrence while the previous spawned task is still open. */
    public Builder skipIfOpen(boolean skipIfOpen) {
      this.skipIfOpen = skipIfOpen;
      return this;
    }

    /** The body. */
    public NewRecurrence build() {
      return new NewRecurrence(
          content,
          ruleType,
          description,
          projectId,
          labels,
          priority,
          assignedToAgentId,
          interval,
          timezone,
          anchorDay,
          anchorMonth,
          anchorWeekday,
          nextDueAt,
          skipIfOpen);
    }
  }
}

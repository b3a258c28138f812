package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The body of {@code PUT /recurrences/{id}}: only the fields that were set are sent. */
public final class RecurrenceUpdate extends FieldUpdate<RecurrenceUpdate> {
  /** An empty update; add fields with the setters. */
  public RecurrenceUpdate() {}

  private RecurrenceUpdate(Map<String, ?> fields) {
    super(fields);
  }

  /** A new, empty update. */
  public static RecurrenceUpdate create() {
    return new RecurrenceUpdate();
  }

  /** An update holding the given snake_case wire fields. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static RecurrenceUpdate of(Map<String, ?> fields) {
    return new RecurrenceUpdate(fields);
  }

  /** Sets {@code content}. */
  public RecurrenceUpdate content(String content) {
    return set("content", content);
  }

  /** Sets {@code description}. */
  public RecurrenceUpdate description(String description) {
    return set("description", description);
  }

  /** Sets {@code rule_type}. */
  public RecurrenceUpdate ruleType(String ruleType) {
    return set("rule_type", ruleType);
  }

  /** Sets {@code interval}. */
  public RecurrenceUpdate interval(Integer interval) {
    return set("interval", interval);
  }

  /** Sets {@code timezone}. */
  public RecurrenceUpdate timezone(String timezone) {
    return set("timezone", timezone);
  }

  /** Sets {@code labels}. */
  public RecurrenceUpdate labels(List<String> labels) {
    return set("labels", labels);
  }

  /** Sets {@code priority}. */
  public RecurrenceUpdate priority(Integer priority) {
    return set("priority", priority);
  }

  /** Sets {@code project_id}. */
  public RecurrenceUpdate projectId(Long projectId) {
    return set("project_id", projectId);
  }

  /** Sets {@code assigned_to_agent_id}; null unassigns. */
  public RecurrenceUpdate assignedToAgentId(Long agentId) {
    return set("assigned_to_agent_id", agentId);
  }

  /** Sets {@code anchor_day}. */
  public RecurrenceUpdate anchorDay(Integer anchorDay) {
    return set("anchor_day", anchorDay);
  }

  /** Sets {@code anchor_month}. */
  public RecurrenceUpdate anchorMonth(Integer anchorMonth) {
    return set("anchor_month", anchorMonth);
  }

  /** Sets {@code anchor_weekday}. */
  public RecurrenceUpdate anchorWeekday(Integer anchorWeekday) {
    return set("anchor_weekday", anchorWeekday);
  }

  /** Sets {@code next_due_at}. */
  public RecurrenceUpdate nextDueAt(Instant nextDueAt) {
    return set("next_due_at", nextDueAt);
  }

  /** Sets {@code skip_if_open}. */
  public RecurrenceUpdate skipIfOpen(Boolean skipIfOpen) {
    return set("skip_if_open", skipIfOpen);
  }

  /** Sets {@code active}. */
  public RecurrenceUpdate active(Boolean active) {
    return set("active", active);
  }
}

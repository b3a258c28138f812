package dev.delega.server.recurrence;

import dev.delega.api.Json;
import dev.delega.server.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/** One row of the {@code recurrences} table, as stored. */
record RecurrenceRow(
    long id,
    String content,
    String description,
    Long projectId,
    List<String> labels,
    int priority,
    RecurrenceRule rule,
    long nextDueAt,
    Long lastSpawnedAt,
    Long lastSpawnedTaskId,
    boolean active,
    boolean skipIfOpen,
    Long assignedTo,
    Long createdBy,
    long createdAt,
    long updatedAt) {

  static final String COLUMNS =
      "id, content, description, project_id, labels, priority, rule_type, interval_n, anchor_day,"
          + " anchor_month, anchor_weekday, timezone, start_date, time_of_day, next_due_at,"
          + " last_spawned_at, last_spawned_task_id, active, skip_if_open, assigned_to_agent_id,"
          + " created_by_agent_id, created_at, updated_at";

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  static RecurrenceRow map(ResultSet rs) throws SQLException {
    RecurrenceRule rule =
        new RecurrenceRule(
            RuleType.parse(rs.getString("rule_type")),
            rs.getInt("interval_n"),
            Sql.getInt(rs, "anchor_day"),
            Sql.getInt(rs, "anchor_month"),
            Sql.getInt(rs, "anchor_weekday"),
            ZoneId.of(rs.getString("timezone")),
            LocalDate.parse(rs.getString("start_date")),
            LocalTime.parse(rs.getString("time_of_day")));
    return new RecurrenceRow(
        rs.getLong("id"),
        rs.getString("content"),
        rs.getString("description"),
        Sql.getLong(rs, "project_id"),
        Json.mapper().readValue(rs.getString("labels"), STRINGS),
        rs.getInt("priority"),
        rule,
        rs.getLong("next_due_at"),
        Sql.getLong(rs, "last_spawned_at"),
        Sql.getLong(rs, "last_spawned_task_id"),
        rs.getBoolean("active"),
        rs.getBoolean("skip_if_open"),
        Sql.getLong(rs, "assigned_to_agent_id"),
        Sql.getLong(rs, "created_by_agent_id"),
        rs.getLong("created_at"),
        rs.getLong("updated_at"));
  }

  Instant nextDue() {
    return Instant.ofEpochMilli(nextDueAt);
  }
}

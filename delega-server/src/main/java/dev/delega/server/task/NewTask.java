package dev.delega.server.task;

import dev.delega.api.Json;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/** The validated body of a task creation or delegation. */
record NewTask(
    String content,
    String description,
    Long projectId,
    String dueDate,
    String dueTime,
    int priority,
    List<String> labels,
    String status,
    String recurringType,
    Integer recurringInterval,
    String recurringString,
    boolean isRecurring,
    Long reminderTime,
    String context,
    Long assignedTo,
    String evidencePolicy,
    List<Long> blockedBy) {

  static final int MAX_LABELS = 50;
  static final int MAX_LABEL_LENGTH = 100;

  static NewTask parse(Fields f) {
    String content = f.requiredText("content", Tasks.MAX_CONTENT);
    LocalDate due = f.date("due_date");
    LocalTime time = f.time("due_time");
    Integer priority = f.integer("priority", 1, 4);
    List<String> labels = f.strings("labels", MAX_LABELS, MAX_LABEL_LENGTH);
    String status = f.text("status", 32);
    if (status != null && !List.of("open", "in_progress", "waiting_input", "blocked").contains(status)) {
      throw new DelegaException.ValidationFailed(
          "a new task's status must be one of open, in_progress, waiting_input, blocked");
    }
    Instant reminder = f.instant("reminder_time");
    return new NewTask(
        content,
        f.text("description", Tasks.MAX_DESCRIPTION),
        f.id("project_id"),
        due == null ? null : due.toString(),
        Tasks.formatTime(time),
        priority == null ? 1 : priority,
        labels == null ? List.of() : labels,
        status,
        recurringType(f),
        f.integer("recurring_interval", 1, 1000),
        f.text("recurring_string", 200),
        Boolean.TRUE.equals(f.bool("is_recurring")),
        reminder == null ? null : reminder.toEpochMilli(),
        context(f),
        f.id("assigned_to_agent_id"),
        evidencePolicy(f),
        f.ids("blocked_by", 100));
  }

  static String recurringType(Fields f) {
    String t = f.text("recurring_type", 32);
    if (t == null) {
      return null;
    }
    String norm = t.trim().toLowerCase(Locale.ROOT);
    norm =
        switch (norm) {
          case "day" -> "daily";
          case "week" -> "weekly";
          case "month" -> "monthly";
          case "year" -> "yearly";
          default -> norm;
        };
    if (!List.of("daily", "weekly", "monthly", "yearly").contains(norm)) {
      throw new DelegaException.ValidationFailed(
          "recurring_type must be one of daily, weekly, monthly, yearly");
    }
    return norm;
  }

  static String context(Fields f) {
    ObjectNode ctx = f.object("context");
    if (ctx == null) {
      return null;
    }
    String json = Json.mapper().writeValueAsString(ctx);
    if (json.getBytes(StandardCharsets.UTF_8).length > Tasks.MAX_CONTEXT_BYTES) {
      throw new DelegaException.PayloadTooLarge("context is larger than 256 KiB");
    }
    return json;
  }

  static String evidencePolicy(Fields f) {
    String p = f.text("evidence_policy", 32);
    if (p == null || p.equals("none") || p.equals("optional")) {
      return null;
    }
    if (!p.equals("required")) {
      throw new DelegaException.ValidationFailed("evidence_policy must be 'required' or null");
    }
    return p;
  }
}

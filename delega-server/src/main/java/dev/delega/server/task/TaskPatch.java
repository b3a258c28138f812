package dev.delega.server.task;

import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The validated body of a partial task update: which fields are present, and their new values. */
final class TaskPatch {
  private static final Set<String> KNOWN =
      Set.of(
          "content", "description", "project_id", "due_date", "due_time", "priority", "labels",
          "status", "completed", "recurring_type", "recurring_interval", "recurring_string",
          "is_recurring", "reminder_time", "context", "assigned_to_agent_id", "evidence_policy",
          "blocked_by");

  private final Fields f;
  private final String content;
  private final String description;
  private final Long projectId;
  private final String dueDate;
  private final String dueTime;
  private final Integer priority;
  private final List<String> labels;
  private final String status;
  private final Boolean completed;
  private final String recurringType;
  private final Integer recurringInterval;
  private final String recurringString;
  private final Boolean isRecurring;
  private final Long reminderTime;
  private final String context;
  private final Long assignedTo;
  private final String evidencePolicy;
  private final List<Long> blockedBy;

  private TaskPatch(Fields f) {
    this.f = f;
    for (String notNull : List.of("content", "priority", "completed", "status", "is_recurring")) {
      if (f.isNull(notNull)) {
        throw new DelegaException.ValidationFailed(notNull + " cannot be null");
      }
    }
    this.content = f.has("content") ? f.requiredText("content", Tasks.MAX_CONTENT) : null;
    this.description = f.text("description", Tasks.MAX_DESCRIPTION);
    this.projectId = f.id("project_id");
    LocalDate d = f.date("due_date");
    this.dueDate = d == null ? null : d.toString();
    LocalTime t = f.time("due_time");
    this.dueTime = Tasks.formatTime(t);
    this.priority = f.integer("priority", 1, 4);
    this.labels = f.strings("labels", NewTask.MAX_LABELS, NewTask.MAX_LABEL_LENGTH);
    this.status = f.text("status", 32);
    if (status != null && !Tasks.STATUSES.contains(status)) {
      throw new DelegaException.ValidationFailed(
          "status must be one of open, in_progress, delegated, waiting_input, blocked, completed");
    }
    this.completed = f.bool("completed");
    if (status != null && completed != null && completed != status.equals("completed")) {
      throw new DelegaException.ValidationFailed("status and completed contradict each other");
    }
    this.recurringType = NewTask.recurringType(f);
    this.recurringInterval = f.integer("recurring_interval", 1, 1000);
    this.recurringString = f.text("recurring_string", 200);
    this.isRecurring = f.bool("is_recurring");
    Instant r = f.instant("reminder_time");
    this.reminderTime = r == null ? null : r.toEpochMilli();
    this.context = NewTask.context(f);
    this.assignedTo = f.id("assigned_to_agent_id");
    this.evidencePolicy = NewTask.evidencePolicy(f);
    this.blockedBy = f.ids("blocked_by", 100);
  }

  static TaskPatch parse(Fields f) {
    return new TaskPatch(f);
  }

  boolean has(String field) {
    return f.has(field);
  }

  /** True when the body changes nothing but the assignee (coordinators may do that on any task). */
  boolean onlyAssignment() {
    boolean any = false;
    for (Iterator<String> it = f.names(); it.hasNext(); ) {
      String n = it.next();
      if (!KNOWN.contains(n)) {
        continue;
      }
      if (!n.equals("assigned_to_agent_id")) {
        return false;
      }
      any = true;
    }
    return any;
  }

  Long projectId() {
    return projectId;
  }

  Long assignedTo() {
    return assignedTo;
  }

  List<String> labels() {
    return labels;
  }

  List<Long> blockedBy() {
    return blockedBy;
  }

  /** The status the body asks for, from {@code status} or {@code completed}, or null. */
  String targetStatus(TaskRow before) {
    if (status != null) {
      return status;
    }
    if (completed != null) {
      if (completed) {
        return "completed";
      }
      return before.completed() ? "open" : null;
    }
    return null;
  }

  /** Applies the fields that need no further checks. */
  void applyPlain(TaskChanges ch, TaskRow b) {
    if (f.has("content")) {
      ch.set("content", "content", b.content(), content);
    }
    if (f.has("description")) {
      ch.set("description", "description", b.description(), description);
    }
    if (f.has("due_date")) {
      ch.set("due_date", "due_date", b.dueDate(), dueDate);
    }
    if (f.has("due_time")) {
      ch.set("due_time", "due_time", b.dueTime(), dueTime);
    }
    if (f.has("priority")) {
      ch.set("priority", "priority", b.priority(), priority);
    }
    if (f.has("recurring_type")) {
      ch.set("recurring_type", "recurring_type", b.recurringType(), recurringType);
    }
    if (f.has("recurring_interval")) {
      ch.set("recurring_interval", "recurring_interval", b.recurringInterval(), recurringInterval);
    }
    if (f.has("recurring_string")) {
      ch.set("recurring_string", "recurring_string", b.recurringString(), recurringString);
    }
    if (f.has("is_recurring")) {
      ch.set("is_recurring", "is_recurring", b.isRecurring(), isRecurring);
    }
    if (f.has("reminder_time")) {
      ch.set("reminder_time", "reminder_time", b.reminderTime(), reminderTime);
      ch.setQuietly("reminder_sent", false);
    }
    if (f.has("context")) {
      ch.set("context", "context", b.context(), context);
      if (ch.changed("context")) {
        ch.setQuietly("context_version", b.contextVersion() + 1);
      }
    }
    if (f.has("evidence_policy")) {
      ch.set("evidence_policy", "evidence_policy", b.evidencePolicy(), evidencePolicy);
    }
  }
}

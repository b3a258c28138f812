package dev.delega.server.automation;

import dev.delega.server.internal.JsonFields;
import dev.delega.server.internal.FieldErrors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.delega.server.internal.DelegaException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * One thing an automation does when it matches.
 *
 * <p>Required per type: {@code assign} → {@code agent_id}; {@code set_priority} → {@code
 * priority}; {@code add_label} → {@code label}; {@code add_comment}, {@code create_task}, {@code
 * delegate} → non-blank {@code content} (a template, see {@link AutomationTemplate}); {@code
 * set_evidence_policy} → {@code policy} = {@code required} (it never clears a policy). Optional:
 * {@code create_task} takes {@code description}, {@code priority}, {@code project_id}, {@code
 * labels}, {@code assigned_to_agent_id}; {@code delegate} takes {@code agent_id} (the child's
 * assignee), {@code description}, {@code priority}, {@code labels}. Fields a type does not use are
 * kept but ignored; every field that is present is range-checked whatever the type.
 *
 * @param type the verb
 * @param agentId assignee for {@code assign} and {@code delegate}
 * @param priority 1–4
 * @param label for {@code add_label}, at most {@value #MAX_LABEL_LENGTH} characters
 * @param policy {@code required}, for {@code set_evidence_policy}
 * @param content text template, at most {@value #MAX_CONTENT_LENGTH} characters
 * @param description description template, at most {@value #MAX_DESCRIPTION_LENGTH} characters
 * @param projectId project of the created task
 * @param labels labels of the created task, at most {@value #MAX_LABELS}
 * @param assignedToAgentId assignee of the task {@code create_task} makes
 */
public record Action(
    Type type,
    Long agentId,
    Integer priority,
    String label,
    String policy,
    String content,
    String description,
    Long projectId,
    List<String> labels,
    Long assignedToAgentId) {

  public static final int MAX_LABEL_LENGTH = 100;
  public static final int MAX_LABELS = 50;
  public static final int MAX_CONTENT_LENGTH = 10_000;
  public static final int MAX_DESCRIPTION_LENGTH = 50_000;

  /** The only evidence policy an automation can set. */
  public static final String REQUIRED_POLICY = "required";

  /** Validates the fields the type needs and the ranges of every field present. */
  public Action {
    if (type == null) {
      throw FieldErrors.field("type", "type is required: " + Type.list());
    }
    if (priority != null && (priority < 1 || priority > 4)) {
      throw FieldErrors.field("priority", "priority must be between 1 and 4, got " + priority);
    }
    if (label != null) {
      checkLabel("label", label);
    }
    if (policy != null && !REQUIRED_POLICY.equals(policy)) {
      throw FieldErrors.field("policy", "policy must be \"required\", got '" + policy + "'");
    }
    if (content != null && content.length() > MAX_CONTENT_LENGTH) {
      throw FieldErrors.field("content", "content must be at most " + MAX_CONTENT_LENGTH
          + " characters, got " + content.length());
    }
    if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
      throw FieldErrors.field("description", "description must be at most " + MAX_DESCRIPTION_LENGTH
          + " characters, got " + description.length());
    }
    checkId("agent_id", agentId);
    checkId("project_id", projectId);
    checkId("assigned_to_agent_id", assignedToAgentId);
    if (labels != null) {
      if (labels.size() > MAX_LABELS) {
        throw FieldErrors.field("labels", "labels must have at most " + MAX_LABELS + " entries, got "
            + labels.size());
      }
      for (int i = 0; i < labels.size(); i++) {
        checkLabel("labels[" + i + "]", labels.get(i));
      }
      labels = List.copyOf(labels);
    }
    switch (type) {
      case ASSIGN -> require("agent_id", agentId, type);
      case SET_PRIORITY -> require("priority", priority, type);
      case ADD_LABEL -> require("label", label, type);
      case ADD_COMMENT, CREATE_TASK, DELEGATE -> {
        if (content == null || content.isBlank()) {
          throw FieldErrors.field("content", "content is required for " + type.wire()
              + ", e.g. \"Triage {{task.content}}\"");
        }
      }
      case SET_EVIDENCE_POLICY -> require("policy", policy, type);
    }
  }

  /** Reads one action object; ids may be numeric strings; a bad field throws a 422 naming it. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Action fromJson(JsonNode node) {
    JsonFields.requireObject(node, "action");
    String type = JsonFields.string(node, "type");
    return new Action(
        type == null ? null : Type.parse(type),
        JsonFields.id(node, "agent_id"),
        JsonFields.integer(node, "priority"),
        JsonFields.string(node, "label"),
        JsonFields.string(node, "policy"),
        JsonFields.string(node, "content"),
        JsonFields.string(node, "description"),
        JsonFields.id(node, "project_id"),
        JsonFields.strings(node, "labels"),
        JsonFields.id(node, "assigned_to_agent_id"));
  }

  private static void require(String field, Object value, Type type) {
    if (value == null) {
      throw FieldErrors.field(field, field + " is required for " + type.wire());
    }
  }

  private static void checkLabel(String field, String label) {
    if (label == null || label.isBlank()) {
      throw FieldErrors.field(field, field + " must not be blank");
    }
    if (label.length() > MAX_LABEL_LENGTH) {
      throw FieldErrors.field(field, field + " must be at most " + MAX_LABEL_LENGTH
          + " characters, got " + label.length());
    }
  }

  private static void checkId(String field, Long id) {
    if (id != null && id < 1) {
      throw FieldErrors.field(field, field + " must be an id (a positive integer), got " + id);
    }
  }

  /** What an action does. */
  public enum Type {
    ASSIGN,
    SET_PRIORITY,
    ADD_LABEL,
    ADD_COMMENT,
    CREATE_TASK,
    DELEGATE,
    SET_EVIDENCE_POLICY;

    /** The wire name, e.g. {@code set_evidence_policy}. */
    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the action changes the task the event is about (such actions are skipped while
     * another agent holds a live claim on it); comments and new tasks do not.
     */
    public boolean mutatesTask() {
      return this != ADD_COMMENT && this != CREATE_TASK;
    }

    /**
     * Parses a wire name.
     *
     * @throws DelegaException.ValidationFailed naming {@code type}
     */
    @JsonCreator
    public static Type parse(String text) {
      for (Type t : values()) {
        if (t.wire().equals(text)) {
          return t;
        }
      }
      throw FieldErrors.field("type", "type must be " + list() + ", got '" + text + "'");
    }

    private static String list() {
      return String.join(", ", Arrays.stream(values()).map(Type::wire).toList());
    }
  }
}

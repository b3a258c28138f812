package dev.delega.server.automation;

import dev.delega.server.internal.JsonFields;
import dev.delega.server.internal.FieldErrors;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.delega.server.internal.DelegaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The user-editable part of an automation ({@code create_automation}): when {@link #event} fires
 * and every condition holds, run the actions in order. Ids, counters and run logs belong to the
 * store.
 *
 * <p>Tasks whose source is {@value AutomationSubject#INGRESS_SOURCE} are untrusted input: a rule
 * {@linkplain #matches matches} them only when it has the explicit condition {@code source eq
 * ingress}.
 *
 * @param name at most {@value #MAX_NAME_LENGTH} characters, not blank
 * @param event one of {@link #EVENTS}
 * @param conditions at most {@value #MAX_CONDITIONS}, AND-combined; {@code null} means none
 * @param actions {@value #MIN_ACTIONS} to {@value #MAX_ACTIONS}, run in order
 * @param active whether the rule runs; {@code null} means {@code true}
 */
public record AutomationDefinition(
    String name, String event, List<Condition> conditions, List<Action> actions, Boolean active) {

  public static final int MAX_NAME_LENGTH = 80;
  public static final int MAX_CONDITIONS = 10;
  public static final int MIN_ACTIONS = 1;
  public static final int MAX_ACTIONS = 5;

  /** The events a rule can trigger on: the official clients' eleven plus Delega's own task events. */
  public static final Set<String> EVENTS = Set.of(
      "task.created",
      "task.updated",
      "task.completed",
      "task.deleted",
      "task.assigned",
      "task.delegated",
      "task.commented",
      "task.claimed",
      "task.released",
      "task.state_changed",
      "task.linked",
      "task.unblocked",
      "task.children_completed",
      "task.lease_expired");

  /** Validates; messages name the field ({@code name}, {@code event}, {@code actions}, …). */
  public AutomationDefinition {
    if (name == null || name.isBlank()) {
      throw FieldErrors.field("name", "name is required");
    }
    name = name.strip();
    if (name.length() > MAX_NAME_LENGTH) {
      throw FieldErrors.field("name", "name must be at most " + MAX_NAME_LENGTH + " characters, got "
          + name.length());
    }
    if (event == null || !EVENTS.contains(event)) {
      throw FieldErrors.field("event", "event must be one of " + String.join(", ",
          EVENTS.stream().sorted().toList()) + (event == null ? "" : ", got '" + event + "'"));
    }
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    if (conditions.size() > MAX_CONDITIONS) {
      throw FieldErrors.field("conditions", "conditions must have at most " + MAX_CONDITIONS
          + " entries, got " + conditions.size());
    }
    if (actions == null || actions.size() < MIN_ACTIONS) {
      throw FieldErrors.field("actions", "actions must have at least " + MIN_ACTIONS + " entry");
    }
    actions = List.copyOf(actions);
    if (actions.size() > MAX_ACTIONS) {
      throw FieldErrors.field("actions", "actions must have at most " + MAX_ACTIONS + " entries, got "
          + actions.size());
    }
    active = active == null ? Boolean.TRUE : active;
  }

  /**
   * Reads the create body (or a stored definition merged with an update body). A bad field throws a
   * 422 whose message and {@code field} name it ({@code actions[1].priority}, {@code
   * conditions[0].op}).
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static AutomationDefinition fromJson(JsonNode node) {
    JsonFields.requireObject(node, "body");
    List<Condition> conditions = null;
    JsonNode cs = JsonFields.get(node, "conditions");
    if (cs != null) {
      checkArray(cs, "conditions", MAX_CONDITIONS);
      conditions = new ArrayList<>();
      for (int i = 0; i < cs.size(); i++) {
        String at = "conditions[" + i + "]";
        JsonFields.requireObject(cs.get(i), at);
        try {
          conditions.add(Condition.fromJson(cs.get(i)));
        } catch (DelegaException.ValidationFailed e) {
          throw FieldErrors.nested(at, e);
        }
      }
    }
    List<Action> actions = null;
    JsonNode as = JsonFields.get(node, "actions");
    if (as != null) {
      checkArray(as, "actions", MAX_ACTIONS);
      actions = new ArrayList<>();
      for (int i = 0; i < as.size(); i++) {
        String at = "actions[" + i + "]";
        JsonFields.requireObject(as.get(i), at);
        try {
          actions.add(Action.fromJson(as.get(i)));
        } catch (DelegaException.ValidationFailed e) {
          throw FieldErrors.nested(at, e);
        }
      }
    }
    return new AutomationDefinition(
        JsonFields.string(node, "name"), JsonFields.string(node, "event"), conditions, actions,
        JsonFields.bool(node, "active"));
  }

  /**
   * Whether this rule fires for an event about a task: it is active, the event is its event, every
   * condition holds, and an ingress task is only matched by a rule that opted in.
   */
  public boolean matches(String firedEvent, AutomationSubject subject) {
    if (!active || !event.equals(firedEvent)) {
      return false;
    }
    if (AutomationSubject.INGRESS_SOURCE.equals(subject.source())
        && conditions.stream().noneMatch(Condition::optsIntoIngress)) {
      return false;
    }
    for (Condition c : conditions) {
      if (!c.matches(subject)) {
        return false;
      }
    }
    return true;
  }

  private static void checkArray(JsonNode node, String field, int max) {
    if (!node.isArray()) {
      throw FieldErrors.field(field, field + " must be an array");
    }
    if (node.size() > max) {
      throw FieldErrors.field(field, field + " must have at most " + max + " entries, got "
          + node.size());
    }
  }
}

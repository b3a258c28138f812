package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code PUT /automations/{id}}: only the fields that were set are sent; lists replace
 * the stored ones entirely.
 */
public final class AutomationUpdate extends FieldUpdate<AutomationUpdate> {
  /** An empty update; add fields with the setters. */
  public AutomationUpdate() {}

  private AutomationUpdate(Map<String, ?> fields) {
    super(fields);
  }

  /** A new, empty update. */
  public static AutomationUpdate create() {
    return new AutomationUpdate();
  }

  /** An update holding the given snake_case wire fields. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static AutomationUpdate of(Map<String, ?> fields) {
    return new AutomationUpdate(fields);
  }

  /** Sets {@code name}. */
  public AutomationUpdate name(String name) {
    return set("name", name);
  }

  /** Sets {@code event}. */
  public AutomationUpdate event(String event) {
    return set("event", event);
  }

  /** Replaces {@code conditions}. */
  public AutomationUpdate conditions(List<AutomationCondition> conditions) {
    return set("conditions", conditions);
  }

  /** Replaces {@code actions}. */
  public AutomationUpdate actions(List<AutomationAction> actions) {
    return set("actions", actions);
  }

  /** Sets {@code active}. */
  public AutomationUpdate active(Boolean active) {
    return set("active", active);
  }
}

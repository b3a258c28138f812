package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;
import java.util.Map;

/** The body of {@code PUT}/{@code PATCH /agents/{id}}: only the fields that were set are sent. */
public final class AgentUpdate extends FieldUpdate<AgentUpdate> {
  /** An empty update; add fields with the setters. */
  public AgentUpdate() {}

  private AgentUpdate(Map<String, ?> fields) {
    super(fields);
  }

  /** A new, empty update. */
  public static AgentUpdate create() {
    return new AgentUpdate();
  }

  /** An update holding the given snake_case wire fields. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static AgentUpdate of(Map<String, ?> fields) {
    return new AgentUpdate(fields);
  }

  /** Sets {@code name}. */
  public AgentUpdate name(String name) {
    return set("name", name);
  }

  /** Sets {@code display_name}. */
  public AgentUpdate displayName(String displayName) {
    return set("display_name", displayName);
  }

  /** Sets {@code description}. */
  public AgentUpdate description(String description) {
    return set("description", description);
  }

  /** Sets {@code role} ({@code worker}, {@code coordinator}, {@code admin}). */
  public AgentUpdate role(String role) {
    return set("role", role);
  }

  /** Sets {@code permissions}. */
  public AgentUpdate permissions(List<String> permissions) {
    return set("permissions", permissions);
  }

  /** Sets {@code is_admin}. */
  public AgentUpdate isAdmin(Boolean isAdmin) {
    return set("is_admin", isAdmin);
  }

  /** Sets {@code active}. */
  public AgentUpdate active(Boolean active) {
    return set("active", active);
  }
}

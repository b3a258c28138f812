package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;
import java.util.Map;

/** The body of {@code PUT /ingress-sources/{id}}: only the fields that were set are sent. */
public final class IngressSourceUpdate extends FieldUpdate<IngressSourceUpdate> {
  /** An empty update; add fields with the setters. */
  public IngressSourceUpdate() {}

  private IngressSourceUpdate(Map<String, ?> fields) {
    super(fields);
  }

  /** A new, empty update. */
  public static IngressSourceUpdate create() {
    return new IngressSourceUpdate();
  }

  /** An update holding the given snake_case wire fields. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static IngressSourceUpdate of(Map<String, ?> fields) {
    return new IngressSourceUpdate(fields);
  }

  /** Sets {@code name}. */
  public IngressSourceUpdate name(String name) {
    return set("name", name);
  }

  /** Replaces {@code template}. */
  public IngressSourceUpdate template(IngressTemplate template) {
    return set("template", template);
  }

  /** Replaces {@code filters}. */
  public IngressSourceUpdate filters(List<IngressFilter> filters) {
    return set("filters", filters);
  }

  /** Sets {@code default_project_id}; null clears it. */
  public IngressSourceUpdate defaultProjectId(Long projectId) {
    return set("default_project_id", projectId);
  }

  /** Sets {@code default_assignee_agent_id}; null clears it. */
  public IngressSourceUpdate defaultAssigneeAgentId(Long agentId) {
    return set("default_assignee_agent_id", agentId);
  }

  /** Sets {@code active}. */
  public IngressSourceUpdate active(Boolean active) {
    return set("active", active);
  }

  /** Asks for a new secret, returned once in the answer. */
  public IngressSourceUpdate rotateSecret(Boolean rotate) {
    return set("rotate_secret", rotate);
  }
}

package dev.delega.server.ingress;

import dev.delega.server.internal.JsonFields;
import dev.delega.server.internal.FieldErrors;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.delega.server.internal.DelegaException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The user-editable part of an ingress source ({@code create_ingress_source}): its name, task
 * template, filters and routing. Ids, secret, counters and {@code ingest_path} belong to the store.
 *
 * <p>Routing is pinned here and never taken from the payload. A payload is {@linkplain #accepts
 * accepted} when every filter matches (no filters: every payload).
 *
 * @param name at most {@value #MAX_NAME_LENGTH} characters, not blank
 * @param template how a payload becomes a task
 * @param filters at most {@value #MAX_FILTERS}, AND-combined; {@code null} means none
 * @param defaultProjectId project of created tasks, or {@code null}
 * @param defaultAssigneeAgentId assignee of created tasks, or {@code null}
 * @param active whether deliveries are accepted; {@code null} means {@code true}
 */
public record IngressSourceDefinition(
    String name,
    TaskTemplate template,
    List<IngressFilter> filters,
    Long defaultProjectId,
    Long defaultAssigneeAgentId,
    Boolean active) {

  public static final int MAX_NAME_LENGTH = 80;
  public static final int MAX_FILTERS = 10;

  /** Validates; messages name the field ({@code name}, {@code filters}, …). */
  public IngressSourceDefinition {
    if (name == null || name.isBlank()) {
      throw FieldErrors.field("name", "name is required");
    }
    name = name.strip();
    if (name.length() > MAX_NAME_LENGTH) {
      throw FieldErrors.field(
          "name", "name must be at most " + MAX_NAME_LENGTH + " characters, got " + name.length());
    }
    if (template == null) {
      throw FieldErrors.field("template", "template is required, with at least template.content");
    }
    filters = filters == null ? List.of() : List.copyOf(filters);
    if (filters.size() > MAX_FILTERS) {
      throw FieldErrors.field(
          "filters", "filters must have at most " + MAX_FILTERS + " entries, got " + filters.size());
    }
    checkId("default_project_id", defaultProjectId);
    checkId("default_assignee_agent_id", defaultAssigneeAgentId);
    active = active == null ? Boolean.TRUE : active;
  }

  /**
   * Reads the create body (or a stored definition merged with an update body); ids may be numeric
   * strings. A bad field throws a 422 whose message and {@code field} name it ({@code
   * filters[1].path}, {@code template.labels[0]}).
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static IngressSourceDefinition fromJson(JsonNode node) {
    JsonFields.requireObject(node, "body");
    JsonNode templateNode = JsonFields.get(node, "template");
    if (templateNode == null) {
      throw FieldErrors.field("template", "template is required, with at least template.content");
    }
    JsonFields.requireObject(templateNode, "template");
    TaskTemplate template;
    try {
      template = TaskTemplate.fromJson(templateNode);
    } catch (DelegaException.ValidationFailed e) {
      throw rename(e, "template");
    }
    List<IngressFilter> filters = null;
    JsonNode filtersNode = JsonFields.get(node, "filters");
    if (filtersNode != null) {
      if (!filtersNode.isArray()) {
        throw FieldErrors.field("filters", "filters must be an array");
      }
      if (filtersNode.size() > MAX_FILTERS) {
        throw FieldErrors.field("filters",
            "filters must have at most " + MAX_FILTERS + " entries, got " + filtersNode.size());
      }
      filters = new ArrayList<>();
      for (int i = 0; i < filtersNode.size(); i++) {
        JsonFields.requireObject(filtersNode.get(i), "filters[" + i + "]");
        try {
          filters.add(IngressFilter.fromJson(filtersNode.get(i)));
        } catch (DelegaException.ValidationFailed e) {
          throw rename(e, "filters[" + i + "]");
        }
      }
    }
    return new IngressSourceDefinition(
        JsonFields.string(node, "name"),
        template,
        filters,
        JsonFields.id(node, "default_project_id"),
        JsonFields.id(node, "default_assignee_agent_id"),
        JsonFields.bool(node, "active"));
  }

  /** Whether a payload passes every filter. */
  public boolean accepts(JsonNode payload) {
    for (IngressFilter f : filters) {
      if (!f.matches(payload)) {
        return false;
      }
    }
    return true;
  }

  private static DelegaException.ValidationFailed rename(
      DelegaException.ValidationFailed e, String parent) {
    return FieldErrors.nested(parent, e);
  }

  private static void checkId(String field, Long id) {
    if (id != null && id < 1) {
      throw FieldErrors.field(field, field + " must be an id (a positive integer), got " + id);
    }
  }
}

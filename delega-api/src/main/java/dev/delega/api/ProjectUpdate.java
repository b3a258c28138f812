package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Map;

/** The body of {@code PUT /projects/{id}}: only the fields that were set are sent. */
public final class ProjectUpdate extends FieldUpdate<ProjectUpdate> {
  /** An empty update; add fields with the setters. */
  public ProjectUpdate() {}

  private ProjectUpdate(Map<String, ?> fields) {
    super(fields);
  }

  /** A new, empty update. */
  public static ProjectUpdate create() {
    return new ProjectUpdate();
  }

  /** An update holding the given snake_case wire fields. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ProjectUpdate of(Map<String, ?> fields) {
    return new ProjectUpdate(fields);
  }

  /** Sets {@code name}. */
  public ProjectUpdate name(String name) {
    return set("name", name);
  }

  /** Sets {@code emoji}. */
  public ProjectUpdate emoji(String emoji) {
    return set("emoji", emoji);
  }

  /** Sets {@code color}. */
  public ProjectUpdate color(String color) {
    return set("color", color);
  }

  /** Sets {@code sort_order}. */
  public ProjectUpdate sortOrder(Integer sortOrder) {
    return set("sort_order", sortOrder);
  }
}

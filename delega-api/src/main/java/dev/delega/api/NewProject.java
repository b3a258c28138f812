package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of {@code POST /projects}; null fields are not sent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewProject(String name, String emoji, String color, Integer sortOrder) {
  /** A project with only a name. */
  public static NewProject of(String name) {
    return new NewProject(name, null, null, null);
  }
}

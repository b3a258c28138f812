package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of {@code POST /agents}; null fields are not sent. {@code role} is one of {@code worker}
 * (default), {@code coordinator}, {@code admin}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewAgent(
    String name,
    String displayName,
    String description,
    String role,
    List<String> permissions,
    Boolean isAdmin) {

  /** An agent with only a name. */
  public static NewAgent of(String name) {
    return new NewAgent(name, null, null, null, null, null);
  }

  /** An agent with a name and a role. */
  public static NewAgent of(String name, String role) {
    return new NewAgent(name, null, null, role, null, null);
  }

  /** This agent with a display name. */
  public NewAgent withDisplayName(String displayName) {
    return new NewAgent(name, displayName, description, role, permissions, isAdmin);
  }

  /** This agent with a description. */
  public NewAgent withDescription(String description) {
    return new NewAgent(name, displayName, description, role, permissions, isAdmin);
  }

  /** This agent with a role. */
  public NewAgent withRole(String role) {
    return new NewAgent(name, displayName, description, role, permissions, isAdmin);
  }

  /** This agent with explicit permissions. */
  public NewAgent withPermissions(List<String> permissions) {
    return new NewAgent(name, displayName, description, role, permissions, isAdmin);
  }
}

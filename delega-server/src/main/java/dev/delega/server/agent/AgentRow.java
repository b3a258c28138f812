package dev.delega.server.agent;

import dev.delega.api.Agent;
import dev.delega.api.Json;
import dev.delega.server.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.type.TypeReference;

/** One row of the {@code agents} table. */
public record AgentRow(
    long id,
    String name,
    String displayName,
    String description,
    Role role,
    boolean isAdmin,
    List<String> permissions,
    boolean active,
    String keyPrefix,
    long createdAt,
    long updatedAt,
    Long lastSeenAt) {

  static final String COLUMNS =
      "id, name, display_name, description, role, is_admin, permissions, active, key_prefix,"
          + " created_at, updated_at, last_seen_at";

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  static AgentRow map(ResultSet rs) throws SQLException {
    Long lastSeenAt = Sql.getLong(rs, "last_seen_at");
    return new AgentRow(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("display_name"),
        rs.getString("description"),
        Role.parse(rs.getString("role")),
        rs.getBoolean("is_admin"),
        Json.mapper().readValue(rs.getString("permissions"), STRINGS),
        rs.getBoolean("active"),
        rs.getString("key_prefix"),
        rs.getLong("created_at"),
        rs.getLong("updated_at"),
        lastSeenAt);
  }

  /** The identity of a request made with this agent's key. */
  public Caller caller() {
    Set<String> perms = new LinkedHashSet<>(permissions);
    perms.addAll(role.grants());
    return new Caller(id, name, role.wire(), isAdmin, Set.copyOf(perms));
  }

  /** The wire form; {@code openTaskCount}, {@code apiKey} may be null (omitted). */
  public Agent toApi(Integer openTaskCount, String apiKey, boolean showPrefix) {
    return new Agent(
        id,
        name,
        displayName,
        description,
        role.wire(),
        permissions,
        isAdmin,
        active,
        Instant.ofEpochMilli(createdAt),
        Instant.ofEpochMilli(updatedAt),
        lastSeenAt == null ? null : Instant.ofEpochMilli(lastSeenAt),
        openTaskCount,
        apiKey,
        showPrefix ? keyPrefix : null);
  }
}

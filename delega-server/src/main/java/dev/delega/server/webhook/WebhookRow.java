package dev.delega.server.webhook;

import dev.delega.api.Json;
import dev.delega.server.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/**
 * One row of the {@code webhooks} table; {@code agentId} is null for a webhook made in open mode.
 */
record WebhookRow(
    long id,
    Long agentId,
    String url,
    List<String> events,
    String secret,
    boolean active,
    int failureCount,
    Long disabledAt,
    String disabledReason,
    long createdAt,
    long updatedAt) {

  static final String COLUMNS =
      "w.id, w.agent_id, w.url, w.events, w.secret, w.active, w.failure_count, w.disabled_at,"
          + " w.disabled_reason, w.created_at, w.updated_at";

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  static WebhookRow map(ResultSet rs) throws SQLException {
    Long agentId = Sql.getLong(rs, "agent_id");
    Long disabledAt = Sql.getLong(rs, "disabled_at");
    return new WebhookRow(
        rs.getLong("id"),
        agentId,
        rs.getString("url"),
        List.copyOf(Json.mapper().readValue(rs.getString("events"), STRINGS)),
        rs.getString("secret"),
        rs.getBoolean("active"),
        rs.getInt("failure_count"),
        disabledAt,
        rs.getString("disabled_reason"),
        rs.getLong("created_at"),
        rs.getLong("updated_at"));
  }

  /** Whether this webhook wants events of {@code type}. */
  boolean wants(String type) {
    return events.contains(type);
  }
}

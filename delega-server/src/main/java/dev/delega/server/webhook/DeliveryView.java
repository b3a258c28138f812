package dev.delega.server.webhook;

import dev.delega.api.Json;
import dev.delega.server.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

/**
 * One delivery on the wire: the fields of {@code dev.delega.api.WebhookDelivery} ({@code status} is
 * {@code pending}, {@code delivered} or {@code failed}; {@code status_code}, {@code latency_ms} and
 * {@code error} are those of the last attempt), plus {@code finished_at} and the {@code
 * attempt_log}, one entry per attempt.
 */
record DeliveryView(
    String id,
    long webhookId,
    String event,
    Long eventId,
    Map<String, Object> payload,
    String status,
    Integer statusCode,
    boolean success,
    int attempts,
    String error,
    Long latencyMs,
    Instant createdAt,
    Instant lastAttemptAt,
    Instant nextAttemptAt,
    Instant finishedAt,
    List<AttemptView> attemptLog) {

  static final String COLUMNS =
      "d.id, d.webhook_id, d.event, d.event_id, d.payload, d.status, d.attempts,"
          + " d.next_attempt_at, d.last_status_code, d.last_latency_ms, d.last_error,"
          + " d.last_attempt_at, d.created_at, d.finished_at";

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** One attempt of the log: when, what came back, how long it took, and when the next is due. */
  record AttemptView(
      int attempt,
      Instant attemptedAt,
      Integer statusCode,
      long latencyMs,
      String error,
      Instant nextAttemptAt) {

    static AttemptView map(ResultSet rs) throws SQLException {
      return new AttemptView(
          rs.getInt("attempt"),
          Instant.ofEpochMilli(rs.getLong("attempted_at")),
          Sql.getInt(rs, "status_code"),
          rs.getLong("latency_ms"),
          rs.getString("error"),
          Sql.getInstant(rs, "next_attempt_at"));
    }
  }

  static DeliveryView map(ResultSet rs, List<AttemptView> log) throws SQLException {
    String status = rs.getString("status");
    Long latencyMs = Sql.getLong(rs, "last_latency_ms");
    Long eventId = Sql.getLong(rs, "event_id");
    return new DeliveryView(
        rs.getString("id"),
        rs.getLong("webhook_id"),
        rs.getString("event"),
        eventId,
        Json.mapper().readValue(rs.getString("payload"), MAP),
        status,
        Sql.getInt(rs, "last_status_code"),
        Outbox.DELIVERED.equals(status),
        rs.getInt("attempts"),
        rs.getString("last_error"),
        latencyMs,
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Sql.getInstant(rs, "last_attempt_at"),
        Outbox.PENDING.equals(status) ? Sql.getInstant(rs, "next_attempt_at") : null,
        Sql.getInstant(rs, "finished_at"),
        log);
  }
}

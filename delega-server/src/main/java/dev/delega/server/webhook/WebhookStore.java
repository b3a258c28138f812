package dev.delega.server.webhook;

import dev.delega.api.Json;
import dev.delega.server.store.Database;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The {@code webhooks} table: plain reads and writes, no access rules (those are in {@link
 * Webhooks}).
 */
public final class WebhookStore {
  private final Database db;

  WebhookStore(Database db) {
    this.db = db;
  }

  /** How many webhooks exist (for {@code GET /usage}). */
  public long count() {
    return db.read(h -> h.createQuery("SELECT COUNT(*) FROM webhooks").mapTo(Long.class).one());
  }

  static Optional<WebhookRow> load(Handle h, long id) {
    return h.createQuery("SELECT " + WebhookRow.COLUMNS + " FROM webhooks w WHERE w.id = ?")
        .bind(0, id)
        .map((rs, ctx) -> WebhookRow.map(rs))
        .findOne();
  }

  /**
   * Every webhook, or those of one owner ({@code null} owner = the open-mode ones), oldest first.
   */
  static List<WebhookRow> list(Handle h, boolean all, Long owner) {
    String where = all ? "1=1" : owner == null ? "w.agent_id IS NULL" : "w.agent_id = :owner";
    return h.createQuery(
            "SELECT " + WebhookRow.COLUMNS + " FROM webhooks w WHERE " + where + " ORDER BY w.id")
        .bind("owner", owner)
        .map((rs, ctx) -> WebhookRow.map(rs))
        .list();
  }

  /** The active webhooks whose owner is missing or active, for the fan-out. */
  static List<WebhookRow> active(Handle h) {
    return h.createQuery(
            "SELECT "
                + WebhookRow.COLUMNS
                + " FROM webhooks w LEFT JOIN agents a ON a.id = w.agent_id"
                + " WHERE w.active = TRUE AND (w.agent_id IS NULL OR a.active = TRUE)"
                + " ORDER BY w.id")
        .map((rs, ctx) -> WebhookRow.map(rs))
        .list();
  }

  static long insert(
      Handle h, Long owner, String url, List<String> events, String secret, long now) {
    return h.createQuery(
            "INSERT INTO webhooks (agent_id, url, events, secret, active, failure_count,"
                + " created_at, updated_at) VALUES (:agent, :url, :events, :secret, TRUE, 0, :now,"
                + " :now) RETURNING id")
        .bind("agent", owner)
        .bind("url", url)
        .bind("events", Json.mapper().writeValueAsString(events))
        .bind("secret", secret)
        .bind("now", now)
        .mapTo(Long.class)
        .one();
  }

  static void update(Handle h, WebhookRow row, long now) {
    h.createUpdate(
            "UPDATE webhooks SET url = :url, events = :events, secret = :secret, active = :active,"
                + " failure_count = :failures, disabled_at = :disabledAt,"
                + " disabled_reason = :disabledReason, updated_at = :now WHERE id = :id")
        .bind("url", row.url())
        .bind("events", Json.mapper().writeValueAsString(row.events()))
        .bind("secret", row.secret())
        .bind("active", row.active())
        .bind("failures", row.failureCount())
        .bind("disabledAt", row.disabledAt())
        .bind("disabledReason", row.disabledReason())
        .bind("now", now)
        .bind("id", row.id())
        .execute();
  }

  static void delete(Handle h, long id) {
    h.createUpdate(
            "DELETE FROM webhook_attempts WHERE delivery_id IN"
                + " (SELECT id FROM webhook_deliveries WHERE webhook_id = ?)")
        .bind(0, id)
        .execute();
    h.createUpdate("DELETE FROM webhook_deliveries WHERE webhook_id = ?").bind(0, id).execute();
    h.createUpdate("DELETE FROM webhooks WHERE id = ?").bind(0, id).execute();
  }
}

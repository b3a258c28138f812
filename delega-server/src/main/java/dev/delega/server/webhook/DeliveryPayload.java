package dev.delega.server.webhook;

import dev.delega.api.Event;
import dev.delega.api.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON body of a delivery, serialised once when the delivery is created and sent byte for byte
 * on every attempt: {@code {event, timestamp, task, agent?, changes?, event_id, delivery_id}} (the
 * reference server's {@code event}, {@code timestamp}, {@code task}, {@code agent} first).
 */
final class DeliveryPayload {
  private DeliveryPayload() {}

  /** The body for one event of the log. */
  static String of(Event e, String deliveryId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", e.type());
    body.put("timestamp", Json.format(e.createdAt()));
    if (e.task() != null) {
      body.put("task", e.task());
    }
    if (e.actor() != null) {
      body.put("agent", e.actor());
    }
    if (e.changes() != null && !e.changes().isEmpty()) {
      body.put("changes", e.changes());
    }
    body.put("event_id", e.id());
    body.put("delivery_id", deliveryId);
    return Json.mapper().writeValueAsString(body);
  }

  /** The body of a {@code webhook.test} ping. */
  static String test(WebhookRow hook, String deliveryId, Instant now) {
    Map<String, Object> webhook = new LinkedHashMap<>();
    webhook.put("id", hook.id());
    webhook.put("url", hook.url());
    webhook.put("events", hook.events());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", Outbox.TEST_EVENT);
    body.put("timestamp", Json.format(now));
    body.put("webhook", webhook);
    body.put("delivery_id", deliveryId);
    return Json.mapper().writeValueAsString(body);
  }
}

package dev.delega.server.webhook;

import dev.delega.server.agent.Caller;
import dev.delega.server.event.EventLog;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import dev.delega.server.webhook.WebhookUrlPolicy.Allowed;
import dev.delega.server.webhook.WebhookUrlPolicy.Refused;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import tools.jackson.databind.JsonNode;

/**
 * The webhook use cases behind the routes. Any agent manages its own webhooks (which receive only
 * the events of tasks it may see); admins also list and read everyone's, but change, test and
 * inspect only their own, as in the reference server. In open mode (no keys) everything is allowed.
 */
public final class Webhooks {
  /** Every event a webhook can subscribe to: the task events, then ours about webhooks. */
  public static final List<String> EVENT_NAMES;

  static {
    List<String> names = new ArrayList<>(EventLog.TYPES);
    names.add(Outbox.DISABLED_EVENT);
    names.add(Outbox.TEST_EVENT);
    EVENT_NAMES = List.copyOf(names);
  }

  static final int MAX_SECRET = 256;
  static final String SECRET_TOO_LONG = "Webhook secret must be at most 256 characters";
  static final String NOT_FOUND = "Webhook not found";
  private static final Set<String> FIELDS = Set.of("url", "events", "secret", "active");

  private final Database db;
  private final WebhookUrlPolicy policy;
  private final Outbox outbox;
  private final DeliveryWorkers workers;
  private final Clock clock;

  Webhooks(
      Database db, WebhookUrlPolicy policy, Outbox outbox, DeliveryWorkers workers, Clock clock) {
    this.db = db;
    this.policy = policy;
    this.outbox = outbox;
    this.workers = workers;
    this.clock = clock;
  }

  List<WebhookView> list(Caller caller) {
    requireAgent(caller);
    return db.read(h -> WebhookStore.list(h, caller.isAdmin(), caller.agentId())).stream()
        .map(row -> WebhookView.of(row, false))
        .toList();
  }

  WebhookView get(Caller caller, long id) {
    requireAgent(caller);
    return db.read(
        h -> {
          WebhookRow row = WebhookStore.load(h, id).orElseThrow(Webhooks::notFound);
          if (!caller.isAdmin() && !owns(caller, row)) {
            throw notFound();
          }
          return WebhookView.of(row, false);
        });
  }

  WebhookView create(Caller caller, Fields body) {
    requireAgent(caller);
    body.onlyAllow(FIELDS);
    String url = url(body.node().get("url"));
    List<String> events = body.has("events") ? events(body.node().get("events")) : defaultEvents();
    String secret = secret(body);
    Boolean active = body.bool("active");
    long now = clock.millis();
    return db.write(
        tx -> {
          Handle h = tx.handle();
          long id =
              WebhookStore.insert(
                  h,
                  caller.agentId(),
                  url,
                  events,
                  secret == null ? PayloadSigner.newSecret() : secret,
                  now);
          WebhookRow row = WebhookStore.load(h, id).orElseThrow();
          if (Boolean.FALSE.equals(active)) {
            row = withActive(row, false, now);
            WebhookStore.update(h, row, now);
          }
          return WebhookView.of(row, true);
        });
  }

  WebhookView update(Caller caller, long id, Fields body) {
    requireAgent(caller);
    body.onlyAllow(FIELDS);
    String url = body.has("url") ? url(body.node().get("url")) : null;
    List<String> events = body.has("events") ? events(body.node().get("events")) : null;
    boolean rotate = body.has("secret");
    String secret = rotate ? secret(body) : null;
    Boolean active = body.bool("active");
    long now = clock.millis();
    return db.write(
        tx -> {
          Handle h = tx.handle();
          WebhookRow row = owned(caller, h, id);
          boolean wasActive = row.active();
          String newSecret =
              rotate ? (secret == null ? PayloadSigner.newSecret() : secret) : row.secret();
          WebhookRow next =
              new WebhookRow(
                  row.id(),
                  row.agentId(),
                  url == null ? row.url() : url,
                  events == null ? row.events() : events,
                  newSecret,
                  row.active(),
                  row.failureCount(),
                  row.disabledAt(),
                  row.disabledReason(),
                  row.createdAt(),
                  now);
          if (active != null) {
            next = withActive(next, active, now);
          }
          WebhookStore.update(h, next, now);
          if (wasActive && !next.active()) {
            Outbox.failPending(h, id, "webhook deactivated", now);
          }
          return WebhookView.of(WebhookStore.load(h, id).orElseThrow(), rotate);
        });
  }

  void delete(Caller caller, long id) {
    requireAgent(caller);
    db.write(
        tx -> {
          owned(caller, tx.handle(), id);
          WebhookStore.delete(tx.handle(), id);
          return null;
        });
  }

  /** Sends a {@code webhook.test} ping now (never retried) and answers the recorded delivery. */
  DeliveryView test(Caller caller, long id) {
    requireAgent(caller);
    long now = clock.millis();
    String deliveryId = Outbox.newId(now);
    db.write(
        tx -> {
          WebhookRow row = owned(caller, tx.handle(), id);
          outbox.insert(
              tx.handle(),
              deliveryId,
              id,
              null,
              Outbox.TEST_EVENT,
              DeliveryPayload.test(row, deliveryId, clock.instant()),
              now,
              true);
          return null;
        });
    workers.deliver(deliveryId, true);
    return delivery(id, deliveryId);
  }

  List<DeliveryView> deliveries(Caller caller, long id, int limit, String status) {
    requireAgent(caller);
    if (status != null
        && !Set.of(Outbox.PENDING, Outbox.DELIVERED, Outbox.FAILED).contains(status)) {
      throw new DelegaException.ValidationFailed(
          "status must be one of pending, delivered, failed (got '" + status + "')");
    }
    return db.read(
        h -> {
          owned(caller, h, id);
          List<DeliveryView> page =
              h.createQuery(
                      "SELECT "
                          + DeliveryView.COLUMNS
                          + " FROM webhook_deliveries d WHERE d.webhook_id = :id"
                          + (status == null ? "" : " AND d.status = :status")
                          + " ORDER BY d.created_at DESC, d.id DESC LIMIT "
                          + limit)
                  .bind("id", id)
                  .bind("status", status)
                  .map((rs, ctx) -> DeliveryView.map(rs, List.of()))
                  .list();
          Map<String, List<DeliveryView.AttemptView>> logs =
              attempts(h, page.stream().map(DeliveryView::id).toList());
          return page.stream().map(d -> withLog(d, logs.getOrDefault(d.id(), List.of()))).toList();
        });
  }

  /** Sends a delivery again now, with the same delivery id, and answers it as recorded. */
  DeliveryView redeliver(Caller caller, long id, String deliveryId) {
    requireAgent(caller);
    db.read(h -> owned(caller, h, id));
    if (!outbox.requeue(id, deliveryId)) {
      throw new DelegaException.NotFound("Delivery not found");
    }
    workers.deliver(deliveryId, true);
    return delivery(id, deliveryId);
  }

  private DeliveryView delivery(long webhookId, String deliveryId) {
    return db.read(
        h -> {
          DeliveryView d =
              h.createQuery(
                      "SELECT "
                          + DeliveryView.COLUMNS
                          + " FROM webhook_deliveries d WHERE d.id = :id AND d.webhook_id = :w")
                  .bind("id", deliveryId)
                  .bind("w", webhookId)
                  .map((rs, ctx) -> DeliveryView.map(rs, List.of()))
                  .findOne()
                  .orElseThrow(() -> new DelegaException.NotFound("Delivery not found"));
          return withLog(d, attempts(h, List.of(deliveryId)).getOrDefault(deliveryId, List.of()));
        });
  }

  private static Map<String, List<DeliveryView.AttemptView>> attempts(Handle h, List<String> ids) {
    Map<String, List<DeliveryView.AttemptView>> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    h.createQuery(
            "SELECT delivery_id, attempt, attempted_at, status_code, latency_ms, error,"
                + " next_attempt_at FROM webhook_attempts WHERE delivery_id IN (<ids>)"
                + " ORDER BY delivery_id, attempt")
        .bindList("ids", ids)
        .map((rs, ctx) -> Map.entry(rs.getString("delivery_id"), DeliveryView.AttemptView.map(rs)))
        .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return out;
  }

  private static DeliveryView withLog(DeliveryView d, List<DeliveryView.AttemptView> log) {
    return new DeliveryView(
        d.id(),
        d.webhookId(),
        d.event(),
        d.eventId(),
        d.payload(),
        d.status(),
        d.statusCode(),
        d.success(),
        d.attempts(),
        d.error(),
        d.latencyMs(),
        d.createdAt(),
        d.lastAttemptAt(),
        d.nextAttemptAt(),
        d.finishedAt(),
        List.copyOf(log));
  }

  // ------------------------------------------------------------------ rules

  private static void requireAgent(Caller caller) {
    if (!caller.isAgent() && !caller.isNobody()) {
      throw new DelegaException.Forbidden("Only agent keys can manage webhooks");
    }
  }

  /** True when the caller owns the webhook (in open mode, nobody owns every webhook). */
  private static boolean owns(Caller caller, WebhookRow row) {
    return caller.isNobody() || caller.is(row.agentId());
  }

  private static WebhookRow owned(Caller caller, Handle h, long id) {
    WebhookRow row = WebhookStore.load(h, id).orElseThrow(Webhooks::notFound);
    if (!owns(caller, row)) {
      throw notFound();
    }
    return row;
  }

  private static DelegaException notFound() {
    return new DelegaException.NotFound(NOT_FOUND);
  }

  private static WebhookRow withActive(WebhookRow row, boolean active, long now) {
    if (active) {
      return new WebhookRow(
          row.id(),
          row.agentId(),
          row.url(),
          row.events(),
          row.secret(),
          true,
          0,
          null,
          null,
          row.createdAt(),
          row.updatedAt());
    }
    if (!row.active()) {
      return row;
    }
    return new WebhookRow(
        row.id(),
        row.agentId(),
        row.url(),
        row.events(),
        row.secret(),
        false,
        row.failureCount(),
        now,
        "deactivated by its owner",
        row.createdAt(),
        row.updatedAt());
  }

  private String url(JsonNode value) {
    if (value == null || value.isNull() || !value.isString()) {
      throw new DelegaException.BadRequest(WebhookUrlPolicy.BAD_SCHEME);
    }
    return switch (policy.check(value.asString())) {
      case Allowed ok -> ok.uri().toString();
      case Refused refused -> throw new DelegaException.BadRequest(refused.reason());
    };
  }

  /** The default subscription when {@code events} is left out: every task event. */
  static List<String> defaultEvents() {
    return EventLog.TYPES;
  }

  /** A list of event names (an array, or a comma-separated string); duplicates removed. */
  static List<String> events(JsonNode value) {
    if (value == null || value.isNull()) {
      return defaultEvents();
    }
    List<String> raw = new ArrayList<>();
    if (value.isString()) {
      for (String part : value.asString().split(",")) {
        if (!part.isBlank()) {
          raw.add(part.strip());
        }
      }
    } else if (value.isArray()) {
      for (JsonNode item : value) {
        if (!item.isString()) {
          throw new DelegaException.BadRequest("events must be an array of event names");
        }
        raw.add(item.asString().strip());
      }
    } else {
      throw new DelegaException.BadRequest("events must be an array of event names");
    }
    Set<String> out = new LinkedHashSet<>();
    for (String e : raw) {
      if (!EVENT_NAMES.contains(e)) {
        throw new DelegaException.BadRequest(
            "Invalid event '" + e + "'. Valid events: " + EVENT_NAMES);
      }
      out.add(e);
    }
    return List.copyOf(out);
  }

  /** The given secret, or null to generate one; refuses blank and over-long secrets. */
  private static String secret(Fields body) {
    JsonNode v = body.node().get("secret");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new DelegaException.BadRequest("Webhook secret must be a string");
    }
    String s = v.asString();
    if (s.length() > MAX_SECRET) {
      throw new DelegaException.BadRequest(SECRET_TOO_LONG);
    }
    if (s.isBlank()) {
      throw new DelegaException.BadRequest(
          "Webhook secret must not be blank (leave it out to have one generated)");
    }
    return s;
  }
}

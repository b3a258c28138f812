package dev.delega.server.webhook;

import dev.delega.api.Event;
import dev.delega.api.Json;
import dev.delega.server.agent.Caller;
import dev.delega.server.agent.Role;
import dev.delega.server.event.EventLog;
import dev.delega.server.event.EventVisibility;
import dev.delega.server.store.Database;
import dev.delega.server.store.Sql;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import tools.jackson.core.type.TypeReference;

/**
 * Turns new events of the log into outbox rows: reads the events above the durable cursor, picks
 * the receivers of each (active webhooks subscribed to its type whose owner may see it, by {@link
 * EventVisibility}), inserts one delivery per receiver and advances the cursor, all in one
 * transaction. Events are numbered in commit order, so the cursor never passes an event that was
 * not fanned out; a crash before the commit just means the batch is read again.
 */
final class FanOut {
  static final int BATCH = 500;

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  /**
   * Whether a webhook's lane can take {@code more} deliveries now (else they wait in the table).
   */
  @FunctionalInterface
  interface Room {
    boolean has(long webhookId, int more);
  }

  /** One pass: events read, and the deliveries inserted leased to this process. */
  record Pass(int events, List<Outbox.Leased> leased) {}

  private final Database db;
  private final Outbox outbox;
  private final Clock clock;

  FanOut(Database db, Outbox outbox, Clock clock) {
    this.db = db;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * Whether any webhook is active (else the fan-out can wait for the next poll). The answer is kept
   * for {@value #ACTIVE_TTL_MILLIS} ms: the dispatcher asks on every wake-up, i.e. up to once per
   * committed event, and a webhook made meanwhile is still served by the next poll at the latest.
   */
  boolean anyActive() {
    long now = System.nanoTime();
    if (now - activeCheckedAt < ACTIVE_TTL_MILLIS * 1_000_000L && activeCheckedAt != 0) {
      return active;
    }
    active =
        db.read(
            h ->
                h.createQuery("SELECT COUNT(*) FROM webhooks WHERE active = TRUE")
                        .mapTo(Long.class)
                        .one()
                    > 0);
    activeCheckedAt = now;
    return active;
  }

  /**
   * Whether an event is committed past the fan-out cursor: a read, so an idle dispatcher runs no
   * write transaction per poll. The write re-reads the cursor under its lock.
   */
  private boolean anyEventPending() {
    return db.read(
        h -> Sql.first(
                h,
                "SELECT 1 FROM events WHERE id > (SELECT last_event_id FROM webhook_cursor WHERE name = 'fanout') LIMIT 1",
                rs -> Boolean.TRUE)
            .isPresent());
  }

  static final long ACTIVE_TTL_MILLIS = 250;
  private volatile boolean active;
  private volatile long activeCheckedAt;

  /**
   * Fans out up to {@link #BATCH} events; {@code room} decides which new rows to lease here. An
   * event committed before a webhook was created is not sent to it.
   */
  Pass runOnce(Room room) {
    if (!anyEventPending()) {
      return new Pass(0, List.of());
    }
    return db.write(
        tx -> {
          Handle h = tx.handle();
          long cursor =
              h.createQuery(
                      "SELECT last_event_id FROM webhook_cursor WHERE name = 'fanout'"
                          + tx.dialect().forUpdate())
                  .mapTo(Long.class)
                  .one();
          List<WebhookRow> hooks = WebhookStore.active(h);
          if (hooks.isEmpty()) {
            // Nobody to send to (and a webhook made later is never sent older events): move the
            // cursor past what is committed without reading and parsing the events.
            Sql.first(h, "SELECT MAX(id) FROM events WHERE id > ?", rs -> Sql.getLong(rs, 1), cursor)
                .ifPresent(id -> advance(h, id));
            return new Pass(0, List.of());
          }
          List<Event> events = EventLog.read(h, "e.id > :after", Map.of("after", cursor), BATCH);
          if (events.isEmpty()) {
            return new Pass(0, List.of());
          }
          long now = clock.millis();
          long until = now + outbox.lease().toMillis();
          List<Outbox.Leased> leased = new ArrayList<>();
          List<Row> rows = new ArrayList<>();
          if (!hooks.isEmpty()) {
            Map<Long, Caller> owners = owners(h, hooks);
            Map<Long, Predicate<Event>> sees = new HashMap<>();
            Predicate<Event> nobody = e -> true;
            Map<Long, Integer> added = new HashMap<>();
            for (Event e : events) {
              for (WebhookRow hook : hooks) {
                if (!hook.wants(e.type())
                    || about(e, hook)
                    || e.createdAt().toEpochMilli() < hook.createdAt()) {
                  continue;
                }
                Predicate<Event> visible;
                if (hook.agentId() == null) {
                  visible = nobody;
                } else {
                  Caller owner = owners.get(hook.agentId());
                  if (owner == null) {
                    continue;
                  }
                  visible =
                      sees.computeIfAbsent(
                          hook.agentId(), id -> EventVisibility.of(h, owner, events));
                }
                if (!visible.test(e)) {
                  continue;
                }
                int more = added.merge(hook.id(), 1, Integer::sum);
                boolean here = room.has(hook.id(), more);
                String id = Outbox.newId(now);
                String payload = DeliveryPayload.of(e, id);
                rows.add(new Row(id, hook, e.id(), e.type(), payload, here));
              }
            }
          }
          if (!rows.isEmpty()) {
            PreparedBatch inserts = Outbox.insertBatch(h);
            for (Row row : rows) {
              outbox.addInsert(
                  inserts,
                  row.id(),
                  row.hook().id(),
                  row.eventId(),
                  row.event(),
                  row.payload(),
                  now,
                  row.here());
            }
            int[] inserted = inserts.execute();
            for (int i = 0; i < rows.size(); i++) {
              Row row = rows.get(i);
              // 0 = a delivery for this webhook and event already existed (another fan-out)
              if (inserted[i] != 0 && row.here()) {
                leased.add(leased(row, now, until));
              }
            }
          }
          advance(h, events.getLast().id());
          return new Pass(events.size(), leased);
        });
  }

  private static void advance(Handle h, long lastEventId) {
    h.createUpdate("UPDATE webhook_cursor SET last_event_id = ? WHERE name = 'fanout'").bind(0, lastEventId).execute();
  }

  /** One delivery of this pass: its id, webhook, event, body, and whether it is leased here. */
  private record Row(
      String id, WebhookRow hook, long eventId, String event, String payload, boolean here) {}

  private Outbox.Leased leased(Row row, long now, long until) {
    Outbox.Ready ready =
        row.payload().length() > Outbox.MAX_CARRIED_PAYLOAD
            ? null
            : new Outbox.Ready(
                row.id(),
                row.hook().id(),
                row.event(),
                row.payload().getBytes(StandardCharsets.UTF_8),
                Outbox.PENDING,
                outbox.node(),
                until,
                row.hook().url(),
                row.hook().secret(),
                true);
    return new Outbox.Leased(row.id(), row.hook().id(), until, ready, now);
  }

  /** A {@code webhook.disabled} event is not sent to the webhook it is about. */
  private static boolean about(Event e, WebhookRow hook) {
    return e.taskId() == null
        && e.changes() != null
        && e.changes().get("webhook_id") instanceof Number n
        && n.longValue() == hook.id();
  }

  /** The identities of the active owners of {@code hooks}, as their requests would have. */
  private static Map<Long, Caller> owners(Handle h, List<WebhookRow> hooks) {
    Set<Long> ids = new HashSet<>();
    for (WebhookRow hook : hooks) {
      if (hook.agentId() != null) {
        ids.add(hook.agentId());
      }
    }
    Map<Long, Caller> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    h.createQuery(
            "SELECT id, name, role, is_admin, permissions FROM agents WHERE active = TRUE AND id IN"
                + " (<ids>)")
        .bindList("ids", new ArrayList<>(ids))
        .map(
            (rs, ctx) -> {
              Role role = Role.parse(rs.getString("role"));
              Set<String> permissions =
                  new LinkedHashSet<>(
                      Json.mapper().readValue(rs.getString("permissions"), STRINGS));
              permissions.addAll(role.grants());
              return new Caller(
                  rs.getLong("id"),
                  rs.getString("name"),
                  role.wire(),
                  rs.getBoolean("is_admin"),
                  Set.copyOf(permissions));
            })
        .forEach(c -> out.put(Objects.requireNonNull(c.agentId()), c));
    return out;
  }
}

package dev.delega.server.webhook;

import dev.delega.server.event.EventLog;
import dev.delega.server.store.Database;
import dev.delega.server.store.Sql;
import dev.delega.server.store.Tx;
import dev.delega.server.webhook.WebhookSender.Attempt;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The {@code webhook_deliveries} outbox and its attempt log: leases pending rows to this server
 * process, records each attempt's outcome (retry on the {@link RetrySchedule}, give up, switch a
 * webhook off after {@link RetrySchedule#AUTO_DISABLE_AFTER} consecutive failed deliveries) and
 * removes records past {@link RetrySchedule#RETENTION}.
 */
final class Outbox {
  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final String FAILED = "failed";
  static final String TEST_EVENT = "webhook.test";
  static final String DISABLED_EVENT = "webhook.disabled";

  /** Payloads up to this size travel with a lease, so sending needs no read. */
  static final int MAX_CARRIED_PAYLOAD = 64 * 1024;

  /**
   * A pending delivery leased to this process; {@code leasedUntil} and {@code readAt} in epoch
   * millis. {@code ready}, when not null, is what was read in the leasing transaction (at {@code
   * readAt}), enough to send without reading again while it is fresh.
   */
  record Leased(String id, long webhookId, long leasedUntil, Ready ready, long readAt) {
    Leased(String id, long webhookId, long leasedUntil) {
      this(id, webhookId, leasedUntil, null, 0);
    }
  }

  /** What a worker needs to send one delivery. */
  record Ready(
      String id,
      long webhookId,
      String event,
      byte[] payload,
      String status,
      String lockedBy,
      long lockedUntil,
      String url,
      String secret,
      boolean active) {}

  /** Select-list item: when the delivery's event was committed (null for test pings). */
  private static final String EVENT_AT =
      "(SELECT e.created_at FROM events e WHERE e.id = webhook_deliveries.event_id) AS event_at";

  private final Database db;
  private final EventLog events;
  private final Clock clock;
  private final RetrySchedule schedule;
  private final String node;
  private final Duration lease;
  private final WebhookMeters meters;

  Outbox(
      Database db,
      EventLog events,
      Clock clock,
      RetrySchedule schedule,
      String node,
      Duration lease) {
    this(db, events, clock, schedule, node, lease, WebhookMeters.unregistered());
  }

  Outbox(
      Database db,
      EventLog events,
      Clock clock,
      RetrySchedule schedule,
      String node,
      Duration lease,
      WebhookMeters meters) {
    this.meters = meters;
    this.db = db;
    this.events = events;
    this.clock = clock;
    this.schedule = schedule;
    this.node = node;
    this.lease = lease;
  }

  String node() {
    return node;
  }

  Duration lease() {
    return lease;
  }

  /**
   * A new delivery id: {@code dlv_} + 12 hex digits of the creation time in millis + 20 random hex
   * digits, so ids sort by creation time.
   */
  static String newId(long millis) {
    byte[] random = new byte[10];
    ThreadLocalRandom.current().nextBytes(random);
    return "dlv_" + String.format("%012x", millis) + HexFormat.of().formatHex(random);
  }

  /**
   * Inserts a delivery in the current transaction unless this webhook already has one for this
   * event; leased to this process when {@code leaseIt}. Returns whether a row was inserted.
   */
  boolean insert(
      Handle h,
      String id,
      long webhookId,
      Long eventId,
      String event,
      String payload,
      long now,
      boolean leaseIt) {
    PreparedBatch batch = insertBatch(h);
    addInsert(batch, id, webhookId, eventId, event, payload, now, leaseIt);
    return batch.execute()[0] != 0;
  }

  /** A batch of delivery inserts (see {@link #insert}); fill it with {@link #addInsert}. */
  static PreparedBatch insertBatch(Handle h) {
    return h.prepareBatch(
        "INSERT INTO webhook_deliveries (id, webhook_id, event_id, event, payload, status,"
            + " attempts, next_attempt_at, locked_by, locked_until, created_at) VALUES"
            + " (:id, :webhook, :eventId, :event, :payload, 'pending', 0, :now, :node,"
            + " :until, :now) ON CONFLICT (webhook_id, event_id) DO NOTHING");
  }

  void addInsert(
      PreparedBatch batch,
      String id,
      long webhookId,
      Long eventId,
      String event,
      String payload,
      long now,
      boolean leaseIt) {
    batch
        .bind("id", id)
        .bind("webhook", webhookId)
        .bind("eventId", eventId)
        .bind("event", event)
        .bind("payload", payload)
        .bind("now", now)
        .bind("node", leaseIt ? node : null)
        .bind("until", leaseIt ? (Long) (now + lease.toMillis()) : null)
        .add();
  }

  /**
   * Leases up to {@code max} due, unleased (or lease-expired) pending deliveries to this process,
   * oldest due first, skipping rows other processes are leasing right now and the webhooks in
   * {@code skipWebhooks}.
   */
  List<Leased> claimDue(int max, Collection<Long> skipWebhooks) {
    if (max <= 0 || !anyDue()) {
      return List.of();
    }
    return db.write(
        tx -> {
          Handle h = tx.handle();
          long now = clock.millis();
          long until = now + lease.toMillis();
          var q =
              h.createQuery(
                      "SELECT d.id, d.webhook_id, d.event, d.payload, w.url, w.secret"
                          + " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                          + " WHERE d.status = 'pending' AND d.next_attempt_at <= :now"
                          + " AND (d.locked_until IS NULL OR d.locked_until < :now)"
                          + " AND w.active = TRUE"
                          + (skipWebhooks.isEmpty() ? "" : " AND d.webhook_id NOT IN (<skip>)")
                          + " ORDER BY d.next_attempt_at LIMIT "
                          + max
                          + tx.dialect().forUpdateSkipLocked())
                  .bind("now", now);
          if (!skipWebhooks.isEmpty()) {
            q.bindList("skip", new ArrayList<>(skipWebhooks));
          }
          List<Leased> due =
              q.map(
                      (rs, ctx) -> {
                        String payload = rs.getString("payload");
                        Ready ready =
                            payload.length() > MAX_CARRIED_PAYLOAD
                                ? null
                                : new Ready(
                                    rs.getString("id"),
                                    rs.getLong("webhook_id"),
                                    rs.getString("event"),
                                    payload.getBytes(StandardCharsets.UTF_8),
                                    PENDING,
                                    node,
                                    until,
                                    rs.getString("url"),
                                    rs.getString("secret"),
                                    true);
                        return new Leased(
                            rs.getString("id"), rs.getLong("webhook_id"), until, ready, now);
                      })
                  .list();
          if (!due.isEmpty()) {
            h.createUpdate(
                    "UPDATE webhook_deliveries SET locked_by = :node, locked_until = :until"
                        + " WHERE id IN (<ids>)")
                .bind("node", node)
                .bind("until", until)
                .bindList("ids", due.stream().map(Leased::id).toList())
                .execute();
          }
          return due;
        });
  }

  /** Whether some pending delivery is due and not leased: a read, so an idle poll writes nothing. */
  private boolean anyDue() {
    long now = clock.millis();
    return db.read(
        h -> Sql.first(
                h,
                "SELECT 1 FROM webhook_deliveries d WHERE d.status = 'pending' AND d.next_attempt_at <= ?"
                    + " AND (d.locked_until IS NULL OR d.locked_until < ?) LIMIT 1",
                rs -> Boolean.TRUE,
                now, now)
            .isPresent());
  }

  /** The delivery with its webhook's URL and secret, read without a lock; empty when gone. */
  Optional<Ready> ready(String id) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT d.id, d.webhook_id, d.event, d.payload, d.status, d.locked_by,"
                        + " d.locked_until, w.url, w.secret, w.active FROM webhook_deliveries d"
                        + " JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?")
                .bind(0, id)
                .map(
                    (rs, ctx) -> {
                      long until = rs.getLong("locked_until");
                      return new Ready(
                          rs.getString("id"),
                          rs.getLong("webhook_id"),
                          rs.getString("event"),
                          rs.getString("payload").getBytes(StandardCharsets.UTF_8),
                          rs.getString("status"),
                          rs.getString("locked_by"),
                          rs.wasNull() ? 0 : until,
                          rs.getString("url"),
                          rs.getString("secret"),
                          rs.getBoolean("active"));
                    })
                .findOne());
  }

  /**
   * Extends this process's lease on a pending delivery; false when the lease was lost (another
   * process took it over, or it is no longer pending).
   */
  boolean renew(String id) {
    long now = clock.millis();
    return db.write(
            tx ->
                tx.handle()
                    .createUpdate(
                        "UPDATE webhook_deliveries SET locked_until = :until WHERE id = :id AND"
                            + " locked_by = :node AND status = 'pending'")
                    .bind("until", now + lease.toMillis())
                    .bind("id", id)
                    .bind("node", node)
                    .execute())
        == 1;
  }

  /**
   * Makes a delivery pending again, due now and leased to this process (manual redelivery); the id
   * and the attempt count stay. Returns false when no such delivery belongs to the webhook.
   */
  boolean requeue(long webhookId, String id) {
    long now = clock.millis();
    return db.write(
            tx ->
                tx.handle()
                    .createUpdate(
                        "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = :now,"
                            + " finished_at = NULL, locked_by = :node, locked_until = :until"
                            + " WHERE id = :id AND webhook_id = :webhook")
                    .bind("now", now)
                    .bind("node", node)
                    .bind("until", now + lease.toMillis())
                    .bind("id", id)
                    .bind("webhook", webhookId)
                    .execute())
        == 1;
  }

  /**
   * Records one attempt and decides what follows. A success finishes the delivery and resets the
   * webhook's failure count. A failure schedules the next attempt, or, when the schedule is over,
   * fails the delivery; a failed event delivery (not a test ping, not a {@code manual} attempt)
   * counts towards switching the webhook off.
   */
  Outcome record(String id, Attempt attempt, boolean manual) {
    return db.write(tx -> recordIn(tx, id, attempt, manual));
  }

  /** One finished attempt waiting to be recorded. */
  record Result(String id, Attempt attempt, boolean manual) {}

  /**
   * Records many attempts in one transaction (see {@link #record}); successes, the common case, in
   * a few batched statements. When the transaction fails, each attempt is recorded on its own, so
   * that one bad row cannot keep the others unrecorded.
   */
  List<Outcome> recordAll(List<Result> results) {
    try {
      return db.write(tx -> recordBatch(tx, results));
    } catch (RuntimeException batchFailed) {
      List<Outcome> out = new ArrayList<>(results.size());
      for (Result r : results) {
        try {
          out.add(record(r.id(), r.attempt(), r.manual()));
        } catch (RuntimeException e) {
          out.add(new Outcome.Skipped("could not record: " + e.getMessage()));
        }
      }
      return out;
    }
  }

  private List<Outcome> recordBatch(Tx tx, List<Result> results) {
    Handle h = tx.handle();
    List<String> ids = results.stream().map(Result::id).distinct().toList();
    Map<String, Integer> attempts = new HashMap<>();
    Map<String, Long> webhooks = new HashMap<>();
    Map<String, Long> eventAt = new HashMap<>();
    if (ids.size() == results.size()) {
      h.createQuery(
              "SELECT id, webhook_id, attempts, " + EVENT_AT + " FROM webhook_deliveries WHERE id IN (<ids>)"
                  + " ORDER BY id"
                  + tx.dialect().forUpdate())
          .bindList("ids", ids)
          .map(
              (rs, ctx) -> {
                attempts.put(rs.getString("id"), rs.getInt("attempts"));
                webhooks.put(rs.getString("id"), rs.getLong("webhook_id"));
                long at = rs.getLong("event_at");
                if (!rs.wasNull()) {
                  eventAt.put(rs.getString("id"), at);
                }
                return null;
              })
          .list();
    }
    long now = clock.millis();
    Outcome[] out = new Outcome[results.size()];
    PreparedBatch deliveries =
        h.prepareBatch(
            "UPDATE webhook_deliveries SET status = 'delivered', attempts = :n,"
                + " next_attempt_at = NULL, locked_by = NULL, locked_until = NULL,"
                + " last_status_code = :code, last_latency_ms = :latency, last_error = NULL,"
                + " last_attempt_at = :now, finished_at = :now WHERE id = :id");
    PreparedBatch log =
        h.prepareBatch(
            "INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code,"
                + " latency_ms, error, response_excerpt, next_attempt_at, node) VALUES (:id, :n,"
                + " :now, :code, :latency, NULL, :excerpt, NULL, :node)");
    Set<Long> succeeded = new HashSet<>();
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      Integer before = attempts.get(r.id());
      if (before == null || !r.attempt().success()) {
        out[i] = recordIn(tx, r.id(), r.attempt(), r.manual());
        continue;
      }
      int n = before + 1;
      deliveries
          .bind("n", n)
          .bind("code", r.attempt().statusCode())
          .bind("latency", r.attempt().latencyMillis())
          .bind("now", now)
          .bind("id", r.id())
          .add();
      log.bind("id", r.id())
          .bind("n", n)
          .bind("now", now)
          .bind("code", r.attempt().statusCode())
          .bind("latency", r.attempt().latencyMillis())
          .bind("excerpt", r.attempt().responseExcerpt())
          .bind("node", node)
          .add();
      succeeded.add(webhooks.get(r.id()));
      Long at = eventAt.get(r.id());
      if (at != null) {
        tx.afterCommit(() -> meters.delivered(now - at));
      }
      out[i] = new Outcome.Delivered(n);
    }
    if (!succeeded.isEmpty()) {
      deliveries.execute();
      log.execute();
      h.createUpdate(
              "UPDATE webhooks SET failure_count = 0 WHERE id IN (<ids>) AND failure_count <> 0")
          .bindList("ids", new ArrayList<>(succeeded))
          .execute();
    }
    return List.of(out);
  }

  private Outcome recordIn(Tx tx, String id, Attempt attempt, boolean manual) {
    Handle h = tx.handle();
    Optional<Map<String, Object>> found =
        h.createQuery(
                "SELECT webhook_id, event_id, event, status, attempts, " + EVENT_AT + " FROM"
                    + " webhook_deliveries WHERE id = ?"
                    + tx.dialect().forUpdate())
            .bind(0, id)
            .mapToMap()
            .findOne();
    if (found.isEmpty()) {
      return new Outcome.Skipped("the delivery no longer exists");
    }
    Map<String, Object> row = found.get();
    long webhookId = ((Number) row.get("webhook_id")).longValue();
    boolean test = row.get("event_id") == null && TEST_EVENT.equals(row.get("event"));
    String status = (String) row.get("status");
    int n = ((Number) row.get("attempts")).intValue() + 1;
    long now = clock.millis();
    Outcome outcome;
    String newStatus;
    Long next = null;
    if (attempt.success()) {
      outcome = new Outcome.Delivered(n);
      if (row.get("event_at") instanceof Number at) {
        tx.afterCommit(() -> meters.delivered(now - at.longValue()));
      }
      newStatus = DELIVERED;
      h.createUpdate("UPDATE webhooks SET failure_count = 0 WHERE id = ? AND failure_count <> 0")
          .bind(0, webhookId)
          .execute();
    } else if (DELIVERED.equals(status)) {
      outcome = new Outcome.GaveUp(n, "already delivered", false);
      newStatus = DELIVERED;
    } else {
      Optional<Duration> delay =
          test || FAILED.equals(status)
              ? Optional.empty()
              : schedule.delayAfter(n, attempt.retryAfter());
      if (delay.isPresent()) {
        next = now + delay.get().toMillis();
        outcome = new Outcome.Retry(n, Instant.ofEpochMilli(next));
        newStatus = PENDING;
      } else {
        newStatus = FAILED;
        boolean counts = !test && !manual && PENDING.equals(status);
        boolean disabled = counts && countFailure(tx, webhookId, now, attempt.error());
        outcome =
            new Outcome.GaveUp(
                n,
                test
                    ? "test deliveries are not retried"
                    : "no attempt left after " + n + " attempts",
                disabled);
      }
    }
    if (!attempt.success() && !DELIVERED.equals(status)) {
      Outcome failed = outcome;
      tx.afterCommit(() -> meters.failed(failed));
    }
    h.createUpdate(
            "UPDATE webhook_deliveries SET status = :status, attempts = :n,"
                + " next_attempt_at = :next, locked_by = NULL, locked_until = NULL,"
                + " last_status_code = :code, last_latency_ms = :latency, last_error = :error,"
                + " last_attempt_at = :now, finished_at = :finished WHERE id = :id")
        .bind("status", newStatus)
        .bind("n", n)
        .bind("next", next)
        .bind("code", attempt.statusCode())
        .bind("latency", attempt.latencyMillis())
        .bind("error", attempt.error())
        .bind("now", now)
        .bind("finished", PENDING.equals(newStatus) ? null : (Long) now)
        .bind("id", id)
        .execute();
    h.createUpdate(
            "INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code,"
                + " latency_ms, error, response_excerpt, next_attempt_at, node) VALUES (:id,"
                + " :n, :now, :code, :latency, :error, :excerpt, :next, :node)")
        .bind("id", id)
        .bind("n", n)
        .bind("now", now)
        .bind("code", attempt.statusCode())
        .bind("latency", attempt.latencyMillis())
        .bind("error", attempt.error())
        .bind("excerpt", attempt.responseExcerpt())
        .bind("next", next)
        .bind("node", node)
        .execute();
    return outcome;
  }

  /**
   * Counts one failed delivery against the webhook; at {@link RetrySchedule#AUTO_DISABLE_AFTER}
   * switches it off. Returns whether it did.
   */
  private boolean countFailure(Tx tx, long webhookId, long now, String error) {
    Handle h = tx.handle();
    h.createUpdate("UPDATE webhooks SET failure_count = failure_count + 1 WHERE id = ?")
        .bind(0, webhookId)
        .execute();
    WebhookRow hook = WebhookStore.load(h, webhookId).orElse(null);
    if (hook == null || !hook.active() || hook.failureCount() < RetrySchedule.AUTO_DISABLE_AFTER) {
      return false;
    }
    String reason =
        hook.failureCount()
            + " consecutive deliveries failed"
            + (error == null ? "" : "; last error: " + error);
    disable(tx, hook, reason, now, true);
    return true;
  }

  /**
   * Switches a webhook off in {@code tx}: marks it inactive and fails its pending deliveries; when
   * {@code automatic}, also records the reason and appends a {@code webhook.disabled} event.
   */
  void disable(Tx tx, WebhookRow hook, String reason, long now, boolean automatic) {
    Handle h = tx.handle();
    h.createUpdate(
            "UPDATE webhooks SET active = FALSE, disabled_at = :now, disabled_reason = :reason,"
                + " updated_at = :now WHERE id = :id")
        .bind("now", now)
        .bind("reason", reason)
        .bind("id", hook.id())
        .execute();
    failPending(
        h, hook.id(), (automatic ? "webhook disabled: " : "webhook deactivated: ") + reason, now);
    if (automatic) {
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("webhook_id", hook.id());
      facts.put("agent_id", hook.agentId());
      facts.put("url", hook.url());
      facts.put("failure_count", hook.failureCount());
      facts.put("reason", reason);
      events.append(tx, DISABLED_EVENT, null, null, facts, null);
    }
  }

  /** Fails every pending delivery of a webhook (it was switched off); they can be redelivered. */
  static void failPending(Handle h, long webhookId, String why, long now) {
    h.createUpdate(
            "UPDATE webhook_deliveries SET status = 'failed', finished_at = :now,"
                + " next_attempt_at = NULL, locked_by = NULL, locked_until = NULL,"
                + " last_error = :why WHERE webhook_id = :id AND status = 'pending'")
        .bind("now", now)
        .bind("why", why)
        .bind("id", webhookId)
        .execute();
  }

  /**
   * Releases every lease (at start-up on SQLite, where only one process uses the database, so
   * leases left by a killed process are free at once).
   */
  int releaseAll() {
    return db.write(
        tx ->
            tx.handle()
                .createUpdate(
                    "UPDATE webhook_deliveries SET locked_by = NULL, locked_until = NULL"
                        + " WHERE status = 'pending' AND locked_by IS NOT NULL")
                .execute());
  }

  /**
   * Deletes finished deliveries (with their attempt log) created more than {@link
   * RetrySchedule#RETENTION} ago, in chunks; returns how many.
   */
  int purge() {
    long cutoff = clock.millis() - RetrySchedule.RETENTION.toMillis();
    int total = 0;
    while (true) {
      int n =
          db.write(
              tx -> {
                Handle h = tx.handle();
                List<String> ids =
                    h.createQuery(
                            "SELECT id FROM webhook_deliveries WHERE created_at < :cutoff AND"
                                + " status <> 'pending' LIMIT 1000")
                        .bind("cutoff", cutoff)
                        .mapTo(String.class)
                        .list();
                if (ids.isEmpty()) {
                  return 0;
                }
                h.createUpdate("DELETE FROM webhook_attempts WHERE delivery_id IN (<ids>)")
                    .bindList("ids", ids)
                    .execute();
                h.createUpdate("DELETE FROM webhook_deliveries WHERE id IN (<ids>)")
                    .bindList("ids", ids)
                    .execute();
                return ids.size();
              });
      total += n;
      if (n < 1000) {
        return total;
      }
    }
  }
}

package dev.delega.server.context;

import dev.delega.api.Comment;
import dev.delega.api.Json;
import dev.delega.api.Project;
import dev.delega.api.Task;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.store.Database;
import dev.delega.server.store.Sql;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import tools.jackson.core.type.TypeReference;

/**
 * The stored {@code Idempotency-Key}s: one row per (caller scope, key), taken "in progress" in its
 * own committed transaction before the request runs (the unique index decides which of two
 * concurrent requests owns the key, on every node), marked committed by the request's first write
 * in that write's own transaction (see {@link #committedMark}), then completed with the response. A
 * row older than the retention is free again; an in-progress row whose owner died before any of
 * its work committed is taken over after the lock time; one whose work committed is never run
 * again ({@link AnswerLost}).
 */
final class IdempotencyKeys {
  /** How long a key is remembered. */
  static final Duration RETENTION = Duration.ofHours(24);

  /** How long an unfinished request holds its key before another may take it over. */
  static final Duration LOCK = Duration.ofMinutes(2);

  private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

  private final Database db;
  private final Clock clock;
  private final AtomicLong lastPurge = new AtomicLong();

  IdempotencyKeys(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** What became of an attempt to take a key. */
  sealed interface Claim {}

  /** The caller owns the key now and must {@link #complete} or {@link #release} it. */
  record Owned(long id, String owner) implements Claim {}

  /** The key already finished with this response; replay it. */
  record Replay(int status, Map<String, String> headers, String body) implements Claim {}

  /** The key was used for a different request. */
  record Mismatch() implements Claim {}

  /** Another request with the key is still running. */
  record InProgress() implements Claim {}

  /**
   * The work of an earlier request with the key committed, but its answer was never stored (the
   * process died in between, or the request failed after its write) and no live request holds
   * the key: the work must not run again. {@code resultType}/{@code resultId} name what the first
   * write returned when it was a resource with an id (null otherwise).
   */
  record AnswerLost(long committedAt, String resultType, Long resultId) implements Claim {}

  /** Takes {@code key} for the request with this fingerprint, or says why not. */
  Claim claim(String scope, String key, String requestHash) {
    long now = clock.millis();
    long cutoff = now - RETENTION.toMillis();
    String owner = UUID.randomUUID().toString();
    return db.write(
        tx -> {
          Handle h = tx.handle();
          purgeNowAndThen(h, now, cutoff);
          int inserted =
              h.createUpdate(
                      "INSERT INTO idempotency_keys (scope, idem_key, request_hash, owner, completed,"
                          + " created_at, locked_until) VALUES (:scope, :key, :hash, :owner, FALSE, :now, :lock)"
                          + " ON CONFLICT (scope, idem_key) DO NOTHING")
                  .bind("scope", scope)
                  .bind("key", key)
                  .bind("hash", requestHash)
                  .bind("owner", owner)
                  .bind("now", now)
                  .bind("lock", now + LOCK.toMillis())
                  .execute();
          if (inserted == 1) {
            return new Owned(id(h, scope, key), owner);
          }
          int takenOver =
              h.createUpdate(
                      "UPDATE idempotency_keys SET request_hash = :hash, owner = :owner, completed = FALSE,"
                          + " status = NULL, headers = NULL, body = NULL, created_at = :now, locked_until = :lock,"
                          + " committed_at = NULL, result_type = NULL, result_id = NULL"
                          + " WHERE scope = :scope AND idem_key = :key AND (created_at < :cutoff"
                          + " OR (completed = FALSE AND committed_at IS NULL AND locked_until < :now))")
                  .bind("scope", scope)
                  .bind("key", key)
                  .bind("hash", requestHash)
                  .bind("owner", owner)
                  .bind("now", now)
                  .bind("lock", now + LOCK.toMillis())
                  .bind("cutoff", cutoff)
                  .execute();
          if (takenOver == 1) {
            return new Owned(id(h, scope, key), owner);
          }
          return h.createQuery(
                  "SELECT request_hash, completed, status, headers, body, locked_until, committed_at,"
                      + " result_type, result_id FROM idempotency_keys"
                      + " WHERE scope = :scope AND idem_key = :key")
              .bind("scope", scope)
              .bind("key", key)
              .map(
                  (rs, ctx) -> {
                    if (!rs.getString("request_hash").equals(requestHash)) {
                      return (Claim) new Mismatch();
                    }
                    if (!rs.getBoolean("completed")) {
                      Long committedAt = Sql.getLong(rs, "committed_at");
                      if (committedAt == null || rs.getLong("locked_until") >= now) {
                        return new InProgress();
                      }
                      return new AnswerLost(committedAt, rs.getString("result_type"), Sql.getLong(rs, "result_id"));
                    }
                    String headers = rs.getString("headers");
                    return new Replay(
                        rs.getInt("status"),
                        headers == null ? Map.of() : Json.mapper().readValue(headers, HEADERS),
                        rs.getString("body"));
                  })
              .findOne()
              // Deleted between the insert and this read (released by a failed owner): try again.
              .orElseGet(InProgress::new);
        });
  }

  private static long id(Handle h, String scope, String key) {
    return h.createQuery("SELECT id FROM idempotency_keys WHERE scope = :scope AND idem_key = :key")
        .bind("scope", scope)
        .bind("key", key)
        .mapTo(Long.class)
        .one();
  }

  private void purgeNowAndThen(Handle h, long now, long cutoff) {
    long last = lastPurge.get();
    if (now - last < PURGE_EVERY.toMillis() || !lastPurge.compareAndSet(last, now)) {
      return;
    }
    h.createUpdate("DELETE FROM idempotency_keys WHERE created_at < :cutoff").bind("cutoff", cutoff).execute();
  }

  /**
   * What the owner of a key attaches to its thread's next write unit ({@link
   * Database#attachRider}): marks the key committed in that unit's transaction, with what the unit
   * returned, so that the work and the mark commit together. When the key is no longer this
   * owner's (a retry took it over after the lock ran out) the unit is refused and rolled back.
   */
  Database.Rider committedMark(Owned owned) {
    return (tx, result) -> {
      String type;
      Long id;
      switch (result) {
        case Task t -> {
          type = "task";
          id = t.id();
        }
        case Comment c -> {
          type = "comment";
          id = c.id();
        }
        case Project p -> {
          type = "project";
          id = p.id();
        }
        case null, default -> {
          type = null;
          id = null;
        }
      }
      int marked =
          tx.handle()
              .createUpdate(
                  "UPDATE idempotency_keys SET committed_at = COALESCE(committed_at, :now),"
                      + " result_type = COALESCE(result_type, :type), result_id = COALESCE(result_id, :rid)"
                      + " WHERE id = :id AND owner = :owner AND completed = FALSE")
              .bind("now", clock.millis())
              .bind("type", type)
              .bind("rid", id)
              .bind("id", owned.id())
              .bind("owner", owned.owner())
              .execute();
      if (marked != 1) {
        throw new DelegaException.Conflict(
            "the Idempotency-Key of this request was taken over by a retry after its "
                + LOCK.toMinutes()
                + "-minute lock ran out; nothing was changed");
      }
    };
  }

  /** Stores the response of an owned key; later requests with it replay this. */
  void complete(Owned owned, int status, Map<String, String> headers, String body) {
    db.write(
        tx ->
            tx.handle()
                .createUpdate(
                    "UPDATE idempotency_keys SET completed = TRUE, status = :status, headers = :headers,"
                        + " body = :body WHERE id = :id AND owner = :owner")
                .bind("status", status)
                .bind("headers", Json.mapper().writeValueAsString(headers))
                .bind("body", body)
                .bind("id", owned.id())
                .bind("owner", owned.owner())
                .execute());
  }

  /**
   * Gives an owned key up without a response (the request failed in a way worth retrying): the key
   * is freed when none of the request's work committed; otherwise its lock ends now, so that the
   * next request with it learns at once that the answer is lost instead of running the work again.
   */
  void release(Owned owned) {
    db.write(
        tx -> {
          Handle h = tx.handle();
          int deleted =
              h.createUpdate(
                      "DELETE FROM idempotency_keys WHERE id = :id AND owner = :owner AND completed = FALSE"
                          + " AND committed_at IS NULL")
                  .bind("id", owned.id())
                  .bind("owner", owned.owner())
                  .execute();
          if (deleted == 0) {
            h.createUpdate(
                    "UPDATE idempotency_keys SET locked_until = 0 WHERE id = :id AND owner = :owner"
                        + " AND completed = FALSE")
                .bind("id", owned.id())
                .bind("owner", owned.owner())
                .execute();
          }
          return null;
        });
  }
}

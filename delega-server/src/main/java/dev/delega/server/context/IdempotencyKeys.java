package dev.delega.server.context;

import dev.delega.api.Json;
import dev.delega.server.store.Database;
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
 * concurrent requests owns the key, on every node), then completed with the response. A row older
 * than the retention is free again; an in-progress row whose owner died is taken over after the
 * lock time.
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
                          + " status = NULL, headers = NULL, body = NULL, created_at = :now, locked_until = :lock"
                          + " WHERE scope = :scope AND idem_key = :key"
                          + " AND (created_at < :cutoff OR (completed = FALSE AND locked_until < :now))")
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
                  "SELECT request_hash, completed, status, headers, body FROM idempotency_keys"
                      + " WHERE scope = :scope AND idem_key = :key")
              .bind("scope", scope)
              .bind("key", key)
              .map(
                  (rs, ctx) -> {
                    if (!rs.getString("request_hash").equals(requestHash)) {
                      return (Claim) new Mismatch();
                    }
                    if (!rs.getBoolean("completed")) {
                      return new InProgress();
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

  /** Gives an owned key up without a response (the request failed in a way worth retrying). */
  void release(Owned owned) {
    db.write(
        tx ->
            tx.handle()
                .createUpdate("DELETE FROM idempotency_keys WHERE id = :id AND owner = :owner AND completed = FALSE")
                .bind("id", owned.id())
                .bind("owner", owned.owner())
                .execute());
  }
}

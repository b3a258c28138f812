package dev.delega.server.claim;

import dev.delega.server.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns tasks whose lease ran out to the queue in the background, in batches of one transaction
 * each, so that reads ({@code claimed=false}, fleet attention) catch up even when nobody claims.
 * "Now" comes from the injected clock and the ticks from the injected scheduler, so tests drive
 * {@link #sweep()} by hand under a fake clock.
 */
final class LeaseSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseSweeper.class);
  static final int BATCH = 200;

  private final Database db;
  private final LeaseExpiry expiry;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong expiredTotal = new AtomicLong();
  private volatile Long lastSweepAt;
  private volatile String lastError;
  private ScheduledFuture<?> ticks;

  LeaseSweeper(Database db, LeaseExpiry expiry, Clock clock, ScheduledExecutorService scheduler) {
    this.db = db;
    this.expiry = expiry;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  /** Sweeps every {@code every}, starting after one period. */
  synchronized LeaseSweeper start(Duration every) {
    if (ticks == null) {
      ticks = scheduler.scheduleWithFixedDelay(this::tick, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void tick() {
    try {
      sweep();
      lastError = null;
    } catch (RuntimeException e) {
      lastError = String.valueOf(e.getMessage());
      LOG.warn("lease sweep failed; retrying on the next tick", e);
    }
  }

  /** Expires every lease that has run out by now; returns how many. */
  int sweep() {
    int total = 0;
    while (true) {
      long now = clock.millis();
      if (!anyDue(now)) {
        break;
      }
      int n = db.write(tx -> expiry.expireDue(tx, now, BATCH));
      total += n;
      if (n < BATCH) {
        break;
      }
    }
    lastSweepAt = clock.millis();
    expiredTotal.addAndGet(total);
    return total;
  }

  /** A cheap read first, so an idle server does not queue an empty write every tick. */
  private boolean anyDue(long now) {
    return db.read(h ->
        h.createQuery("SELECT id FROM tasks WHERE lease_expires_at <= ? AND claimed_by_agent_id IS NOT NULL LIMIT 1")
            .bind(0, now)
            .mapTo(Long.class)
            .findOne()
            .isPresent());
  }

  /** The sweeper's health entry: ok while it runs and its last sweep did not fail. */
  Map<String, Object> health() {
    Map<String, Object> out = new LinkedHashMap<>();
    boolean running = ticks != null && !ticks.isDone();
    out.put("ok", running && lastError == null);
    out.put("running", running);
    out.put("last_sweep_at", lastSweepAt == null ? null : Instant.ofEpochMilli(lastSweepAt).toString());
    out.put("leases_expired", expiredTotal.get());
    if (lastError != null) {
      out.put("error", lastError);
    }
    return out;
  }

  @Override
  public synchronized void close() {
    if (ticks != null) {
      ticks.cancel(false);
    }
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

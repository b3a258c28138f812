package dev.delega.server.http;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per caller and tier (read or write): each holds a minute's allowance and refills
 * continuously. Idle buckets are dropped, so memory stays bounded by the number of recent callers.
 */
public final class RateLimiter {
  private final Clock clock;
  private final int readsPerMinute;
  private final int writesPerMinute;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private volatile long lastSweep;

  public RateLimiter(Clock clock, int readsPerMinute, int writesPerMinute) {
    this.clock = clock;
    this.readsPerMinute = readsPerMinute;
    this.writesPerMinute = writesPerMinute;
  }

  /** The outcome of one request against a bucket. */
  public record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {}

  /** Takes one token for {@code key} in the given tier. */
  public Decision acquire(String key, boolean write) {
    int limit = write ? writesPerMinute : readsPerMinute;
    long now = clock.millis();
    sweep(now);
    Bucket b = buckets.computeIfAbsent((write ? "w:" : "r:") + key, k -> new Bucket(limit, now));
    synchronized (b) {
      double perMs = limit / 60_000.0;
      b.tokens = Math.min(limit, b.tokens + (now - b.updated) * perMs);
      b.updated = now;
      long reset = (long) Math.ceil((limit - b.tokens) / perMs / 1000.0);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return new Decision(true, limit, (int) Math.floor(b.tokens), Math.max(reset, 0), 0);
      }
      long retry = (long) Math.ceil((1 - b.tokens) / perMs / 1000.0);
      return new Decision(false, limit, 0, Math.max(reset, 1), Math.max(retry, 1));
    }
  }

  private void sweep(long now) {
    if (now - lastSweep < 60_000) {
      return;
    }
    lastSweep = now;
    buckets.entrySet().removeIf(e -> now - e.getValue().updated > 120_000);
  }

  private static final class Bucket {
    double tokens;
    long updated;

    Bucket(int limit, long now) {
      this.tokens = limit;
      this.updated = now;
    }
  }
}

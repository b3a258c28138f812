package dev.delega.server.ingress;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Remembers accepted ingress signatures for one node so the same signed delivery is accepted once,
 * with memory bounded by time and by count.
 *
 * <p>A signature with timestamp {@code t} can pass {@link IngressSignature} until {@code t +
 * tolerance}; it is remembered exactly that long and then forgotten, since the verifier refuses it
 * as {@link IngressSignature.Reason#STALE} from then on. If more than {@code maxEntries} distinct
 * signatures are live at once (only authentic deliveries get here, so only a sender flooding its
 * own endpoint does that), the entry closest to expiry is dropped first. Thread-safe. Several nodes
 * need the same check in the shared store instead.
 */
public final class ReplayGuard {
  /** The default number of signatures remembered at once. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private final Clock clock;
  private final long toleranceSeconds;
  private final int maxEntries;
  private final Map<String, Long> expiries = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>();

  /** A guard for the default tolerance and size. */
  public ReplayGuard(Clock clock) {
    this(clock, IngressSignature.DEFAULT_TOLERANCE, DEFAULT_MAX_ENTRIES);
  }

  /** A guard that remembers each signature for {@code tolerance} past its timestamp. */
  public ReplayGuard(Clock clock, Duration tolerance, int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
    }
    this.clock = clock;
    this.toleranceSeconds = tolerance.getSeconds();
    this.maxEntries = maxEntries;
  }

  /**
   * Records a signature and says whether it is new.
   *
   * @param key what identifies the delivery, e.g. {@code sourceId + ":" + signature}
   * @param timestamp the signed unix seconds
   * @return {@code true} the first time within the tolerance, {@code false} for a replay
   */
  public synchronized boolean firstSeen(String key, long timestamp) {
    long now = clock.instant().getEpochSecond();
    purge(now);
    long expiry = timestamp + toleranceSeconds;
    if (expiry < now) {
      return true; // outside the tolerance: the verifier refuses it anyway, nothing to remember
    }
    if (expiries.containsKey(key)) {
      return false;
    }
    while (expiries.size() >= maxEntries) {
      Entry oldest = byExpiry.poll();
      expiries.remove(oldest.key, oldest.expiry);
    }
    expiries.put(key, expiry);
    byExpiry.add(new Entry(expiry, key));
    return true;
  }

  /**
   * Passes a verification through the guard: a {@link IngressSignature.Valid} seen before under
   * {@code scope} (e.g. the source id) becomes {@link IngressSignature.Reason#REPLAYED}; anything
   * else is returned unchanged.
   */
  public IngressSignature.Verification check(String scope, IngressSignature.Verification v) {
    if (v instanceof IngressSignature.Valid valid
        && !firstSeen(scope + ":" + valid.signature(), valid.timestamp())) {
      return new IngressSignature.Invalid(
          IngressSignature.Reason.REPLAYED,
          "this signed delivery was already accepted; sign each delivery with a fresh timestamp");
    }
    return v;
  }

  /** How many signatures are remembered now. */
  public synchronized int size() {
    purge(clock.instant().getEpochSecond());
    return expiries.size();
  }

  private void purge(long now) {
    while (!byExpiry.isEmpty() && byExpiry.peek().expiry < now) {
      Entry e = byExpiry.poll();
      expiries.remove(e.key, e.expiry);
    }
  }

  private record Entry(long expiry, String key) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      return Long.compare(expiry, o.expiry);
    }
  }
}

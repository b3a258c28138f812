package dev.delega.server.webhook;

import dev.delega.server.event.EventSignal;
import dev.delega.server.webhook.WebhookSender.Attempt;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds: one dispatcher thread and one lane per webhook.
 *
 * <p>Design note. The dispatcher wakes on every committed event (and at least every {@code poll}),
 * runs the {@link FanOut} until the log is drained (on a wake-up only while some webhook is active,
 * so a server without webhooks moves the cursor once per poll), and hands the deliveries it leased
 * to this process straight to the lanes, so a fresh event costs one extra transaction before it is
 * on the wire. Every {@code poll} it also leases due retries and overflow from the table ({@link
 * Outbox#claimDue}, {@code FOR UPDATE SKIP LOCKED} on PostgreSQL) and, once an hour, purges old
 * records. A lane is a queue with at most {@code perEndpoint} virtual threads sending to one
 * webhook, and all lanes together send at most {@code inFlight} requests at once; a slow receiver
 * fills only its own lane. Results are recorded by one recorder thread in batches, so the time a
 * write takes never limits how fast a lane sends. When a lane already holds {@link
 * #MAX_LANE_BACKLOG} deliveries, new ones stay unleased in the table and are claimed when it has
 * room, so memory stays bounded. A delivery's lease is renewed before sending when it is about to
 * run out, so another process never sends a delivery this one still holds, unless this one died;
 * then the lease runs out and any process (on SQLite: this one at restart) takes it over.
 * At-least-once: a delivery can be sent twice (a crash after sending, before recording), always
 * with the same delivery id.
 */
final class DeliveryWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorkers.class);

  /** Deliveries one lane may hold in memory. */
  static final int MAX_LANE_BACKLOG = 1_000;

  /**
   * How long what a lease carried may be sent without reading the delivery and its webhook again: a
   * change to the webhook (URL, secret, active) reaches deliveries fanned out up to this long
   * before it only if they wait longer than this.
   */
  static final Duration FRESH = Duration.ofSeconds(2);

  /** Time kept in hand on a lease before sending: a whole attempt must fit. */
  static final Duration LEASE_MARGIN = Duration.ofSeconds(20);

  private static final Duration PURGE_EVERY = Duration.ofHours(1);
  private static final int CLAIM_BATCH = 500;
  private static final int RECORD_BATCH = 256;

  /** Counters for health and benchmarks. */
  record Stats(long sent, long delivered, long failed, int queued, int lanes) {}

  private final Outbox outbox;
  private final FanOut fanOut;
  private final WebhookSender sender;
  private final Clock clock;
  private final int perEndpoint;
  private final Semaphore inFlight;
  private final Duration poll;
  private final EventSignal wake = new EventSignal();
  private final Map<Long, Lane> lanes = new ConcurrentHashMap<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<Outbox.Result> results = new LinkedBlockingQueue<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean closed;
  private volatile boolean lanesStopped;
  private volatile Thread dispatcher;
  private volatile Thread recorder;
  private volatile long lastLoopAt;
  private volatile String lastError;

  DeliveryWorkers(
      Outbox outbox,
      FanOut fanOut,
      WebhookSender sender,
      Clock clock,
      int perEndpoint,
      int inFlight,
      Duration poll) {
    this.outbox = outbox;
    this.fanOut = fanOut;
    this.sender = sender;
    this.clock = clock;
    this.perEndpoint = perEndpoint;
    this.inFlight = new Semaphore(inFlight);
    this.poll = poll;
  }

  /** Starts the dispatcher and the recorder threads. */
  void start() {
    lastLoopAt = System.nanoTime();
    dispatcher = Thread.ofVirtual().name("delega-webhook-dispatcher").start(this::loop);
    recorder = Thread.ofVirtual().name("delega-webhook-recorder").start(this::recordLoop);
  }

  /** Wakes the dispatcher (a new event was committed, or work is waiting). */
  void wake() {
    wake.fire();
  }

  Stats stats() {
    int q = 0;
    for (Lane lane : lanes.values()) {
      q += lane.size();
    }
    return new Stats(sent.get(), delivered.get(), failed.get(), q, lanes.size());
  }

  /** Health: the dispatcher is alive and has looped recently. */
  Map<String, Object> health() {
    Stats s = stats();
    Thread t = dispatcher;
    boolean alive = t != null && t.isAlive();
    long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastLoopAt);
    boolean ok = alive && idle < poll.toMillis() * 30 + 60_000;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ok", ok);
    out.put("node", outbox.node());
    out.put("queued", s.queued());
    out.put("sent", s.sent());
    out.put("delivered", s.delivered());
    out.put("failed_attempts", s.failed());
    if (lastError != null) {
      out.put("last_error", lastError);
    }
    return out;
  }

  private void loop() {
    long nextPoll = System.nanoTime();
    long nextPurge = clock.millis();
    while (!closed) {
      var wakeUp = wake.next();
      lastLoopAt = System.nanoTime();
      try {
        boolean pollNow = System.nanoTime() - nextPoll >= 0;
        if (pollNow || fanOut.anyActive()) {
          drainLog();
        }
        if (pollNow) {
          claimDue();
          nextPoll = System.nanoTime() + poll.toNanos();
        }
        if (clock.millis() >= nextPurge) {
          int purged = outbox.purge();
          if (purged > 0) {
            LOG.info("purged {} webhook deliveries older than {}", purged, RetrySchedule.RETENTION);
          }
          nextPurge = clock.millis() + PURGE_EVERY.toMillis();
        }
        lastError = null;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        lastError = String.valueOf(e.getMessage());
        LOG.warn("webhook dispatcher pass failed; retrying", e);
      }
      try {
        long wait = TimeUnit.NANOSECONDS.toMillis(nextPoll - System.nanoTime());
        EventSignal.await(wakeUp, Math.max(1, wait));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Fans out every committed event not yet fanned out; submits what was leased here. */
  void drainLog() {
    while (!closed) {
      FanOut.Pass pass = fanOut.runOnce(this::hasRoom);
      for (Outbox.Leased d : pass.leased()) {
        submit(d);
      }
      if (pass.events() < FanOut.BATCH) {
        return;
      }
    }
  }

  /** Leases due deliveries from the table for lanes that have room; submits them. */
  void claimDue() {
    List<Long> full = new ArrayList<>();
    for (Map.Entry<Long, Lane> e : lanes.entrySet()) {
      if (e.getValue().size() >= MAX_LANE_BACKLOG) {
        full.add(e.getKey());
      }
    }
    for (Outbox.Leased d : outbox.claimDue(CLAIM_BATCH, full)) {
      submit(d);
    }
  }

  private boolean hasRoom(long webhookId, int more) {
    Lane lane = lanes.get(webhookId);
    return (lane == null ? 0 : lane.size()) + more <= MAX_LANE_BACKLOG;
  }

  /** Queues a leased delivery on its webhook's lane (once, even if handed over twice). */
  void submit(Outbox.Leased d) {
    if (closed || !queued.add(d.id())) {
      return;
    }
    lanes.computeIfAbsent(d.webhookId(), Lane::new).offer(d);
  }

  /**
   * Sends one delivery now and records the outcome before returning it. Unless {@code manual}, only
   * a pending delivery leased to this process to an active webhook is sent; its lease is renewed
   * first when it is about to run out.
   */
  Outcome deliver(String id, boolean manual) {
    Object sentOrSkipped = send(new Outbox.Leased(id, 0, 0), manual);
    if (sentOrSkipped instanceof Outcome skipped) {
      return skipped;
    }
    return outbox.record(id, (Attempt) sentOrSkipped, manual);
  }

  /**
   * Sends one delivery (see {@link #deliver}); the {@link Attempt}, or a {@link Outcome.Skipped}.
   * What the lease carried is used as it is while it is fresh and the lease has time left;
   * otherwise the delivery and its webhook are read again.
   */
  private Object send(Outbox.Leased d, boolean manual) {
    String id = d.id();
    long now = clock.millis();
    if (!manual
        && d.ready() != null
        && now - d.readAt() < FRESH.toMillis()
        && d.leasedUntil() - now >= LEASE_MARGIN.toMillis()) {
      return post(d.ready());
    }
    Optional<Outbox.Ready> found = outbox.ready(id);
    if (found.isEmpty()) {
      return new Outcome.Skipped("the delivery no longer exists");
    }
    Outbox.Ready r = found.get();
    if (!manual) {
      if (!Outbox.PENDING.equals(r.status()) || !outbox.node().equals(r.lockedBy())) {
        return new Outcome.Skipped("not leased to this process");
      }
      if (!r.active()) {
        return new Outcome.Skipped("the webhook is inactive");
      }
      if (r.lockedUntil() - clock.millis() < LEASE_MARGIN.toMillis() && !outbox.renew(id)) {
        return new Outcome.Skipped("lease lost");
      }
    }
    return post(r);
  }

  private Attempt post(Outbox.Ready r) {
    Map<String, String> headers =
        PayloadSigner.headers(r.secret(), r.id(), r.event(), clock.instant(), r.payload());
    Attempt attempt = sender.send(r.url(), headers, r.payload());
    sent.incrementAndGet();
    if (attempt.success()) {
      delivered.incrementAndGet();
    } else {
      failed.incrementAndGet();
    }
    return attempt;
  }

  /**
   * Records finished attempts of the lanes in batches, one transaction each, so that the time a
   * write takes never limits how fast a lane sends.
   */
  private void recordLoop() {
    List<Outbox.Result> batch = new ArrayList<>(RECORD_BATCH);
    while (true) {
      try {
        Outbox.Result first = results.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (lanesStopped && results.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(first);
        results.drainTo(batch, RECORD_BATCH - 1);
        outbox.recordAll(batch);
      } catch (InterruptedException e) {
        if (lanesStopped && results.isEmpty()) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.warn("could not record {} webhook attempts; they will be retried", batch.size(), e);
      } finally {
        for (Outbox.Result r : batch) {
          queued.remove(r.id());
        }
        batch.clear();
      }
    }
  }

  /** Stops the dispatcher and the lanes; waits briefly for attempts under way. */
  @Override
  public void close() {
    closed = true;
    wake.fire();
    Thread t = dispatcher;
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Lane lane : lanes.values()) {
      lane.awaitIdle(deadline);
    }
    lanesStopped = true;
    Thread r = recorder;
    if (r != null) {
      try {
        r.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The deliveries of one webhook waiting to be sent, and the threads sending them. */
  private final class Lane {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Deque<Outbox.Leased> waiting = new ArrayDeque<>();
    private final long webhookId;
    private int running;

    Lane(long webhookId) {
      this.webhookId = webhookId;
    }

    int size() {
      lock.lock();
      try {
        return waiting.size() + running;
      } finally {
        lock.unlock();
      }
    }

    void offer(Outbox.Leased d) {
      lock.lock();
      try {
        waiting.addLast(d);
        if (running < perEndpoint) {
          running++;
          Thread.ofVirtual().name("delega-webhook-" + webhookId).start(this::drain);
        }
      } finally {
        lock.unlock();
      }
    }

    private void drain() {
      while (true) {
        Outbox.Leased d;
        lock.lock();
        try {
          d = closed ? null : waiting.pollFirst();
          if (d == null) {
            running--;
            if (closed) {
              waiting.clear();
            }
            idle.signalAll();
            return;
          }
        } finally {
          lock.unlock();
        }
        boolean recording = false;
        try {
          Object outcome;
          inFlight.acquire();
          try {
            outcome = send(d, false);
          } finally {
            inFlight.release();
          }
          if (outcome instanceof Attempt attempt) {
            results.add(new Outbox.Result(d.id(), attempt, false));
            recording = true;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          if (!closed) {
            LOG.warn("webhook delivery {} failed to run; it stays pending", d.id(), e);
          }
        } finally {
          if (!recording) {
            queued.remove(d.id());
          }
        }
      }
    }

    void awaitIdle(long deadlineNanos) {
      lock.lock();
      try {
        while (running > 0) {
          long left = deadlineNanos - System.nanoTime();
          if (left <= 0 || !idle.await(left, TimeUnit.NANOSECONDS)) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.unlock();
      }
    }
  }
}

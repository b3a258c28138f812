package dev.delega.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Event;
import dev.delega.server.agent.Caller;
import dev.delega.server.event.EventLog;
import dev.delega.server.event.EventVisibility;
import dev.delega.server.store.Database;
import dev.delega.server.store.SqliteDatabase;
import dev.delega.server.testing.MutableClock;
import dev.delega.server.webhook.Outcome.Delivered;
import dev.delega.server.webhook.Outcome.GaveUp;
import dev.delega.server.webhook.Outcome.Retry;
import dev.delega.server.webhook.Outcome.Skipped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox on a real SQLite file and a real loopback receiver, with a clock moved by hand: the
 * retry schedule, Retry-After, giving up, auto-disable, retention and lease take-over.
 */
class OutboxTest {
  private static final Instant START = Instant.parse("2026-03-01T09:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private Path dir;
  private Database db;
  private EventLog events;
  private Receiver receiver;
  private WebhookSender sender;
  private Outbox outbox;
  private FanOut fanOut;
  private DeliveryWorkers workers;

  @BeforeEach
  void open() throws Exception {
    dir = Files.createTempDirectory("delega-outbox");
    db = openDatabase(dir);
    events = new EventLog(clock);
    receiver = new Receiver(clock);
    sender =
        new WebhookSender(
            new WebhookUrlPolicy(true, WebhookUrlPolicy.HostResolver.system()), clock);
    outbox = outbox("node-a");
    fanOut = new FanOut(db, outbox, clock);
    workers = new DeliveryWorkers(outbox, fanOut, sender, clock, 4, 16, Duration.ofSeconds(1));
  }

  @AfterEach
  void close() {
    workers.close();
    sender.close();
    receiver.close();
    db.close();
  }

  /** The store the outbox runs on: a SQLite file here, PostgreSQL in {@link OutboxPostgresIT}. */
  Database openDatabase(Path dir) {
    return SqliteDatabase.open(dir.resolve("delega.db"));
  }

  private Outbox outbox(String node) {
    return new Outbox(
        db,
        events,
        clock,
        new RetrySchedule(new SplittableRandom(7)),
        node,
        Duration.ofSeconds(60));
  }

  /** A webhook of nobody (open mode: receives everything) to {@code path}; returns its id. */
  private long webhook(String path, List<String> types) {
    String secret = PayloadSigner.newSecret();
    receiver.secret(path, secret);
    return db.write(
        tx ->
            WebhookStore.insert(
                tx.handle(), null, receiver.url(path), types, secret, clock.millis()));
  }

  private void event(String type, long taskId) {
    db.write(
        tx ->
            events.append(
                tx,
                type,
                taskId,
                null,
                Map.of(),
                Map.of("id", taskId, "content", "task " + taskId)));
  }

  private List<Outbox.Leased> fanOut() {
    return fanOut.runOnce((webhook, more) -> true).leased();
  }

  private WebhookRow hook(long id) {
    return db.read(h -> WebhookStore.load(h, id).orElseThrow());
  }

  private int count(String sql) {
    return db.read(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  private String status(String deliveryId) {
    return db.read(
        h ->
            h.createQuery("SELECT status FROM webhook_deliveries WHERE id = ?")
                .bind(0, deliveryId)
                .mapTo(String.class)
                .one());
  }

  @Test
  void failedAttemptsAreRetriedOnTheScheduleWithJitterThenGivenUp() {
    receiver.answer("/down", Receiver.Answer.status(500));
    long hook = webhook("/down", List.of("task.created"));
    event("task.created", 1);
    List<Outbox.Leased> leased = fanOut();
    assertThat(leased).hasSize(1);
    String id = leased.getFirst().id();

    for (int attempt = 1; attempt <= 8; attempt++) {
      Instant before = clock.instant();
      Outcome outcome = workers.deliver(id, false);
      assertThat(outcome).isInstanceOf(Retry.class);
      Retry retry = (Retry) outcome;
      assertThat(retry.attempt()).isEqualTo(attempt);
      long nominal = RetrySchedule.DELAYS.get(attempt - 1).toMillis();
      assertThat(Duration.between(before, retry.at()).toMillis())
          .as("delay after attempt %d", attempt)
          .isBetween((long) (nominal * 0.8), (long) (nominal * 1.2));
      assertThat(outbox.claimDue(10, Set.of())).as("not due yet").isEmpty();
      clock.set(retry.at());
      assertThat(outbox.claimDue(10, Set.of())).extracting(Outbox.Leased::id).containsExactly(id);
    }
    Outcome last = workers.deliver(id, false);

    assertThat(last).isInstanceOf(GaveUp.class);
    assertThat(((GaveUp) last).attempt()).isEqualTo(9);
    assertThat(status(id)).isEqualTo("failed");
    assertThat(receiver.to("/down"))
        .hasSize(9)
        .allMatch(Receiver.Delivery::verified)
        .extracting(Receiver.Delivery::deliveryId)
        .containsOnly(id);
    assertThat(count("SELECT COUNT(*) FROM webhook_attempts WHERE delivery_id = '" + id + "'"))
        .isEqualTo(9);
    assertThat(hook(hook).failureCount()).isEqualTo(1);
    assertThat(hook(hook).active()).isTrue();
  }

  @Test
  void aLongerRetryAfterIsHonoured() {
    receiver.answer("/busy", new Receiver.Answer(503, Map.of("Retry-After", "120"), Duration.ZERO));
    webhook("/busy", List.of("task.created"));
    event("task.created", 1);
    String id = fanOut().getFirst().id();

    Retry retry = (Retry) workers.deliver(id, false);

    assertThat(retry.at()).isEqualTo(START.plusSeconds(120));
  }

  @Test
  void theTenthFailedDeliveryInARowSwitchesTheWebhookOff() {
    receiver.answer("/dead", Receiver.Answer.status(410));
    long hook = webhook("/dead", List.of("task.created"));
    long watcher = webhook("/watch", List.of("webhook.disabled"));
    for (int task = 1; task <= 11; task++) {
      event("task.created", task);
    }
    List<String> ids = fanOut().stream().map(Outbox.Leased::id).toList();
    assertThat(ids).hasSize(11);

    List<Outcome> finals = new ArrayList<>();
    for (String id : ids.subList(0, 10)) {
      finals.add(driveToTheEnd(id));
    }

    assertThat(finals.subList(0, 9))
        .allSatisfy(o -> assertThat(((GaveUp) o).disabledWebhook()).isFalse());
    assertThat(((GaveUp) finals.get(9)).disabledWebhook()).isTrue();
    WebhookRow off = hook(hook);
    assertThat(off.active()).isFalse();
    assertThat(off.failureCount()).isEqualTo(10);
    assertThat(off.disabledReason())
        .startsWith("10 consecutive deliveries failed; last error: HTTP 410");
    assertThat(off.disabledAt()).isEqualTo(clock.millis());
    assertThat(status(ids.get(10))).as("still pending when switched off").isEqualTo("failed");
    assertThat(workers.deliver(ids.get(10), false)).isInstanceOf(Skipped.class);

    List<Event> log =
        db.<List<Event>>read(h -> EventLog.read(h, "e.type = 'webhook.disabled'", Map.of(), 10));
    assertThat(log).hasSize(1);
    Event disabled = log.getFirst();
    assertThat(disabled.changes())
        .containsEntry("webhook_id", (int) hook)
        .containsEntry("failure_count", 10);
    Caller admin = new Caller(1L, "root", "admin", true, Set.of(Caller.READ_ALL));
    Caller coordinator = new Caller(2L, "boss", "coordinator", false, Set.of(Caller.READ_ALL));
    assertThat(db.<List<Event>>read(h -> EventVisibility.filter(h, admin, log))).hasSize(1);
    assertThat(db.<List<Event>>read(h -> EventVisibility.filter(h, coordinator, log))).isEmpty();

    // the watcher subscribed to webhook.disabled hears of it; the disabled webhook does not
    List<Outbox.Leased> notices = fanOut();
    assertThat(notices).extracting(Outbox.Leased::webhookId).containsExactly(watcher);
    assertThat(workers.deliver(notices.getFirst().id(), false)).isInstanceOf(Delivered.class);
    assertThat(receiver.to("/watch").getFirst().json().get("changes").get("webhook_id").asLong())
        .isEqualTo(hook);
    assertThat(receiver.to("/watch").getFirst().verified()).isTrue();
  }

  @Test
  void aSuccessfulDeliveryResetsTheCount() {
    receiver.answer("/flaky", Receiver.Answer.status(500));
    long hook = webhook("/flaky", List.of("task.created"));
    for (int task = 1; task <= 3; task++) {
      event("task.created", task);
    }
    List<String> ids = fanOut().stream().map(Outbox.Leased::id).toList();
    driveToTheEnd(ids.get(0));
    driveToTheEnd(ids.get(1));
    assertThat(hook(hook).failureCount()).isEqualTo(2);

    receiver.answer("/flaky", Receiver.Answer.ok());
    assertThat(workers.deliver(ids.get(2), false)).isInstanceOf(Delivered.class);

    assertThat(hook(hook).failureCount()).isZero();
  }

  @Test
  void recordsAreKeptThirtyDaysThenPurged() {
    webhook("/ok", List.of("task.created"));
    event("task.created", 1);
    String id = fanOut().getFirst().id();
    assertThat(workers.deliver(id, false)).isInstanceOf(Delivered.class);

    clock.advance(RetrySchedule.RETENTION);
    assertThat(outbox.purge()).isZero();
    assertThat(status(id)).isEqualTo("delivered");

    clock.advance(Duration.ofMillis(1));
    assertThat(outbox.purge()).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM webhook_deliveries")).isZero();
    assertThat(count("SELECT COUNT(*) FROM webhook_attempts")).isZero();
  }

  @Test
  void pendingDeliveriesAreNeverPurged() {
    receiver.answer("/down", Receiver.Answer.status(500));
    webhook("/down", List.of("task.created"));
    event("task.created", 1);
    String id = fanOut().getFirst().id();
    workers.deliver(id, false);

    clock.advance(RetrySchedule.RETENTION.plusDays(1));

    assertThat(outbox.purge()).isZero();
    assertThat(status(id)).isEqualTo("pending");
  }

  @Test
  void anotherProcessTakesOverOnlyAfterTheLeaseRunsOut() {
    webhook("/ok", List.of("task.created"));
    event("task.created", 1);
    String id = fanOut().getFirst().id();
    Outbox other = outbox("node-b");

    assertThat(other.claimDue(10, Set.of())).isEmpty();
    clock.advance(Duration.ofSeconds(61));
    assertThat(other.claimDue(10, Set.of())).extracting(Outbox.Leased::id).containsExactly(id);

    assertThat(workers.deliver(id, false)).isInstanceOf(Skipped.class);
    assertThat(receiver.all()).isEmpty();
  }

  @Test
  void anIdlePollRunsNoWriteTransaction() {
    int[] writes = {0};
    Database counted = new Database() {
      @Override
      public <T> T read(Work<org.jdbi.v3.core.Handle, T> work) {
        return db.read(work);
      }

      @Override
      public <T> T write(Work<dev.delega.server.store.Tx, T> work) {
        writes[0]++;
        return db.write(work);
      }

      @Override
      public dev.delega.server.store.Dialect dialect() {
        return db.dialect();
      }

      @Override
      public String describe() {
        return db.describe();
      }

      @Override
      public void check() {
        db.check();
      }

      @Override
      public void attachRider(Rider rider) {
        db.attachRider(rider);
      }

      @Override
      public void detachRider() {
        db.detachRider();
      }

      @Override
      public void close() {}
    };
    Outbox polled = new Outbox(counted, events, clock, new RetrySchedule(new SplittableRandom(7)), "node-idle",
        Duration.ofSeconds(60));
    FanOut idle = new FanOut(counted, polled, clock);
    webhook("/ok", List.of("task.created"));

    assertThat(idle.runOnce((webhook, more) -> true).events()).isZero();
    assertThat(polled.claimDue(10, List.of())).isEmpty();
    assertThat(writes[0]).as("nothing to fan out or deliver: no write").isZero();

    event("task.created", 1);
    assertThat(idle.runOnce((webhook, more) -> false).leased()).as("no room: left in the table").isEmpty();
    assertThat(writes[0]).isEqualTo(1);
    assertThat(polled.claimDue(10, List.of())).hasSize(1);
    assertThat(writes[0]).isEqualTo(2);
    assertThat(polled.claimDue(10, List.of())).as("leased now").isEmpty();
    assertThat(idle.runOnce((webhook, more) -> true).events()).isZero();
    assertThat(writes[0]).isEqualTo(2);
  }

  @Test
  void eachEventIsFannedOutOncePerWebhook() {
    webhook("/a", List.of("task.created"));
    webhook("/b", List.of("task.completed"));
    event("task.created", 1);
    event("task.completed", 1);
    event("task.updated", 1);

    assertThat(fanOut()).hasSize(2);
    assertThat(fanOut()).isEmpty();
    assertThat(count("SELECT COUNT(*) FROM webhook_deliveries")).isEqualTo(2);
  }

  @Test
  void aFullLaneLeavesNewDeliveriesInTheTableForLater() {
    long hook = webhook("/ok", List.of("task.created"));
    for (int task = 1; task <= 5; task++) {
      event("task.created", task);
    }

    FanOut.Pass pass = fanOut.runOnce((webhook, more) -> more <= 2);

    assertThat(pass.events()).isEqualTo(5);
    assertThat(pass.leased()).hasSize(2);
    assertThat(outbox.claimDue(10, Set.of(hook))).isEmpty();
    assertThat(outbox.claimDue(10, Set.of())).hasSize(3);
  }

  @Test
  void aBatchOfResultsIsRecordedTogether() {
    long hook = webhook("/ok", List.of("task.created"));
    for (int task = 1; task <= 3; task++) {
      event("task.created", task);
    }
    List<String> ids = fanOut().stream().map(Outbox.Leased::id).toList();
    db.write(tx -> tx.handle().execute("UPDATE webhooks SET failure_count = 3 WHERE id = ?", hook));
    WebhookSender.Attempt ok = new WebhookSender.Attempt(200, 5, "thanks", null, null);
    WebhookSender.Attempt bad = new WebhookSender.Attempt(500, 7, "boom", "HTTP 500: boom", null);

    List<Outcome> outcomes =
        outbox.recordAll(
            List.of(
                new Outbox.Result(ids.get(0), ok, false),
                new Outbox.Result(ids.get(1), bad, false),
                new Outbox.Result("dlv_" + "0".repeat(32), ok, false),
                new Outbox.Result(ids.get(2), ok, false)));

    assertThat(outcomes.get(0)).isEqualTo(new Delivered(1));
    assertThat(outcomes.get(1)).isInstanceOf(Retry.class);
    assertThat(outcomes.get(2)).isInstanceOf(Skipped.class);
    assertThat(outcomes.get(3)).isEqualTo(new Delivered(1));
    assertThat(List.of(status(ids.get(0)), status(ids.get(1)), status(ids.get(2))))
        .containsExactly("delivered", "pending", "delivered");
    assertThat(count("SELECT COUNT(*) FROM webhook_attempts")).isEqualTo(3);
    assertThat(count("SELECT COUNT(*) FROM webhook_deliveries WHERE locked_by IS NOT NULL"))
        .isZero();
    assertThat(hook(hook).failureCount()).isZero();
  }

  /** Attempts a delivery until it is finished, moving the clock to each retry. */
  private Outcome driveToTheEnd(String id) {
    while (true) {
      Outcome o = workers.deliver(id, false);
      if (!(o instanceof Retry retry)) {
        return o;
      }
      clock.set(retry.at());
      assertThat(outbox.claimDue(100, Set.of())).extracting(Outbox.Leased::id).contains(id);
    }
  }
}

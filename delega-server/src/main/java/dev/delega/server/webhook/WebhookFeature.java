package dev.delega.server.webhook;

import dev.delega.server.Features;
import dev.delega.server.event.EventRoutes;
import dev.delega.server.store.Database;
import dev.delega.server.store.Dialect;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Plugs webhooks (management, durable delivery) and the event stream into the server. */
public final class WebhookFeature {
  /** Concurrent requests to one webhook endpoint. */
  static final int PER_ENDPOINT = 4;

  /** Concurrent webhook requests of one server process. */
  static final int IN_FLIGHT = 128;

  /** How often the outbox and the event log are looked at without a wake-up. */
  static final Duration POLL = Duration.ofSeconds(1);

  /** How long a delivery is leased to the process sending it. */
  static final Duration LEASE = Duration.ofSeconds(60);

  private WebhookFeature() {}

  /**
   * Registers the webhook and event routes, starts the delivery workers (closed on shutdown) and
   * registers the {@code webhooks} health entry; returns the webhook store, whose {@link
   * WebhookStore#count()} feeds {@code GET /usage}.
   */
  public static WebhookStore install(Features features) {
    var db = features.database();
    var clock = features.clock();
    String node = "node-" + UUID.randomUUID().toString().substring(0, 8);
    WebhookUrlPolicy policy =
        new WebhookUrlPolicy(
            features.config().allowPrivateWebhooks(), WebhookUrlPolicy.HostResolver.system());
    WebhookSender sender = new WebhookSender(policy, clock);
    features.closeOnShutdown().accept(sender);
    Outbox outbox =
        new Outbox(db, features.events(), clock, new RetrySchedule(new Random()), node, LEASE,
            new WebhookMeters(features.metrics()));
    Gauge.builder("delega.webhooks.disabled", db, WebhookFeature::disabledCount)
        .description("webhooks switched off (by repeated failures or by their owner); one count on a small table per scrape")
        .register(features.metrics());
    if (db.dialect() == Dialect.SQLITE) {
      outbox.releaseAll();
    }
    FanOut fanOut = new FanOut(db, outbox, clock);
    DeliveryWorkers workers =
        new DeliveryWorkers(outbox, fanOut, sender, clock, PER_ENDPOINT, IN_FLIGHT, POLL);
    features.events().onAppend(id -> workers.wake());
    workers.start();
    features.closeOnShutdown().accept(workers);

    Webhooks webhooks = new Webhooks(db, policy, outbox, workers, clock);
    EventRoutes events = new EventRoutes(db, features.events(), EventRoutes.KEEP_ALIVE, POLL);
    features.endOnDrain().accept(events);
    features
        .routes()
        .accept(
            api -> {
              new WebhookRoutes(webhooks).register(api);
              events.register(api);
            });
    features
        .health()
        .register(
            "webhooks",
            () -> {
              Map<String, Object> out = new LinkedHashMap<>(workers.health());
              out.put("event_streams", events.openStreams());
              return out;
            });
    return new WebhookStore(db);
  }

  private static double disabledCount(Database db) {
    return db.read(
        h -> h.createQuery("SELECT COUNT(*) FROM webhooks WHERE active = FALSE").mapTo(Long.class).one());
  }
}

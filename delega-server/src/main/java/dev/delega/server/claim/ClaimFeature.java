package dev.delega.server.claim;

import dev.delega.server.Features;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Plugs the work queue (claims, leases, fencing, dependencies, fleet attention) into the server. */
public final class ClaimFeature {
  /** How often the sweeper returns run-out leases to the queue. */
  static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

  private ClaimFeature() {}

  /** Registers routes, the lease sweeper, the queue-depth gauge, the claim meters and the health entry. */
  public static void install(Features features) {
    Counter expired =
        Counter.builder("delega.leases.expired")
            .description("leases that ran out and were expired (by the sweeper or inline by a claim)")
            .register(features.metrics());
    LeaseExpiry expiry = new LeaseExpiry(features.tasks(), features.config().maxAttempts(), expired::increment);
    Claims claims =
        new Claims(features.database(), features.tasks(), features.clock(), expiry, features.metrics());
    Dependencies dependencies =
        new Dependencies(
            features.database(), features.tasks(), features.events(), features.clock(),
            features.config().maxAttempts());
    FleetBoard fleet = new FleetBoard(features.database(), features.clock(), features.config().timezone());
    features.routes().accept(api -> new ClaimRoutes(claims, dependencies, fleet).register(api));
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("delega-lease-sweeper").daemon(true).factory());
    LeaseSweeper sweeper =
        new LeaseSweeper(features.database(), expiry, features.clock(), scheduler).start(SWEEP_EVERY);
    QueueDepth depth = new QueueDepth(features.database(), features.clock(), features.metrics());
    scheduler.scheduleWithFixedDelay(depth::tick, 0, SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    features.closeOnShutdown().accept(sweeper);
    features.health().register("lease_sweeper", sweeper::health);
  }
}

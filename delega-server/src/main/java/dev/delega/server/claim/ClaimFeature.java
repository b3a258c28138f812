package dev.delega.server.claim;

import dev.delega.server.Features;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Plugs the work queue (claims, leases, fencing, dependencies, fleet attention) into the server. */
public final class ClaimFeature {
  /** How often the sweeper returns run-out leases to the queue. */
  static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

  private ClaimFeature() {}

  /** Registers routes, the lease sweeper and its health entry. */
  public static void install(Features features) {
    LeaseExpiry expiry = new LeaseExpiry(features.tasks(), features.config().maxAttempts());
    Claims claims = new Claims(features.database(), features.tasks(), features.clock(), expiry);
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
    features.closeOnShutdown().accept(sweeper);
    features.health().register("lease_sweeper", sweeper::health);
  }
}

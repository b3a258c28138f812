package dev.delega.server.claim;

import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The single-winner race on PostgreSQL in one JVM (pooled connections, row locks, SKIP LOCKED); an IT for its run time. */
class PostgresClaimRaceIT extends ClaimRace {
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

  @RegisterExtension
  static final DelegaServerExtension SERVER = new DelegaServerExtension().clock(CLOCK).postgres();

  @Override
  DelegaServerExtension server() {
    return SERVER;
  }

  @Override
  MutableClock clock() {
    return CLOCK;
  }
}

package dev.delega.server.claim;

import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The single-winner race on SQLite (one writer thread, group commit). */
class ClaimRaceTest extends ClaimRace {
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension().clock(CLOCK);

  @Override
  DelegaServerExtension server() {
    return SERVER;
  }

  @Override
  MutableClock clock() {
    return CLOCK;
  }
}

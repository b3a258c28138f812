package dev.delega.server.context;

import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link IdempotencyContract} on SQLite. */
class IdempotencySqliteTest extends IdempotencyContract {
  static final MutableClock CLOCK = MutableClock.now();

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

package dev.delega.server.automation;

import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;

/** {@link AutomationEndpointTest} on PostgreSQL (event-log lock, depth stamping, run log). */
class AutomationEndpointPostgresTest extends AutomationEndpointTest {
  @Override
  DelegaServerExtension newServer(MutableClock clock) {
    return super.newServer(clock).postgres();
  }
}

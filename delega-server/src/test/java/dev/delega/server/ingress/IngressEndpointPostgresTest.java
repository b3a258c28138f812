package dev.delega.server.ingress;

import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;

/** {@link IngressEndpointTest} on PostgreSQL (replay keys, dedupe claims and row locks). */
class IngressEndpointPostgresTest extends IngressEndpointTest {
  @Override
  DelegaServerExtension newServer(MutableClock clock) {
    return super.newServer(clock).postgres();
  }
}

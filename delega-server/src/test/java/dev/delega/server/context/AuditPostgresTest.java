package dev.delega.server.context;

import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AuditContract} on PostgreSQL. */
class AuditPostgresTest extends AuditContract {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension().postgres();

  @Override
  DelegaServerExtension server() {
    return SERVER;
  }
}

package dev.delega.server.context;

import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AuditContract} on SQLite. */
class AuditSqliteTest extends AuditContract {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  @Override
  DelegaServerExtension server() {
    return SERVER;
  }
}

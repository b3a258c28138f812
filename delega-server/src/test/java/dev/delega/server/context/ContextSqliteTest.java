package dev.delega.server.context;

import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ContextContract} on SQLite. */
class ContextSqliteTest extends ContextContract {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  @Override
  DelegaServerExtension server() {
    return SERVER;
  }
}

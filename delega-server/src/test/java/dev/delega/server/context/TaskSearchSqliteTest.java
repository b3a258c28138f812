package dev.delega.server.context;

import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TaskSearchContract} on SQLite. */
class TaskSearchSqliteTest extends TaskSearchContract {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  @Override
  DelegaServerExtension server() {
    return SERVER;
  }
}

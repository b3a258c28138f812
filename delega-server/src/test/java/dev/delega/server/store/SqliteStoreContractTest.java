package dev.delega.server.store;

import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on the default store: one SQLite file with a single writer. */
class SqliteStoreContractTest extends StoreContractTest {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  @Override
  DelegaServerExtension server() {
    return SERVER;
  }

  @Override
  DelegaServerExtension freshServer() {
    return new DelegaServerExtension();
  }
}

package dev.delega.server.store;

import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on PostgreSQL 17 (embedded, a fresh database per server). */
class PostgresStoreContractTest extends StoreContractTest {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension().postgres();

  @Override
  DelegaServerExtension server() {
    return SERVER;
  }

  @Override
  DelegaServerExtension freshServer() {
    return new DelegaServerExtension().postgres();
  }
}

package dev.delega.server.webhook;

import dev.delega.server.store.Database;
import dev.delega.server.store.PostgresDatabase;
import dev.delega.server.testing.PostgresExtension;
import java.nio.file.Path;

/** The outbox tests of {@link OutboxTest} on a fresh PostgreSQL database each. */
class OutboxPostgresIT extends OutboxTest {
  @Override
  Database openDatabase(Path dir) {
    return PostgresDatabase.open(PostgresExtension.newDatabaseUrl(), 8);
  }
}

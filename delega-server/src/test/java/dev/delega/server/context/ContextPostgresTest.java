package dev.delega.server.context;

import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ContextContract} on PostgreSQL. */
class ContextPostgresTest extends ContextContract {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension().postgres();

  @Override
  DelegaServerExtension server() {
    return SERVER;
  }
}

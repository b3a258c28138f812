package dev.delega.server.context;

import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LinksAndEvidenceContract} on PostgreSQL. */
class LinksAndEvidencePostgresTest extends LinksAndEvidenceContract {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension().postgres();

  @Override
  DelegaServerExtension server() {
    return SERVER;
  }
}

package dev.delega.server.context;

import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LinksAndEvidenceContract} on SQLite. */
class LinksAndEvidenceSqliteTest extends LinksAndEvidenceContract {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  @Override
  DelegaServerExtension server() {
    return SERVER;
  }
}

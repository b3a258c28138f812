package dev.delega.server.ops;

/** {@link MetricsTest} on PostgreSQL. */
class MetricsPostgresTest extends MetricsTest {
  MetricsPostgresTest() {
    server.postgres();
  }
}

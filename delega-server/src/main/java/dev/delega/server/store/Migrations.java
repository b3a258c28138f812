package dev.delega.server.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Brings a database to the current schema with the Flyway migrations of its dialect. */
final class Migrations {
  private Migrations() {}

  static void apply(DataSource dataSource, Dialect dialect) {
    Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:db/migration/" + dialect.migrationFolder())
        .mixed(true)
        .load()
        .migrate();
  }
}

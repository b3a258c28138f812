package dev.delega.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --db-path}: which SQLite file {@code backup} and {@code restore} work on. */
final class DatabaseOptions {
  @Option(names = "--db-path", paramLabel = "<file>", description = "The server's SQLite file (default: $DELEGA_DB_PATH, else ./data/delega.db).")
  String dbPath;

  /** The file, refusing when the server is configured for PostgreSQL instead. */
  Path resolve(Session session) {
    if (dbPath == null && session.var("DELEGA_DATABASE_URL") != null) {
      throw new CliException(
          "DELEGA_DATABASE_URL is set, so the server uses PostgreSQL: back it up with pg_dump / pg_restore,"
              + " or pass --db-path to work on a SQLite file.");
    }
    String p = dbPath != null ? dbPath : session.var("DELEGA_DB_PATH");
    return session.resolve(p != null ? p : "./data/delega.db");
  }
}

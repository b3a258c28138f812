package dev.delega.server.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.config.Configurable;

/** What differs between SQLite and PostgreSQL; everything else in the store is shared SQL. */
public enum Dialect {
  SQLITE,
  POSTGRES;

  /** Row-locking suffix for a SELECT inside a write transaction (SQLite has one writer, so none). */
  public String forUpdateSkipLocked() {
    return this == POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
  }

  /** Row-locking suffix that waits for the lock. */
  public String forUpdate() {
    return this == POSTGRES ? " FOR UPDATE" : "";
  }

  /**
   * Serialises appends to the event log inside the current transaction, so event ids are handed
   * out in commit order and a reader that has seen id N never later finds a new event below N.
   * SQLite writes one transaction at a time already.
   */
  public void lockEventLog(Handle handle) {
    if (this == POSTGRES) {
      handle.execute("SELECT pg_advisory_xact_lock(7223372036854775001)");
    }
  }

  /** The dialect of the Jdbi instance {@code handle} came from (see {@link #install}). */
  public static Dialect of(Handle handle) {
    return handle.getConfig(DialectConfig.class).dialect();
  }

  /** Records this dialect in a Jdbi instance's configuration, for {@link #of}. */
  <T extends Configurable<T>> T install(T jdbi) {
    jdbi.getConfig(DialectConfig.class).set(this);
    return jdbi;
  }

  /**
   * A JSON array of the given comma-separated expressions, each value as itself (numbers, text,
   * null; booleans as SQLite's 0/1 or PostgreSQL's true/false). See {@link PackedRow}.
   */
  public String jsonArray(String expressions) {
    return (this == POSTGRES ? "json_build_array(" : "json_array(") + expressions + ")";
  }

  /**
   * An aggregate: the {@link #jsonArray} of each row, as one JSON array ({@code []} over no rows), in
   * no particular order. Read with {@link PackedRow#rows}. (No ORDER BY inside: SQLite may drop
   * the JSON subtype of values an aggregate's ORDER BY passes through, nesting them as text.)
   */
  public String jsonRows(String expressions) {
    return this == POSTGRES
        ? "COALESCE(json_agg(json_build_array(" + expressions + ")), '[]'::json)"
        : "json_group_array(json_array(" + expressions + "))";
  }

  /** The vendor folder name Flyway migrations are read from. */
  public String migrationFolder() {
    return this == POSTGRES ? "postgresql" : "sqlite";
  }
}

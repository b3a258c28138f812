package dev.delega.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * A Delega SQLite database file, seen from outside the server: a consistent copy with {@code VACUUM
 * INTO} (safe while the server runs, since WAL readers never block its writer), an integrity check,
 * and a test whether some process still has the file open.
 */
final class SqliteFile {
  private final Path file;

  SqliteFile(Path file) {
    this.file = file.toAbsolutePath().normalize();
  }

  Path path() {
    return file;
  }

  boolean exists() {
    return Files.isRegularFile(file);
  }

  /** Writes a consistent snapshot to {@code target}, which must not exist yet. */
  void copyTo(Path target) throws SQLException {
    try (Connection c = open(true); Statement s = c.createStatement()) {
      s.execute("VACUUM INTO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
    }
  }

  /** {@code PRAGMA integrity_check}: an empty list when the file is sound, else the problems. */
  List<String> integrityProblems() throws SQLException {
    List<String> problems = new ArrayList<>();
    try (Connection c = open(true); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      while (rs.next()) {
        String line = rs.getString(1);
        if (!"ok".equalsIgnoreCase(line)) {
          problems.add(line);
        }
      }
    }
    return problems;
  }

  /** Whether it has the tables of a Delega database (the migration history and tasks). */
  boolean looksLikeDelega() throws SQLException {
    try (Connection c = open(true);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('tasks', 'agents')")) {
      return rs.next() && rs.getInt(1) == 2;
    }
  }

  /** Rows in a table, for reports. */
  long count(String table) throws SQLException {
    try (Connection c = open(true); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Whether another connection (a running server) has the database open: an exclusive lock is
   * refused while any other connection holds the file.
   */
  boolean inUse() throws SQLException {
    if (!exists()) {
      return false;
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(0);
    config.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
    try (Connection c = config.createConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("BEGIN EXCLUSIVE");
      s.executeQuery("SELECT count(*) FROM sqlite_master").close();
      s.execute("COMMIT");
      return false;
    } catch (SQLException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("SQLITE_BUSY") || m.contains("locked")) {
        return true;
      }
      throw e;
    }
  }

  private Connection open(boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(readOnly);
    config.setBusyTimeout(30_000);
    return config.createConnection("jdbc:sqlite:" + file);
  }
}

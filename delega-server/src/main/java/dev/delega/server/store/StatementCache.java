package dev.delega.server.store;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.SQLiteConnection;

/**
 * Keeps prepared statements per physical SQLite connection, so a hot query is compiled once per
 * connection instead of once per request (SQLite's driver has no statement cache of its own; the
 * PostgreSQL driver has one). A statement is lent to one use at a time: while it is open, the same
 * SQL on the same connection gets a fresh, uncached statement.
 */
final class StatementCache implements StatementBuilderFactory {
  private static final int PER_CONNECTION = 256;

  private final Map<Connection, Builder> builders = Collections.synchronizedMap(new WeakHashMap<>());

  @Override
  public StatementBuilder createStatementBuilder(Connection connection) {
    return builders.computeIfAbsent(physical(connection), c -> new Builder(c));
  }

  private static Connection physical(Connection c) {
    try {
      return c.isWrapperFor(SQLiteConnection.class) ? c.unwrap(SQLiteConnection.class) : c;
    } catch (SQLException e) {
      return c;
    }
  }

  static final class Builder implements StatementBuilder {
    private final Connection physical;
    private final Set<Statement> lent = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, PreparedStatement> cache =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() > PER_CONNECTION && !lent.contains(eldest.getValue())) {
              closeQuietly(eldest.getValue());
              return true;
            }
            return false;
          }
        };

    Builder(Connection physical) {
      this.physical = physical;
    }

    @Override
    public Statement create(Connection conn, StatementContext ctx) throws SQLException {
      return conn.createStatement();
    }

    @Override
    public synchronized PreparedStatement create(Connection conn, String sql, StatementContext ctx)
        throws SQLException {
      PreparedStatement ps = cache.get(sql);
      if (ps != null && !ps.isClosed() && !lent.contains(ps)) {
        ps.clearParameters();
        lent.add(ps);
        return ps;
      }
      if (ps != null && lent.contains(ps)) {
        return conn.prepareStatement(sql);
      }
      ps = physical.prepareStatement(sql);
      cache.put(sql, ps);
      lent.add(ps);
      return ps;
    }

    @Override
    public CallableStatement createCall(Connection conn, String sql, StatementContext ctx) throws SQLException {
      return conn.prepareCall(sql);
    }

    @Override
    public synchronized void close(Connection conn, String sql, Statement stmt) throws SQLException {
      if (lent.remove(stmt) && cache.get(sql) == stmt) {
        ((PreparedStatement) stmt).clearParameters();
        return;
      }
      stmt.close();
    }

    @Override
    public void close(Connection conn) {
      // statements live as long as the physical connection
    }

    private static void closeQuietly(Statement s) {
      try {
        s.close();
      } catch (SQLException ignored) {
        // already unusable
      }
    }
  }
}

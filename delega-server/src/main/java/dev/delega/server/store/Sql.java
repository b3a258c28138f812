package dev.delega.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * Runs the hottest statements (load and render a task, insert and update one, append an event,
 * claim-next) straight on the handle's JDBC connection, with the connection's cached prepared
 * statement, instead of through a Jdbi statement: Jdbi copies its configuration and resolves an
 * argument factory per statement, which cost more than SQLite's own work for these one-row queries
 * (about 60% of a task read). Failures surface as {@link StoreFailure} naming the SQL, never the
 * bound values.
 *
 * <p>Positional arguments ({@link #list}, {@link #first}, {@link #update}) are bound by their runtime
 * type and must not be null; bind a typed null with a {@link Binder} and {@link #setLong} and
 * friends. Named arguments ({@link #listNamed}, {@link #updateNamed}) may be null: they are bound
 * untyped, which SQLite and PostgreSQL accept for a column assignment or comparison.
 */
public final class Sql {
  private Sql() {}

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Binds the parameters of a prepared statement. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Every row {@code sql} returns, mapped. */
  public static <T> List<T> list(Handle h, String sql, Row<T> row, Object... args) {
    return run(h, sql, ps -> bindAll(ps, args), ps -> rows(ps, row));
  }

  /** The first row {@code sql} returns, mapped. */
  public static <T> Optional<T> first(Handle h, String sql, Row<T> row, Object... args) {
    return run(h, sql, ps -> bindAll(ps, args), ps -> {
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
      }
    });
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the number of rows it changed. */
  public static int update(Handle h, String sql, Object... args) {
    return run(h, sql, ps -> bindAll(ps, args), PreparedStatement::executeUpdate);
  }

  /** Runs {@code sql} with parameters bound by {@code binder}; returns the first long column of the first row. */
  public static long returningLong(Handle h, String sql, Binder binder) {
    return run(h, sql, binder, ps -> {
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new StoreFailure("no row returned by: " + sql, null);
        }
        return rs.getLong(1);
      }
    });
  }

  /** Every row {@code sql} (with {@code :name} parameters) returns, mapped. */
  public static <T> List<T> listNamed(Handle h, String sql, Map<String, ?> binds, Row<T> row) {
    Named named = Named.of(sql);
    return run(h, named.sql, ps -> named.bind(ps, binds), ps -> rows(ps, row));
  }

  /** Runs an INSERT, UPDATE or DELETE with {@code :name} parameters; returns the rows it changed. */
  public static int updateNamed(Handle h, String sql, Map<String, ?> binds) {
    Named named = Named.of(sql);
    return run(h, named.sql, ps -> named.bind(ps, binds), PreparedStatement::executeUpdate);
  }

  /**
   * SQL with {@code :name} parameters turned into positional markers, parsed once per SQL text. A
   * colon inside a quoted literal or a {@code ::} cast is left alone. Values are bound by their
   * runtime type; a null is bound untyped, which both SQLite and PostgreSQL (for a column
   * assignment or comparison) accept.
   */
  record Named(String sql, List<String> names) {
    private static final Map<String, Named> PARSED = new ConcurrentHashMap<>();

    static Named of(String sql) {
      Named n = PARSED.get(sql);
      if (n == null) {
        n = parse(sql);
        if (PARSED.size() < 10_000) {
          PARSED.put(sql, n);
        }
      }
      return n;
    }

    static Named parse(String sql) {
      StringBuilder out = new StringBuilder(sql.length());
      List<String> names = new ArrayList<>();
      boolean quoted = false;
      for (int i = 0; i < sql.length(); i++) {
        char c = sql.charAt(i);
        if (c == '\'') {
          quoted = !quoted;
          out.append(c);
        } else if (!quoted && c == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
          out.append("::");
          i++;
        } else if (!quoted && c == ':' && i + 1 < sql.length() && isNameStart(sql.charAt(i + 1))) {
          int end = i + 1;
          while (end < sql.length() && isNamePart(sql.charAt(end))) {
            end++;
          }
          names.add(sql.substring(i + 1, end));
          out.append('?');
          i = end - 1;
        } else {
          out.append(c);
        }
      }
      return new Named(out.toString(), List.copyOf(names));
    }

    private static boolean isNameStart(char c) {
      return Character.isLetter(c) || c == '_';
    }

    private static boolean isNamePart(char c) {
      return Character.isLetterOrDigit(c) || c == '_';
    }

    void bind(PreparedStatement ps, Map<String, ?> binds) throws SQLException {
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        if (!binds.containsKey(name)) {
          throw new IllegalArgumentException("no value for :" + name + " in " + sql);
        }
        bindOne(ps, i + 1, binds.get(name));
      }
    }
  }

  private static void bindOne(PreparedStatement ps, int i, Object value) throws SQLException {
    switch (value) {
      case null -> ps.setObject(i, null);
      case Long l -> ps.setLong(i, l);
      case Integer n -> ps.setInt(i, n);
      case String str -> ps.setString(i, str);
      case Boolean b -> ps.setBoolean(i, b);
      case Double d -> ps.setDouble(i, d);
      default -> ps.setObject(i, value);
    }
  }

  /** {@code ?, ?, ?} with one marker per element, for an {@code IN (…)} list. */
  public static String markers(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("an IN list needs at least one element");
    }
    StringBuilder sb = new StringBuilder(n * 3);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "?" : ", ?");
    }
    return sb.toString();
  }

  /** The elements as an argument array, for {@link #markers}. */
  public static Object[] args(Collection<?> values) {
    return values.toArray();
  }

  private interface Body<T> {
    T apply(PreparedStatement ps) throws SQLException;
  }

  private static <T> T run(Handle h, String sql, Binder binder, Body<T> body) {
    Connection conn = h.getConnection();
    try {
      if (h.getStatementBuilder() instanceof StatementCache.Builder cache) {
        PreparedStatement ps = cache.create(conn, sql, null);
        try {
          binder.bind(ps);
          return body.apply(ps);
        } finally {
          cache.close(conn, sql, ps);
        }
      }
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        binder.bind(ps);
        return body.apply(ps);
      }
    } catch (SQLException e) {
      throw new StoreFailure(e.getMessage() + " [" + sql + "]", e);
    }
  }

  /** Reads a possibly null long column. */
  public static Long getLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  /** Reads a possibly null int column. */
  public static Integer getInt(ResultSet rs, int i) throws SQLException {
    int v = rs.getInt(i);
    return rs.wasNull() ? null : v;
  }

  /** Reads a possibly null long column by name. */
  public static Long getLong(ResultSet rs, String column) throws SQLException {
    return getLong(rs, rs.findColumn(column));
  }

  /** Reads a possibly null int column by name. */
  public static Integer getInt(ResultSet rs, String column) throws SQLException {
    return getInt(rs, rs.findColumn(column));
  }

  /** Reads a possibly null column of epoch milliseconds by name. */
  public static java.time.Instant getInstant(ResultSet rs, String column) throws SQLException {
    Long millis = getLong(rs, column);
    return millis == null ? null : java.time.Instant.ofEpochMilli(millis);
  }

  /** Binds a possibly null long. */
  public static void setLong(PreparedStatement ps, int i, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(i, java.sql.Types.BIGINT);
    } else {
      ps.setLong(i, value);
    }
  }

  /** Binds a possibly null int. */
  public static void setInt(PreparedStatement ps, int i, Integer value) throws SQLException {
    if (value == null) {
      ps.setNull(i, java.sql.Types.INTEGER);
    } else {
      ps.setInt(i, value);
    }
  }

  /** Binds a possibly null string. */
  public static void setString(PreparedStatement ps, int i, String value) throws SQLException {
    if (value == null) {
      ps.setNull(i, java.sql.Types.VARCHAR);
    } else {
      ps.setString(i, value);
    }
  }

  private static <T> List<T> rows(PreparedStatement ps, Row<T> row) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(row.map(rs));
      }
      return out;
    }
  }

  private static void bindAll(PreparedStatement ps, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object value = args[i];
      if (value == null) {
        throw new IllegalArgumentException("null argument " + (i + 1) + " for " + ps);
      }
      if (!(value instanceof Long || value instanceof Integer || value instanceof String || value instanceof Boolean)) {
        throw new IllegalArgumentException("unsupported argument type " + value.getClass());
      }
      bindOne(ps, i + 1, value);
    }
  }
}

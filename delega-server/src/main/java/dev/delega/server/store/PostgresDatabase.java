package dev.delega.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The PostgreSQL store, for several server nodes sharing one database: pooled connections, each
 * write one READ COMMITTED transaction, retried when PostgreSQL reports a serialization failure or
 * a deadlock.
 */
public final class PostgresDatabase implements Database {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostgresDatabase.class);
  private static final int MAX_RETRIES = 5;

  private final HikariDataSource pool;
  private final Jdbi jdbi;
  private final String description;
  private final ThreadLocal<Tx> current = new ThreadLocal<>();
  private final Riders riders = new Riders();

  private PostgresDatabase(HikariDataSource pool, String description) {
    this.pool = pool;
    this.jdbi = Dialect.POSTGRES.install(StatementMessages.install(Jdbi.create(pool)));
    jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    this.description = description;
  }

  /** Connects with a JDBC URL ({@code jdbc:postgresql://…}) or a {@code postgres://user:pw@host/db} URL. */
  public static PostgresDatabase open(String url, int poolSize) {
    HikariConfig hc = new HikariConfig();
    JdbcUrl parsed = JdbcUrl.parse(url);
    hc.setJdbcUrl(parsed.jdbcUrl());
    if (parsed.user() != null) {
      hc.setUsername(parsed.user());
    }
    if (parsed.password() != null) {
      hc.setPassword(parsed.password());
    }
    hc.setMaximumPoolSize(poolSize);
    hc.setPoolName("delega-postgres");
    hc.setConnectionTimeout(30_000);
    HikariDataSource ds = new HikariDataSource(hc);
    try {
      Migrations.apply(ds, Dialect.POSTGRES);
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new PostgresDatabase(ds, "postgresql:" + parsed.safeDescription());
  }

  @Override
  public <T> T read(Work<Handle, T> work) {
    Tx tx = current.get();
    if (tx != null) {
      return call(work, tx.handle());
    }
    return jdbi.withHandle(h -> call(work, h));
  }

  @Override
  public <T> T write(Work<Tx, T> work) {
    Tx outer = current.get();
    if (outer != null) {
      return call(work, outer);
    }
    Rider rider = riders.current();
    for (int attempt = 1; ; attempt++) {
      Tx[] holder = new Tx[1];
      try {
        T result =
            jdbi.inTransaction(
                TransactionIsolationLevel.READ_COMMITTED,
                h -> {
                  Tx tx = new Tx(h, Dialect.POSTGRES);
                  holder[0] = tx;
                  current.set(tx);
                  try {
                    T r = call(work, tx);
                    Riders.run(rider, tx, r);
                    return r;
                  } finally {
                    current.remove();
                  }
                });
        riders.committed(rider);
        for (Runnable hook : holder[0].afterCommitActions()) {
          try {
            hook.run();
          } catch (RuntimeException e) {
            LOG.warn("after-commit action failed", e);
          }
        }
        return result;
      } catch (RuntimeException e) {
        if (attempt < MAX_RETRIES && isRetryable(e)) {
          continue;
        }
        throw e;
      }
    }
  }

  private static boolean isRetryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state)) {
          return true;
        }
      }
    }
    return false;
  }

  private static <H, T> T call(Work<H, T> work, H handle) {
    try {
      return work.apply(handle);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new StoreFailure(e.getMessage(), e);
    }
  }

  @Override
  public Dialect dialect() {
    return Dialect.POSTGRES;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void check() {
    read(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
  }

  @Override
  public void attachRider(Rider rider) {
    riders.attach(rider);
  }

  @Override
  public void detachRider() {
    riders.detach();
  }

  @Override
  public void close() {
    pool.close();
  }

  /** A connection URL split into the JDBC URL and credentials. */
  record JdbcUrl(String jdbcUrl, String user, String password, String safeDescription) {
    static JdbcUrl parse(String url) {
      if (url.startsWith("jdbc:postgresql:")) {
        String safe = url.replaceAll("password=[^&]*", "password=***");
        return new JdbcUrl(url, null, null, safe.substring("jdbc:postgresql:".length()));
      }
      if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
        URI uri = URI.create(url);
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
          String[] parts = uri.getRawUserInfo().split(":", 2);
          user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
          if (parts.length > 1) {
            password = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
          }
        }
        String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = "jdbc:postgresql://" + hostPort + uri.getRawPath() + query;
        return new JdbcUrl(jdbc, user, password, "//" + hostPort + uri.getRawPath());
      }
      throw new IllegalArgumentException(
          "DELEGA_DATABASE_URL must start with jdbc:postgresql:// or postgres://");
    }
  }
}

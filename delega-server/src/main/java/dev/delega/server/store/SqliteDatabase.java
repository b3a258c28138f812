package dev.delega.server.store;

import dev.delega.server.internal.DelegaException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded SQLite store: a pool of read connections and ONE writer thread.
 *
 * <p>Design: SQLite allows one writer at a time, and pooled writers fight over the lock (busy
 * waits, then collapse under load). So every write is queued to a single thread that drains the
 * queue in batches, runs each unit of work inside its own SAVEPOINT of one {@code BEGIN IMMEDIATE}
 * transaction, and commits the batch once (group commit: one fsync for many writes). A unit that
 * fails rolls back to its savepoint alone; the others still commit. Callers are answered only after
 * COMMIT returned, so an acknowledged write is on disk (WAL, {@code synchronous=FULL}). The writer
 * thread does nothing but SQL: a unit's after-commit actions run on the caller's thread once its
 * write is answered (as on PostgreSQL), so a slow listener never holds up the next batch.
 */
public final class SqliteDatabase implements Database {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
  private static final int MAX_BATCH = 256;
  private static final int QUEUE_CAPACITY = 20_000;

  private final Path file;
  private final List<Reader> readers = new ArrayList<>();
  private final Jdbi readJdbi;
  private final BlockingQueue<Reader> idleReaders;
  private final Connection writerConnection;
  private final PreparedStatement totalChanges;
  private final Handle writer;
  private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread writerThread;
  private final ThreadLocal<Tx> current = new ThreadLocal<>();
  private final Riders riders = new Riders();
  private final AtomicLong generation = new AtomicLong();
  private final ProcessLock lock;
  private volatile boolean closed;

  private SqliteDatabase(Path file, ProcessLock lock) throws SQLException {
    this.file = file;
    this.lock = lock;
    SQLiteDataSource base = dataSource(file);
    Migrations.apply(base, Dialect.SQLITE);
    this.writerConnection = base.getConnection();
    this.writer = Dialect.SQLITE.install(StatementMessages.install(Jdbi.open(writerConnection)));
    this.totalChanges = writerConnection.prepareStatement("SELECT total_changes()");
    writer.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    StatementCache statements = new StatementCache();
    writer.setStatementBuilder(statements.createStatementBuilder(writerConnection));
    // Read connections stay open with their Jdbi handle for the life of the store: opening a handle
    // per read copied Jdbi's configuration each time (a fifth of a one-task read's CPU).
    this.readJdbi = Dialect.SQLITE.install(StatementMessages.install(Jdbi.create(dataSource(file))));
    readJdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    readJdbi.setStatementBuilderFactory(statements);
    int readerCount = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
    this.idleReaders = new ArrayBlockingQueue<>(readerCount);
    for (int i = 0; i < readerCount; i++) {
      Reader r = Reader.open(readJdbi);
      readers.add(r);
      idleReaders.add(r);
    }
    this.writerThread = Thread.ofPlatform().name("delega-sqlite-writer").daemon(true).unstarted(this::run);
    this.writerThread.start();
  }

  /** Opens (creating when needed) the database file and migrates it. */
  public static SqliteDatabase open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ProcessLock lock = ProcessLock.take(file);
      try {
        return new SqliteDatabase(file, lock);
      } catch (SQLException | RuntimeException e) {
        lock.release();
        throw e;
      }
    } catch (IOException | SQLException e) {
      throw new StoreFailure("cannot open SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  private static SQLiteDataSource dataSource(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(30_000);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return ds;
  }

  @Override
  public <T> T read(Work<Handle, T> work) {
    Tx tx = current.get();
    if (tx != null) {
      return call(work, tx.handle());
    }
    Reader r = takeReader();
    boolean ended = false;
    try {
      r.begin();
      T result = call(work, r.handle);
      ended = r.commit();
      return result;
    } finally {
      if (!ended && !r.rollback()) {
        // ROLLBACK failed too, so the connection may still be inside its transaction: a fresh one
        // takes its place rather than serving an old snapshot to the next reads.
        r = replace(r);
      }
      idleReaders.add(r);
    }
  }

  private Reader replace(Reader broken) {
    broken.close();
    try {
      Reader fresh = Reader.open(readJdbi);
      synchronized (readers) {
        readers.remove(broken);
        readers.add(fresh);
      }
      return fresh;
    } catch (SQLException e) {
      throw new StoreFailure("cannot reopen a read connection: " + e.getMessage(), e);
    }
  }

  private Reader takeReader() {
    try {
      Reader r = idleReaders.poll(30, TimeUnit.SECONDS);
      if (r == null) {
        throw new DelegaException.Unavailable("no database connection free for reading; retry shortly");
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DelegaException.Unavailable("interrupted while waiting for the database");
    }
  }

  /**
   * A read connection with its Jdbi handle, kept open for the life of the store. Every read runs in
   * one deferred transaction, so all of its queries see one snapshot of the database, and the
   * connection takes and drops its WAL read lock once per read rather than once per query (a
   * {@code fcntl} pair each). BEGIN and COMMIT are prepared once.
   */
  private static final class Reader {
    private final Handle handle;
    private final PreparedStatement begin;
    private final PreparedStatement commit;
    private final PreparedStatement rollback;

    private Reader(Handle handle) throws SQLException {
      this.handle = handle;
      Connection c = handle.getConnection();
      // Only the writer thread writes (generation() counts its commits): a read that tried would fail.
      try (java.sql.Statement s = c.createStatement()) {
        s.execute("PRAGMA query_only = ON");
      }
      this.begin = c.prepareStatement("BEGIN DEFERRED");
      this.commit = c.prepareStatement("COMMIT");
      this.rollback = c.prepareStatement("ROLLBACK");
    }

    static Reader open(Jdbi jdbi) throws SQLException {
      Handle h = jdbi.open();
      try {
        return new Reader(h);
      } catch (SQLException | RuntimeException e) {
        h.close();
        throw e;
      }
    }

    void begin() {
      try {
        begin.execute();
      } catch (SQLException e) {
        throw new StoreFailure("cannot begin a read: " + e.getMessage(), e);
      }
    }

    /** Ends a read that went well; false if the connection could not commit. */
    boolean commit() {
      return succeeds(commit);
    }

    /**
     * Ends a read that failed or could not commit; false if even that failed, and the connection
     * may still be inside its transaction.
     */
    boolean rollback() {
      return succeeds(rollback);
    }

    private static boolean succeeds(PreparedStatement statement) {
      try {
        statement.execute();
        return true;
      } catch (SQLException e) {
        return false;
      }
    }

    void close() {
      handle.close();
    }
  }

  @Override
  public <T> T write(Work<Tx, T> work) {
    Tx outer = current.get();
    if (outer != null) {
      return call(work, outer);
    }
    if (closed) {
      throw new DelegaException.Unavailable("the server is shutting down");
    }
    // The rider travels with the unit: the writer thread cannot see the caller's thread-local.
    Job<T> job = new Job<>(work, riders.current(), new CompletableFuture<>());
    try {
      if (!queue.offer(job, 30, TimeUnit.SECONDS)) {
        throw new DelegaException.Unavailable("the write queue is full; retry shortly");
      }
      Done<T> done = job.future.get();
      riders.committed(job.rider);
      for (Runnable hook : done.afterCommit()) {
        try {
          hook.run();
        } catch (RuntimeException e) {
          LOG.warn("after-commit action failed", e);
        }
      }
      return done.result();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DelegaException.Unavailable("interrupted while waiting for the database");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new StoreFailure(cause.getMessage(), cause);
    }
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

  private void run() {
    List<Job<?>> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        Job<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed && queue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commitBatch(batch);
      } catch (InterruptedException e) {
        if (closed && queue.isEmpty()) {
          return;
        }
      } catch (Throwable t) {
        LOG.error("SQLite writer failed a batch", t);
        // Never leave a caller waiting forever: answer every job the batch did not answer yet.
        for (Job<?> job : batch) {
          job.future.completeExceptionally(t);
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void commitBatch(List<Job<?>> batch) {
    Object[] results = new Object[batch.size()];
    Throwable[] errors = new Throwable[batch.size()];
    List<List<Runnable>> hooks = new ArrayList<>(batch.size());
    try {
      control("BEGIN IMMEDIATE");
    } catch (RuntimeException e) {
      for (Job<?> job : batch) {
        job.future.completeExceptionally(new StoreFailure("cannot begin a write: " + e.getMessage(), e));
      }
      return;
    }
    boolean committed;
    try {
      committed = runAndCommit(batch, results, errors, hooks);
    } finally {
      // Odd from just before a COMMIT that changes rows (in runAndCommit) until here, so a read that
      // began with an even number began before the commit. Even again, and past the old number,
      // before any unit is acknowledged: a read its caller makes next cannot be answered from before
      // it. (Only this thread changes the number.)
      long g = generation.get();
      if ((g & 1) == 1) {
        generation.set(g + 1);
      }
    }
    if (committed) {
      for (int i = 0; i < batch.size(); i++) {
        complete(batch.get(i), results[i], errors[i], hooks.get(i));
      }
    }
  }

  /** Runs each unit in its savepoint and commits; false (every job answered) when COMMIT failed. */
  private boolean runAndCommit(List<Job<?>> batch, Object[] results, Throwable[] errors, List<List<Runnable>> hooks) {
    long changesBefore = totalChanges();
    for (int i = 0; i < batch.size(); i++) {
      Tx tx = new Tx(writer, Dialect.SQLITE);
      current.set(tx);
      try {
        control("SAVEPOINT unit");
        Job<?> job = batch.get(i);
        results[i] = job.work.apply(tx);
        Riders.run(job.rider, tx, results[i]);
        control("RELEASE unit");
        hooks.add(tx.afterCommitActions());
      } catch (Throwable t) {
        errors[i] = t;
        hooks.add(List.of());
        try {
          control("ROLLBACK TO unit");
          control("RELEASE unit");
        } catch (RuntimeException rollbackFailure) {
          LOG.error("rollback to savepoint failed", rollbackFailure);
        }
      } finally {
        current.remove();
      }
    }
    long changesAfter = totalChanges();
    // A batch that changed no row (an idle poller's write, a claim that found nothing) leaves the
    // number alone, so it does not void the read caches. Rolled-back changes still count.
    if (changesBefore < 0 || changesAfter < 0 || changesAfter != changesBefore) {
      generation.incrementAndGet();
    }
    try {
      control("COMMIT");
    } catch (RuntimeException e) {
      LOG.error("SQLite commit failed", e);
      try {
        control("ROLLBACK");
      } catch (RuntimeException ignored) {
        // the transaction is already gone
      }
      for (Job<?> job : batch) {
        job.future.completeExceptionally(new StoreFailure("commit failed: " + e.getMessage(), e));
      }
      return false;
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Job<T> job, Object result, Throwable error, List<Runnable> afterCommit) {
    if (error != null) {
      job.future.completeExceptionally(error);
    } else {
      job.future.complete(new Done<>((T) result, afterCommit));
    }
  }

  /** Rows the writer connection has inserted, updated or deleted since it opened; -1 if unknown. */
  private long totalChanges() {
    try (java.sql.ResultSet rs = totalChanges.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    } catch (SQLException e) {
      return -1;
    }
  }

  /**
   * Runs a transaction-control statement on the writer connection directly: one per unit of work
   * (SAVEPOINT, RELEASE), so Jdbi's per-statement setup would cost more than SQLite does.
   */
  private void control(String sql) {
    try (java.sql.Statement st = writerConnection.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new StoreFailure(sql + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Dialect dialect() {
    return Dialect.SQLITE;
  }

  @Override
  public String describe() {
    return "sqlite:" + file.toAbsolutePath();
  }

  @Override
  public void check() {
    read(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
    if (!writerThread.isAlive()) {
      throw new StoreFailure("the SQLite writer thread is not running", null);
    }
  }

  @Override
  public void attachRider(Rider rider) {
    riders.attach(rider);
  }

  @Override
  public void detachRider() {
    riders.detach();
  }

  /**
   * Moves twice for every batch the writer commits that changed rows: odd while its COMMIT runs
   * (answered as -1), even otherwise. No other connection writes: the read connections are
   * {@code query_only}, and {@link ProcessLock} keeps other processes off the file.
   */
  @Override
  public long generation() {
    long g = generation.get();
    return (g & 1) == 0 ? g : -1;
  }

  @Override
  public int pendingWrites() {
    return queue.size();
  }

  /** Drains the queue, stops the writer and closes every connection. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writerThread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      writer.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (RuntimeException e) {
      LOG.debug("checkpoint at close failed", e);
    }
    writer.close();
    synchronized (readers) {
      for (Reader r : readers) {
        r.close();
      }
    }
    lock.release();
  }

  private record Job<T>(Work<Tx, T> work, Rider rider, CompletableFuture<Done<T>> future) {}

  /** A committed unit's answer and the actions its caller runs now that it is on disk. */
  private record Done<T>(T result, List<Runnable> afterCommit) {}
}

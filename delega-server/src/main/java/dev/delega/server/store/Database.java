package dev.delega.server.store;

import org.jdbi.v3.core.Handle;

/**
 * Transactional access to the one SQL store. Reads run on a pool of connections; writes run as
 * transactions that are acknowledged only after they have committed.
 */
public interface Database extends AutoCloseable {
  /**
   * A read on a pooled connection. On SQLite all of its queries see one snapshot; on PostgreSQL each
   * statement sees what was committed when it started.
   */
  <T> T read(Work<Handle, T> work);

  /** A write transaction; returns after commit. Nested calls from inside a write join the outer one. */
  <T> T write(Work<Tx, T> work);

  Dialect dialect();

  /** A short human description of the backing store (no credentials). */
  String describe();

  /** Cheap liveness check of the store; throws when it is unusable. */
  void check();

  /**
   * Attaches {@code rider} to the calling thread: the next write unit this thread starts runs it in
   * the same transaction, after the unit's own work and given its result, so both commit or
   * neither does (a rider that throws rolls the unit back). Once a unit carrying it has committed
   * the rider is detached; a unit that fails leaves it attached for the next one. A write that
   * joins an outer unit does not run it; nor does a write started on another thread.
   */
  void attachRider(Rider rider);

  /** Detaches the calling thread's rider, if any. */
  void detachRider();

  /**
   * A number that moves forward with every commit that changes rows, for caches of what reads return:
   * what a read gave, having taken the number {@code g} before it began, is still current while the
   * number is {@code g}. -1 while no number can vouch for a read: a commit is under way, or commits
   * come from elsewhere (other server nodes on PostgreSQL, so always -1 there).
   */
  default long generation() {
    return -1;
  }

  /** Writes waiting to be committed (SQLite's writer queue; 0 for PostgreSQL). */
  default int pendingWrites() {
    return 0;
  }

  @Override
  void close();

  /** Work that rides along with a thread's next write unit; see {@link #attachRider}. */
  @FunctionalInterface
  interface Rider {
    void apply(Tx tx, Object unitResult) throws Exception;
  }

  /** A piece of database work. */
  @FunctionalInterface
  interface Work<H, T> {
    T apply(H handle) throws Exception;
  }
}

package dev.delega.server.store;

import org.jdbi.v3.core.Handle;

/**
 * Transactional access to the one SQL store. Reads run on a pool of connections; writes run as
 * transactions that are acknowledged only after they have committed.
 */
public interface Database extends AutoCloseable {
  /** A read on a pooled connection. */
  <T> T read(Work<Handle, T> work);

  /** A write transaction; returns after commit. Nested calls from inside a write join the outer one. */
  <T> T write(Work<Tx, T> work);

  Dialect dialect();

  /** A short human description of the backing store (no credentials). */
  String describe();

  /** Cheap liveness check of the store; throws when it is unusable. */
  void check();

  /** Writes waiting to be committed (SQLite's writer queue; 0 for PostgreSQL). */
  default int pendingWrites() {
    return 0;
  }

  @Override
  void close();

  /** A piece of database work. */
  @FunctionalInterface
  interface Work<H, T> {
    T apply(H handle) throws Exception;
  }
}

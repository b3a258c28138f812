package dev.delega.server.store;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** One unit of work inside a write transaction: its handle, and what to do once it has committed. */
public final class Tx {
  private final Handle handle;
  private final Dialect dialect;
  private final List<Runnable> afterCommit = new ArrayList<>();

  Tx(Handle handle, Dialect dialect) {
    this.handle = handle;
    this.dialect = dialect;
  }

  public Handle handle() {
    return handle;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Runs {@code action} after the transaction commits (never if it rolls back). */
  public void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  List<Runnable> afterCommitActions() {
    return afterCommit;
  }
}

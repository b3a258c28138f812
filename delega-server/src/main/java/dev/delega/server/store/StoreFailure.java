package dev.delega.server.store;

/** A database failure that is not the caller's fault (I/O, lost connection, corrupted file). */
public final class StoreFailure extends RuntimeException {
  public StoreFailure(String message, Throwable cause) {
    super(message, cause);
  }
}

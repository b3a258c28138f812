package dev.delega.server.store;

/**
 * The riders attached per thread to one database (see {@link Database#attachRider}): a plain
 * thread-local, so a thread without one pays a single lookup per write unit.
 */
final class Riders {
  private final ThreadLocal<Database.Rider> attached = new ThreadLocal<>();

  void attach(Database.Rider rider) {
    attached.set(rider);
  }

  void detach() {
    attached.remove();
  }

  /** The calling thread's rider, or null. */
  Database.Rider current() {
    return attached.get();
  }

  /** A unit carrying {@code rider} committed on behalf of the calling thread: detach it. */
  void committed(Database.Rider rider) {
    if (rider != null && attached.get() == rider) {
      attached.remove();
    }
  }

  /** Runs {@code rider} (if any) in the unit {@code tx}, after the unit's own work. */
  static void run(Database.Rider rider, Tx tx, Object result) {
    if (rider == null) {
      return;
    }
    try {
      rider.apply(tx, result);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new StoreFailure(e.getMessage(), e);
    }
  }
}

package dev.delega.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a SQLite database to one server process: an exclusive lock on {@code <db>.lock}, held
 * while the store is open and dropped by the operating system if the process dies. The SQLite
 * store relies on being the only writer of its file (its single writer thread, the read cache
 * that {@link Database#generation} serves); several nodes share PostgreSQL instead.
 */
final class ProcessLock {
  private final FileChannel channel;
  private final FileLock lock;

  private ProcessLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock of {@code database}, or fails naming the file when another store holds it. */
  static ProcessLock take(Path database) throws IOException {
    Path path = database.resolveSibling(database.getFileName() + ".lock");
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another store in this JVM
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new StoreFailure(
          "the SQLite database " + database.toAbsolutePath() + " is in use by another Delega server (" + path.getFileName()
              + " is locked); one server per SQLite file; use PostgreSQL (DELEGA_DATABASE_URL) for several",
          null);
    }
    return new ProcessLock(channel, lock);
  }

  void release() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel below releases it too
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing more to release
    }
  }
}

package dev.delega.server.logging;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Standard error behind one buffer: a caller appends its line under a short lock and returns; one
 * daemon thread writes whatever has gathered within {@value #LINGER_MILLIS} ms of the first line, so
 * a request never waits for the pipe or terminal and a busy server writes many lines per system call. A shutdown hook writes what is left. If
 * standard error stops draining and the buffer passes {@value #MAX_BUFFERED} bytes, further lines
 * are dropped and counted (one line reports how many), rather than blocking requests.
 */
final class StderrSink implements Consumer<String> {
  static final int MAX_BUFFERED = 8 * 1024 * 1024;

  /** How long the writer lets lines gather after the first one arrives (lines reach stderr at most this late). */
  static final long LINGER_MILLIS = 20;

  private static final long LINGER_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);

  private final OutputStream out;
  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantLock io = new ReentrantLock();
  private final Condition gathered = lock.newCondition();
  private ByteArrayOutputStream buffer = new ByteArrayOutputStream(16 * 1024);
  private ByteArrayOutputStream spare = new ByteArrayOutputStream(16 * 1024);
  private long dropped;

  StderrSink() {
    this(new FileOutputStream(FileDescriptor.err));
  }

  StderrSink(OutputStream out) {
    this.out = out;
    Thread.ofPlatform().name("delega-log-writer").daemon(true).start(this::run);
    Runtime.getRuntime().addShutdownHook(new Thread(this::flush, "delega-log-flush"));
  }

  @Override
  public void accept(String line) {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    lock.lock();
    try {
      if (buffer.size() + bytes.length > MAX_BUFFERED) {
        dropped++;
        return;
      }
      boolean wasEmpty = buffer.size() == 0;
      buffer.write(bytes, 0, bytes.length);
      if (wasEmpty) {
        gathered.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Writes every line appended so far before returning. */
  void flush() {
    writeOut();
  }

  private void run() {
    while (true) {
      lock.lock();
      try {
        while (buffer.size() == 0 && dropped == 0) {
          gathered.awaitUninterruptibly();
        }
      } finally {
        lock.unlock();
      }
      // Let lines gather before writing: waking this thread and writing once per line cost a
      // busy server more CPU than formatting its lines (a wake-up and a system call each).
      LockSupport.parkNanos(LINGER_NANOS);
      writeOut();
    }
  }

  /**
   * Takes the gathered lines (holding the buffer lock only to swap buffers) and writes them; one
   * writer at a time, so the spare buffer is always free when a writer swaps.
   */
  private void writeOut() {
    io.lock();
    try {
      ByteArrayOutputStream full;
      long lost;
      lock.lock();
      try {
        full = buffer;
        lost = dropped;
        buffer = spare;
        dropped = 0;
      } finally {
        lock.unlock();
      }
      try {
        if (lost > 0) {
          out.write(("delega: " + lost + " log lines dropped: standard error was not draining\n")
              .getBytes(StandardCharsets.UTF_8));
        }
        full.writeTo(out);
        out.flush();
      } catch (IOException e) {
        // standard error is gone: nothing else can report it
      }
      full.reset();
      spare = full;
    } finally {
      io.unlock();
    }
  }
}

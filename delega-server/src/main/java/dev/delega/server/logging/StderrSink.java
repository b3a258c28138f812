package dev.delega.server.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Standard error behind a queue: a caller adds its line to a lock-free queue and returns; one daemon
 * thread encodes and writes whatever has gathered within {@value #LINGER_MILLIS} ms of the first
 * line, so a request never waits for the pipe or terminal, never contends for a lock with other
 * requests, and a busy server writes many lines per system call. A shutdown hook writes what is
 * left. If standard error stops draining and more than {@value #MAX_BUFFERED} characters wait,
 * further lines are dropped and counted (one line reports how many), rather than blocking requests.
 */
final class StderrSink implements Consumer<String> {
  static final int MAX_BUFFERED = 8 * 1024 * 1024;

  /** How long the writer lets lines gather after the first one arrives (lines reach stderr at most this late). */
  static final long LINGER_MILLIS = 20;

  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);

  private final OutputStream out;
  private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
  private final AtomicLong waiting = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final ReentrantLock io = new ReentrantLock();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
  private final Thread writer;
  private volatile boolean idle;

  /**
   * Writes to whatever {@code System.err} is at the time of writing (normally file descriptor 2), so
   * a harness that redirects standard error, such as the test runner, receives the lines.
   */
  StderrSink() {
    this(new OutputStream() {
      @Override
      public void write(int b) {
        System.err.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        System.err.write(b, off, len);
      }

      @Override
      public void flush() {
        System.err.flush();
      }
    });
  }

  StderrSink(OutputStream out) {
    this.out = out;
    this.writer = Thread.ofPlatform().name("delega-log-writer").daemon(true).start(this::run);
    Runtime.getRuntime().addShutdownHook(new Thread(this::flush, "delega-log-flush"));
  }

  @Override
  public void accept(String line) {
    int size = line.length() + 1;
    if (waiting.addAndGet(size) > MAX_BUFFERED) {
      waiting.addAndGet(-size);
      dropped.incrementAndGet();
    } else {
      lines.offer(line);
    }
    if (idle) {
      idle = false;
      LockSupport.unpark(writer);
    }
  }

  /** Writes every line accepted so far before returning. */
  void flush() {
    writeOut();
  }

  private void run() {
    while (true) {
      if (lines.isEmpty() && dropped.get() == 0) {
        idle = true;
        // Checked again after announcing the wait: a line added meanwhile either is seen here or
        // its caller saw idle and unparks this thread.
        if (lines.isEmpty() && dropped.get() == 0) {
          LockSupport.park(this);
        }
        idle = false;
        continue;
      }
      // Let lines gather before writing: waking this thread and writing once per line cost a
      // busy server more CPU than formatting its lines (a wake-up and a system call each).
      LockSupport.parkNanos(LINGER_NANOS);
      writeOut();
    }
  }

  /** Encodes and writes the lines waiting now; one writer at a time. */
  private void writeOut() {
    io.lock();
    try {
      long lost = dropped.getAndSet(0);
      if (lost > 0) {
        buffer.writeBytes(("delega: " + lost + " log lines dropped: standard error was not draining\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      long taken = 0;
      for (String line = lines.poll(); line != null; line = lines.poll()) {
        taken += line.length() + 1;
        buffer.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        buffer.write('\n');
        if (buffer.size() >= 256 * 1024) {
          write();
          waiting.addAndGet(-taken);
          taken = 0;
        }
      }
      write();
      waiting.addAndGet(-taken);
    } finally {
      io.unlock();
    }
  }

  private void write() {
    try {
      buffer.writeTo(out);
      out.flush();
    } catch (IOException e) {
      // standard error is gone: nothing else can report it
    }
    buffer.reset();
  }
}

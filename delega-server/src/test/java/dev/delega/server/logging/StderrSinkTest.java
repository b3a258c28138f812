package dev.delega.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StderrSinkTest {
  @Test
  void everyLineFromManyThreadsArrivesWholeAndInEachThreadsOrder() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStream synced =
        new OutputStream() {
          @Override
          public synchronized void write(int b) {
            out.write(b);
          }

          @Override
          public synchronized void write(byte[] b, int off, int len) {
            out.write(b, off, len);
          }
        };
    StderrSink sink = new StderrSink(synced);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int thread = t;
      threads.add(Thread.ofVirtual().start(() -> {
        for (int i = 0; i < 2_000; i++) {
          sink.accept("thread " + thread + " line " + i + " ünïcödé");
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    sink.flush();
    String[] lines;
    synchronized (synced) {
      lines = out.toString(StandardCharsets.UTF_8).split("\n");
    }
    assertThat(lines).hasSize(16 * 2_000);
    int[] next = new int[16];
    for (String line : lines) {
      String[] parts = line.split(" ");
      assertThat(parts).hasSize(5);
      int thread = Integer.parseInt(parts[1]);
      assertThat(Integer.parseInt(parts[3])).isEqualTo(next[thread]++);
      assertThat(parts[4]).isEqualTo("ünïcödé");
    }
  }

  @Test
  void aStuckStandardErrorDropsAndCountsLinesInsteadOfBlockingCallers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStream stuck =
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            synchronized (out) {
              out.write(b, off, len);
            }
          }
        };
    StderrSink sink = new StderrSink(stuck);
    String line = "x".repeat(1023);
    int sent = StderrSink.MAX_BUFFERED / 1024 * 3;
    long start = System.nanoTime();
    for (int i = 0; i < sent; i++) {
      sink.accept(line);
    }
    assertThat((System.nanoTime() - start) / 1_000_000).as("callers never waited for the pipe").isLessThan(20_000);
    release.countDown();
    sink.flush();
    sink.flush();
    String text;
    synchronized (out) {
      text = out.toString(StandardCharsets.UTF_8);
    }
    assertThat(text).contains("log lines dropped");
    long written = text.lines().filter(l -> l.equals(line)).count();
    assertThat(written).isLessThan(sent).isGreaterThan(StderrSink.MAX_BUFFERED / 1024 / 2);
  }
}

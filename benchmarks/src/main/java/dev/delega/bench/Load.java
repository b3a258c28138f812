package dev.delega.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** A closed-loop HTTP load driver on virtual threads: N workers send requests back to back for a while. */
final class Load {
  private Load() {}

  /** What one run measured. */
  record Result(String name, long requests, long errors, double seconds, long p50Micros, long p99Micros) {
    double perSecond() {
      return requests / seconds;
    }
  }

  static Result run(String name, HttpClient client, int workers, Duration duration, IntFunction<HttpRequest> request)
      throws InterruptedException {
    return run(name, workers, duration, () -> i -> {
      HttpRequest r = request.apply(i);
      return () -> client.send(r, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    });
  }

  /** As {@link #run(String, HttpClient, int, Duration, IntFunction)} over one {@link RawHttp} connection per worker. */
  static Result runRaw(String name, String host, int port, int workers, Duration duration, IntFunction<byte[]> request)
      throws InterruptedException {
    return run(name, workers, duration, () -> raw(host, port, i -> {
      byte[] r = request.apply(i);
      return http -> http.send(r).status();
    }));
  }

  /** A sender over its own {@link RawHttp} connection, closed with the sender. */
  static Sender raw(String host, int port, IntFunction<RawAttempt> prepare) {
    RawHttp http = new RawHttp(host, port);
    return new Sender() {
      @Override
      public Attempt prepare(int i) {
        RawAttempt a = prepare.apply(i);
        return () -> a.send(http);
      }

      @Override
      public void close() {
        http.close();
      }
    };
  }

  /** A prepared request for a {@link RawHttp} connection. */
  interface RawAttempt {
    int send(RawHttp http) throws Exception;
  }

  /**
   * One worker's way of making request number {@code i} (not timed) and sending it (timed); closed
   * when the worker ends.
   */
  interface Sender extends AutoCloseable {
    Attempt prepare(int i) throws Exception;

    @Override
    default void close() {}
  }

  /** A prepared request: sends it and returns the status (≥ 300 counts as an error). */
  interface Attempt {
    int send() throws Exception;
  }

  private static Result run(String name, int workers, Duration duration, Supplier<Sender> senders)
      throws InterruptedException {
    Loop loop = loop(workers, 2_000_000, duration, senders);
    long[] all = loop.micros();
    long p50 = all.length == 0 ? 0 : all[(int) (all.length * 0.50)];
    long p99 = all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) (all.length * 0.99))];
    return new Result(name, all.length, loop.errors(), loop.seconds(), p50, p99);
  }

  /** What a closed loop measured: every latency in µs, sorted; errors; the run's length. */
  record Loop(long[] micros, long errors, double seconds) {}

  /**
   * Runs {@code workers} closed loops on virtual threads for {@code duration}, each with its own
   * sender, keeping at most {@code capacity} latencies per worker.
   */
  static Loop loop(int workers, int capacity, Duration duration, Supplier<Sender> senders) throws InterruptedException {
    AtomicLong errors = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    long end = System.nanoTime() + duration.toNanos();
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < workers; w++) {
        long[] lat = new long[capacity];
        int[] n = new int[1];
        latencies.add(lat);
        counts.add(n);
        int worker = w;
        pool.submit(
            () -> {
              try (Sender sender = senders.get()) {
                int i = 0;
                while (System.nanoTime() < end) {
                  Attempt attempt = sender.prepare(worker * 1_000_000 + i++);
                  long t0 = System.nanoTime();
                  try {
                    if (attempt.send() >= 300) {
                      errors.incrementAndGet();
                    }
                  } catch (Exception e) {
                    errors.incrementAndGet();
                  }
                  if (n[0] < lat.length) {
                    lat[n[0]++] = (System.nanoTime() - t0) / 1000;
                  }
                }
              }
              return null;
            });
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int total = counts.stream().mapToInt(c -> c[0]).sum();
    long[] all = new long[total];
    int k = 0;
    for (int w = 0; w < workers; w++) {
      System.arraycopy(latencies.get(w), 0, all, k, counts.get(w)[0]);
      k += counts.get(w)[0];
    }
    Arrays.sort(all);
    return new Loop(all, errors.get(), seconds);
  }

  static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
  }
}

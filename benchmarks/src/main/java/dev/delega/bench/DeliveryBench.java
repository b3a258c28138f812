package dev.delega.bench;

import com.sun.net.httpserver.HttpServer;
import dev.delega.api.Json;
import dev.delega.server.ServerConfig;
import dev.delega.server.Wiring;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;

/**
 * Webhook delivery lag: tasks are created at a fixed rate (open loop, one {@code task.created}
 * event each) on a real server (SQLite, durable outbox), and loopback receivers record, for every
 * delivery, the time from the event's {@code timestamp} (taken just before its transaction commits)
 * to the moment the request arrived. Prints p50/p90/p99/max per scenario, including one with a
 * receiver that takes 2 s per request, to show that it does not hold up the others.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -cp "$(cat
 * benchmarks/target/classpath.txt):benchmarks/target/classes" dev.delega.bench.DeliveryBench
 * [seconds [rate receivers slow-receivers]]} (see benchmarks/README.md).
 */
public final class DeliveryBench {
  private DeliveryBench() {}

  /** One scenario's numbers. */
  record Result(
      String name,
      int rate,
      long events,
      long expected,
      long received,
      double p50,
      double p90,
      double p99,
      double max,
      long slowReceived,
      double createP99,
      double cpuMicrosPerEvent) {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    List<Result> results = new ArrayList<>();
    if (args.length >= 4) {
      int rate = Integer.parseInt(args[1]);
      int fast = Integer.parseInt(args[2]);
      int slow = Integer.parseInt(args[3]);
      results.add(
          run(
              rate + " events/s, " + fast + " receivers + " + slow + " slow",
              rate,
              fast,
              slow,
              seconds));
    } else {
      results.add(run("100 events/s, no webhook (baseline)", 100, 0, 0, seconds));
      results.add(run("100 events/s, 1 receiver", 100, 1, 0, seconds));
      results.add(run("500 events/s, no webhook (baseline)", 500, 0, 0, seconds));
      results.add(run("500 events/s, 1 receiver", 500, 1, 0, seconds));
      results.add(run("500 events/s, 4 receivers", 500, 4, 0, seconds));
      results.add(run("500 events/s, 4 receivers + 1 slow (2 s/request)", 500, 4, 1, seconds));
    }

    System.out.println(
        "| scenario | events | deliveries to fast receivers (received/expected) | lag p50 ms |"
            + " lag p90 ms | lag p99 ms | lag max ms | slow receiver got | POST /tasks p99 ms |"
            + " process CPU µs/event |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Result r : results) {
      System.out.printf(
          "| %s | %d | %d / %d | %s | %s | %s | %s | %s | %.1f | %.0f |%n",
          r.name(),
          r.events(),
          r.received(),
          r.expected(),
          ms(r.p50()),
          ms(r.p90()),
          ms(r.p99()),
          ms(r.max()),
          r.slowReceived() < 0 ? "—" : Long.toString(r.slowReceived()),
          r.createP99(),
          r.cpuMicrosPerEvent());
    }
    System.out.printf(
        "(%d s measured per scenario after a 3 s warm-up; %d cores; %s)%n",
        seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
    System.exit(0);
  }

  static Result run(String name, int rate, int fast, int slow, int seconds) throws Exception {
    Path dir = Files.createTempDirectory("delega-delivery-bench");
    Wiring wiring =
        new Wiring(
            ServerConfig.fromEnv(
                Map.of(
                    "DELEGA_PORT", "0",
                    "DELEGA_DB_PATH", dir.resolve("delega.db").toString(),
                    "DELEGA_RATE_LIMIT_ENABLED", "false",
                    "DELEGA_ALLOW_PRIVATE_WEBHOOKS", "true",
                    "DELEGA_DEDUP_MODE", "lexical")),
            Clock.systemUTC());
    wiring.start();
    String api = "http://127.0.0.1:" + wiring.port() + "/api";
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String key =
        Json.mapper()
            .readTree(send(client, post(api + "/agents", "{\"name\":\"bench\"}", null)))
            .get("api_key")
            .asString();

    ConcurrentLinkedQueue<long[]> lags = new ConcurrentLinkedQueue<>();
    AtomicLong slowCount = new AtomicLong();
    ExecutorService receiverThreads = Executors.newVirtualThreadPerTaskExecutor();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    receiver.setExecutor(receiverThreads);
    receiver.createContext(
        "/fast",
        exchange -> {
          long arrived = System.currentTimeMillis();
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          JsonNode json = Json.mapper().readTree(body);
          long at = Instant.parse(json.get("timestamp").asString()).toEpochMilli();
          lags.add(new long[] {at, arrived - at});
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.createContext(
        "/slow",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          try {
            Thread.sleep(2_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          slowCount.incrementAndGet();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    for (int i = 0; i < fast; i++) {
      send(
          client,
          post(
              api + "/webhooks",
              "{\"url\":\"" + base + "/fast?r=" + i + "\",\"events\":[\"task.created\"]}",
              key));
    }
    for (int i = 0; i < slow; i++) {
      send(
          client,
          post(
              api + "/webhooks",
              "{\"url\":\"" + base + "/slow?r=" + i + "\",\"events\":[\"task.created\"]}",
              key));
    }

    drive(client, api, key, rate, Duration.ofSeconds(3), new ConcurrentLinkedQueue<>());
    long measureFrom = System.currentTimeMillis();
    long cpuFrom = processCpuNanos();
    ConcurrentLinkedQueue<Long> createMicros = new ConcurrentLinkedQueue<>();
    long events = drive(client, api, key, rate, Duration.ofSeconds(seconds), createMicros);
    long measureTo = System.currentTimeMillis();
    long expected = events * fast;
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline
        && inWindow(lags, measureFrom, measureTo).length < expected) {
      Thread.sleep(50);
    }
    double cpuPerEvent = (processCpuNanos() - cpuFrom) / 1_000.0 / events;
    long[] window = inWindow(lags, measureFrom, measureTo);
    Arrays.sort(window);
    long[] creates = createMicros.stream().mapToLong(Long::longValue).sorted().toArray();
    Result r =
        new Result(
            name,
            rate,
            events,
            expected,
            window.length,
            pct(window, 0.50),
            pct(window, 0.90),
            pct(window, 0.99),
            window.length == 0 ? Double.NaN : window[window.length - 1],
            slow == 0 ? -1 : slowCount.get(),
            pct(creates, 0.99) / 1000.0,
            cpuPerEvent);
    System.err.println(r);
    wiring.close();
    receiver.stop(0);
    receiverThreads.shutdownNow();
    return r;
  }

  /**
   * Creates tasks at {@code rate} per second for {@code length}, each on its own virtual thread.
   */
  static long drive(
      HttpClient client,
      String api,
      String key,
      int rate,
      Duration length,
      ConcurrentLinkedQueue<Long> createMicros)
      throws InterruptedException {
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long end = start + length.toNanos();
    long n = 0;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long next = start; next < end; next += period, n++) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        long i = n;
        pool.submit(
            () -> {
              long t0 = System.nanoTime();
              send(client, post(api + "/tasks", "{\"content\":\"delivery bench " + i + "\"}", key));
              createMicros.add((System.nanoTime() - t0) / 1_000);
              return null;
            });
      }
    }
    return n;
  }

  private static String ms(double value) {
    return Double.isNaN(value) ? "—" : String.format("%.0f", value);
  }

  /** CPU time of this whole process (server, load generator and receivers). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long[] inWindow(ConcurrentLinkedQueue<long[]> lags, long from, long to) {
    return lags.stream().filter(l -> l[0] >= from && l[0] < to).mapToLong(l -> l[1]).toArray();
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  static HttpRequest post(String url, String json, String key) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      b.header("X-Agent-Key", key);
    }
    return b.build();
  }

  static byte[] send(HttpClient client, HttpRequest r) throws Exception {
    HttpResponse<byte[]> resp = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() >= 300) {
      throw new IllegalStateException(
          r.uri() + " -> " + resp.statusCode() + " " + new String(resp.body()));
    }
    return resp.body();
  }
}

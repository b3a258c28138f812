package dev.delega.bench;

import com.sun.net.httpserver.HttpServer;
import dev.delega.api.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A soak run: the real server as a child JVM on a SQLite file, a mixed load at a fixed rate
 * (creates, gets, lists, updates, completes, queue claims, context writes, comments, delegations,
 * with an SSE subscriber and a webhook receiver attached) for a given time, and once a minute a
 * Markdown row: the server's heap after a full GC, its RSS, threads and open files, live and open
 * task counts, operations per second and p50/p99 latency of that minute (an operation is one request,
 * or two for claim-then-complete and delegate-then-complete-the-parent), and events committed, streamed and
 * delivered. The point is the trend, not the level: a leak shows as a heap that keeps climbing.
 *
 * <p>The server runs in its own process so that its heap is not mixed with the driver's: every
 * minute the driver asks it for a full GC ({@code jcmd <pid> GC.run}) and then reads
 * {@code jvm_memory_used_bytes{area="heap"}} from its {@code /metrics}.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -cp
 * "benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)"
 * dev.delega.bench.SoakBench [minutes [rate]] [--workers=32] [--open=2000] [--dedup=hybrid]
 * [--xmx=512m]} (see benchmarks/README.md and docs/reliability.md).
 */
public final class SoakBench {
  private SoakBench() {}

  private static final Pattern HEAP =
      Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.eE+-]+)$", Pattern.MULTILINE);
  private static final Pattern LIVE =
      Pattern.compile("^jvm_gc_live_data_size_bytes(?:\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE);
  private static final Pattern THREADS =
      Pattern.compile("^jvm_threads_live_threads(?:\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE);

  /** One minute's row. */
  record Row(
      int minute,
      double load1,
      double heapAfterGcMiB,
      double liveDataMiB,
      double rssMiB,
      int threads,
      int openFiles,
      long tasks,
      long openTasks,
      double perSecond,
      double p50Ms,
      double p99Ms,
      long errors,
      long eventsCommitted,
      long sseEvents,
      long webhookDeliveries,
      double dbMiB) {}

  public static void main(String[] args) throws Exception {
    List<String> positional = new ArrayList<>();
    int workers = 32;
    int openTarget = 2000;
    String dedup = "hybrid";
    String xmx = "512m";
    for (String a : args) {
      if (a.startsWith("--workers=")) {
        workers = Integer.parseInt(a.substring(10));
      } else if (a.startsWith("--open=")) {
        openTarget = Integer.parseInt(a.substring(7));
      } else if (a.startsWith("--dedup=")) {
        dedup = a.substring(8);
      } else if (a.startsWith("--xmx=")) {
        xmx = a.substring(6);
      } else {
        positional.add(a);
      }
    }
    int minutes = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 30;
    int rate = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 100;

    Path dir = Files.createTempDirectory("delega-soak");
    HttpClient client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    AtomicLong deliveries = new AtomicLong();
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/hook",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
          }
          deliveries.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path db = dir.resolve("delega.db");
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + xmx,
            "-XX:+UseG1GC",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.delega.server.Main");
    pb.environment().put("DELEGA_DB_PATH", db.toString());
    pb.environment().put("DELEGA_PORT", Integer.toString(port));
    pb.environment().put("DELEGA_ALLOW_PRIVATE_WEBHOOKS", "true");
    pb.environment().put("DELEGA_RATE_LIMIT_ENABLED", "false");
    pb.environment().put("DELEGA_DEDUP_MODE", dedup);
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("server.log").toFile());
    Process server = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::destroyForcibly));
    String base = "http://127.0.0.1:" + port;
    String api = base + "/api";
    awaitHealthy(client, api, server, dir.resolve("server.log"));

    String admin = json(client, ApiBench.post(api + "/agents", "{\"name\":\"soak-admin\"}", null)).get("api_key").asString();
    String claimer =
        json(client, ApiBench.post(api + "/agents", "{\"name\":\"soak-claimer\",\"role\":\"coordinator\"}", admin))
            .get("api_key")
            .asString();
    String helper =
        json(client, ApiBench.post(api + "/agents", "{\"name\":\"soak-delegate\"}", admin)).get("id").asString();
    long queueProject = json(client, ApiBench.post(api + "/projects", "{\"name\":\"queue\"}", admin)).get("id").asLong();
    json(client, ApiBench.post(api + "/webhooks", "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}", admin));

    OpenTasks open = new OpenTasks();
    System.err.printf("seeding %d open tasks…%n", openTarget);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < 8; w++) {
        int worker = w;
        int target = openTarget;
        pool.submit(
            () -> {
              for (int i = worker; i < target; i += 8) {
                open.add(json(client, ApiBench.post(api + "/tasks", createBody(i), admin)).get("id").asLong());
              }
              return null;
            });
      }
    }

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong sseEvents = new AtomicLong();
    Thread sse = Thread.ofVirtual().start(() -> subscribe(client, api, admin, running, sseEvents));

    AtomicReference<Queue<Long>> latencies = new AtomicReference<>(new ConcurrentLinkedQueue<>());
    AtomicLong errors = new AtomicLong();
    AtomicLong counter = new AtomicLong();
    long intervalNanos = 1_000_000_000L / rate;
    AtomicLong nextSlot = new AtomicLong(System.nanoTime());
    Mix mix = new Mix(client, api, admin, claimer, helper, queueProject, open, openTarget, counter);
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    for (int w = 0; w < workers; w++) {
      pool.submit(
          () -> {
            while (running.get()) {
              long slot = nextSlot.getAndAdd(intervalNanos);
              long wait = slot - System.nanoTime();
              if (wait > 0) {
                LockSupport.parkNanos(wait);
              }
              long t0 = System.nanoTime();
              boolean ok;
              try {
                ok = mix.one();
              } catch (Exception e) {
                ok = false;
              }
              latencies.get().add((System.nanoTime() - t0) / 1000);
              if (!ok) {
                errors.incrementAndGet();
              }
            }
            return null;
          });
    }

    List<Row> rows = new ArrayList<>();
    long lastEvent = lastEventId(client, api, admin, 0);
    long lastSse = 0;
    long lastDeliveries = deliveries.get();
    long lastErrors = 0;
    long start = System.nanoTime();
    printHeader();
    for (int m = 1; m <= minutes; m++) {
      long due = start + Duration.ofMinutes(m).toNanos();
      while (System.nanoTime() < due) {
        Thread.sleep(Math.max(1, Math.min(1000, (due - System.nanoTime()) / 1_000_000)));
      }
      Queue<Long> minute = latencies.getAndSet(new ConcurrentLinkedQueue<>());
      long[] lat = minute.stream().mapToLong(Long::longValue).sorted().toArray();
      long errs = errors.get();
      long event = lastEventId(client, api, admin, lastEvent);
      long sseNow = sseEvents.get();
      long delivered = deliveries.get();
      JsonNode stats = json(client, ApiBench.get(api + "/stats", admin));
      double[] heap = heapAfterGc(client, base, admin, server.pid());
      Row row =
          new Row(
              m,
              loadAverage(),
              heap[0] / (1 << 20),
              heap[1] / (1 << 20),
              rssMiB(server.pid()),
              (int) heap[2],
              openFiles(server.pid()),
              stats.get("pending_tasks").asLong() + stats.get("completed_tasks").asLong(),
              stats.get("pending_tasks").asLong(),
              lat.length / 60.0,
              pct(lat, 0.50) / 1000.0,
              pct(lat, 0.99) / 1000.0,
              errs - lastErrors,
              event - lastEvent,
              sseNow - lastSse,
              delivered - lastDeliveries,
              sizeMiB(db));
      rows.add(row);
      print(row);
      lastEvent = event;
      lastSse = sseNow;
      lastDeliveries = delivered;
      lastErrors = errs;
    }
    running.set(false);
    pool.shutdown();
    pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
    sse.interrupt();

    System.out.println();
    System.out.println("Whole run:");
    printHeader();
    rows.forEach(SoakBench::print);
    Row first = rows.get(Math.min(1, rows.size() - 1));
    Row last = rows.getLast();
    System.out.printf(
        "%nheap after GC: minute %d %.1f MiB -> minute %d %.1f MiB (%+.1f MiB); p99: %.1f -> %.1f ms;"
            + " rate %d req/s target, %d workers, dedup %s, server -Xmx%s, %d cores, %s; server log %s%n",
        first.minute(), first.heapAfterGcMiB(), last.minute(), last.heapAfterGcMiB(),
        last.heapAfterGcMiB() - first.heapAfterGcMiB(), first.p99Ms(), last.p99Ms(), rate, workers, dedup, xmx,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"), dir.resolve("server.log"));
    receiver.stop(0);
    server.destroy();
    server.waitFor();
    System.exit(0);
  }

  /** The open tasks the driver created and has not completed, for random picks. */
  static final class OpenTasks {
    private final List<Long> ids = new ArrayList<>();

    synchronized void add(long id) {
      ids.add(id);
    }

    synchronized int size() {
      return ids.size();
    }

    /** A random open task, or -1. */
    synchronized long any() {
      return ids.isEmpty() ? -1 : ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
    }

    /** Removes and returns a random open task, or -1. */
    synchronized long take() {
      if (ids.isEmpty()) {
        return -1;
      }
      int i = ThreadLocalRandom.current().nextInt(ids.size());
      long id = ids.get(i);
      ids.set(i, ids.getLast());
      ids.removeLast();
      return id;
    }
  }

  /** The request mix; {@link #one()} sends one weighted-random request and says whether it got a 2xx. */
  record Mix(
      HttpClient client,
      String api,
      String admin,
      String claimer,
      String delegate,
      long queueProject,
      OpenTasks open,
      int openTarget,
      AtomicLong counter) {
    private static final AtomicLong REPORTED = new AtomicLong();

    boolean one() throws Exception {
      long n = counter.incrementAndGet();
      int dice = ThreadLocalRandom.current().nextInt(100);
      if (dice < 15) { // create, or complete when the open set is at its target size
        if (open.size() >= openTarget) {
          return complete();
        }
        String key = n % 3 == 0 ? UUID.randomUUID().toString() : null;
        HttpResponse<byte[]> r = send(keyed(ApiBench.post(api + "/tasks", createBody(n), admin), key));
        if (ok(r)) {
          open.add(Json.mapper().readTree(r.body()).get("id").asLong());
          return true;
        }
        return false;
      }
      if (dice < 19) { // a task for the claim queue (4%; claims are 5%, so the queue stays short)
        return ok(send(ApiBench.post(api + "/tasks",
            "{\"content\":\"queued job " + n + "\",\"project_id\":" + queueProject + ",\"priority\":" + (1 + n % 4) + "}", admin)));
      }
      if (dice < 40) {
        long id = open.any();
        return id < 0 || ok(send(ApiBench.get(api + "/tasks/" + id, admin)));
      }
      if (dice < 48) {
        return ok(send(ApiBench.get(api + "/tasks?limit=50&offset=" + (n % 20) * 50, admin)));
      }
      if (dice < 58) {
        long id = open.any();
        return id < 0 || ok(send(patch(api + "/tasks/" + id,
            "{\"description\":\"updated " + n + "\",\"priority\":" + (1 + n % 4) + "}", admin)));
      }
      if (dice < 63) {
        return complete();
      }
      if (dice < 68) { // claim the next queued task, then complete it with the lease
        HttpResponse<byte[]> r = send(ApiBench.post(api + "/tasks/claim",
            "{\"project_id\":" + queueProject + ",\"lease_seconds\":60}", claimer));
        if (!ok(r)) {
          return false;
        }
        JsonNode task = Json.mapper().readTree(r.body()).get("task");
        if (task == null || task.isNull()) {
          return true;
        }
        HttpRequest done = Load.request(api + "/tasks/" + task.get("id").asLong() + "/complete")
            .header("Content-Type", "application/json").header("X-Agent-Key", claimer)
            .header("X-Lease-Token", task.get("lease_token").asString())
            .POST(HttpRequest.BodyPublishers.ofString("")).build();
        return ok(send(done));
      }
      if (dice < 80) {
        long id = open.any();
        return id < 0 || ok(send(patch(api + "/tasks/" + id + "/context",
            "{\"step\":" + n + ",\"note\":\"context " + n % 50 + "\"}", admin)));
      }
      if (dice < 88) {
        long id = open.any();
        String key = n % 2 == 0 ? UUID.randomUUID().toString() : null;
        return id < 0 || ok(send(keyed(ApiBench.post(api + "/tasks/" + id + "/comments",
            "{\"content\":\"comment " + n + "\"}", admin), key)));
      }
      if (dice < 90) {
        long id = open.take();
        if (id < 0) {
          return true;
        }
        HttpResponse<byte[]> r = send(ApiBench.post(api + "/tasks/" + id + "/delegate",
            "{\"content\":\"delegated part of " + id + "\",\"assigned_to_agent_id\":" + delegate + "}", admin));
        if (!ok(r)) {
          return false;
        }
        open.add(Json.mapper().readTree(r.body()).get("id").asLong());
        // the parent is done once delegated, so that the open set stays near its target size
        return ok(send(ApiBench.post(api + "/tasks/" + id + "/complete", "", admin)));
      }
      if (dice < 95) {
        return ok(send(ApiBench.get(api + "/events?after=" + Math.max(0, n * 2 - 200) + "&limit=100", admin)));
      }
      return ok(send(ApiBench.get(api + "/stats", admin)));
    }

    private boolean complete() throws Exception {
      long id = open.take();
      return id < 0 || ok(send(ApiBench.post(api + "/tasks/" + id + "/complete", "", admin)));
    }

    private HttpResponse<byte[]> send(HttpRequest r) throws Exception {
      return client.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static boolean ok(HttpResponse<byte[]> r) {
      if (r.statusCode() / 100 != 2) {
        if (REPORTED.incrementAndGet() <= 50) {
          System.err.println(r.request().method() + " " + r.uri() + " -> " + r.statusCode() + " "
            + new String(r.body(), StandardCharsets.UTF_8));
        }
        return false;
      }
      return true;
    }
  }

  static String createBody(long n) {
    return "{\"content\":\"soak task " + n + " about component " + (n % 211) + " on host h" + (n % 17)
        + "\",\"priority\":" + (1 + n % 4) + ",\"labels\":[\"soak\",\"l" + (n % 7) + "\"]}";
  }

  static HttpRequest patch(String url, String json, String key) {
    return Load.request(url).header("Content-Type", "application/json").header("X-Agent-Key", key)
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build();
  }

  static HttpRequest keyed(HttpRequest r, String idempotencyKey) {
    if (idempotencyKey == null) {
      return r;
    }
    return HttpRequest.newBuilder(r, (name, value) -> true).header("Idempotency-Key", idempotencyKey).build();
  }

  /** Reads the SSE stream, counting events, reconnecting with Last-Event-ID when it drops. */
  static void subscribe(HttpClient client, String api, String key, AtomicBoolean running, AtomicLong count) {
    String last = null;
    while (running.get()) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + "/events/stream"))
          .header("X-Agent-Key", key).header("Accept", "text/event-stream");
      if (last != null) {
        b.header("Last-Event-ID", last);
      }
      try {
        HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
          String line;
          while (running.get() && (line = in.readLine()) != null) {
            if (line.startsWith("id:")) {
              last = line.substring(3).strip();
              count.incrementAndGet();
            }
          }
        }
      } catch (IOException e) {
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Asks the server for a full GC, then reads heap used, live data size and live threads from /metrics. */
  static double[] heapAfterGc(HttpClient client, String base, String admin, long pid) throws Exception {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    jcmd.waitFor();
    String metrics = new String(ApiBench.send(client, ApiBench.get(base + "/metrics", admin)), StandardCharsets.UTF_8);
    double heap = 0;
    Matcher m = HEAP.matcher(metrics);
    while (m.find()) {
      heap += Double.parseDouble(m.group(1));
    }
    return new double[] {heap, first(LIVE, metrics), first(THREADS, metrics)};
  }

  private static double first(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** Pages through {@code GET /events} from {@code after}; returns the id of the newest event. */
  static long lastEventId(HttpClient client, String api, String admin, long after) throws Exception {
    while (true) {
      JsonNode page = json(client, ApiBench.get(api + "/events?limit=500&after=" + after, admin));
      if (page.isEmpty()) {
        return after;
      }
      after = page.get(page.size() - 1).get("id").asLong();
    }
  }

  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static double rssMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return Double.NaN;
  }

  static int openFiles(long pid) {
    try (var files = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return (int) files.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static double sizeMiB(Path db) {
    double bytes = 0;
    for (String suffix : List.of("", "-wal", "-shm")) {
      try {
        bytes += Files.size(Path.of(db + suffix));
      } catch (IOException absent) {
        // no such file
      }
    }
    return bytes / (1 << 20);
  }

  private static long pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))];
  }

  static JsonNode json(HttpClient client, HttpRequest r) throws Exception {
    return Json.mapper().readTree(ApiBench.send(client, r));
  }

  static void awaitHealthy(HttpClient client, String api, Process server, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (client.send(HttpRequest.newBuilder(URI.create(api + "/health")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (!server.isAlive()) {
        throw new IllegalStateException("server exited: " + Files.readString(log));
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("server did not start within 90 s; log: " + log);
  }

  private static void printHeader() {
    System.out.println("| min | load1 | heap after GC MiB | G1 live data MiB | RSS MiB | threads | fds | tasks | open |"
        + " ops/s | p50 ms | p99 ms | errors | events | SSE events | webhook deliveries | DB MiB |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  }

  private static void print(Row r) {
    System.out.printf(
        "| %d | %.1f | %.1f | %.1f | %.0f | %d | %d | %d | %d | %.1f | %.1f | %.1f | %d | %d | %d | %d | %.1f |%n",
        r.minute(), r.load1(), r.heapAfterGcMiB(), r.liveDataMiB(), r.rssMiB(), r.threads(), r.openFiles(),
        r.tasks(), r.openTasks(), r.perSecond(), r.p50Ms(), r.p99Ms(), r.errors(), r.eventsCommitted(),
        r.sseEvents(), r.webhookDeliveries(), r.dbMiB());
    System.out.flush();
  }
}

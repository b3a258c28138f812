package dev.delega.bench;

import dev.delega.api.Json;
import dev.delega.server.ServerConfig;
import dev.delega.server.Wiring;
import io.javalin.Javalin;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The foundation benchmark: create, get, list (10k tasks present) and complete on the real server,
 * side by side with a bare Javalin app that answers a constant GET and a POST that inserts one row
 * into SQLite with the same durability settings. Prints a Markdown table with ratios.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -cp "$(cat benchmarks/target/classpath.txt)" dev.delega.bench.ApiBench [seconds] [workers] [--rounds=3] [--get-only] [--client=raw|jdk]}
 * (see benchmarks/README.md).
 */
public final class ApiBench {
  private ApiBench() {}

  public static void main(String[] args) throws Exception {
    List<String> positional = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
    int seconds = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 10;
    int workers = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 32;
    // --get-only: just the two GET scenarios (for quick comparisons while working on the read path).
    boolean getOnly = java.util.Arrays.asList(args).contains("--get-only");
    Duration d = Duration.ofSeconds(seconds);
    Path dir = Files.createTempDirectory("delega-bench");

    Javalin bare = bareJavalin(dir.resolve("bare.db"));
    String bareUrl = "http://127.0.0.1:" + bare.port();

    // --no-task-cache: GET /tasks/{id} reads the database every time (decision 0016).
    boolean noTaskCache = java.util.Arrays.asList(args).contains("--no-task-cache");
    Wiring wiring =
        new Wiring(
            ServerConfig.fromEnv(
                Map.of(
                    "DELEGA_PORT", "0",
                    "DELEGA_DB_PATH", dir.resolve("delega.db").toString(),
                    "DELEGA_RATE_LIMIT_ENABLED", "false",
                    "DELEGA_DEDUP_MODE", "lexical",
                    "DELEGA_TASK_CACHE_ENTRIES", noTaskCache ? "0" : String.valueOf(ServerConfig.DEFAULT_TASK_CACHE_ENTRIES))),
            Clock.systemUTC());
    wiring.start();
    String api = "http://127.0.0.1:" + wiring.port() + "/api";
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String key = Json.mapper().readTree(send(client, post(api + "/agents", "{\"name\":\"bench\"}", null))).get("api_key").asString();

    System.err.println("seeding 10,000 tasks…");
    List<Long> ids = seed(client, api, key, 10_000);

    // The scenarios run over one raw HTTP/1.1 socket per worker (RawHttp) unless --client=jdk picks
    // the JDK HttpClient, whose own CPU in this JVM dilutes the ratios towards 1.
    boolean raw = !java.util.Arrays.asList(args).contains("--client=jdk");
    Driver drv = new Driver(client, raw, workers);
    // Warm-up: every scenario briefly, so the JIT sees all of them before measuring.
    Duration warm = Duration.ofSeconds(Math.max(2, seconds / 3));
    drv.run("warm", warm, i -> Req.get(bareUrl + "/const", null));
    drv.run("warm", warm, i -> Req.post(bareUrl + "/insert", "{\"content\":\"row " + i + "\"}", null));
    drv.run("warm", warm, i -> Req.get(api + "/tasks/" + ids.get(i % ids.size()), key));
    drv.run("warm", warm, i -> Req.post(api + "/tasks", "{\"content\":\"warm " + i + "\"}", key));

    int rounds = java.util.Arrays.stream(args).filter(a -> a.startsWith("--rounds=")).map(a -> Integer.parseInt(a.substring(9)))
        .findFirst().orElse(3);
    List<Long> toComplete = new ArrayList<>(ids);
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    List<Double> getRatios = new ArrayList<>();
    List<Double> createRatios = new ArrayList<>();
    // Each round runs every scenario once, each Delega scenario right after its bare counterpart, so a
    // ratio compares two runs seconds apart; the median over rounds damps the machine's noise.
    for (int round = 1; round <= rounds; round++) {
      List<Load.Result> results = new ArrayList<>();
      Load.Result bareGet = drv.run("bare Javalin constant GET", d, i -> Req.get(bareUrl + "/const", null));
      Load.Result getTask = drv.run("GET /tasks/{id}", d,
          i -> Req.get(api + "/tasks/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size())), key));
      results.add(bareGet);
      results.add(getTask);
      getRatios.add(getTask.perSecond() / bareGet.perSecond());
      if (!getOnly) {
        Load.Result bareInsert = drv.run("bare Javalin POST inserting one row", d,
            i -> Req.post(bareUrl + "/insert", "{\"content\":\"row " + i + "\"}", null));
        Load.Result create = drv.run("POST /tasks", d,
            i -> Req.post(api + "/tasks", "{\"content\":\"bench task " + i + "\",\"priority\":2,\"labels\":[\"bench\"]}", key));
        Load.Result list = drv.run("GET /tasks?limit=50 (10k+ present)", d,
            i -> Req.get(api + "/tasks?limit=50&offset=" + (i % 100) * 50, key));
        // Every request changes a task: passes over the seeded tasks alternate between completing
        // them and reopening them, so no request completes a task that is already completed.
        Load.Result complete = drv.run("POST /tasks/{id}/complete (/uncomplete on alternate passes)", d,
            i -> {
              int n = next.getAndIncrement();
              boolean reopen = (n / toComplete.size()) % 2 == 1;
              return Req.post(api + "/tasks/" + toComplete.get(n % toComplete.size()) + (reopen ? "/uncomplete" : "/complete"), "", key);
            });
        results.addAll(List.of(bareInsert, create, list, complete));
        createRatios.add(create.perSecond() / bareInsert.perSecond());
      }
      System.out.println("Round " + round + " of " + rounds + ":");
      System.out.println();
      print(results, workers, seconds);
      System.out.println();
    }
    System.out.printf("get / bare constant GET: median %.2f of %s (target >= 0.50)%n", median(getRatios), rounded(getRatios));
    if (!getOnly) {
      System.out.printf("create / bare insert: median %.2f of %s (target >= 0.50)%n", median(createRatios), rounded(createRatios));
    }
    wiring.close();
    bare.stop();
    System.exit(0);
  }

  /** One request of a scenario, sent by either client. */
  record Req(String method, String url, String key, String body) {
    static Req get(String url, String key) {
      return new Req("GET", url, key, null);
    }

    static Req post(String url, String body, String key) {
      return new Req("POST", url, key, body);
    }
  }

  /** Runs a scenario with the JDK HttpClient, or with one {@link RawHttp} connection per worker. */
  private record Driver(HttpClient client, boolean raw, int workers) {
    Load.Result run(String name, Duration d, java.util.function.IntFunction<Req> scenario) throws InterruptedException {
      if (!raw) {
        return Load.run(name, client, workers, d, i -> {
          Req r = scenario.apply(i);
          return r.method().equals("GET") ? ApiBench.get(r.url(), r.key()) : ApiBench.post(r.url(), r.body(), r.key());
        });
      }
      java.net.URI first = java.net.URI.create(scenario.apply(0).url());
      String hostPort = first.getHost() + ":" + first.getPort();
      // Every URL of a scenario is on one server: its path is what follows the origin (no URI parse
      // per request in the generator).
      String origin = "http://" + hostPort;
      return Load.runRaw(name, first.getHost(), first.getPort(), workers, d, i -> {
        Req r = scenario.apply(i);
        if (!r.url().startsWith(origin + "/")) {
          throw new IllegalArgumentException(r.url() + " is not on " + origin);
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (r.key() != null) {
          headers.put("X-Agent-Key", r.key());
        }
        if (r.body() != null) {
          headers.put("Content-Type", "application/json");
        }
        return RawHttp.request(r.method(), hostPort, r.url().substring(origin.length()), headers, r.body());
      });
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static List<String> rounded(List<Double> values) {
    return values.stream().map(v -> String.format("%.2f", v)).toList();
  }

  private static void print(List<Load.Result> results, int workers, int seconds) {
    System.out.println("| scenario | req/s | p50 ms | p99 ms | errors |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (Load.Result r : results) {
      System.out.printf("| %s | %.0f | %.2f | %.2f | %d |%n", r.name(), r.perSecond(), r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.errors());
    }
    System.out.println();
    System.out.printf("(%d workers, %d s per scenario, %d cores)%n", workers, seconds, Runtime.getRuntime().availableProcessors());
  }

  private static List<Long> seed(HttpClient client, String api, String key, int n) throws Exception {
    List<Long> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < 32; w++) {
        int worker = w;
        pool.submit(() -> {
          for (int i = worker; i < n; i += 32) {
            byte[] body = send(client, post(api + "/tasks", "{\"content\":\"seed task " + i + " about topic " + (i % 97) + "\",\"priority\":" + (1 + i % 4) + "}", key));
            ids.add(Json.mapper().readTree(body).get("id").asLong());
          }
          return null;
        });
      }
    }
    return new ArrayList<>(ids);
  }

  private static Javalin bareJavalin(Path db) throws Exception {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY AUTOINCREMENT, content TEXT NOT NULL, created_at BIGINT NOT NULL)");
    }
    PreparedStatement insert = c.prepareStatement("INSERT INTO rows (content, created_at) VALUES (?, ?)");
    ReentrantLock lock = new ReentrantLock();
    byte[] constant = "{\"ok\":true}".getBytes();
    return Javalin.create(cfg -> {
      cfg.concurrency.useVirtualThreads = true;
      cfg.startup.showJavalinBanner = false;
      cfg.jetty.host = "127.0.0.1";
      cfg.jetty.port = 0;
      cfg.routes.get("/const", ctx -> ctx.contentType("application/json").result(constant));
      cfg.routes.post("/insert", ctx -> {
        String content = Json.mapper().readTree(ctx.bodyAsBytes()).get("content").asString();
        lock.lock();
        try {
          insert.setString(1, content);
          insert.setLong(2, System.currentTimeMillis());
          insert.executeUpdate();
        } finally {
          lock.unlock();
        }
        ctx.status(201).contentType("application/json").result(constant);
      });
    }).start();
  }

  static HttpRequest get(String url) {
    return Load.request(url).GET().build();
  }

  static HttpRequest get(String url, String key) {
    return key == null ? get(url) : Load.request(url).header("X-Agent-Key", key).GET().build();
  }

  static HttpRequest post(String url, String json, String key) {
    HttpRequest.Builder b = Load.request(url).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      b.header("X-Agent-Key", key);
    }
    return b.build();
  }

  static byte[] send(HttpClient client, HttpRequest r) throws Exception {
    HttpResponse<byte[]> resp = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() >= 300) {
      throw new IllegalStateException(r.uri() + " -> " + resp.statusCode() + " " + new String(resp.body()));
    }
    return resp.body();
  }
}

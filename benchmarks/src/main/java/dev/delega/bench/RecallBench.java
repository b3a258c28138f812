package dev.delega.bench;

import dev.delega.api.Json;
import dev.delega.server.ServerConfig;
import dev.delega.server.Wiring;
import dev.delega.server.agent.Caller;
import dev.delega.server.internal.Fields;
import dev.delega.server.task.TaskContext;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Recall ({@code GET /context/search}) latency at 10k and 100k context entries on the real server.
 * Tasks get ten context keys each, written by one worker through the context use case that
 * {@code PATCH /tasks/{id}/context} calls;
 * values are sentences drawn from a 5,000-word synthetic vocabulary with a Zipf distribution, so a
 * few words are in most values and most words are rare, as in prose. Queries run closed-loop from
 * several clients: one typical word, a typical and a frequent word, one frequent word (the worst case for a
 * ranked full-text query), and one typical word as the worker (with the visibility filter). Prints
 * a Markdown table and the query plan of a recall.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -cp "$(cat
 * benchmarks/target/classpath.txt):benchmarks/target/classes" dev.delega.bench.RecallBench
 * [seconds-per-scenario] [clients]}; set {@code DELEGA_DATABASE_URL} to run on PostgreSQL.
 */
public final class RecallBench {
  private static final int VOCABULARY = 5_000;
  private static final int KEYS_PER_TASK = 10;
  private static final String[] KEYS = {
    "decision", "db_choice", "owner", "runbook", "next_step", "blocker", "summary", "deployTarget",
    "rationale", "findings", "risk", "customer", "notes", "approach", "open_question"
  };
  private static final String[] SOURCES = {"human_stated", "agent_inferred", "agent_observed", "imported"};

  private RecallBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Duration d = Duration.ofSeconds(seconds);
    Path dir = Files.createTempDirectory("delega-recall-bench");
    Map<String, String> env = new HashMap<>();
    env.put("DELEGA_PORT", "0");
    env.put("DELEGA_DB_PATH", dir.resolve("delega.db").toString());
    env.put("DELEGA_RATE_LIMIT_ENABLED", "false");
    env.put("DELEGA_DEDUP_MODE", "lexical");
    String pg = System.getenv("DELEGA_DATABASE_URL");
    if (pg != null && !pg.isBlank()) {
      env.put("DELEGA_DATABASE_URL", pg);
    }
    Wiring wiring = new Wiring(ServerConfig.fromEnv(env), Clock.systemUTC());
    wiring.start();
    String api = "http://127.0.0.1:" + wiring.port() + "/api";
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String admin = Json.mapper().readTree(ApiBench.send(client, ApiBench.post(api + "/agents", "{\"name\":\"bench\"}", null)))
        .get("api_key").asString();
    String worker = Json.mapper().readTree(ApiBench.send(client,
            ApiBench.post(api + "/agents", "{\"name\":\"bench-worker\",\"role\":\"worker\"}", admin)))
        .get("api_key").asString();
    long workerId = Json.mapper().readTree(ApiBench.send(client, ApiBench.get(api + "/agent/me", worker)))
        .get("agent").get("id").asLong();
    Caller workerCaller = new Caller(workerId, "bench-worker", "worker", false, Set.of());
    String[] words = vocabulary();
    double[] zipf = zipfCumulative(VOCABULARY);

    System.out.println("| context entries | query | clients | req/s | p50 ms | p99 ms | errors | mean hits |");
    System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|");
    int seeded = 0;
    for (int target : new int[] {10_000, 100_000}) {
      long t0 = System.nanoTime();
      seed(wiring, workerCaller, words, zipf, seeded / KEYS_PER_TASK, target / KEYS_PER_TASK);
      seeded = target;
      System.err.printf("seeded %,d entries in %.1f s%n", target, (System.nanoTime() - t0) / 1e9);
      if (wiring.database().dialect() == dev.delega.server.store.Dialect.POSTGRES) {
        // What autovacuum would do shortly after a bulk load; without it the planner works from the
        // statistics of a nearly empty table.
        wiring.database().read(h -> h.execute("ANALYZE context_entries; ANALYZE tasks"));
      }
      measure(client, api, admin, worker, words, target, clients, d);
    }
    System.out.println();
    System.out.println("Query plan (" + wiring.database().describe().replaceAll(":.*", "") + "):");
    System.out.println("```");
    System.out.println(plan(wiring, words[VOCABULARY - 1]));
    System.out.println("```");
    System.out.printf("(%d s per scenario after a warm-up, %d cores, %s)%n", seconds, Runtime.getRuntime().availableProcessors(),
        wiring.database().describe().replaceAll(":.*", ""));
    wiring.close();
    System.exit(0);
  }

  private static void measure(HttpClient client, String api, String admin, String worker, String[] words, int entries,
      int clients, Duration d) throws Exception {
    List<Scenario> scenarios = List.of(
        new Scenario("1 typical word", admin, i -> typical(words)),
        new Scenario("1 typical + 1 frequent word", admin, i -> typical(words) + " " + frequent(words)),
        new Scenario("1 frequent word (rank 10–50)", admin, i -> frequent(words)),
        new Scenario("1 typical word, as a worker", worker, i -> typical(words)));
    Duration warm = Duration.ofSeconds(Math.max(2, d.toSeconds() / 3));
    for (Scenario s : scenarios) {
      Load.run("warm", client, clients, warm, i -> recall(api, s.key(), s.query().apply(i)));
    }
    for (Scenario s : scenarios) {
      Load.Result r = Load.run(s.name(), client, clients, d, i -> recall(api, s.key(), s.query().apply(i)));
      double hits = meanHits(client, api, s);
      System.out.printf("| %,d | %s | %d | %.0f | %.2f | %.2f | %d | %.1f |%n", entries, r.name(), clients, r.perSecond(),
          r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.errors(), hits);
    }
  }

  private static double meanHits(HttpClient client, String api, Scenario s) throws Exception {
    int n = 200;
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += Json.mapper().readTree(ApiBench.send(client, recall(api, s.key(), s.query().apply(i)))).get("count").asInt();
    }
    return (double) total / n;
  }

  /** One kind of recall query, sent with {@code key}. */
  private record Scenario(String name, String key, IntFunction<String> query) {}

  private static HttpRequest recall(String api, String key, String q) {
    return ApiBench.get(api + "/context/search?limit=20&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), key);
  }

  /** A word of Zipf rank 50 to 5,000, uniformly: what people search for. */
  private static String typical(String[] words) {
    return words[50 + ThreadLocalRandom.current().nextInt(VOCABULARY - 50)];
  }

  /**
   * Creates tasks {@code fromTask..toTask-1} with ten context keys each through the server's own use
   * cases (the same transactions, ledger writes, triggers and events as the HTTP routes, without
   * the HTTP cost, which is not what this benchmark measures), from 32 threads so writes group.
   */
  /** A word of Zipf rank 10 to 50: it is in roughly 3 to 12 % of all values. */
  private static String frequent(String[] words) {
    return words[10 + ThreadLocalRandom.current().nextInt(40)];
  }

  private static void seed(Wiring wiring, Caller worker, String[] words, double[] zipf, int fromTask, int toTask)
      throws Exception {
    TaskContext context = new TaskContext(wiring.database(), wiring.tasks(), Clock.systemUTC());
    AtomicInteger next = new AtomicInteger(fromTask);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < 32; w++) {
        pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < toTask; i = next.getAndIncrement()) {
            Random rnd = new Random(i);
            Map<String, Object> task = Map.of("content", sentence(rnd, words, zipf, 6));
            long id = wiring.tasks().create(worker, Fields.parse(Json.mapper().writeValueAsBytes(task))).id();
            Map<String, Object> ctx = new LinkedHashMap<>();
            for (int k = 0; k < KEYS_PER_TASK; k++) {
              ctx.put(KEYS[(i + k) % KEYS.length] + (k >= KEYS.length ? "_" + k : ""), sentence(rnd, words, zipf, 6 + rnd.nextInt(10)));
            }
            context.patch(worker, id, Fields.parse(Json.mapper().writeValueAsBytes(ctx)), null, SOURCES[i % SOURCES.length], null);
          }
          return null;
        });
      }
    }
  }

  private static String sentence(Random rnd, String[] words, double[] zipf, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      if (i > 0) {
        b.append(' ');
      }
      double u = rnd.nextDouble();
      int lo = 0;
      int hi = zipf.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (zipf[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      b.append(words[lo]);
    }
    return b.toString();
  }

  private static String[] vocabulary() {
    Random rnd = new Random(42);
    String consonants = "bcdfghjklmnprstvwz";
    String vowels = "aeiou";
    java.util.Set<String> seen = new java.util.LinkedHashSet<>();
    while (seen.size() < VOCABULARY) {
      StringBuilder w = new StringBuilder();
      int syllables = 2 + rnd.nextInt(3);
      for (int s = 0; s < syllables; s++) {
        w.append(consonants.charAt(rnd.nextInt(consonants.length()))).append(vowels.charAt(rnd.nextInt(vowels.length())));
      }
      w.append(consonants.charAt(rnd.nextInt(consonants.length())));
      seen.add(w.toString());
    }
    return seen.toArray(new String[0]);
  }

  private static double[] zipfCumulative(int n) {
    double[] c = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / (i + 1);
      c[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      c[i] /= sum;
    }
    return c;
  }

  /** The plan of a recall as the server writes it (admin caller, default filters), for a rare word. */
  private static String plan(Wiring wiring, String word) {
    boolean postgres = wiring.database().dialect() == dev.delega.server.store.Dialect.POSTGRES;
    String weight = "(CASE %s.source WHEN 'human_stated' THEN 2.0 WHEN 'agent_observed' THEN 1.5"
        + " WHEN 'imported' THEN 1.2 ELSE 1.0 END)";
    String phrase = "'\"" + word + "\"'";
    String candidates = postgres
        ? "SELECT e.id, e.key, e.value, e.source, e.task_id, e.search_tsv FROM context_entries e"
            + " CROSS JOIN websearch_to_tsquery('english', " + phrase + ") AS q(query)"
            + " WHERE e.search_tsv @@ q.query AND e.value IS NOT NULL AND e.superseded_at IS NULL"
            + " ORDER BY e.id + 0 DESC LIMIT 1000"
        : "SELECT e.id, e.key, e.value, e.source, e.task_id, -bm25(context_fts, 2.0, 1.0) * "
            + weight.formatted("e") + " AS score FROM context_fts JOIN context_entries e ON e.id = context_fts.rowid"
            + " WHERE context_fts MATCH " + phrase + " AND e.value IS NOT NULL AND e.superseded_at IS NULL"
            + " ORDER BY context_fts.rowid DESC LIMIT 1000";
    String best = postgres
        ? "SELECT c.id, c.key, c.value, c.source, c.task_id, ts_rank('{0.1, 0.2, 0.5, 1.0}', c.search_tsv, q.query) * "
            + weight.formatted("c") + " AS score FROM (" + candidates + ") c"
            + " CROSS JOIN websearch_to_tsquery('english', " + phrase + ") AS q(query) ORDER BY score DESC, c.id DESC LIMIT 20"
        : "SELECT c.* FROM (" + candidates + ") c ORDER BY c.score DESC, c.id DESC LIMIT 20";
    String sql = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ")
        + "SELECT b.key, b.value, b.source, b.task_id, t.content AS task_content, b.score FROM (" + best
        + ") b JOIN tasks t ON t.id = b.task_id ORDER BY b.score DESC, b.id DESC";
    return wiring.database().read(h -> String.join("\n", h.createQuery(sql)
        .map((rs, ctx) -> postgres ? rs.getString(1) : rs.getString("detail"))
        .list()));
  }
}

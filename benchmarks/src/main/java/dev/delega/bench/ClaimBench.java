package dev.delega.bench;

import dev.delega.api.Json;
import dev.delega.server.ServerConfig;
import dev.delega.server.Wiring;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Claim-next throughput: {@code claimers} agents call {@code POST /tasks/claim} back to back (one
 * closed loop each, over HTTP) against a server seeded with more open tasks than they can take;
 * prints claims per second, p50/p99 latency, empty answers, errors and double claims (one task
 * handed to two claimers; must be 0), and checks the database agrees: as many claimed tasks and
 * {@code task.claimed} events as successful answers, and no task with a second lease token.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -cp
 * "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes" dev.delega.bench.ClaimBench
 * [seconds=10] [claimers=32] [--warmup=S] [--tasks=N] [--postgres=jdbc:…] [--client=raw|jdk]}
 * (SQLite in a temporary directory unless {@code --postgres} is given, which must name an empty
 * database; {@code --tasks} open tasks are seeded, by default 10,000 per second of the run; the
 * warm-up, as long as the run unless {@code --warmup} says otherwise, lets the JIT compile the
 * claim path before measuring; the claimers send over one raw HTTP/1.1 keep-alive socket each, see
 * {@link RawHttp}, unless {@code --client=jdk} picks the JDK HttpClient).
 */
public final class ClaimBench {
  private ClaimBench() {}

  /** What one measured phase saw. */
  record Phase(long claims, long empty, long errors, double seconds, long[] latencies) {
    double perSecond() {
      return claims / seconds;
    }

    double percentileMillis(double p) {
      if (latencies.length == 0) {
        return 0;
      }
      return latencies[Math.min(latencies.length - 1, (int) (latencies.length * p))] / 1000.0;
    }
  }

  public static void main(String[] args) throws Exception {
    List<String> positional = new ArrayList<>();
    String postgres = null;
    Integer seedTasks = null;
    Integer warmup = null;
    boolean jdkClient = false;
    for (String a : args) {
      if (a.startsWith("--postgres=")) {
        postgres = a.substring("--postgres=".length());
      } else if (a.startsWith("--warmup=")) {
        warmup = Integer.parseInt(a.substring("--warmup=".length()));
      } else if (a.startsWith("--client=")) {
        jdkClient = switch (a.substring("--client=".length())) {
          case "jdk" -> true;
          case "raw" -> false;
          default -> throw new IllegalArgumentException("--client is raw or jdk");
        };
      } else if (a.startsWith("--tasks=")) {
        seedTasks = Integer.parseInt(a.substring("--tasks=".length()));
      } else {
        positional.add(a);
      }
    }
    int seconds = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 10;
    int claimers = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 32;
    int warmSeconds = warmup != null ? warmup : Math.max(10, seconds);
    int tasks = seedTasks != null ? seedTasks : Math.max(20_000, (seconds + warmSeconds) * 10_000);

    Path dir = Files.createTempDirectory("delega-claim-bench");
    Map<String, String> env = new HashMap<>();
    env.put("DELEGA_PORT", "0");
    env.put("DELEGA_DB_PATH", dir.resolve("delega.db").toString());
    env.put("DELEGA_RATE_LIMIT_ENABLED", "false");
    env.put("DELEGA_DEDUP_MODE", "lexical");
    if (postgres != null) {
      env.put("DELEGA_DATABASE_URL", postgres);
    }
    Wiring wiring = new Wiring(ServerConfig.fromEnv(env), Clock.systemUTC());
    wiring.start();
    String api = "http://127.0.0.1:" + wiring.port() + "/api";
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String admin = field(ApiBench.send(client, ApiBench.post(api + "/agents", "{\"name\":\"bench-admin\"}", null)), "api_key");
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < claimers; i++) {
      keys.add(field(ApiBench.send(client, ApiBench.post(api + "/agents",
          "{\"name\":\"claimer-" + i + "\",\"permissions\":[\"tasks.read_all\"]}", admin)), "api_key"));
    }
    System.err.printf("seeding %,d open tasks…%n", tasks);
    seed(wiring, tasks);
    // The seed bypasses the API, so restart: the new server indexes the seeded tasks for duplicate
    // checks at start, as it would have indexed them one by one had they been created through the
    // API; otherwise each first claim would pay for that analysis.
    wiring.close();
    wiring = new Wiring(ServerConfig.fromEnv(env), Clock.systemUTC());
    wiring.start();
    api = "http://127.0.0.1:" + wiring.port() + "/api";
    String ready = "http://127.0.0.1:" + wiring.port() + "/health/ready";
    // Measure only once the duplicate index has read every seeded task ("index":"ready").
    while (!"ready".equals(Json.mapper().readTree(ApiBench.send(client, HttpRequest.newBuilder(URI.create(ready)).build()))
        .path("components").path("dedup").path("index").asString(""))) {
      Thread.sleep(200);
    }

    Map<Long, Integer> handedOut = new ConcurrentHashMap<>();
    Claimer claimer = jdkClient ? jdk(client, api) : raw(wiring.port());
    run(claimer, keys, Duration.ofSeconds(warmSeconds), handedOut);
    Phase p = run(claimer, keys, Duration.ofSeconds(seconds), handedOut);

    long doubles = handedOut.values().stream().filter(n -> n > 1).count();
    long answered = handedOut.values().stream().mapToLong(Integer::longValue).sum();
    long[] db =
        wiring.database().read(h -> new long[] {
          h.createQuery("SELECT COUNT(*) FROM tasks WHERE claimed_by_agent_id IS NOT NULL").mapTo(Long.class).one(),
          h.createQuery("SELECT COUNT(*) FROM events WHERE type = 'task.claimed'").mapTo(Long.class).one(),
          h.createQuery("SELECT COUNT(*) FROM tasks WHERE lease_token > 1").mapTo(Long.class).one()
        });
    String store = postgres != null ? "PostgreSQL" : "SQLite";
    System.out.println("| store | claimers | claims/s | p50 ms | p99 ms | empty | errors | double claims | db: claimed / claim events / re-leased |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    System.out.printf("| %s | %d | %.0f | %.2f | %.2f | %d | %d | %d | %d / %d / %d (answers: %d) |%n",
        store, claimers, p.perSecond(), p.percentileMillis(0.50), p.percentileMillis(0.99),
        p.empty(), p.errors(), doubles, db[0], db[1], db[2], answered);
    System.out.printf("(%d s measured after %d s warm-up, %d cores, %s, claimers on %s)%n",
        seconds, warmSeconds, Runtime.getRuntime().availableProcessors(), wiring.database().describe(),
        jdkClient ? "the JDK HttpClient" : "one raw HTTP/1.1 keep-alive socket each");
    boolean ok = doubles == 0 && db[0] == answered && db[1] == answered && db[2] == 0;
    wiring.close();
    System.exit(ok ? 0 : 1);
  }

  /** How one claimer sends {@code POST /tasks/claim} with its key and reads the status and body. */
  private interface Claimer {
    Load.Sender open(String key, Function<RawHttp.Response, Integer> answer);
  }

  private static final String CLAIM_BODY = "{\"lease_seconds\":3600}";

  private static Claimer jdk(HttpClient client, String api) {
    return (key, answer) -> {
      HttpRequest request = ApiBench.post(api + "/tasks/claim", CLAIM_BODY, key);
      return i -> () -> {
        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return answer.apply(new RawHttp.Response(r.statusCode(), r.body()));
      };
    };
  }

  private static Claimer raw(int port) {
    return (key, answer) -> {
      byte[] request = RawHttp.request("POST", "127.0.0.1:" + port, "/api/tasks/claim",
          Map.of("X-Agent-Key", key, "Content-Type", "application/json"), CLAIM_BODY);
      return Load.raw("127.0.0.1", port, i -> http -> answer.apply(http.send(request)));
    };
  }

  /**
   * One closed loop per claimer (each with its own key) for {@code duration}; records every task id
   * handed out. An answer that is neither a task nor {@code {"task":null}} counts as an error.
   */
  private static Phase run(Claimer claimer, List<String> keys, Duration duration, Map<Long, Integer> handedOut)
      throws Exception {
    LongAdder claims = new LongAdder();
    LongAdder empty = new LongAdder();
    AtomicInteger nextKey = new AtomicInteger();
    Function<RawHttp.Response, Integer> answer = r -> {
      long id = r.status() == 200 ? taskId(r.body()) : -2;
      if (id > 0) {
        claims.increment();
        handedOut.merge(id, 1, Integer::sum);
      } else if (id == -1) {
        empty.increment();
      } else {
        return 599;
      }
      return 200;
    };
    Load.Loop loop = Load.loop(keys.size(), 4_000_000 / keys.size(), duration,
        () -> claimer.open(keys.get(nextKey.getAndIncrement()), answer));
    return new Phase(claims.sum(), empty.sum(), loop.errors(), loop.seconds(), loop.micros());
  }

  /** The task id of a {@code {"task":{"id":…}}} answer; -1 for {@code {"task":null}}; -2 otherwise. */
  static long taskId(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8);
    if (s.startsWith("{\"task\":null")) {
      return -1;
    }
    if (!s.startsWith("{\"task\":{\"id\":")) {
      return -2;
    }
    int i = "{\"task\":{\"id\":".length();
    long id = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      id = id * 10 + (s.charAt(i++) - '0');
    }
    return id;
  }

  /** Inserts open tasks straight into the store (setup, not measured), 5,000 per transaction. */
  private static void seed(Wiring wiring, int tasks) {
    long now = System.currentTimeMillis();
    for (int from = 0; from < tasks; from += 5_000) {
      int start = from;
      int end = Math.min(tasks, from + 5_000);
      wiring.database().write(tx -> {
        PreparedBatch batch = tx.handle().prepareBatch(
            "INSERT INTO tasks (content, priority, status, created_at, updated_at)"
                + " VALUES (:content, :priority, 'open', :at, :at)");
        for (int i = start; i < end; i++) {
          batch.bind("content", "bench task " + i).bind("priority", 1 + i % 4).bind("at", now + i).add();
        }
        batch.execute();
        tx.handle().execute("UPDATE tasks SET root_task_id = id WHERE root_task_id IS NULL");
        return null;
      });
    }
  }

  private static String field(byte[] json, String name) {
    return Json.mapper().readTree(json).get(name).asString();
  }
}

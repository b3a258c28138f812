package dev.delega.bench;

import dev.delega.api.Json;
import dev.delega.server.ServerConfig;
import dev.delega.server.Wiring;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import tools.jackson.databind.JsonNode;

/**
 * Duplicate-check latency ({@code POST /tasks/dedup} and the create-time check) at 1k and 100k open
 * tasks side by side, in hybrid and lexical mode, and the server's heap per indexed task.
 *
 * <p>Two SQLite files are seeded once over HTTP ({@code POST /tasks}, 8 concurrent clients, 20
 * worker agents, a lexical-mode server so that seeding does not wait for embeddings): one with the
 * small count, one with the large count, the small set being the first tasks of the large one. For
 * each mode, a server is then started on each file in this JVM; each fills its index the way a
 * production start does ({@code DedupService} loads every open task in the background) and the
 * driver waits for {@code /health/ready} to report the index ready. Titles come from 24 task
 * intents with two or three phrasings each, filled with services, hosts, people, customers,
 * tickets, versions and dates drawn with a skew, so a few slot values are frequent and most are
 * rare, and every template word is in thousands of tasks at 100k.
 *
 * <p>Query kinds, each a fixed list of 300 texts: a paraphrase of a seeded task (another phrasing of
 * its intent with the same slot values), the same task with one entity swapped (same phrasing, a
 * different host, person, ticket…; should not match), and unrelated texts. All paraphrased and
 * swapped tasks are among the first (small-count) tasks, so both servers hold them. Each kind runs
 * closed-loop as the admin (no visibility filter); the mixed list also runs as a worker (visibility
 * filter) and as {@code POST /tasks} with {@code X-Dedup-Check: true} (paraphrases: answered 409
 * without a write; the few that pass are created, at most once per text, and deleted afterwards). Measurement alternates
 * between the two servers in five rounds per scenario, so both see the same machine load.
 *
 * <p>Heap per indexed task: used heap after a full GC, measured before starting each server and
 * after its index is loaded; (growth with the large server − growth with the small server) /
 * (large − small) cancels what every server costs regardless of its size.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -cp "$(cat
 * benchmarks/target/classpath.txt):benchmarks/target/classes" dev.delega.bench.DedupBench
 * [seconds-per-scenario-and-size] [clients] [--small=1000] [--large=100000] [--modes=hybrid,lexical]
 * [--data=DIR]}; with {@code --data} the seeded files are kept in DIR and reused by the next run.
 */
public final class DedupBench {
  private static final int AGENTS = 20;
  private static final int QUERIES = 300;
  private static final int ROUNDS = 5;

  private DedupBench() {}

  public static void main(String[] args) throws Exception {
    List<String> positional = new ArrayList<>();
    Map<String, String> options = new HashMap<>();
    for (String a : args) {
      if (a.startsWith("--") && a.contains("=")) {
        options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      } else {
        positional.add(a);
      }
    }
    int seconds = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 10;
    int clients = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 1;
    int small = Integer.parseInt(options.getOrDefault("small", "1000"));
    int large = Integer.parseInt(options.getOrDefault("large", "100000"));
    List<String> modes = List.of(options.getOrDefault("modes", "hybrid,lexical").split(","));
    Duration d = Duration.ofSeconds(seconds);
    Path dir = options.containsKey("data") ? Path.of(options.get("data")) : Files.createTempDirectory("delega-dedup-bench");
    Files.createDirectories(dir);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Path smallDb = dir.resolve("tasks-" + small + ".db");
    Path largeDb = dir.resolve("tasks-" + large + ".db");
    Keys smallKeys = seeded(client, smallDb, small);
    Keys largeKeys = seeded(client, largeDb, large);

    Titles titles = new Titles();
    Map<String, List<String>> queries = new LinkedHashMap<>();
    queries.put("paraphrase", titles.queries(QUERIES, small, Titles.Kind.PARAPHRASE));
    queries.put("entity swapped", titles.queries(QUERIES, small, Titles.Kind.SWAPPED));
    queries.put("unrelated", titles.queries(QUERIES, small, Titles.Kind.UNRELATED));
    List<String> mixed = new ArrayList<>();
    for (int i = 0; i < QUERIES; i++) {
      mixed.add(queries.values().stream().toList().get(i % 3).get(i));
    }

    List<String> ratios = new ArrayList<>();
    List<String> memory = new ArrayList<>();
    System.out.println("| mode | scenario | open tasks | req/s | p50 ms | p99 ms | p99.9 ms | found dups | errors |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (String mode : modes) {
      long heap0 = heapAfterGc();
      Server s = Server.start(smallDb, mode, smallKeys);
      long heap1 = heapAfterGc();
      Server l = Server.start(largeDb, mode, largeKeys);
      long heap2 = heapAfterGc();
      double perTask = ((heap2 - heap1) - (heap1 - heap0)) / (double) (large - small);
      memory.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %.1f s | %.1f s |", mode,
          (heap1 - heap0) / 1048576.0, (heap2 - heap1) / 1048576.0, perTask / 1024, s.loadSeconds(), l.loadSeconds()));

      List<Scenario> scenarios = new ArrayList<>();
      for (var e : queries.entrySet()) {
        scenarios.add(new Scenario("POST /tasks/dedup, " + e.getKey() + ", admin", e.getValue(), false, false));
      }
      scenarios.add(new Scenario("POST /tasks/dedup, mixed, worker", mixed, false, true));
      scenarios.add(new Scenario("POST /tasks + X-Dedup-Check, paraphrase, admin", queries.get("paraphrase"), true, false));
      Duration warm = Duration.ofSeconds(Math.max(2, seconds / 3));
      for (Scenario sc : scenarios.subList(0, scenarios.size() - 1)) {
        sample(client, s, sc, clients, warm);
        sample(client, l, sc, clients, warm);
      }
      for (Scenario sc : scenarios) {
        Samples atSmall = Samples.EMPTY;
        Samples atLarge = Samples.EMPTY;
        for (int r = 0; r < ROUNDS; r++) {
          atSmall = atSmall.plus(sample(client, s, sc, clients, d.dividedBy(ROUNDS)));
          atLarge = atLarge.plus(sample(client, l, sc, clients, d.dividedBy(ROUNDS)));
        }
        s.deleteCreated(client);
        l.deleteCreated(client);
        row(mode, sc, small, atSmall);
        row(mode, sc, large, atLarge);
        ratios.add(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | **%.2f** | %.2f |", mode, sc.name(),
            atSmall.quantile(0.99) / 1000.0, atLarge.quantile(0.99) / 1000.0,
            (double) atLarge.quantile(0.99) / atSmall.quantile(0.99),
            (double) atLarge.quantile(0.50) / atSmall.quantile(0.50)));
      }
      s.close();
      l.close();
    }
    System.out.println();
    System.out.printf("| mode | scenario | p99 ms at %,d | p99 ms at %,d | p99 ratio (target ≤ 2) | p50 ratio |%n", small, large);
    System.out.println("|---|---|---:|---:|---:|---:|");
    ratios.forEach(System.out::println);
    System.out.println();
    System.out.printf("| mode | heap growth, %,d-task server (MB) | heap growth, %,d-task server (MB) | KB per indexed task | index load %,d | index load %,d |%n",
        small, large, small, large);
    System.out.println("|---|---:|---:|---:|---:|---:|");
    memory.forEach(System.out::println);
    System.out.printf("%n(%d s per scenario and size in %d alternating rounds after a warm-up, %d client(s), %d cores, %s)%n",
        seconds, ROUNDS, clients, Runtime.getRuntime().availableProcessors(), Runtime.version());
    System.exit(0);
  }

  private static void row(String mode, Scenario sc, int tasks, Samples r) {
    System.out.printf(Locale.ROOT, "| %s | %s | %,d | %.0f | %.2f | %.2f | %.2f | %.0f %% | %d |%n", mode, sc.name(), tasks,
        r.count() / r.seconds(), r.quantile(0.50) / 1000.0, r.quantile(0.99) / 1000.0, r.quantile(0.999) / 1000.0,
        100.0 * r.found() / Math.max(1, r.count()), r.errors());
  }

  /** One closed-loop workload: a fixed list of texts sent in turn. */
  private record Scenario(String name, List<String> texts, boolean create, boolean asWorker) {
    HttpRequest request(Server server, int i) {
      String api = server.api();
      String key = asWorker ? server.keys().worker() : server.keys().admin();
      String text = texts.get(Math.floorMod(i, texts.size()));
      if (create) {
        return Load.request(api + "/tasks").header("Content-Type", "application/json").header("X-Agent-Key", key)
            .header("X-Dedup-Check", "true").POST(HttpRequest.BodyPublishers.ofString(json(Map.of("content", text))))
            .build();
      }
      return ApiBench.post(api + "/tasks/dedup", json(Map.of("content", text)), key);
    }
  }

  /** Latencies of one or more runs, in microseconds, with how many answers reported duplicates. */
  private record Samples(long[] micros, long found, long errors, double seconds) {
    static final Samples EMPTY = new Samples(new long[0], 0, 0, 0);

    int count() {
      return micros.length;
    }

    Samples plus(Samples o) {
      long[] all = Arrays.copyOf(micros, micros.length + o.micros.length);
      System.arraycopy(o.micros, 0, all, micros.length, o.micros.length);
      Arrays.sort(all);
      return new Samples(all, found + o.found, errors + o.errors, seconds + o.seconds);
    }

    long quantile(double q) {
      return micros.length == 0 ? 0 : micros[Math.min(micros.length - 1, (int) (micros.length * q))];
    }
  }

  /**
   * Runs a scenario closed-loop for a while. A 409 {@code duplicate_task} from the create route and
   * {@code has_duplicates: true} from the check count as found; other statuses ≥ 300 as errors.
   */
  private static Samples sample(HttpClient client, Server server, Scenario sc, int workers, Duration duration)
      throws InterruptedException {
    AtomicLong found = new AtomicLong();
    AtomicInteger next = new AtomicInteger(server.cursor.getAndAdd(1_000_000));
    Load.Loop loop = Load.loop(workers, 1_000_000, duration, () -> i -> {
      HttpRequest r = sc.request(server, next.getAndIncrement());
      return () -> {
        HttpResponse<byte[]> resp = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
        int status = resp.statusCode();
        if (status == 201) {
          server.created().add(Json.mapper().readTree(resp.body()).get("id").asLong());
        }
        if (status == 409 || (status == 200 && contains(resp.body(), "\"has_duplicates\":true"))) {
          found.incrementAndGet();
          return 200; // a duplicate found is an answer, not an error
        }
        return status;
      };
    });
    return new Samples(loop.micros(), found.get(), loop.errors(), loop.seconds());
  }

  private static boolean contains(byte[] body, String needle) {
    return new String(body, java.nio.charset.StandardCharsets.UTF_8).contains(needle);
  }

  /** The keys of the seeded agents: the bootstrap admin and the first worker. */
  private record Keys(String admin, String worker) {}

  /**
   * The keys of a seeded file: seeds it unless a previous run with {@code --data=DIR} left it
   * complete (the keys file is written last).
   */
  private static Keys seeded(HttpClient client, Path db, int n) throws Exception {
    Path keysFile = Path.of(db + ".keys.json");
    if (Files.exists(keysFile)) {
      System.err.printf("reusing %s%n", db);
      return Json.mapper().readValue(Files.readString(keysFile), Keys.class);
    }
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(Path.of(db + suffix));
    }
    Keys keys = seed(client, db, n);
    Files.writeString(keysFile, json(keys));
    return keys;
  }

  /**
   * Writes {@code n} open tasks into a new SQLite file through {@code POST /tasks} on a lexical-mode
   * server, from 8 concurrent clients. Task {@code i} is created by worker {@code i % 20}, except
   * every third task, which the admin creates and assigns to a worker; so the first worker can see
   * about 2/3 · 1/20 + 1/3 · 1/20 = 1/20 of all tasks through the visibility rules.
   */
  private static Keys seed(HttpClient client, Path db, int n) throws Exception {
    long t0 = System.nanoTime();
    Wiring wiring = new Wiring(ServerConfig.fromEnv(env(db, "lexical")), Clock.systemUTC());
    wiring.start();
    String api = "http://127.0.0.1:" + wiring.port() + "/api";
    String admin = Json.mapper().readTree(ApiBench.send(client, ApiBench.post(api + "/agents", "{\"name\":\"bench\"}", null)))
        .get("api_key").asString();
    String[] workers = new String[AGENTS];
    long[] workerIds = new long[AGENTS];
    for (int a = 0; a < AGENTS; a++) {
      JsonNode created = Json.mapper().readTree(ApiBench.send(client,
          ApiBench.post(api + "/agents", "{\"name\":\"worker-" + a + "\",\"role\":\"worker\"}", admin)));
      workers[a] = created.get("api_key").asString();
      workerIds[a] = Json.mapper().readTree(ApiBench.send(client, ApiBench.get(api + "/agent/me", workers[a])))
          .get("agent").get("id").asLong();
    }
    Titles titles = new Titles();
    AtomicInteger next = new AtomicInteger();
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < 8; w++) {
        done.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("content", titles.seeded(i));
            String key = workers[i % AGENTS];
            if (i % 3 == 0) {
              // Workers may not assign to others: the admin hands these out.
              body.put("assigned_to_agent_id", workerIds[(i * 7 + 3) % AGENTS]);
              key = admin;
            }
            ApiBench.send(client, ApiBench.post(api + "/tasks", json(body), key));
          }
          return null;
        }));
      }
    }
    for (var f : done) {
      f.get(); // rethrows the first failed request
    }
    wiring.close();
    System.err.printf("seeded %,d tasks over HTTP in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    return new Keys(admin, workers[0]);
  }

  private static Map<String, String> env(Path db, String mode) {
    Map<String, String> env = new HashMap<>();
    env.put("DELEGA_PORT", "0");
    env.put("DELEGA_DB_PATH", db.toString());
    env.put("DELEGA_RATE_LIMIT_ENABLED", "false");
    env.put("DELEGA_DEDUP_MODE", mode);
    return env;
  }

  /** A server started on a seeded file, its index loaded. */
  private record Server(Wiring wiring, String api, Keys keys, double loadSeconds, AtomicInteger cursor,
      List<Long> created) implements AutoCloseable {
    static Server start(Path db, String mode, Keys keys) throws Exception {
      long t0 = System.nanoTime();
      Wiring wiring = new Wiring(ServerConfig.fromEnv(env(db, mode)), Clock.systemUTC());
      wiring.start();
      String base = "http://127.0.0.1:" + wiring.port();
      HttpClient probe = HttpClient.newHttpClient();
      while (true) {
        HttpResponse<byte[]> r = probe.send(ApiBench.get(base + "/health/ready"), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode dedup = Json.mapper().readTree(r.body()).path("components").path("dedup");
        if ("ready".equals(dedup.path("index").asString(""))) {
          if (!mode.equals(dedup.path("mode").asString(""))) {
            throw new IllegalStateException("the server runs dedup in " + dedup.path("mode") + " mode, not " + mode);
          }
          break;
        }
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.err.printf("%s server on %s: index ready after %.1f s%n", mode, db.getFileName(), seconds);
      return new Server(wiring, base + "/api", keys, seconds, new AtomicInteger(),
          java.util.Collections.synchronizedList(new ArrayList<>()));
    }

    /** Deletes the tasks the create scenario made, so that the seeded file stays as seeded. */
    void deleteCreated(HttpClient client) throws Exception {
      for (long id : List.copyOf(created)) {
        ApiBench.send(client, Load.request(api + "/tasks/" + id).header("X-Agent-Key", keys.admin()).DELETE().build());
      }
      created.clear();
    }

    @Override
    public void close() {
      wiring.close();
    }
  }

  private static long heapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static String json(Object value) {
    return Json.mapper().writeValueAsString(value);
  }

  /**
   * Synthetic task titles: 24 intents with two or three phrasings each, filled with slot values
   * drawn with a skew (value {@code k} of {@code n} with probability about proportional to
   * {@code 1/sqrt(k)}). Task {@code i} is always the same text.
   */
  static final class Titles {
    enum Kind { PARAPHRASE, SWAPPED, UNRELATED }

    private static final String[][] INTENTS = {
      {"Investigate the {metric} spike on {host}", "{host}: {metric} is spiking since this morning, look into it",
          "Look into why {metric} jumped on {host}"},
      {"Renew the TLS certificate for {service} in {env}", "{service} {env} TLS cert expires soon, rotate it"},
      {"Review PR #{pr} for {service}", "Code review needed on {service} pull request #{pr}"},
      {"Upgrade {lib} to {version} in {service}", "Bump {lib} to version {version} for {service}",
          "{service}: move {lib} dependency to {version}"},
      {"Call {person} about the {customer} renewal", "Phone {person} regarding the contract renewal with {customer}"},
      {"Refund order {order} for {customer}", "Issue a refund to {customer} for order {order}"},
      {"Write a runbook for {service} failover", "Document the failover procedure of {service}"},
      {"Migrate {service} from {db} to {db2}", "Move {service} off {db} and onto {db2}"},
      {"Triage {ticket}: {service} returns 500 errors", "{service} throws HTTP 500s, see {ticket}"},
      {"Send the {month} invoice to {customer}", "Email {customer} their invoice for {month}"},
      {"Add {person} to the {service} on-call rotation", "Put {person} on call for {service}"},
      {"Restart the {service} workers on {host}", "Bounce the {service} worker processes on {host}"},
      {"Free up disk space on {host}", "{host} is almost out of disk, clean it up"},
      {"Set up a meeting with {person} and {person2} about {service}",
          "Schedule a call with {person} and {person2} to discuss {service}"},
      {"Backfill {service} data for {date}", "Re-run the {service} backfill for {date}"},
      {"Update the {customer} SLA report for {month}", "Refresh the {month} SLA report for {customer}"},
      {"Fix the flaky test {test} in {service}", "{test} in {service} fails intermittently, find out why"},
      {"Grant {person} read access to the {service} dashboard", "Give {person} read-only access to the {service} dashboard"},
      {"Reduce {service} p99 latency below {ms} ms", "Bring the p99 latency of {service} under {ms} ms"},
      {"Onboard {customer} to the {service} API", "Help {customer} integrate with the {service} API"},
      {"Rotate the {service} database password in {env}", "Change the {env} database credentials of {service}"},
      {"Add rate limiting to the {service} {endpoint} endpoint", "Throttle requests to {endpoint} in {service}"},
      {"Prepare the {customer} quarterly business review for {date}", "Get the QBR deck for {customer} ready by {date}"},
      {"Deploy {service} {version} to {env}", "Roll out version {version} of {service} on {env}"},
    };

    private static final String[] UNRELATED = {
      "Book flights to {city} for the team offsite", "Order a birthday cake for {person}",
      "Translate the onboarding guide into {language}", "Plan the summer party in {city}",
      "Buy new office chairs for the {city} office", "Organise a book club session on {book}",
      "Renew the parking permits for the {city} office", "Find a venue in {city} for the hackathon",
      "Ask {person} for the recipe of the {food} at lunch", "Water the plants on the third floor",
      "Write a blog post about our trip to {city}", "Collect feedback on the {language} course",
    };

    private final String[] services = names(180, new String[] {"checkout", "billing", "search", "auth", "payments",
        "inventory", "notifications", "reporting", "gateway", "ledger", "catalog", "shipping", "invoicing", "pricing",
        "recommendations", "analytics", "onboarding", "scheduler", "exporter", "importer", "profile", "cart", "refunds",
        "fraud", "loyalty", "media", "thumbnails", "mailer", "webhooks", "audit"}, new String[] {"", "-api", "-worker",
        "-sync", "-admin", "-gateway"});
    private final String[] hosts = hosts();
    private final String[] people = names(2400, new String[] {"Alice", "Bob", "Carmen", "Dmitri", "Erin", "Farah", "Goran",
        "Hana", "Ivan", "Julia", "Kenji", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq",
        "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe", "Anders", "Bea", "Chidi", "Dana", "Elif", "Femi", "Greta",
        "Hugo", "Ines", "Jonas", "Kira", "Luca", "Mira", "Nils", "Olga", "Pablo", "Rhea", "Sami", "Tess", "Ugo", "Vera",
        "Wout"}, new String[] {" Andersen", " Brown", " Costa", " Dubois", " Eriksen", " Fischer", " Garcia", " Haddad",
        " Ivanova", " Jensen", " Kowalski", " Lopez", " Moreau", " Novak", " Okafor", " Petrov", " Quinn", " Rossi",
        " Schmidt", " Tanaka", " Usman", " Varga", " Weber", " Yilmaz", " Zhang"});
    private final String[] customers = names(600, new String[] {"Acme", "Globex", "Initech", "Umbrella", "Hooli",
        "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Gringotts", "Oscorp", "Aperture",
        "Massive Dynamic", "Nakatomi", "Monarch", "Pied Piper", "Dunder Mifflin", "Prestige", "Bluth", "Sterling",
        "Vehement", "Kramerica"}, new String[] {" Corp", " Labs", " GmbH", " Ltd", " Inc", " Group", " Logistics",
        " Health", " Bank", " Retail", " Energy", " Media", " Foods", " Travel", " Insurance", " Robotics", " Studios",
        " Capital", " Systems", " Pharma", " Motors", " Airlines", " Telecom", " Games"});
    private static final String[] METRICS = {"CPU", "memory", "latency", "error rate", "disk I/O", "queue depth",
        "GC pause", "5xx rate", "load average", "connection count"};
    private static final String[] ENVS = {"production", "staging", "dev", "eu-prod", "us-prod", "sandbox"};
    private static final String[] LIBS = {"log4j", "openssl", "nginx", "kafka-clients", "redis", "spring-boot", "react",
        "node", "jackson", "netty", "guava", "postgres-jdbc", "protobuf", "grpc", "django", "rails", "lodash", "okhttp"};
    private static final String[] DBS = {"MySQL", "PostgreSQL", "MongoDB", "Cassandra", "DynamoDB", "Redis",
        "Elasticsearch", "SQLite", "CockroachDB", "Oracle"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"};
    private static final String[] ENDPOINTS = {"/login", "/search", "/export", "/orders", "/upload", "/signup",
        "/checkout", "/reports", "/webhooks", "/graphql", "/v2/items", "/token"};
    private static final String[] CITIES = {"Lisbon", "Berlin", "Nairobi", "Osaka", "Montreal", "Bogotá", "Tallinn",
        "Lyon", "Porto", "Seoul", "Austin", "Kraków"};
    private static final String[] LANGUAGES = {"Portuguese", "Japanese", "German", "Polish", "Swahili", "Korean",
        "Spanish", "Turkish"};
    private static final String[] FOODS = {"lasagne", "curry", "tart", "soup", "salad", "risotto"};
    private static final String[] BOOKS = {"Dune", "Middlemarch", "The Overstory", "Project Hail Mary", "Beloved"};

    /** The title of seeded task {@code i}. */
    String seeded(int i) {
      Random rnd = new Random(1_000_003L * i + 17);
      int intent = rnd.nextInt(INTENTS.length);
      int phrasing = rnd.nextInt(INTENTS[intent].length);
      return render(INTENTS[intent][phrasing], slots(rnd));
    }

    /** {@code n} query texts of a kind, based on tasks among the first {@code among}. */
    List<String> queries(int n, int among, Kind kind) {
      Random pick = new Random(kind.ordinal() * 7919L + 5);
      List<String> out = new ArrayList<>();
      for (int q = 0; q < n; q++) {
        int i = pick.nextInt(among);
        Random rnd = new Random(1_000_003L * i + 17);
        int intent = rnd.nextInt(INTENTS.length);
        int phrasing = rnd.nextInt(INTENTS[intent].length);
        Map<String, String> slots = slots(rnd);
        String template = INTENTS[intent][phrasing];
        switch (kind) {
          case PARAPHRASE -> out.add(render(INTENTS[intent][(phrasing + 1) % INTENTS[intent].length], slots));
          case SWAPPED -> {
            Map<String, String> other = Map.of();
            List<String> used = new ArrayList<>();
            for (int attempt = 0; used.isEmpty(); attempt++) {
              other = slots(new Random(q * 31L + attempt * 1_000_033L + 99_991));
              for (String slot : slots.keySet()) {
                if (template.contains("{" + slot + "}") && !slots.get(slot).equals(other.get(slot))) {
                  used.add(slot);
                }
              }
            }
            String slot = used.get(pick.nextInt(used.size()));
            Map<String, String> swapped = new HashMap<>(slots);
            swapped.put(slot, other.get(slot));
            out.add(render(template, swapped));
          }
          case UNRELATED -> out.add(render(UNRELATED[pick.nextInt(UNRELATED.length)], slots));
        }
      }
      return out;
    }

    private Map<String, String> slots(Random rnd) {
      Map<String, String> s = new LinkedHashMap<>();
      s.put("service", skewed(rnd, services));
      s.put("host", skewed(rnd, hosts));
      s.put("person", skewed(rnd, people));
      s.put("person2", skewed(rnd, people));
      s.put("customer", skewed(rnd, customers));
      s.put("metric", skewed(rnd, METRICS));
      s.put("env", skewed(rnd, ENVS));
      s.put("lib", skewed(rnd, LIBS));
      s.put("version", (1 + rnd.nextInt(6)) + "." + rnd.nextInt(30) + "." + rnd.nextInt(12));
      s.put("db", DBS[rnd.nextInt(DBS.length)]);
      s.put("db2", DBS[rnd.nextInt(DBS.length)]);
      s.put("pr", String.valueOf(1 + rnd.nextInt(40_000)));
      s.put("order", "ORD-" + (100_000 + rnd.nextInt(900_000)));
      s.put("ticket", (rnd.nextBoolean() ? "OPS-" : "INC-") + (1 + rnd.nextInt(60_000)));
      s.put("month", MONTHS[rnd.nextInt(12)]);
      s.put("date", "2026-" + String.format(Locale.ROOT, "%02d-%02d", 1 + rnd.nextInt(12), 1 + rnd.nextInt(28)));
      s.put("test", skewed(rnd, new String[] {"OrderFlowTest", "LoginIT", "RetryPolicyTest", "CartMergeTest",
          "InvoiceRenderTest", "WebhookSignatureTest", "SearchRankingIT", "RateLimitTest", "MigrationV42Test",
          "TokenRefreshIT"}) + "." + "should" + (char) ('A' + rnd.nextInt(26)) + rnd.nextInt(100));
      s.put("ms", String.valueOf(50 * (1 + rnd.nextInt(20))));
      s.put("endpoint", ENDPOINTS[rnd.nextInt(ENDPOINTS.length)]);
      s.put("city", CITIES[rnd.nextInt(CITIES.length)]);
      s.put("language", LANGUAGES[rnd.nextInt(LANGUAGES.length)]);
      s.put("food", FOODS[rnd.nextInt(FOODS.length)]);
      s.put("book", BOOKS[rnd.nextInt(BOOKS.length)]);
      return s;
    }

    private static String render(String template, Map<String, String> slots) {
      String out = template;
      for (var e : slots.entrySet()) {
        out = out.replace("{" + e.getKey() + "}", e.getValue());
      }
      return out;
    }

    private static String skewed(Random rnd, String[] values) {
      double u = rnd.nextDouble();
      return values[(int) (values.length * u * u)];
    }

    /** Up to {@code n} distinct "first second" names, in a fixed shuffled order (the skew favours the first). */
    private static String[] names(int n, String[] first, String[] second) {
      List<String> all = new ArrayList<>();
      for (String a : first) {
        for (String b : second) {
          all.add(a + b);
        }
      }
      java.util.Collections.shuffle(all, new Random(first.length * 31L + second.length));
      return all.subList(0, Math.min(n, all.size())).toArray(new String[0]);
    }

    private static String[] hosts() {
      String[] roles = {"web", "db", "cache", "queue", "worker", "api", "batch", "edge"};
      String[] regions = {"eu-west-1", "us-east-1", "ap-south-1", "us-west-2"};
      List<String> out = new ArrayList<>();
      for (int n = 1; n <= 40; n++) {
        for (String role : roles) {
          for (String region : regions) {
            out.add(String.format(Locale.ROOT, "%s-%02d.%s.internal", role, n, region));
          }
        }
      }
      return out.toArray(new String[0]);
    }
  }
}

package dev.delega.server.claim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.ClaimRequest;
import dev.delega.api.ClaimResult;
import dev.delega.api.Json;
import dev.delega.api.Task;
import dev.delega.client.ConflictException;
import dev.delega.client.DelegaClient;
import dev.delega.server.testing.PostgresExtension;
import dev.delega.server.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two server processes on one PostgreSQL database, 64 agents split between them, racing claims on
 * the same tasks by id and on one queue: 10,176 attempts, and still never two holders of a task
 * and never a task handed out twice; the database agrees with the answers.
 */
class TwoNodeClaimRaceIT {
  static final int AGENTS = 64;
  static final int ROUNDS = 16;
  static final int QUEUE_TASKS = 3000;
  static final int CLAIMS_PER_AGENT = 143;

  @Test
  void twoNodesNeverHandOutOneTaskTwice() throws Exception {
    String url = PostgresExtension.newDatabaseUrl();
    Path logs = Files.createTempDirectory("delega-two-nodes");
    List<ServerProcess> nodes = new ArrayList<>();
    try {
      List<String> bases = new ArrayList<>();
      for (int n = 0; n < 2; n++) {
        ServerProcess node = ServerProcess.start(Map.of("DELEGA_DATABASE_URL", url), logs.resolve("node" + n + ".log"));
        nodes.add(node);
        bases.add(node.api());
      }
      race(url, bases);
    } finally {
      for (ServerProcess node : nodes) {
        node.close();
      }
    }
  }

  private void race(String url, List<String> bases) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String adminKey = post(http, bases.get(0) + "/agents", null, Map.of("name", "admin")).get("api_key").asString();
    DelegaClient admin = client(bases.get(0), adminKey);
    List<DelegaClient> agents = new ArrayList<>();
    Map<DelegaClient, Long> ids = new HashMap<>();
    for (int i = 0; i < AGENTS; i++) {
      var created = post(http, bases.get(0) + "/agents", adminKey,
          Map.of("name", "racer" + i, "permissions", List.of("tasks.read_all")));
      DelegaClient c = client(bases.get(i % 2), created.get("api_key").asString());
      agents.add(c);
      ids.put(c, created.get("id").asLong());
    }
    int attempts = 0;

    // Part 1: a fresh task per round, claimed by id by all 64 agents across both nodes at once.
    CyclicBarrier start = new CyclicBarrier(AGENTS);
    try (ExecutorService pool = Executors.newFixedThreadPool(AGENTS)) {
      for (int round = 0; round < ROUNDS; round++) {
        long hot = admin.tasks().create("hot " + round).id();
        List<Future<Task>> answers = new ArrayList<>();
        for (DelegaClient a : agents) {
          answers.add(pool.submit(() -> {
            start.await();
            try {
              return a.tasks().claim(hot).task();
            } catch (ConflictException e) {
              assertThat(e.code()).isEqualTo("lease_held");
              return null;
            }
          }));
        }
        int winners = 0;
        for (Future<Task> f : answers) {
          Task t = f.get();
          if (t != null) {
            winners++;
            assertThat(t.leaseToken()).isEqualTo(1L);
          }
        }
        attempts += AGENTS;
        assertThat(winners).as("winners of round %d", round).isEqualTo(1);
      }
    }

    // Part 2: one queue, claimed from both nodes, by queue and by id.
    long project = admin.projects().create("race").id();
    List<Long> queue = seed(url, project);
    Map<Long, Long> holderOf = new ConcurrentHashMap<>();
    AtomicInteger handedOut = new AtomicInteger();
    AtomicInteger empty = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger doubles = new AtomicInteger();
    CyclicBarrier go = new CyclicBarrier(AGENTS);
    try (ExecutorService pool = Executors.newFixedThreadPool(AGENTS)) {
      List<Future<?>> done = new ArrayList<>();
      for (DelegaClient a : agents) {
        long me = ids.get(a);
        done.add(pool.submit(() -> {
          go.await();
          Set<Long> mine = new HashSet<>();
          for (int i = 0; i < CLAIMS_PER_AGENT; i++) {
            Task got;
            if (i % 5 == 4) {
              long id = queue.get(ThreadLocalRandom.current().nextInt(queue.size()));
              if (mine.contains(id)) {
                refused.incrementAndGet();
                continue;
              }
              try {
                got = a.tasks().claim(id).task();
              } catch (ConflictException e) {
                assertThat(e.code()).isEqualTo("lease_held");
                refused.incrementAndGet();
                continue;
              }
            } else {
              ClaimResult r = a.tasks().claimNext(ClaimRequest.defaults().withProjectId(project));
              if (!r.claimed()) {
                empty.incrementAndGet();
                continue;
              }
              got = r.task();
            }
            assertThat(got.claimedByAgentId()).isEqualTo(me);
            assertThat(got.leaseToken()).isEqualTo(1L);
            mine.add(got.id());
            handedOut.incrementAndGet();
            if (holderOf.putIfAbsent(got.id(), me) != null) {
              doubles.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    attempts += AGENTS * CLAIMS_PER_AGENT;

    assertThat(attempts).isGreaterThanOrEqualTo(10_000);
    assertThat(doubles.get()).as("tasks handed out twice").isZero();
    assertThat(handedOut.get() + empty.get() + refused.get()).isEqualTo(AGENTS * CLAIMS_PER_AGENT);
    assertThat(handedOut.get()).isEqualTo(holderOf.size()).isEqualTo(QUEUE_TASKS);
    try (Connection c = DriverManager.getConnection(url)) {
      Map<Long, Long> stored = new HashMap<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT id, claimed_by_agent_id, lease_token FROM tasks WHERE project_id = ?")) {
        s.setLong(1, project);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            assertThat(rs.getLong(3)).isEqualTo(1L);
            stored.put(rs.getLong(1), rs.getLong(2));
          }
        }
      }
      assertThat(stored).isEqualTo(holderOf);
      assertThat(count(c, "SELECT COUNT(*) FROM task_claims k JOIN tasks t ON t.id = k.task_id WHERE t.project_id = " + project))
          .as("first claims are not in the claim log")
          .isZero();
      assertThat(count(c, "SELECT COUNT(*) FROM events e JOIN tasks t ON t.id = e.task_id"
              + " WHERE t.project_id = " + project + " AND e.type = 'task.claimed'"))
          .isEqualTo(QUEUE_TASKS);
    }
  }

  private static long count(Connection c, String sql) throws Exception {
    try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<Long> seed(String url, long project) throws Exception {
    long now = Instant.now().toEpochMilli();
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO tasks (content, project_id, priority, status, created_at, updated_at)"
              + " VALUES (?, ?, ?, 'open', ?, ?)")) {
        for (int i = 0; i < QUEUE_TASKS; i++) {
          s.setString(1, "queued " + i);
          s.setLong(2, project);
          s.setInt(3, 1 + i % 4);
          s.setLong(4, now + i);
          s.setLong(5, now + i);
          s.addBatch();
        }
        s.executeBatch();
      }
      try (PreparedStatement s = c.prepareStatement("UPDATE tasks SET root_task_id = id WHERE project_id = ?")) {
        s.setLong(1, project);
        s.executeUpdate();
      }
      c.commit();
      List<Long> ids = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT id FROM tasks WHERE project_id = ? ORDER BY id")) {
        s.setLong(1, project);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
      }
      return ids;
    }
  }




  private static tools.jackson.databind.JsonNode post(HttpClient http, String url, String key, Object body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body)));
    if (key != null) {
      b.header("X-Agent-Key", key);
    }
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(url + " -> " + new String(r.body())).isLessThan(300);
    return Json.mapper().readTree(r.body());
  }

  private static DelegaClient client(String base, String key) {
    return DelegaClient.builder().baseUrl(base).apiKey(key).retries(0).build();
  }

}

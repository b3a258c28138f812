package dev.delega.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.delega.api.Json;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.PostgresExtension;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two server nodes on one PostgreSQL database under the same mixed load at once: coordinators
 * create tasks, comment, update and write context through both nodes while workers on both nodes
 * take tasks from one queue with claim-next and complete them; a webhook receiver gets every event
 * and daily recurrences fall due during the run (the schedulers poll every 50 ms). Afterwards every
 * answered write is in the database, no task was handed to two claimers, every recurrence spawned
 * exactly one task, and every event was delivered exactly once under one delivery id.
 */
class TwoNodeMixedLoadIT {
  static final int CREATORS = 4;
  static final int TASKS_PER_CREATOR = 120;
  static final int CLAIMERS = 8;
  static final int RECURRENCES = 16;

  private final List<DelegaServerExtension> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(DelegaServerExtension::stop);
  }

  private DelegaServerExtension node(String url) {
    DelegaServerExtension n = new DelegaServerExtension()
        .env("DELEGA_DATABASE_URL", url)
        .env("DELEGA_SCHEDULER_INTERVAL_MS", "50");
    n.start();
    nodes.add(n);
    return n;
  }

  private static DelegaClient client(DelegaServerExtension node, String key) {
    return DelegaClient.builder().baseUrl(node.baseUrl()).apiKey(key).retries(0).timeout(Duration.ofSeconds(60)).build();
  }

  /** What the receiver got: delivery id, event type and event id of each request, in order. */
  record Delivery(String id, String event, long eventId) {}

  @Test
  void twoNodesUnderMixedLoadLoseNothingAndDoubleNothing() throws Exception {
    long began = System.nanoTime();
    String url = PostgresExtension.newDatabaseUrl();
    DelegaServerExtension a = node(url);
    DelegaServerExtension b = node(url);
    List<DelegaServerExtension> both = List.of(a, b);
    String adminKey = a.adminKey();
    DelegaClient admin = client(a, adminKey);

    ConcurrentLinkedQueue<Delivery> received = new ConcurrentLinkedQueue<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext("/hook", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        JsonNode body = Json.mapper().readTree(in.readAllBytes());
        received.add(new Delivery(ex.getRequestHeaders().getFirst("X-Delega-Delivery"),
            ex.getRequestHeaders().getFirst("X-Delega-Event"), body.path("event_id").asLong(-1)));
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    receiver.start();
    try {
      RawResponse hook = admin.send("POST", "/webhooks",
          Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
      assertThat(hook.status()).as(hook.text()).isEqualTo(201);
      Set<String> subscribed = new HashSet<>();
      hook.json().get("events").forEach(e -> subscribed.add(e.asString()));
      long project = admin.projects().create("mixed").id();

      List<DelegaClient> coordinators = new ArrayList<>();
      for (int i = 0; i < CREATORS; i++) {
        coordinators.add(client(both.get(i % 2), a.newAgent("coordinator-" + i, "coordinator", Map.of())));
      }
      List<DelegaClient> workers = new ArrayList<>();
      Map<DelegaClient, Long> workerIds = new HashMap<>();
      for (int i = 0; i < CLAIMERS; i++) {
        String key = a.newAgent("worker-" + i, "worker", Map.of("permissions", List.of("tasks.read_all")));
        DelegaClient c = client(both.get(i % 2), key);
        workers.add(c);
        workerIds.put(c, a.agentId(key));
      }

      // daily rules whose first occurrences fall due one after another while the load runs
      Instant firstDue = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
      List<Long> rules = new ArrayList<>();
      for (int i = 0; i < RECURRENCES; i++) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("content", "occurrence " + i);
        rule.put("rule_type", "daily");
        rule.put("timezone", "Europe/Berlin");
        rule.put("next_due_at", firstDue.plusMillis(700L * i).toString());
        RawResponse r = client(both.get(i % 2), adminKey).send("POST", "/recurrences", rule);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        rules.add(r.json().get("id").asLong());
      }
      Instant lastDue = firstDue.plusMillis(700L * (RECURRENCES - 1));

      Set<Long> created = ConcurrentHashMap.newKeySet();
      Set<Long> comments = ConcurrentHashMap.newKeySet();
      Map<Long, Set<String>> contextKeys = new ConcurrentHashMap<>();
      AtomicInteger updates = new AtomicInteger();
      Map<Long, List<Long>> claimsByTask = new ConcurrentHashMap<>();
      Map<Long, Long> completedBy = new ConcurrentHashMap<>();
      List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicBoolean creating = new AtomicBoolean(true);
      CountDownLatch creatorsDone = new CountDownLatch(CREATORS);

      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < CREATORS; c++) {
          DelegaClient me = coordinators.get(c);
          int creator = c;
          work.add(pool.submit(() -> {
            try {
              for (int i = 0; i < TASKS_PER_CREATOR; i++) {
                RawResponse r = me.send("POST", "/tasks", Map.of("content", "load " + creator + "-" + i,
                    "project_id", project, "priority", 1 + i % 4));
                if (r.status() != 201) {
                  unexpected.add("create " + r.status() + " " + r.text());
                  continue;
                }
                long id = r.json().get("id").asLong();
                created.add(id);
                // a write on some other task this coordinator made: comment, update or context
                long target = id;
                switch (i % 3) {
                  case 0 -> {
                    RawResponse cm = me.send("POST", "/tasks/" + target + "/comments", Map.of("content", "note " + i));
                    if (cm.status() == 201) {
                      comments.add(cm.json().get("id").asLong());
                    } else {
                      unexpected.add("comment " + cm.status() + " " + cm.text());
                    }
                  }
                  case 1 -> {
                    RawResponse up = me.send("PATCH", "/tasks/" + target, Map.of("description", "updated " + i));
                    if (up.status() == 200) {
                      updates.incrementAndGet();
                    } else if (up.status() != 403 && up.status() != 409) { // claimed meanwhile: the holder owns it
                      unexpected.add("update " + up.status() + " " + up.text());
                    }
                  }
                  default -> {
                    String key = "c" + creator + "_" + i;
                    RawResponse cx = me.send("PATCH", "/tasks/" + target + "/context", Map.of(key, i));
                    if (cx.status() == 200) {
                      contextKeys.computeIfAbsent(target, k -> ConcurrentHashMap.newKeySet()).add(key);
                    } else if (cx.status() != 403 && cx.status() != 409) {
                      unexpected.add("context " + cx.status() + " " + cx.text());
                    }
                  }
                }
              }
            } finally {
              creatorsDone.countDown();
            }
            return null;
          }));
        }
        work.add(pool.submit(() -> {
          creatorsDone.await();
          creating.set(false);
          return null;
        }));
        for (DelegaClient w : workers) {
          long me = workerIds.get(w);
          work.add(pool.submit(() -> {
            int emptyAfterCreators = 0;
            while (emptyAfterCreators < 3) {
              boolean stillCreating = creating.get();
              RawResponse r = w.send("POST", "/tasks/claim", Map.of("project_id", project));
              if (r.status() != 200) {
                unexpected.add("claim " + r.status() + " " + r.text());
                continue;
              }
              JsonNode task = r.json().get("task");
              if (task == null || task.isNull()) {
                if (!stillCreating) {
                  emptyAfterCreators++;
                }
                Thread.sleep(ThreadLocalRandom.current().nextInt(5, 20));
                continue;
              }
              long id = task.get("id").asLong();
              long token = task.get("lease_token").asLong();
              claimsByTask.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(me);
              RawResponse cx = w.send("PATCH", "/tasks/" + id + "/context", Map.of("w" + me + "_" + id, token),
                  Map.of("X-Lease-Token", String.valueOf(token)));
              if (cx.status() == 200) {
                contextKeys.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add("w" + me + "_" + id);
              } else {
                unexpected.add("holder context " + cx.status() + " " + cx.text());
              }
              RawResponse done = w.send("POST", "/tasks/" + id + "/complete", Map.of(),
                  Map.of("X-Lease-Token", String.valueOf(token)));
              if (done.status() == 200) {
                completedBy.put(id, me);
              } else {
                unexpected.add("complete " + done.status() + " " + done.text());
              }
            }
            return null;
          }));
        }
        for (Future<?> f : work) {
          f.get();
        }
      }

      // the recurrences: every first occurrence is past, the schedulers had time to spawn it
      awaitUntil(Duration.ofSeconds(60), () -> Instant.now().isAfter(lastDue.plusSeconds(2)));
      awaitUntil(Duration.ofSeconds(30),
          () -> rules.stream().allMatch(id -> admin.recurrences().get(id).lastSpawnedTaskId() != null));
      Thread.sleep(500); // ten more scheduler ticks on each node must spawn nothing more

      Map<String, Integer> eventCounts;
      Set<Long> eventIds = new HashSet<>();
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT id, type FROM events")) {
          while (rs.next()) {
            if (subscribed.contains(rs.getString(2))) {
              eventIds.add(rs.getLong(1));
            }
          }
        }
      }
      // every event reaches the receiver (admin webhook: all events of all tasks)
      awaitUntil(Duration.ofSeconds(60),
          () -> received.stream().map(Delivery::eventId).collect(Collectors.toSet()).containsAll(eventIds));
      Thread.sleep(1_500); // a poll interval and a half on both nodes, for any stray duplicate
      List<Delivery> got = new ArrayList<>(received);
      eventCounts = got.stream().collect(Collectors.groupingBy(Delivery::event, java.util.TreeMap::new,
          Collectors.reducing(0, d -> 1, Integer::sum)));

      assertThat(unexpected).as("answers outside the expected ones").isEmpty();
      assertThat(created).hasSize(CREATORS * TASKS_PER_CREATOR);

      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        // no lost write: every task, comment and context key that was answered 2xx is stored
        Set<Long> storedTasks = ids(s, "SELECT id FROM tasks WHERE project_id = " + project);
        assertThat(storedTasks).containsExactlyInAnyOrderElementsOf(created);
        assertThat(ids(s, "SELECT id FROM comments")).containsAll(comments);
        for (Map.Entry<Long, Set<String>> e : contextKeys.entrySet()) {
          JsonNode ctx = admin.send("GET", "/tasks/" + e.getKey() + "/context?include=provenance").json().get("context");
          assertThat(ctx.propertyNames()).as("context of task %d", e.getKey()).containsAll(e.getValue());
        }
        // no double claim: each task handed out once, lease token 1, completed by its one holder
        assertThat(claimsByTask.values()).allSatisfy(holders -> assertThat(holders).hasSize(1));
        assertThat(claimsByTask.keySet()).containsExactlyInAnyOrderElementsOf(created);
        try (ResultSet rs = s.executeQuery("SELECT id, lease_token, completed_by_agent_id, status FROM tasks WHERE project_id = " + project)) {
          while (rs.next()) {
            long id = rs.getLong(1);
            assertThat(rs.getLong(2)).as("lease token of task %d", id).isEqualTo(1L);
            assertThat(rs.getLong(3)).as("completer of task %d", id).isEqualTo(claimsByTask.get(id).get(0));
            assertThat(rs.getString(4)).isEqualTo("completed");
          }
        }
        assertThat(completedBy).hasSize(created.size());
        // one spawn per occurrence
        for (long rule : rules) {
          RawResponse spawned = admin.send("GET", "/recurrences/" + rule + "/tasks");
          assertThat(spawned.json()).as("tasks of recurrence %d", rule).hasSize(1);
        }
        assertThat(ids(s, "SELECT id FROM tasks WHERE project_id IS NULL")).hasSize(RECURRENCES);
        // every event delivered, each delivery id once, one delivery per event
        assertThat(got).extracting(Delivery::id).doesNotHaveDuplicates();
        assertThat(got).extracting(Delivery::eventId).doesNotHaveDuplicates();
        assertThat(got.stream().map(Delivery::eventId).collect(Collectors.toSet())).containsAll(eventIds);
      }
      long seconds = (System.nanoTime() - began) / 1_000_000_000;
      System.out.printf("two nodes: %d tasks created, %d claimed and completed, %d comments, %d updates, %d context keys,"
              + " %d recurrences spawned once, %d events delivered once each %s, %d s%n",
          created.size(), completedBy.size(), comments.size(), updates.get(),
          contextKeys.values().stream().mapToInt(Set::size).sum(), rules.size(), got.size(), eventCounts, seconds);
    } finally {
      receiver.stop(0);
    }
  }

  private static Set<Long> ids(Statement s, String sql) throws Exception {
    Set<Long> out = new HashSet<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  private static void awaitUntil(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(50);
    }
  }
}

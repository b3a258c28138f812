package dev.delega.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Json;
import dev.delega.server.testing.ServerProcess;
import dev.delega.server.webhook.Receiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Twenty SIGKILLs of a server process under a mixed write load, each followed by a restart on the
 * same SQLite file: after every restart each write that was answered 2xx is there with what the
 * answer acknowledged, and at the end every committed event has reached a webhook receiver,
 * verified, with one delivery id per event however often it was sent.
 *
 * <p>How the ledger works: each writer thread owns the tasks it creates and writes them one request
 * at a time, so per task there is at most one write whose answer was lost at the kill (the
 * "pending" one). After a restart a field must hold its last acknowledged value or the pending
 * value, never anything else; the check then adopts what it found, so the next round starts from
 * known state. Context writes use a fresh key each time, so an acknowledged key must be there.
 * Requests with an {@code Idempotency-Key} whose answer was lost are sent again, same key and body,
 * right after every seventh restart and the last: the answer must be the stored one (replayed), a
 * fresh success (the work had not committed), 409 {@code idempotency_answer_lost} naming the
 * resource the work made, or 409 "still in progress" (the key's two-minute lock still holds). At
 * the end every keyed request whose answer was lost and not yet settled (answered "still in
 * progress", or lost in a round without retries) is sent once more, once its lock has run out:
 * then only a replay, a fresh success or {@code idempotency_answer_lost} is right (decision 0006).
 * No keyed create or keyed comment may ever exist twice.
 */
class CrashLoopIT {
  static final int KILLS = 20;
  static final int WRITERS = 6;
  static final int RETRY_KEYS_EVERY = 7;
  /** The server's Idempotency-Key lock ({@code IdempotencyKeys.LOCK}), plus a margin. */
  static final Duration KEY_LOCK = Duration.ofMinutes(2).plusSeconds(5);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** What the acknowledged answers say about one task; written by one thread at a time. */
  static final class Expect {
    final long id;
    final String content;
    final int owner;
    Long parent;
    String description;
    String pendingDescription;
    boolean completed;
    boolean pendingComplete;
    boolean delegated;
    boolean pendingDelegate;
    boolean commentedSinceCheck;
    Long claimToken;
    final Map<String, String> context = new HashMap<>();
    final Map<String, String> pendingContext = new HashMap<>();
    final Map<Long, String> comments = new HashMap<>();

    Expect(long id, String content, int owner) {
      this.id = id;
      this.content = content;
      this.owner = owner;
    }
  }

  /** A POST with an Idempotency-Key whose answer was lost at a kill. */
  record Keyed(String path, String body, String key, String kind, long taskId, String content) {}

  /**
   * A keyed request left unsettled at {@code atNanos} (answered "still in progress", or its answer
   * lost at a kill before then): its key's lock ends at the latest {@link #KEY_LOCK} later.
   */
  record Held(Keyed keyed, long atNanos) {}

  /** A non-2xx, non-lost answer: a bug unless it is a 4xx the load may cause. */
  record Refusal(String request, int status, String body) {}

  private final Map<Long, Expect> tasks = new ConcurrentHashMap<>();
  private final Queue<Keyed> lostKeyed = new ConcurrentLinkedQueue<>();
  private final Queue<Held> unsettledKeys = new ConcurrentLinkedQueue<>();
  private final Queue<Refusal> refusals = new ConcurrentLinkedQueue<>();
  private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
  private final Set<String> keyedContents = ConcurrentHashMap.newKeySet();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicInteger acknowledged = new AtomicInteger();
  private final AtomicInteger lost = new AtomicInteger();
  private final Map<String, AtomicInteger> keyedOutcomes = new ConcurrentHashMap<>();

  private String adminKey;
  private String claimerKey;
  private long claimerId;
  private long assigneeId;
  private long queueProject;

  @Test
  void acknowledgedWritesAndCommittedEventsSurviveTwentyKills() throws Exception {
    Path dir = Files.createTempDirectory("delega-crash-loop");
    Path db = dir.resolve("delega.db");
    Random random = new Random();
    long startedAt = System.nanoTime();
    int verifiedChecks = 0;
    try (Receiver receiver = new Receiver()) {
      ServerProcess server = ServerProcess.sqlite(db, dir.resolve("server-0.log"), ServerProcess.QUICK_START);
      try {
        String api = server.api();
        adminKey = post(api, "/agents", null, Map.of("name", "admin")).get("api_key").asString();
        JsonNode claimer = post(api, "/agents", adminKey, Map.of("name", "claimer", "role", "coordinator"));
        claimerKey = claimer.get("api_key").asString();
        claimerId = claimer.get("id").asLong();
        assigneeId = post(api, "/agents", adminKey, Map.of("name", "assignee")).get("id").asLong();
        queueProject = post(api, "/projects", adminKey, Map.of("name", "queue")).get("id").asLong();
        JsonNode hook = post(api, "/webhooks", adminKey, Map.of("url", receiver.url("/hook")));
        receiver.secret("/hook", hook.get("secret").asString());
        Set<String> subscribed = new HashSet<>();
        hook.get("events").forEach(e -> subscribed.add(e.asString()));

        for (int round = 1; round <= KILLS; round++) {
          List<Keyed> retries = new ArrayList<>();
          if (round % RETRY_KEYS_EVERY == 1 || round == KILLS) {
            Keyed k;
            while ((k = lostKeyed.poll()) != null) {
              retries.add(k);
            }
          } else {
            settleLater();
          }
          String base = api;
          AtomicBoolean running = new AtomicBoolean(true);
          List<Thread> threads = new ArrayList<>();
          for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            long seed = random.nextLong();
            threads.add(Thread.ofVirtual().start(() -> write(base, writer, new Random(seed), running)));
          }
          List<Thread> retrying = new ArrayList<>();
          for (Keyed k : retries) {
            retrying.add(Thread.ofVirtual().start(() -> retry(base, k, false)));
          }
          Thread.sleep(1000 + random.nextInt(2500));
          for (Thread t : retrying) {
            t.join();
          }
          int exit = server.kill();
          assertThat(exit).as("exit status after destroyForcibly (SIGKILL)").isEqualTo(ServerProcess.KILLED);
          running.set(false);
          for (Thread t : threads) {
            t.join();
          }
          assertThat(failures).as("failures in the writers").isEmpty();
          assertThat(refusals).as("refused requests").isEmpty();

          long t0 = System.nanoTime();
          server = ServerProcess.sqlite(db, dir.resolve("server-" + round + ".log"), ServerProcess.QUICK_START);
          api = server.api();
          assertThat(server.get("/health/ready")).as("/health/ready after restart %d", round).isEqualTo(200);
          long t1 = System.nanoTime();
          verifiedChecks += verify(api, round, round == KILLS);
          System.out.printf(
              "crash loop: kill %d, %d tasks in the ledger, %d answers lost so far; restart took %d ms, checks %d ms%n",
              round, tasks.size(), lost.get(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        }

        // the last restart stays up: unsettled keys are sent once more, after their lock ran out
        settleLater();
        List<Held> unsettled = new ArrayList<>(unsettledKeys);
        unsettledKeys.clear();
        if (!unsettled.isEmpty()) {
          long oldest = unsettled.stream().mapToLong(Held::atNanos).min().orElseThrow();
          long waitMillis = (oldest + KEY_LOCK.toNanos() - System.nanoTime()) / 1_000_000 + 1;
          if (waitMillis > 0) {
            // only when no key is due yet, so the check is never empty
            System.out.printf("crash loop: waiting %d s for the oldest Idempotency-Key lock%n", waitMillis / 1000);
            Thread.sleep(waitMillis);
          }
          List<Thread> late = new ArrayList<>();
          String base = api;
          long now = System.nanoTime();
          for (Held h : unsettled) {
            if (h.atNanos() + KEY_LOCK.toNanos() <= now) {
              late.add(Thread.ofVirtual().start(() -> retry(base, h.keyed(), true)));
            }
          }
          for (Thread t : late) {
            t.join();
          }
          System.out.printf(
              "crash loop: %d of %d unsettled keyed requests re-sent after their lock%n", late.size(), unsettled.size());
          assertThat(failures).as("failures in the late retries").isEmpty();
          assertThat(refusals).as("refused late retries").isEmpty();
          verifiedChecks += verify(api, KILLS + 1, true);
        }

        // every committed event must reach the receiver
        Map<Long, String> events = events(api);
        Set<Long> due =
            events.entrySet().stream()
                .filter(e -> subscribed.contains(e.getValue()))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        List<Receiver.Delivery> got = receiver.all();
        Map<Long, List<Receiver.Delivery>> byEvent = Receiver.byEvent(got);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!byEvent.keySet().containsAll(due) && System.nanoTime() < deadline) {
          Thread.sleep(500);
          got = receiver.all();
          byEvent = Receiver.byEvent(got);
        }
        Set<Long> missing = new java.util.TreeSet<>(due);
        missing.removeAll(byEvent.keySet());
        assertThat(missing).as("committed events never delivered").isEmpty();
        assertThat(got)
            .allSatisfy(d -> assertThat(d.verified()).as(d.delegaFailure() + " " + d.pythonFailure()).isTrue());
        int duplicates = 0;
        for (Map.Entry<Long, List<Receiver.Delivery>> e : byEvent.entrySet()) {
          Set<String> ids = e.getValue().stream().map(Receiver.Delivery::deliveryId).collect(Collectors.toSet());
          assertThat(ids).as("delivery ids of event %d", e.getKey()).hasSize(1);
          for (Receiver.Delivery d : e.getValue()) {
            assertThat(d.json().get("delivery_id").asString()).isEqualTo(ids.iterator().next());
          }
          duplicates += e.getValue().size() - 1;
        }
        assertThat(refusals.stream().filter(r -> r.status() >= 500).toList()).as("5xx answers").isEmpty();
        assertThat(refusals).as("refused requests").isEmpty();
        System.out.printf(
            "crash loop: %d kills in %.0f s; %d writes acknowledged, %d answers lost at a kill; %d tasks"
                + " checked after restarts (%d field checks in all); %d keyed requests re-sent: %s; %d events"
                + " committed (%d subscribed), %d deliveries, %d events delivered more than once (%d extra"
                + " deliveries)%n",
            KILLS, (System.nanoTime() - startedAt) / 1e9, acknowledged.get(), lost.get(), tasks.size(),
            verifiedChecks, keyedOutcomes.values().stream().mapToInt(AtomicInteger::get).sum(), keyedOutcomes,
            events.size(), due.size(), got.size(),
            byEvent.values().stream().filter(l -> l.size() > 1).count(), duplicates);
      } finally {
        server.close();
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).as("SQLite integrity check after %d kills", KILLS).isEqualTo("ok");
    }
  }

  // ---- the load ----------------------------------------------------------------------------------

  /** One writer: a random mix of writes on its own tasks until the server dies or the round ends. */
  private void write(String api, int writer, Random random, AtomicBoolean running) {
    List<Long> mine =
        tasks.values().stream()
            .filter(e -> e.owner == writer && !e.completed && !e.delegated && e.claimToken == null)
            .map(e -> e.id)
            .collect(Collectors.toCollection(ArrayList::new));
    try {
      while (running.get()) {
        int dice = random.nextInt(100);
        long n = sequence.incrementAndGet();
        if (dice < 25 || mine.isEmpty()) {
          create(api, writer, n, random.nextInt(3) == 0, mine);
        } else if (dice < 35) {
          claimAndComplete(api, writer, n);
        } else {
          Expect e = tasks.get(mine.get(random.nextInt(mine.size())));
          if (dice < 50) {
            String d = "description " + n;
            e.pendingDescription = d;
            if (ack(patch(api, "/tasks/" + e.id, adminKey, Map.of("description", d)))) {
              e.description = d;
              e.pendingDescription = null;
            }
          } else if (dice < 65) {
            String key = "k" + n;
            String value = "v" + n;
            e.pendingContext.put(key, value);
            if (ack(patch(api, "/tasks/" + e.id + "/context", adminKey, Map.of(key, value)))) {
              e.context.put(key, value);
              e.pendingContext.remove(key);
            }
          } else if (dice < 82) {
            comment(api, e, n, random.nextBoolean());
          } else if (dice < 92) {
            e.pendingComplete = true;
            if (ack(post(api, "/tasks/" + e.id + "/complete", adminKey, Map.of(), null))) {
              e.completed = true;
              e.pendingComplete = false;
            }
            mine.remove(e.id);
          } else {
            e.pendingDelegate = true;
            JsonNode child =
                body(post(api, "/tasks/" + e.id + "/delegate", adminKey,
                    Map.of("content", "child " + n + " of " + e.id, "assigned_to_agent_id", assigneeId), null));
            mine.remove(e.id);
            if (child != null) {
              e.delegated = true;
              e.pendingDelegate = false;
              Expect c = new Expect(child.get("id").asLong(), "child " + n + " of " + e.id, writer);
              c.parent = e.id;
              tasks.put(c.id, c);
              mine.add(c.id);
            }
          }
        }
      }
    } catch (IOException | InterruptedException serverGone) {
      lost.incrementAndGet();
    } catch (Throwable t) {
      failures.add(t);
    }
  }

  private void create(String api, int writer, long n, boolean keyed, List<Long> mine)
      throws IOException, InterruptedException {
    String content = "crash task " + n + " by writer " + writer;
    Map<String, Object> body = Map.of("content", content, "priority", 1 + (int) (n % 4));
    String key = keyed ? "create-" + n : null;
    if (keyed) {
      keyedContents.add(content);
    }
    try {
      JsonNode task = body(post(api, "/tasks", adminKey, body, key));
      if (task != null) {
        track(task, content, writer);
        mine.add(task.get("id").asLong());
      }
    } catch (IOException e) {
      if (keyed) {
        lostKeyed.add(new Keyed("/tasks", json(body), key, "create", 0, content));
      }
      throw e;
    }
  }

  private void comment(String api, Expect e, long n, boolean keyed) throws IOException, InterruptedException {
    String content = "comment " + n;
    String key = keyed ? "comment-" + n : null;
    Map<String, Object> body = Map.of("content", content);
    try {
      JsonNode c = body(post(api, "/tasks/" + e.id + "/comments", adminKey, body, key));
      if (c != null) {
        e.comments.put(c.get("id").asLong(), content);
        e.commentedSinceCheck = true;
      }
    } catch (IOException lostAnswer) {
      if (keyed) {
        lostKeyed.add(new Keyed("/tasks/" + e.id + "/comments", json(body), key, "comment", e.id, content));
      }
      throw lostAnswer;
    }
  }

  /** A queued task: created by the admin, claimed by the claimer from the queue, completed with the lease. */
  private void claimAndComplete(String api, int writer, long n) throws IOException, InterruptedException {
    String content = "queued " + n;
    JsonNode created = body(post(api, "/tasks", adminKey, Map.of("content", content, "project_id", queueProject), null));
    if (created != null) {
      track(created, content, -1);
    }
    JsonNode claimed =
        body(post(api, "/tasks/claim", claimerKey, Map.of("project_id", queueProject, "lease_seconds", 3600), null));
    if (claimed == null || claimed.get("task").isNull()) {
      return;
    }
    JsonNode task = claimed.get("task");
    Expect e = tasks.computeIfAbsent(task.get("id").asLong(), id -> new Expect(id, task.get("content").asString(), -1));
    synchronized (e) {
      e.claimToken = task.get("lease_token").asLong();
      e.pendingComplete = true;
    }
    HttpRequest done =
        request(api + "/tasks/" + e.id + "/complete", claimerKey)
            .header("Content-Type", "application/json")
            .header("X-Lease-Token", Long.toString(e.claimToken))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    if (ack(send(done))) {
      synchronized (e) {
        e.completed = true;
        e.pendingComplete = false;
      }
    }
  }

  private void track(JsonNode task, String content, int owner) {
    assertThat(task.get("content").asString()).isEqualTo(content);
    tasks.put(task.get("id").asLong(), new Expect(task.get("id").asLong(), content, owner));
  }

  /**
   * Sends a keyed request again after a restart and checks the answer against the ledger; {@code
   * late}: the key's lock has run out, so "still in progress" is wrong.
   */
  private void retry(String api, Keyed k, boolean late) {
    try {
      HttpResponse<byte[]> r = send(postRequest(api, k.path(), adminKey, k.body(), k.key()));
      String outcome;
      String when = late ? " after the lock" : "";
      if (r.statusCode() / 100 == 2) {
        boolean replayed = "true".equals(r.headers().firstValue("Idempotent-Replayed").orElse(null));
        outcome = k.kind() + (replayed ? " replayed" : " done after restart") + when;
        adopt(k, Json.mapper().readTree(r.body()));
      } else if (r.statusCode() == 409 && code(r).equals("idempotency_answer_lost")) {
        outcome = k.kind() + " answer lost (409)" + when;
        JsonNode lostAnswer = Json.mapper().readTree(r.body());
        String resource = k.kind().equals("create") ? "task" : "comment";
        assertThat(lostAnswer.path("resource").asString("")).as("resource named by %s", lostAnswer).isEqualTo(resource);
        long id = lostAnswer.get("id").asLong();
        JsonNode made =
            k.kind().equals("create")
                ? get(api, "/tasks/" + id, adminKey)
                : stream(get(api, "/tasks/" + k.taskId() + "/comments", adminKey))
                    .filter(c -> c.get("id").asLong() == id)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("comment " + id + " named by " + lostAnswer + " is missing"));
        adopt(k, made);
      } else if (!late && r.statusCode() == 409 && code(r).equals("conflict")) {
        outcome = k.kind() + " still in progress (409)";
        unsettledKeys.add(new Held(k, System.nanoTime()));
      } else {
        refusals.add(new Refusal("retry " + k, r.statusCode(), new String(r.body())));
        return;
      }
      keyedOutcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
    } catch (IOException | InterruptedException killedAgain) {
      lostKeyed.add(k);
    } catch (Throwable t) {
      failures.add(t);
    }
  }

  /** Keyed requests whose answer was lost at the last kill wait for the retry after their lock. */
  private void settleLater() {
    long now = System.nanoTime();
    Keyed k;
    while ((k = lostKeyed.poll()) != null) {
      unsettledKeys.add(new Held(k, now));
    }
  }

  /** Puts what a keyed request made (answered now, or named by a lost answer) into the ledger. */
  private void adopt(Keyed k, JsonNode made) {
    assertThat(made.get("content").asString()).isEqualTo(k.content());
    if (k.kind().equals("create")) {
      track(made, k.content(), -2);
    } else {
      Expect e = tasks.get(k.taskId());
      synchronized (e) {
        e.comments.put(made.get("id").asLong(), k.content());
        e.commentedSinceCheck = true;
      }
    }
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out.stream();
  }

  // ---- the checks --------------------------------------------------------------------------------

  /** Checks every task of the ledger against the restarted server; returns the number of checks made. */
  private int verify(String api, int round, boolean all) throws Exception {
    Map<Long, JsonNode> actual = new HashMap<>();
    for (int offset = 0; ; offset += 500) {
      JsonNode page = get(api, "/tasks?include_completed=true&limit=500&offset=" + offset, adminKey);
      page.forEach(t -> actual.put(t.get("id").asLong(), t));
      if (page.size() < 500) {
        break;
      }
    }
    int checks = 0;
    for (Expect e : tasks.values()) {
      String at = "task " + e.id + " after restart " + round;
      JsonNode t = actual.get(e.id);
      assertThat(t).as(at + ": acknowledged create").isNotNull();
      assertThat(t.get("content").asString()).as(at).isEqualTo(e.content);
      checks++;
      if (e.parent != null) {
        assertThat(t.get("parent_task_id").asLong()).as(at + ": parent").isEqualTo(e.parent);
        checks++;
      }
      JsonNode d = t.path("description");
      String description = d.isNull() || d.isMissingNode() ? null : d.asString();
      if (e.pendingDescription == null) {
        assertThat(description).as(at + ": acknowledged description").isEqualTo(e.description);
      } else {
        assertThat(description).as(at + ": description").isIn(e.description, e.pendingDescription);
      }
      e.description = description;
      e.pendingDescription = null;
      checks++;
      boolean completed = t.get("status").asString().equals("completed");
      assertThat(t.get("completed").asBoolean()).as(at).isEqualTo(completed);
      if (e.completed) {
        assertThat(completed).as(at + ": acknowledged completion").isTrue();
      } else if (!e.pendingComplete) {
        assertThat(completed).as(at + ": completed without being asked").isFalse();
      }
      e.completed = completed;
      e.pendingComplete = false;
      checks++;
      if (e.delegated) {
        assertThat(t.get("status").asString()).as(at + ": acknowledged delegation").isIn("delegated", "completed");
        checks++;
      }
      if (e.pendingDelegate) {
        e.delegated = t.get("status").asString().equals("delegated");
        e.pendingDelegate = false;
      }
      if (e.claimToken != null) {
        if (!completed) {
          assertThat(t.get("claimed_by_agent_id").asLong()).as(at + ": acknowledged claim").isEqualTo(claimerId);
          assertThat(t.get("lease_token").asLong()).as(at + ": lease token").isGreaterThanOrEqualTo(e.claimToken);
        }
        checks++;
      }
      JsonNode context = t.get("context");
      for (Map.Entry<String, String> kv : e.context.entrySet()) {
        assertThat(context.path(kv.getKey()).asString(null)).as(at + ": context " + kv.getKey()).isEqualTo(kv.getValue());
        checks++;
      }
      for (Map.Entry<String, String> kv : e.pendingContext.entrySet()) {
        JsonNode v = context.get(kv.getKey());
        if (v != null) {
          assertThat(v.asString()).as(at + ": context " + kv.getKey()).isEqualTo(kv.getValue());
          e.context.put(kv.getKey(), kv.getValue());
        }
      }
      e.pendingContext.clear();
    }
    // comments: the acknowledged ones on tasks commented since the last check (all of them at the end)
    List<Expect> commented =
        tasks.values().stream().filter(e -> all ? !e.comments.isEmpty() : e.commentedSinceCheck).toList();
    AtomicInteger commentChecks = new AtomicInteger();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8, Thread.ofVirtual().factory())) {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (Expect e : commented) {
        done.add(pool.submit(() -> {
          Map<Long, String> there = new HashMap<>();
          get(api, "/tasks/" + e.id + "/comments", adminKey)
              .forEach(c -> there.put(c.get("id").asLong(), c.get("content").asString()));
          for (Map.Entry<Long, String> c : e.comments.entrySet()) {
            assertThat(there.get(c.getKey()))
                .as("comment %d on task %d after restart %d", c.getKey(), e.id, round)
                .isEqualTo(c.getValue());
            commentChecks.incrementAndGet();
          }
          Map<String, Long> copies =
              there.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
          assertThat(copies.values()).as("comments on task %d appear once each", e.id).allMatch(c -> c == 1);
          e.commentedSinceCheck = false;
          return null;
        }));
      }
      for (var f : done) {
        f.get();
      }
    }
    checks += commentChecks.get();
    // no keyed create happened twice
    Map<String, Long> copies =
        actual.values().stream()
            .map(t -> t.get("content").asString())
            .filter(keyedContents::contains)
            .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    assertThat(copies.entrySet().stream().filter(c -> c.getValue() > 1).toList())
        .as("creates with an Idempotency-Key that exist twice").isEmpty();
    return checks;
  }

  /** Every event in the log: id to type. */
  private Map<Long, String> events(String api) throws Exception {
    Map<Long, String> out = new TreeMap<>();
    long after = 0;
    while (true) {
      JsonNode page = get(api, "/events?limit=500&after=" + after, adminKey);
      if (page.isEmpty()) {
        return out;
      }
      for (JsonNode e : page) {
        out.put(e.get("id").asLong(), e.get("type").asString());
        after = e.get("id").asLong();
      }
    }
  }

  // ---- HTTP --------------------------------------------------------------------------------------

  /** True for a 2xx; any other answer is recorded as a refusal. */
  private boolean ack(HttpResponse<byte[]> r) {
    if (r.statusCode() / 100 == 2) {
      acknowledged.incrementAndGet();
      return true;
    }
    refusals.add(new Refusal(r.request().method() + " " + r.uri(), r.statusCode(), new String(r.body())));
    return false;
  }

  private JsonNode body(HttpResponse<byte[]> r) {
    return ack(r) ? Json.mapper().readTree(r.body()) : null;
  }

  private static String code(HttpResponse<byte[]> r) {
    try {
      return Json.mapper().readTree(r.body()).path("code").asString("");
    } catch (RuntimeException notJson) {
      return "";
    }
  }

  private static HttpResponse<byte[]> post(String api, String path, String key, Object body, String idempotencyKey)
      throws IOException, InterruptedException {
    return send(postRequest(api, path, key, json(body), idempotencyKey));
  }

  private static HttpRequest postRequest(String api, String path, String key, String body, String idempotencyKey) {
    HttpRequest.Builder b =
        request(api + path, key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return b.build();
  }

  private static HttpResponse<byte[]> patch(String api, String path, String key, Object body)
      throws IOException, InterruptedException {
    return send(
        request(api + path, key)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json(body)))
            .build());
  }

  /** POST for set-up: must succeed. */
  private static JsonNode post(String api, String path, String key, Object body) throws Exception {
    HttpResponse<byte[]> r = post(api, path, key, body, null);
    assertThat(r.statusCode()).as("POST %s: %s", path, new String(r.body())).isBetween(200, 299);
    return Json.mapper().readTree(r.body());
  }

  private static JsonNode get(String api, String path, String key) throws Exception {
    HttpResponse<byte[]> r = send(request(api + path, key).GET().build());
    assertThat(r.statusCode()).as("GET %s: %s", path, new String(r.body())).isEqualTo(200);
    return Json.mapper().readTree(r.body());
  }

  private static HttpRequest.Builder request(String url, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("X-Agent-Key", key);
    }
    return b;
  }

  private static HttpResponse<byte[]> send(HttpRequest r) throws IOException, InterruptedException {
    return HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String json(Object body) {
    return Json.mapper().writeValueAsString(body instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : body);
  }
}

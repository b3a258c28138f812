package dev.delega.server.context;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Task;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code Idempotency-Key} on POST: replay, mismatch, per-agent scope, expiry, concurrency and
 * survival across a restart; run on SQLite and PostgreSQL by the subclasses (whose clock the tests
 * move).
 */
abstract class IdempotencyContract {
  abstract DelegaServerExtension server();

  abstract MutableClock clock();

  Fleet fleet() {
    return new Fleet(server());
  }

  private static Map<String, String> key(String k) {
    return Map.of("Idempotency-Key", k);
  }

  private static String newKey() {
    return UUID.randomUUID().toString();
  }

  @Test
  void theSameKeyAndBodyReplayTheFirstResponseWithoutDoingTheWorkAgain() {
    Actor a = fleet().worker("idem");
    String k = newKey();
    Map<String, Object> task = body("content", "write the report", "priority", 3);

    RawResponse first = a.send("POST", "/tasks", task, key(k));
    RawResponse second = a.send("POST", "/tasks", task, key(k));
    RawResponse reordered = a.send("POST", "/tasks", body("priority", 3, "content", "write the report"), key(k));

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.header("Idempotent-Replayed")).isEmpty();
    for (RawResponse replay : List.of(second, reordered)) {
      assertThat(replay.status()).isEqualTo(201);
      assertThat(replay.text()).isEqualTo(first.text());
      assertThat(replay.header("Idempotent-Replayed")).contains("true");
      assertThat(replay.header("Location")).isEqualTo(first.header("Location"));
      assertThat(replay.header("ETag")).isEqualTo(first.header("ETag"));
      assertThat(replay.header("Content-Type").orElseThrow()).startsWith("application/json");
    }
    assertThat(a.client().tasks().list()).hasSize(1);
  }

  @Test
  void theSameKeyWithAnotherBodyOrPathIs422IdempotencyMismatch() {
    Actor a = fleet().worker("idem");
    String k = newKey();
    expect(a.send("POST", "/tasks", body("content", "one"), key(k)), 201);

    JsonNode otherBody = expect(a.send("POST", "/tasks", body("content", "two"), key(k)), 422);
    long id = a.client().tasks().list().get(0).id();
    JsonNode otherPath = expect(a.send("POST", "/tasks/" + id + "/comments", body("content", "one"), key(k)), 422);

    assertThat(otherBody.get("code").asString()).isEqualTo("idempotency_mismatch");
    assertThat(otherBody.get("error").asString()).contains(k);
    assertThat(otherPath.get("code").asString()).isEqualTo("idempotency_mismatch");
    assertThat(a.client().tasks().list()).hasSize(1);
    assertThat(a.client().tasks().comments(id)).isEmpty();
  }

  @Test
  void keysBelongToOneAgent() {
    Actor a = fleet().worker("idem");
    Actor b = fleet().worker("idem");
    String k = newKey();

    JsonNode ta = expect(a.send("POST", "/tasks", body("content", "same"), key(k)), 201);
    JsonNode tb = expect(b.send("POST", "/tasks", body("content", "same"), key(k)), 201);
    JsonNode tc = expect(b.send("POST", "/tasks", body("content", "same"), key(k)), 201);

    assertThat(tb.get("id").asLong()).isNotEqualTo(ta.get("id").asLong());
    assertThat(tc.get("id").asLong()).isEqualTo(tb.get("id").asLong());
  }

  @Test
  void keysAreForgottenAfterTwentyFourHours() {
    Actor a = fleet().worker("idem");
    String k = newKey();
    long first = expect(a.send("POST", "/tasks", body("content", "daily"), key(k)), 201).get("id").asLong();
    clock().advance(Duration.ofHours(23));
    long replayed = expect(a.send("POST", "/tasks", body("content", "daily"), key(k)), 201).get("id").asLong();

    clock().advance(Duration.ofHours(2));
    RawResponse fresh = a.send("POST", "/tasks", body("content", "daily"), key(k));
    RawResponse freshOther = a.send("POST", "/tasks", body("content", "other"), key(k));

    assertThat(replayed).isEqualTo(first);
    assertThat(fresh.status()).isEqualTo(201);
    assertThat(fresh.header("Idempotent-Replayed")).isEmpty();
    assertThat(fresh.json().get("id").asLong()).isNotEqualTo(first);
    assertThat(freshOther.status()).isEqualTo(422);
    assertThat(a.client().tasks().list()).hasSize(2);
  }

  @Test
  void everyPostIsCoveredAndClientErrorsAreReplayedToo() {
    Actor a = fleet().worker("idem");
    long id = Fleet.task(a, "commented");
    String c = newKey();
    String done = newKey();
    String bad = newKey();

    expect(a.send("POST", "/tasks/" + id + "/comments", body("content", "hi"), key(c)), 201);
    expect(a.send("POST", "/tasks/" + id + "/comments", body("content", "hi"), key(c)), 201);
    expect(a.send("POST", "/tasks/" + id + "/complete", null, key(done)), 200);
    expect(a.send("POST", "/tasks/" + id + "/uncomplete", null), 200);
    RawResponse completeAgain = a.send("POST", "/tasks/" + id + "/complete", null, key(done));
    RawResponse invalid = a.send("POST", "/tasks", body("content", ""), key(bad));
    RawResponse invalidAgain = a.send("POST", "/tasks", body("content", ""), key(bad));

    assertThat(a.client().tasks().comments(id)).hasSize(1);
    assertThat(completeAgain.status()).isEqualTo(200);
    assertThat(completeAgain.header("Idempotent-Replayed")).contains("true");
    assertThat(a.client().tasks().get(id).completed()).isFalse();
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalidAgain.status()).isEqualTo(422);
    assertThat(invalidAgain.text()).isEqualTo(invalid.text());
    assertThat(invalidAgain.header("Idempotent-Replayed")).contains("true");
  }

  @Test
  void malformedKeysAre400AndOtherMethodsIgnoreTheHeader() {
    Actor a = fleet().worker("idem");
    long id = Fleet.task(a, "put twice");
    String k = newKey();

    assertThat(a.send("POST", "/tasks", body("content", "x"), key("k".repeat(256))).status()).isEqualTo(400);
    assertThat(expect(a.send("PUT", "/tasks/" + id, body("priority", 2), key(k)), 200).get("priority").asInt()).isEqualTo(2);
    assertThat(expect(a.send("PUT", "/tasks/" + id, body("priority", 3), key(k)), 200).get("priority").asInt()).isEqualTo(3);
  }

  @Test
  void aResponseWithAOneTimeSecretIsNeverStoredAndItsReplayIs409() {
    Actor admin = fleet().admin();
    String k = newKey();
    Map<String, Object> agent = body("name", Fleet.unique("secret-holder"));

    RawResponse first = admin.send("POST", "/agents", agent, key(k));
    RawResponse replay = admin.send("POST", "/agents", agent, key(k));

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().get("api_key").asString()).startsWith("dlg_");
    assertThat(replay.status()).isEqualTo(409);
    assertThat(replay.header("Idempotent-Replayed")).contains("true");
    assertThat(replay.json().get("code").asString()).isEqualTo("conflict");
    assertThat(replay.json().get("id").asLong()).isEqualTo(first.json().get("id").asLong());
    assertThat(replay.text()).doesNotContain(first.json().get("api_key").asString());
  }

  /**
   * Sixteen requests with one key at once: exactly one does the work; the others wait for it and
   * replay its answer, or are told 409 that it is still in progress, never a second task.
   */
  @Test
  void concurrentRequestsWithOneKeyDoTheWorkOnce() throws Exception {
    Actor a = fleet().worker("idem");
    String k = newKey();
    int n = 16;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<RawResponse>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return a.send("POST", "/tasks", body("content", "exactly once"), key(k));
        }));
      }
      start.countDown();
      List<RawResponse> responses = new ArrayList<>();
      for (Future<RawResponse> f : futures) {
        responses.add(f.get());
      }

      List<Task> tasks = a.client().tasks().list();
      assertThat(tasks).hasSize(1);
      assertThat(responses).allSatisfy(r -> assertThat(r.status()).isIn(201, 409));
      List<RawResponse> created = responses.stream().filter(r -> r.status() == 201).toList();
      assertThat(created).isNotEmpty();
      assertThat(created).allSatisfy(r -> assertThat(r.json().get("id").asLong()).isEqualTo(tasks.get(0).id()));
      assertThat(created.stream().filter(r -> r.header("Idempotent-Replayed").isEmpty())).hasSize(1);
    }
  }

  @Test
  void aStoredResponseIsReplayedAfterARestart() {
    Actor a = fleet().worker("idem");
    String k = newKey();
    RawResponse first = a.send("POST", "/tasks", body("content", "survives restarts"), key(k));

    server().stop();
    server().start();
    DelegaClient again = fleet().client(a.key());
    RawResponse replay = again.send("POST", "/tasks", body("content", "survives restarts"), key(k));

    assertThat(first.status()).isEqualTo(201);
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.text()).isEqualTo(first.text());
    assertThat(replay.header("Idempotent-Replayed")).contains("true");
    assertThat(again.tasks().list()).hasSize(1);
  }
}

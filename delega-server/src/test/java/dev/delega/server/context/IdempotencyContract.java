package dev.delega.server.context;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.Task;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.store.Database;
import dev.delega.server.store.Dialect;
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

  private Database db() {
    return server().wiring().database();
  }

  /**
   * Makes every {@code event} on {@code table} (where {@code condition} holds, if given) fail until
   * closed: as far as the database is concerned, the process died at that statement.
   */
  private AutoCloseable failing(String name, String table, String event, String condition) {
    Database db = db();
    if (db.dialect() == Dialect.SQLITE) {
      db.write(tx -> tx.handle().execute(
          "CREATE TRIGGER " + name + " BEFORE " + event + " ON " + table
              + (condition == null ? "" : " WHEN " + condition)
              + " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"));
      return () -> db.write(tx -> tx.handle().execute("DROP TRIGGER " + name));
    }
    db.write(tx -> {
      tx.handle().execute(
          "CREATE OR REPLACE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql"
              + " AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$");
      return tx.handle().execute(
          "CREATE TRIGGER " + name + " BEFORE " + event + " ON " + table + " FOR EACH ROW"
              + (condition == null ? "" : " WHEN (" + condition + ")")
              + " EXECUTE FUNCTION injected_failure()");
    });
    return () -> db.write(tx -> tx.handle().execute("DROP TRIGGER " + name + " ON " + table));
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

  /**
   * The crash window: the create committed, then storing its answer failed (as when the process is
   * killed between the two). A retry, however late within the key's retention, never creates the
   * task again: it is told 409 {@code idempotency_answer_lost} with the task's id.
   */
  @Test
  void workThatCommittedIsNeverDoneAgainWhenItsAnswerWasLost() throws Exception {
    Actor a = fleet().worker("idem");
    String k = newKey();
    Map<String, Object> task = body("content", "created once, answer lost");
    RawResponse first;
    try (AutoCloseable crash = failing("lose_answers", "idempotency_keys", "UPDATE OF completed", "NEW.completed = TRUE")) {
      first = a.send("POST", "/tasks", task, key(k));
    }
    long id = expect(first, 201).get("id").asLong();

    clock().advance(IdempotencyKeys.LOCK.plusSeconds(1));
    RawResponse retry = a.send("POST", "/tasks", task, key(k));
    RawResponse other = a.send("POST", "/tasks", body("content", "something else"), key(k));
    clock().advance(Duration.ofHours(23));
    RawResponse late = a.send("POST", "/tasks", task, key(k));

    for (RawResponse r : List.of(retry, late)) {
      JsonNode lost = expect(r, 409);
      assertThat(lost.get("code").asString()).isEqualTo("idempotency_answer_lost");
      assertThat(lost.get("error").asString()).contains(k).contains("task " + id);
      assertThat(lost.get("resource").asString()).isEqualTo("task");
      assertThat(lost.get("id").asLong()).isEqualTo(id);
      assertThat(lost.get("committed_at").asString()).isNotBlank();
      assertThat(r.header("Idempotent-Replayed")).isEmpty();
    }
    assertThat(expect(other, 422).get("code").asString()).isEqualTo("idempotency_mismatch");
    assertThat(a.client().tasks().list()).extracting(Task::id).containsExactly(id);
  }

  /**
   * The other crash: the key was taken, then the process died before any of the work committed.
   * Once the key's lock runs out a retry does the work, once.
   */
  @Test
  void workThatNeverCommittedIsDoneByARetryOnceTheLockRunsOut() throws Exception {
    Actor a = fleet().worker("idem");
    String k = newKey();
    Map<String, Object> task = body("content", "never committed, then done once");
    RawResponse failed;
    try (AutoCloseable noTasks = failing("no_new_tasks", "tasks", "INSERT", null);
        AutoCloseable keepKeys = failing("keep_keys", "idempotency_keys", "DELETE", null)) {
      failed = a.send("POST", "/tasks", task, key(k));
    }
    assertThat(failed.status()).as("the store failed").isGreaterThanOrEqualTo(500);
    assertThat(a.client().tasks().list()).isEmpty();

    clock().advance(IdempotencyKeys.LOCK.plusSeconds(1));
    RawResponse retry = a.send("POST", "/tasks", task, key(k));
    RawResponse replay = a.send("POST", "/tasks", task, key(k));

    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).isEmpty();
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).contains("true");
    assertThat(replay.text()).isEqualTo(retry.text());
    assertThat(a.client().tasks().list()).hasSize(1);
  }

  /**
   * A request that outlived its lock and lost its key to a retry cannot commit its work any more;
   * and a key whose work committed is not freed when the request then fails (5xx): its lock ends
   * at once, so the next request learns that the answer is lost.
   */
  @Test
  void aKeyTakenOverRefusesItsFormerOwnersWorkAndCommittedWorkKeepsItsKey() {
    Database db = db();
    IdempotencyKeys keys = new IdempotencyKeys(db, clock());
    String scope = "test:" + newKey();
    String k = newKey();
    String marker = Fleet.unique("late owner");
    String insert = "INSERT INTO tasks (content, created_at, updated_at) VALUES (?, 1, 1)";
    IdempotencyKeys.Owned slow = (IdempotencyKeys.Owned) keys.claim(scope, k, "request");
    assertThat(keys.claim(scope, k, "request")).isInstanceOf(IdempotencyKeys.InProgress.class);
    clock().advance(IdempotencyKeys.LOCK.plusSeconds(1));
    IdempotencyKeys.Owned retry = (IdempotencyKeys.Owned) keys.claim(scope, k, "request");
    try {
      db.attachRider(keys.committedMark(slow));
      assertThatThrownBy(() -> db.write(tx -> tx.handle().execute(insert, marker)))
          .isInstanceOf(DelegaException.Conflict.class)
          .hasMessageContaining("taken over");
      db.attachRider(keys.committedMark(retry));
      db.write(tx -> tx.handle().execute(insert, marker));
      db.detachRider();
      keys.release(retry);

      assertThat(db.<Long>read(h -> h.createQuery("SELECT COUNT(*) FROM tasks WHERE content = ?").bind(0, marker)
          .mapTo(Long.class).one())).isEqualTo(1);
      assertThat(keys.claim(scope, k, "request")).isInstanceOf(IdempotencyKeys.AnswerLost.class);
    } finally {
      db.detachRider();
      db.write(tx -> tx.handle().execute("DELETE FROM tasks WHERE content = ?", marker));
    }
  }
}

package dev.delega.server.store;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.delega.api.Chain;
import dev.delega.api.Comment;
import dev.delega.api.Event;
import dev.delega.api.Page;
import dev.delega.api.Subtask;
import dev.delega.api.Task;
import dev.delega.client.RawResponse;
import dev.delega.client.TaskQuery;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.task.TaskRow;
import dev.delega.server.task.TaskView;
import dev.delega.server.task.Tasks;
import dev.delega.server.testing.DelegaServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The behaviours every store must give through the HTTP API, run once on SQLite ({@link
 * SqliteStoreContractTest}) and once on PostgreSQL ({@link PostgresStoreContractTest}): CRUD,
 * delegation chains and cascade delete, label matching, the event log written in the change's own
 * transaction, ordering, pagination, 16 concurrent writers, restarts, and the bootstrap race.
 */
abstract class StoreContractTest {
  /** The class's shared server. */
  abstract DelegaServerExtension server();

  /** A new, not yet started server on a fresh database of the same kind. */
  abstract DelegaServerExtension freshServer();

  private Fleet fleet() {
    return new Fleet(server());
  }

  private static List<Long> ids(List<Task> tasks) {
    return tasks.stream().map(Task::id).toList();
  }

  private long count(String table) {
    return server().wiring().database().read(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }

  private static <T> List<T> race(int threads, Callable<T> work) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return work.call();
        }));
      }
      go.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    }
  }

  // ---------------------------------------------------------------- CRUD

  @Test
  void agentsProjectsTasksSubtasksAndCommentsRoundTrip() {
    Fleet fleet = fleet();
    Actor admin = fleet.admin();
    Actor w = fleet.agent("crud", "worker", Map.of("display_name", "Crud Ünïcode", "description", "d"));
    assertThat(admin.client().agents().get(w.id()).displayName()).isEqualTo("Crud Ünïcode");
    expect(admin.send("PUT", "/agents/" + w.id(), body("description", "changed", "role", "coordinator")), 200);
    assertThat(admin.client().agents().get(w.id()).role()).isEqualTo("coordinator");

    long p = expect(admin.send("POST", "/projects", body("name", "Crud", "emoji", "🧪", "color", "#ff8800", "sort_order", 3)), 201)
        .get("id").asLong();
    assertThat(admin.client().projects().get(p).emoji()).isEqualTo("🧪");
    expect(admin.send("PUT", "/projects/" + p, body("name", "Crud 2")), 200);

    String content = "Ünïcode ✓ " + "x".repeat(9_000);
    JsonNode t = Fleet.task(w, body("content", content, "description", "d", "project_id", p, "due_date", "2026-02-28",
        "due_time", "09:30", "priority", 3, "labels", List.of("a", "b"), "context", Map.of("k", List.of(1, 2, Map.of("n", true))),
        "reminder_time", "2026-03-01T08:00:00+01:00"));
    long id = t.get("id").asLong();
    Task read = w.client().tasks().get(id);
    assertThat(read.content()).isEqualTo(content);
    assertThat(read.dueDate()).isEqualTo("2026-02-28");
    assertThat(read.dueTime()).isEqualTo("09:30:00");
    assertThat(read.priority()).isEqualTo(3);
    assertThat(read.labels()).containsExactly("a", "b");
    assertThat(read.context()).isEqualTo(Map.of("k", List.of(1, 2, Map.of("n", true))));
    assertThat(read.reminderTime()).hasToString("2026-03-01T07:00:00Z");
    assertThat(read.project().name()).isEqualTo("Crud 2");

    long s1 = w.client().tasks().addSubtask(id, "one").id();
    w.client().tasks().addSubtask(id, "two");
    w.client().tasks().updateSubtask(id, s1, "uno", true, null);
    Comment c = w.client().tasks().addComment(id, "hello");
    assertThat(w.client().tasks().get(id).subtasks()).extracting("content").containsExactly("uno", "two");
    assertThat(w.client().tasks().comments(id)).extracting(Comment::content).containsExactly("hello");
    w.client().tasks().deleteComment(id, c.id());
    w.client().tasks().deleteSubtask(id, s1);
    assertThat(w.client().tasks().get(id).subtasks()).extracting("content").containsExactly("two");

    expect(admin.send("DELETE", "/projects/" + p, null), 200);
    assertThat(w.client().tasks().get(id).projectId()).isNull();
    expect(w.send("DELETE", "/tasks/" + id, null), 200);
    assertThat(w.send("GET", "/tasks/" + id, null).status()).isEqualTo(404);
    long orphans = server().wiring().database().read(h -> h.createQuery(
        "SELECT (SELECT COUNT(*) FROM subtasks WHERE task_id = :t) + (SELECT COUNT(*) FROM comments WHERE task_id = :t)"
            + " + (SELECT COUNT(*) FROM task_labels WHERE task_id = :t)").bind("t", id).mapTo(Long.class).one());
    assertThat(orphans).isZero();
    expect(admin.send("DELETE", "/agents/" + w.id(), null), 200);
    assertThat(admin.send("GET", "/agents/" + w.id(), null).status()).isEqualTo(404);
  }

  @Test
  void aTaskRowReadsBackExactlyAsStored() {
    Actor w = fleet().agent("exact", "worker", Map.of());
    long id = Fleet.task(w, body("content", "exact")).get("id").asLong();
    String text = "line\nbreak\ttab \u0001 \"quote\" \\ 🧪 ‏עברית ü";
    server().wiring().database().write(tx -> tx.handle().createUpdate(
            "UPDATE tasks SET description = :d, session_state_detail = :d, lease_token = :big,"
                + " last_heartbeat_at = :small, attempts = :attempts, context_version = :big WHERE id = :id")
        .bind("d", text).bind("big", Long.MAX_VALUE).bind("small", Long.MIN_VALUE + 1)
        .bind("attempts", Integer.MAX_VALUE).bind("id", id).execute());
    TaskRow row = server().wiring().database().read(h -> Tasks.load(h, id)).orElseThrow();
    assertThat(row.id()).isEqualTo(id);
    assertThat(row.content()).isEqualTo("exact");
    assertThat(row.description()).isEqualTo(text);
    assertThat(row.sessionStateDetail()).isEqualTo(text);
    assertThat(row.leaseToken()).isEqualTo(Long.MAX_VALUE);
    assertThat(row.contextVersion()).isEqualTo(Long.MAX_VALUE);
    assertThat(row.lastHeartbeatAt()).isEqualTo(Long.MIN_VALUE + 1);
    assertThat(row.attempts()).isEqualTo(Integer.MAX_VALUE);
    assertThat(row.createdBy()).isEqualTo(w.id());
    assertThat(row.completed()).isFalse();
    assertThat(row.isRecurring()).isFalse();
    assertThat(row.projectId()).isNull();
    assertThat(row.recurringInterval()).isNull();
    assertThat(row.claimedBy()).isNull();
    assertThat(row.labels()).isEqualTo("[]");
  }

  @Test
  void aTaskShowsTheSameRelatedRowsWhicheverWayItIsRead() {
    Actor admin = fleet().admin();
    Actor w = fleet().agent("related", "worker", Map.of());
    long project = expect(admin.send("POST", "/projects", body("name", "Related ✓")), 201).get("id").asLong();
    long id = Fleet.task(admin, body("content", "related", "project_id", project, "assigned_to_agent_id", w.id()))
        .get("id").asLong();
    long bare = Fleet.task(admin, "bare");
    long openBlocker = Fleet.task(admin, "open blocker");
    long doneBlocker = Fleet.task(admin, "done blocker");
    long s1 = w(admin).addSubtask(id, "third").id();
    long s2 = w(admin).addSubtask(id, "first").id();
    long s3 = w(admin).addSubtask(id, "second").id();
    expect(admin.send("POST", "/tasks/" + doneBlocker + "/complete", null), 200);
    server().wiring().database().write(tx -> {
      // Ties on sort_order fall back to the id, and each database returns aggregated rows in its own order.
      tx.handle().execute("UPDATE subtasks SET sort_order = 5 WHERE id = ?", s1);
      tx.handle().execute("UPDATE subtasks SET sort_order = 1 WHERE id IN (?, ?)", s2, s3);
      for (long blocker : List.of(openBlocker, doneBlocker)) {
        tx.handle().execute("INSERT INTO task_dependencies (task_id, blocker_task_id, created_at) VALUES (?, ?, 0)", id, blocker);
      }
      return null;
    });

    Database db = server().wiring().database();
    Task loaded = db.read(h -> TaskView.load(h, id)).orElseThrow().task();
    assertThat(loaded.project().name()).isEqualTo("Related ✓");
    assertThat(loaded.createdByAgent().id()).isEqualTo(admin.id());
    assertThat(loaded.assignedToAgent().name()).isEqualTo(w.name());
    assertThat(loaded.subtasks()).extracting(Subtask::content).containsExactly("first", "second", "third");
    assertThat(loaded.subtasks()).extracting(Subtask::completed).containsOnly(false);
    assertThat(loaded.blockedBy()).containsExactly(openBlocker);

    List<Task> both = List.of(loaded, db.read(h -> TaskView.load(h, bare)).orElseThrow().task());
    assertThat(both.get(1).subtasks()).isEmpty();
    assertThat(both.get(1).blockedBy()).isEmpty();
    assertThat(both.get(1).project()).isNull();
    List<Task> rendered =
        db.read(h -> TaskView.render(h, List.of(Tasks.load(h, id).orElseThrow(), Tasks.load(h, bare).orElseThrow())));
    List<Task> loadedTogether = db.read(h -> TaskView.loadAll(h, List.of(id, bare)));
    assertThat(rendered).isEqualTo(both);
    assertThat(loadedTogether).isEqualTo(both);
    assertThat(w(admin).get(id)).isEqualTo(loaded);
  }

  @Test
  void nulCharactersAreRefusedAlikeOnEveryStore() {
    Actor a = fleet().worker("nul");
    assertThat(a.send("POST", "/tasks", body("content", "a\u0000b")).status()).isEqualTo(422);
    assertThat(a.send("POST", "/tasks", body("content", "ok", "labels", List.of("x\u0000y"))).status()).isEqualTo(422);
    long t = Fleet.task(a, "ok");
    assertThat(a.send("PATCH", "/tasks/" + t + "/context", body("k", "v\u0000")).status()).isEqualTo(422);
    assertThat(a.send("PATCH", "/tasks/" + t + "/context", body("k\u0000", "v")).status()).isEqualTo(422);
    assertThat(a.send("POST", "/tasks", body("content", "ok", "context", Map.of("deep", List.of(Map.of("x", "\u0000"))))).status())
        .isEqualTo(422);
    for (String search : List.of("%00", "true%00", "a%00b", "-x%00y+ok", "%22two%00words%22", "%01%1f")) {
      assertThat(a.send("GET", "/tasks?search=" + search, null).status()).as(search).isEqualTo(200);
    }
    assertThat(a.send("GET", "/tasks?label=%00", null).status()).isLessThan(500);
  }

  // ---------------------------------------------------------------- chains

  @Test
  void delegationChainsAndCascadeDelete() {
    Actor a = fleet().worker("chain");
    long root = Fleet.task(a, "root");
    long child = expect(a.send("POST", "/tasks/" + root + "/delegate", body("content", "child")), 201).get("id").asLong();
    long grandchild = expect(a.send("POST", "/tasks/" + child + "/delegate", body("content", "gc")), 201).get("id").asLong();
    w(a).addSubtask(grandchild, "step");
    w(a).addComment(child, "note");

    Chain chain = w(a).chain(grandchild);
    assertThat(chain.rootId()).isEqualTo(root);
    assertThat(ids(chain.chain())).containsExactly(root, child, grandchild);
    assertThat(chain.depth()).isEqualTo(2);
    assertThat(w(a).get(root).status()).isEqualTo("delegated");

    assertThat(a.send("DELETE", "/tasks/" + root, null).status()).isEqualTo(409);
    expect(a.send("DELETE", "/tasks/" + root + "?cascade=true", null), 200);
    long left = server().wiring().database().read(h -> h.createQuery(
        "SELECT (SELECT COUNT(*) FROM tasks WHERE id IN (<ids>) OR root_task_id IN (<ids>))"
            + " + (SELECT COUNT(*) FROM subtasks WHERE task_id IN (<ids>))"
            + " + (SELECT COUNT(*) FROM comments WHERE task_id IN (<ids>))")
        .bindList("ids", List.of(root, child, grandchild)).mapTo(Long.class).one());
    assertThat(left).isZero();
    List<Event> history = fleet().admin().client().tasks().events(child);
    assertThat(history).extracting(Event::type).as("a deleted task's history stays readable").contains("task.deleted");
    assertThat(a.send("GET", "/tasks/" + child + "/events", null).status()).isEqualTo(404);
  }

  private static dev.delega.client.Tasks w(Actor a) {
    return a.client().tasks();
  }

  // ---------------------------------------------------------------- labels

  @Test
  void labelsMatchExactlyIncludingNonAsciiAndWildcardCharacters() {
    Actor a = fleet().worker("labels");
    long cafe = Fleet.task(a, body("content", "c", "labels", List.of("café", "日本"))).get("id").asLong();
    long pct = Fleet.task(a, body("content", "p", "labels", List.of("50%"))).get("id").asLong();
    long under = Fleet.task(a, body("content", "u", "labels", List.of("a_b"))).get("id").asLong();
    Fleet.task(a, body("content", "x", "labels", List.of("cafe", "500", "axb", "CAFÉ")));

    assertThat(ids(w(a).list(TaskQuery.create().label("café")))).containsExactly(cafe);
    assertThat(ids(w(a).list(TaskQuery.create().label("日本")))).containsExactly(cafe);
    assertThat(ids(w(a).list(TaskQuery.create().label("50%")))).containsExactly(pct);
    assertThat(ids(w(a).list(TaskQuery.create().label("a_b")))).containsExactly(under);
    assertThat(ids(w(a).list(TaskQuery.create().label("5%")))).isEmpty();
    assertThat(ids(w(a).list(TaskQuery.create().labels(List.of("café", "日本"))))).containsExactly(cafe);
    expect(a.send("PUT", "/tasks/" + cafe, body("labels", List.of("日本"))), 200);
    assertThat(ids(w(a).list(TaskQuery.create().label("café")))).isEmpty();
    assertThat(ids(w(a).list(TaskQuery.create().search("%")))).isEmpty();
  }

  // ---------------------------------------------------------------- event log

  @Test
  void everyChangeIsInTheEventLogAsSoonAsItIsAcknowledged() {
    Actor a = fleet().worker("events");
    long t = Fleet.task(a, "logged");
    expect(a.send("PUT", "/tasks/" + t, body("priority", 4, "content", "logged 2")), 200);
    w(a).addComment(t, "c");
    w(a).complete(t);

    List<Event> events = w(a).events(t);

    assertThat(events).extracting(Event::type).containsExactly("task.created", "task.updated", "task.commented", "task.completed");
    assertThat(events).extracting(Event::actorAgentId).containsOnly(a.id());
    Event update = events.get(1);
    assertThat(update.changes()).containsKeys("priority", "content");
    assertThat(update.changes().get("priority")).isEqualTo(Map.of("before", 1, "after", 4));
    assertThat(events.stream().map(Event::id).toList()).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aFailedTransactionLeavesNeitherItsRowsNorItsEvents() {
    Database db = server().wiring().database();
    long tasks = count("tasks");
    long events = count("events");

    assertThatThrownBy(() -> db.write(tx -> {
      long id = tx.handle().createQuery(
          "INSERT INTO tasks (content, created_at, updated_at) VALUES ('doomed', 1, 1) RETURNING id").mapTo(Long.class).one();
      server().wiring().events().append(tx, "task.created", id, null, Map.of(), null);
      throw new IllegalStateException("rolled back on purpose");
    })).hasMessageContaining("on purpose");

    assertThat(count("tasks")).isEqualTo(tasks);
    assertThat(count("events")).isEqualTo(events);
  }

  @Test
  void failingWritesAmongConcurrentOnesRollBackAloneAndTheRestCommit() throws Exception {
    Database db = server().wiring().database();
    String marker = Fleet.unique("batch");
    List<Boolean> outcomes = race(16, () -> {
      boolean fail = Thread.currentThread().threadId() % 2 == 0;
      try {
        db.write(tx -> {
          long id = tx.handle().createQuery(
                  "INSERT INTO tasks (content, created_at, updated_at) VALUES (?, 1, 1) RETURNING id")
              .bind(0, marker).mapTo(Long.class).one();
          server().wiring().events().append(tx, "task.created", id, null, Map.of(), null);
          if (fail) {
            throw new IllegalStateException("fail");
          }
          return id;
        });
        return true;
      } catch (IllegalStateException e) {
        return false;
      }
    });
    long committed = outcomes.stream().filter(b -> b).count();
    long rows = db.read(h -> h.createQuery("SELECT COUNT(*) FROM tasks WHERE content = ?").bind(0, marker).mapTo(Long.class).one());
    long logged = db.read(h -> h.createQuery(
        "SELECT COUNT(*) FROM events e JOIN tasks t ON t.id = e.task_id WHERE t.content = ?").bind(0, marker).mapTo(Long.class).one());
    assertThat(rows).isEqualTo(committed);
    assertThat(logged).isEqualTo(committed);
    db.write(tx -> tx.handle().execute("DELETE FROM tasks WHERE content = ?", marker));
  }

  @Test
  void aFailingAfterCommitActionNeverHangsTheWriter() {
    Database db = server().wiring().database();
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      Integer committed = db.<Integer>write(tx -> {
        tx.afterCommit(() -> {
          throw new IllegalStateException("listener broke");
        });
        return 1;
      });
      assertThat(committed).as("a listener's exception does not undo an acknowledged write").isEqualTo(1);
      try {
        db.write(tx -> {
          tx.afterCommit(() -> {
            throw new AssertionError("listener failed badly");
          });
          return 2;
        });
      } catch (Throwable answered) {
        assertThat(answered).hasMessageContaining("listener failed badly");
      }
      Integer after = db.write(tx -> tx.handle().createQuery("SELECT 3").mapTo(Integer.class).one());
      assertThat(after).as("the writer keeps working").isEqualTo(3);
    });
  }

  @Test
  void aRiderCommitsOrRollsBackWithItsThreadsNextWriteUnitOnly() throws Exception {
    Database db = server().wiring().database();
    String marker = Fleet.unique("rider");
    String insert = "INSERT INTO tasks (content, created_at, updated_at) VALUES (?, 1, 1)";
    List<Object> carried = Collections.synchronizedList(new ArrayList<>());
    Callable<Long> rows =
        () -> db.read(h -> h.createQuery("SELECT COUNT(*) FROM tasks WHERE content = ?").bind(0, marker).mapTo(Long.class).one());
    db.attachRider((tx, result) -> {
      carried.add(result);
      tx.handle().execute(insert, marker);
    });
    try {
      assertThatThrownBy(() -> db.write(tx -> {
        tx.handle().execute(insert, marker);
        throw new IllegalStateException("failed on purpose");
      })).hasMessageContaining("on purpose");
      Thread other = Thread.ofVirtual().start(() -> db.write(tx -> tx.handle().execute(insert, marker)));
      other.join();
      assertThat(carried).as("neither a failed unit nor another thread's unit carried it").isEmpty();
      assertThat(rows.call()).isEqualTo(1);

      String first = db.write(tx -> {
        tx.handle().execute(insert, marker);
        return db.write(inner -> "joined");
      });
      String second = db.write(tx -> "second");

      assertThat(first).isEqualTo("joined");
      assertThat(second).isEqualTo("second");
      assertThat(carried).as("once, in the first unit that committed, given its result").containsExactly("joined");
      assertThat(rows.call()).isEqualTo(3);

      db.attachRider((tx, result) -> {
        throw new IllegalStateException("the rider refuses");
      });
      assertThatThrownBy(() -> db.write(tx -> tx.handle().execute(insert, marker)))
          .hasMessageContaining("the rider refuses");
      assertThat(rows.call()).as("a refusing rider rolls its unit back").isEqualTo(3);
    } finally {
      db.detachRider();
      db.write(tx -> tx.handle().execute("DELETE FROM tasks WHERE content = ?", marker));
    }
    assertThat(db.<String>write(tx -> "plain")).isEqualTo("plain");
  }

  // ---------------------------------------------------------------- ordering and pagination

  @Test
  void listOrderIsStable() {
    Actor a = fleet().worker("order");
    long low = Fleet.task(a, body("content", "low", "priority", 1)).get("id").asLong();
    long urgent = Fleet.task(a, body("content", "urgent", "priority", 4)).get("id").asLong();
    long dueLate = Fleet.task(a, body("content", "late", "priority", 2, "due_date", "2026-12-01")).get("id").asLong();
    long dueSoon = Fleet.task(a, body("content", "soon", "priority", 2, "due_date", "2026-01-01")).get("id").asLong();
    long noDue = Fleet.task(a, body("content", "none", "priority", 2)).get("id").asLong();
    long done = Fleet.task(a, body("content", "done", "priority", 4)).get("id").asLong();
    w(a).complete(done);

    List<Long> order = ids(w(a).list(TaskQuery.create().param("include_completed", "true")));

    assertThat(order).containsExactly(urgent, dueSoon, dueLate, noDue, low, done);
    assertThat(ids(w(a).list(TaskQuery.create().param("include_completed", "true")))).isEqualTo(order);
  }

  @Test
  void paginationVisitsEveryTaskOnce() {
    Actor a = fleet().worker("pages");
    Set<Long> created = new HashSet<>();
    for (int i = 0; i < 23; i++) {
      created.add(Fleet.task(a, body("content", "p" + i, "priority", 1 + i % 4)).get("id").asLong());
    }
    List<Long> seen = new ArrayList<>();
    Integer offset = 0;
    while (offset != null) {
      Page<Task> page = w(a).page(TaskQuery.create().limit(5).offset(offset));
      assertThat(page.total()).isEqualTo(23);
      seen.addAll(ids(page.items()));
      offset = page.nextOffset();
    }
    assertThat(seen).hasSize(23).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen)).isEqualTo(created);
    assertThat(seen).isEqualTo(ids(w(a).list(TaskQuery.create().limit(500))));
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void sixteenConcurrentWritersLoseNothing() throws Exception {
    Fleet fleet = fleet();
    Actor a = fleet.worker("racer");
    long shared = Fleet.task(a, "shared");

    List<List<Long>> created = race(16, () -> {
      List<Long> mine = new ArrayList<>();
      String me = Thread.currentThread().getName();
      for (int i = 0; i < 5; i++) {
        mine.add(Fleet.task(a, me + " " + i));
      }
      expect(a.send("PATCH", "/tasks/" + shared + "/context", Map.of(me, true)), 200);
      expect(a.send("POST", "/tasks/" + shared + "/comments", body("content", me)), 201);
      return mine;
    });

    List<Long> all = created.stream().flatMap(List::stream).toList();
    assertThat(all).hasSize(80).doesNotHaveDuplicates();
    assertThat(w(a).page(TaskQuery.create()).total()).isEqualTo(81);
    Task t = w(a).get(shared);
    assertThat(t.context()).hasSize(16);
    assertThat(t.contextVersion()).isEqualTo(16);
    assertThat(w(a).comments(shared)).hasSize(16);
  }

  @Test
  void concurrentUpdatesOfOneTaskAreNeitherLostNorMisordered() throws Exception {
    Actor a = fleet().worker("updater");
    long t = Fleet.task(a, "counter");
    List<Integer> statuses = race(16, () -> a.send("POST", "/tasks/" + t + "/subtasks", body("content", "s")).status());
    assertThat(statuses).containsOnly(201);
    List<Integer> orders = w(a).subtasks(t).stream().map(s -> s.sortOrder()).toList();
    assertThat(orders).hasSize(16);
    List<Long> versions = w(a).events(t).stream().map(Event::id).toList();
    assertThat(versions).isSorted().doesNotHaveDuplicates();
    assertThat(w(a).get(t).version()).isEqualTo(17);
  }

  // ---------------------------------------------------------------- restart

  @Test
  void aRestartKeepsEveryAcknowledgedWrite() throws Exception {
    Fleet fleet = fleet();
    Actor a = fleet.worker("durable");
    List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
    race(8, () -> {
      for (int i = 0; i < 5; i++) {
        RawResponse r = a.send("POST", "/tasks", body("content", "durable " + i));
        if (r.status() == 201) {
          acknowledged.add(r.json().get("id").asLong());
        }
      }
      return null;
    });
    long project = fleet.admin().client().projects().create("durable").id();

    server().stop();
    server().start();

    Actor again = new Actor(a.name(), a.id(), a.key(), fleet.client(a.key()));
    assertThat(acknowledged).hasSize(40);
    Set<Long> present = new HashSet<>(ids(w(again).list(TaskQuery.create().limit(500))));
    assertThat(present).containsAll(acknowledged);
    assertThat(fleet.admin().client().projects().get(project).name()).isEqualTo("durable");
    assertThat(again.send("GET", "/agent/me", null).status()).as("keys survive a restart").isEqualTo(200);
  }

  // ---------------------------------------------------------------- bootstrap

  @Test
  void concurrentBootstrapsCreateExactlyOneAdmin() throws Exception {
    DelegaServerExtension fresh = freshServer();
    fresh.start();
    try {
      Fleet fleet = new Fleet(fresh);
      List<RawResponse> answers = race(8, () -> fleet.anonymous().send("POST", "/agents", body("name", Fleet.unique("first"))));
      List<RawResponse> created = answers.stream().filter(r -> r.status() == 201).toList();
      assertThat(created).hasSize(1);
      assertThat(created.get(0).json().get("is_admin").asBoolean()).isTrue();
      assertThat(answers.stream().map(RawResponse::status).filter(s -> s != 201)).containsOnly(401);
      long agents = fresh.wiring().database().read(h -> h.createQuery("SELECT COUNT(*) FROM agents").mapTo(Long.class).one());
      assertThat(agents).isEqualTo(1);
    } finally {
      fresh.stop();
    }
  }

  @Test
  void concurrentRegistrationsOfOneNameGiveOneAgent() throws Exception {
    Actor admin = fleet().admin();
    String name = Fleet.unique("twin");
    List<Integer> statuses = race(8, () -> admin.send("POST", "/agents", body("name", name)).status());
    assertThat(statuses).containsOnly(201, 409);
    assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
  }
}

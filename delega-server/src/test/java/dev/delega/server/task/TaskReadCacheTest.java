package dev.delega.server.task;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.client.RawResponse;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /tasks/{id}} on SQLite answers from {@link TaskReadCache} while nothing has been
 * committed since the task was read: every committed change, to the task or to a row its JSON
 * shows, must be visible to the next read, and access is checked on every answer.
 */
class TaskReadCacheTest {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  private static Fleet fleet() {
    return new Fleet(server);
  }

  private static JsonNode get(Actor a, long id) {
    return expect(a.send("GET", "/tasks/" + id, null), 200);
  }

  private static TaskReadCache cache() {
    return server.wiring().tasks().cache();
  }

  @Test
  void aCachedTaskShowsEveryCommittedChangeToItOrToTheRowsItShows() {
    Actor admin = fleet().admin();
    Actor w = fleet().worker("cached");
    long project = expect(admin.send("POST", "/projects", body("name", "Before")), 201).get("id").asLong();
    long id = Fleet.task(admin, body("content", "cached", "project_id", project, "assigned_to_agent_id", w.id()))
        .get("id").asLong();
    long blocker = Fleet.task(admin, "blocker");
    expect(admin.send("POST", "/tasks/" + id + "/dependencies", body("blocked_by", blocker)), 200);

    JsonNode first = get(admin, id);
    assertThat(cache().get(id, server.wiring().database().generation())).as("held after a read").isNotNull();
    assertThat(get(admin, id)).isEqualTo(first);
    assertThat(first.get("blocked_by").get(0).asLong()).isEqualTo(blocker);

    expect(admin.send("PATCH", "/tasks/" + id, body("content", "changed")), 200);
    assertThat(get(admin, id).get("content").asString()).isEqualTo("changed");

    expect(admin.send("POST", "/tasks/" + blocker + "/complete", null), 200);
    assertThat(get(admin, id).get("blocked_by")).isEmpty();

    expect(admin.send("PATCH", "/projects/" + project, body("name", "After")), 200);
    assertThat(get(admin, id).get("project").get("name").asString()).isEqualTo("After");

    expect(admin.send("PATCH", "/agents/" + w.id(), body("display_name", "Renamed")), 200);
    assertThat(get(admin, id).get("assigned_to_agent").get("display_name").asString()).isEqualTo("Renamed");

    expect(admin.send("POST", "/tasks/" + id + "/subtasks", body("content", "step")), 201);
    JsonNode last = get(admin, id);
    assertThat(last.get("subtasks").get(0).get("content").asString()).isEqualTo("step");

    RawResponse again = admin.send("GET", "/tasks/" + id, null);
    assertThat(again.header("ETag")).contains("\"" + last.get("version").asLong() + "\"");
    assertThat(again.json()).isEqualTo(last);
  }

  @Test
  void everyAnswerFromTheCacheChecksWhoAsks() {
    Actor admin = fleet().admin();
    Actor owner = fleet().coordinator("owner");
    Actor stranger = fleet().worker("stranger");
    Actor helper = fleet().worker("helper");
    long root = Fleet.task(owner, "root");
    long child = expect(owner.send("POST", "/tasks/" + root + "/delegate", body("content", "child", "assigned_to_agent_id", helper.id())), 201)
        .get("id").asLong();

    get(admin, root);
    get(admin, child);
    long generation = server.wiring().database().generation();
    assertThat(cache().get(root, generation)).isNotNull();
    assertThat(stranger.send("GET", "/tasks/" + root, null).status()).isEqualTo(404);
    assertThat(stranger.send("GET", "/tasks/" + child, null).status()).isEqualTo(404);
    // Not named on the root, but in its chain: only the chain query can tell, and it does.
    assertThat(get(helper, root).get("id").asLong()).isEqualTo(root);
    assertThat(get(helper, child).get("id").asLong()).isEqualTo(child);
    assertThat(server.wiring().database().generation()).as("nothing was written meanwhile").isEqualTo(generation);
  }

  @Test
  void aWriterAlwaysReadsItsOwnWriteWhileOthersFillTheCache() throws Exception {
    Actor admin = fleet().admin();
    long id = Fleet.task(admin, "raced");
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> readers = new ArrayList<>();
    List<String> stale = java.util.Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
      for (int r = 0; r < 6; r++) {
        readers.add(pool.submit(() -> {
          go.await();
          int reads = 0;
          long seen = 0;
          while (!done.get()) {
            long version = get(admin, id).get("version").asLong();
            if (version < seen) {
              stale.add("a reader went back from version " + seen + " to " + version);
            }
            seen = version;
            reads++;
          }
          return reads;
        }));
      }
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < 60; i++) {
            long written = expect(admin.send("PATCH", "/tasks/" + id, body("description", "w" + writer + "-" + i)), 200)
                .get("version").asLong();
            long read = get(admin, id).get("version").asLong();
            if (read < written) {
              stale.add("writer " + writer + " wrote version " + written + " and then read " + read);
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : writers) {
        f.get();
      }
      done.set(true);
      int reads = 0;
      for (Future<Integer> f : readers) {
        reads += f.get();
      }
      assertThat(reads).isPositive();
    }
    assertThat(stale).isEmpty();
    assertThat(get(admin, id).get("version").asLong()).isEqualTo(1 + 4 * 60);
  }

  @Test
  void entriesAnswerOnlyForTheirGenerationAndAFullCacheTakesNoMore() {
    TaskRow row = server.wiring().database().read(h -> Tasks.load(h, Fleet.task(fleet().admin(), "entry"))).orElseThrow();
    TaskReadCache small = new TaskReadCache(2);
    small.put(1, new TaskReadCache.Entry(4, row, new byte[] {1}));
    small.put(2, new TaskReadCache.Entry(4, row, new byte[] {2}));
    small.put(3, new TaskReadCache.Entry(4, row, new byte[] {3}));
    assertThat(small.size()).isEqualTo(2);
    assertThat(small.get(1, 4).json()).containsExactly(1);
    assertThat(small.get(3, 4)).isNull();
    assertThat(small.get(1, 6)).as("a later generation").isNull();

    small.put(3, new TaskReadCache.Entry(6, row, new byte[] {3}));
    assertThat(small.size()).as("the older generation's entries are dropped together").isEqualTo(1);
    assertThat(small.get(3, 6).json()).containsExactly(3);
    small.put(1, new TaskReadCache.Entry(4, row, new byte[] {1}));
    assertThat(small.get(1, 4)).as("a late entry from an older read is not kept").isNull();

    TaskReadCache off = new TaskReadCache(0);
    off.put(1, new TaskReadCache.Entry(4, row, new byte[] {1}));
    assertThat(off.size()).isZero();
  }
}

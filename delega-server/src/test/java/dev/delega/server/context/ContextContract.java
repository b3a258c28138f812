package dev.delega.server.context;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.ContextHistory;
import dev.delega.api.ContextHistoryEntry;
import dev.delega.api.ContextState;
import dev.delega.client.ConflictException;
import dev.delega.client.ContextWrite;
import dev.delega.client.RawResponse;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Versioned context with provenance and its history ledger, through the SDK and raw HTTP; run on
 * SQLite and PostgreSQL by the subclasses.
 */
abstract class ContextContract {
  abstract DelegaServerExtension server();

  Fleet fleet() {
    return new Fleet(server());
  }

  private static long newTask(Actor a) {
    return Fleet.task(a, Fleet.unique("context task"));
  }

  @Test
  void patchMergesShallowlyNullDeletesAndVersionsOnlyRealChanges() {
    Actor a = fleet().worker("ctx");
    long id = newTask(a);

    ContextState first = a.client().tasks().patchContext(id, body("plan", Map.of("step", 1), "db", "sqlite"));
    ContextState second = a.client().tasks().patchContext(id, body("plan", Map.of("other", true), "db", null, "x", 1));
    ContextState noop = a.client().tasks().patchContext(id, body("x", 1, "gone", null));

    assertThat(first.version()).isEqualTo(1L);
    assertThat(second.context()).isEqualTo(Map.of("plan", Map.of("other", true), "x", 1));
    assertThat(second.version()).isEqualTo(2L);
    assertThat(noop.version()).isEqualTo(2L);
    assertThat(a.client().tasks().get(id).context()).isEqualTo(Map.of("plan", Map.of("other", true), "x", 1));
  }

  @Test
  void staleExpectedVersionIs409WithTheCurrentContextAndVersion() {
    Actor a = fleet().worker("ctx");
    long id = newTask(a);
    a.client().tasks().patchContext(id, Map.of("k", "v1"), ContextWrite.expecting(0));

    RawResponse r = a.send("PATCH", "/tasks/" + id + "/context?expected_version=0", Map.of("k", "v2"));

    JsonNode err = expect(r, 409);
    assertThat(err.get("code").asString()).isEqualTo("version_conflict");
    assertThat(err.get("version").asLong()).isEqualTo(1);
    assertThat(err.get("context").get("k").asString()).isEqualTo("v1");
    assertThat(err.get("error").asString()).contains("expected_version=1");
    ConflictException sdk = null;
    try {
      a.client().tasks().patchContext(id, Map.of("k", "v2"), ContextWrite.expecting(0));
    } catch (ConflictException e) {
      sdk = e;
    }
    assertThat(sdk).isNotNull();
    assertThat(sdk.version()).isEqualTo(1L);
    assertThat(a.client().tasks().patchContext(id, Map.of("k", "v2"), ContextWrite.expecting(1)).version()).isEqualTo(2L);
  }

  @Test
  void unknownSourceAndOverlongKeysAre422() {
    Actor a = fleet().worker("ctx");
    long id = newTask(a);

    JsonNode source = expect(a.send("PATCH", "/tasks/" + id + "/context?source=gossip", Map.of("k", 1)), 422);
    JsonNode key = expect(a.send("PATCH", "/tasks/" + id + "/context", Map.of("k".repeat(300), 1)), 422);

    assertThat(source.get("error").asString()).contains("human_stated");
    assertThat(key.get("error").asString()).contains("256");
  }

  @Test
  void provenanceNamesTheAuthorSourceVersionAndTimeOfEveryCurrentKey() {
    Actor a = fleet().worker("ctx");
    Actor admin = fleet().admin();
    long id = newTask(a);
    a.client().tasks().patchContext(id, Map.of("db", "postgres", "note", "n"), ContextWrite.none().withSource("human_stated"));
    admin.client().tasks().patchContext(id, Map.of("note", "observed"), ContextWrite.none().withSource("agent_observed"));
    a.client().tasks().patchContext(id, Map.of("guess", 42));

    JsonNode withProvenance = expect(a.send("GET", "/tasks/" + id + "/context?include=provenance", null), 200);
    JsonNode plain = expect(a.send("GET", "/tasks/" + id + "/context", null), 200);

    assertThat(plain.has("provenance")).isFalse();
    assertThat(plain.get("version").asLong()).isEqualTo(3);
    JsonNode p = withProvenance.get("provenance");
    assertThat(p.get("db").get("source").asString()).isEqualTo("human_stated");
    assertThat(p.get("db").get("author_name").asString()).isEqualTo(a.name());
    assertThat(p.get("db").get("author_agent_id").asLong()).isEqualTo(a.id());
    assertThat(p.get("db").get("version").asLong()).isEqualTo(1);
    assertThat(p.get("db").get("created_at").asString()).endsWith("Z");
    assertThat(p.get("note").get("source").asString()).isEqualTo("agent_observed");
    assertThat(p.get("note").get("author_agent_id").asLong()).isEqualTo(admin.id());
    assertThat(p.get("note").get("version").asLong()).isEqualTo(2);
    assertThat(p.get("guess").get("source").asString()).isEqualTo("agent_inferred");
    assertThat(p.properties()).hasSize(3);
  }

  @Test
  void anUnchangedValueKeepsItsSourceUnlessAnotherIsNamed() {
    Actor a = fleet().worker("ctx");
    long id = newTask(a);
    a.client().tasks().patchContext(id, Map.of("db", "postgres"), ContextWrite.none().withSource("human_stated"));

    ContextState resent = a.client().tasks().patchContext(id, Map.of("db", "postgres"));
    ContextState confirmed =
        a.client().tasks().patchContext(id, Map.of("db", "postgres"), ContextWrite.none().withSource("agent_observed"));

    assertThat(resent.version()).isEqualTo(1L);
    assertThat(confirmed.version()).isEqualTo(2L);
    assertThat(a.client().tasks().context(id).provenance().get("db").source()).isEqualTo("agent_observed");
  }

  @Test
  void historyIsAnAppendOnlyLedgerNewestFirstWithSupersededMarksAndCursors() {
    Actor a = fleet().worker("ctx");
    long id = newTask(a);
    a.client().tasks().patchContext(id, body("db", "sqlite", "owner", "ops"), ContextWrite.none().withSource("imported"));
    a.client().tasks().patchContext(id, Map.of("db", "postgres"), ContextWrite.none().withSource("human_stated"));
    a.client().tasks().patchContext(id, body("owner", null));

    ContextHistory all = a.client().tasks().contextHistory(id);
    ContextHistory db = a.client().tasks().contextHistory(id, "db", null, null);

    assertThat(all.entries()).extracting(ContextHistoryEntry::key).containsExactly("owner", "db", "owner", "db");
    assertThat(all.entries()).extracting(ContextHistoryEntry::version).containsExactly(3L, 2L, 1L, 1L);
    ContextHistoryEntry deletion = all.entries().get(0);
    assertThat(deletion.value()).isNull();
    assertThat(deletion.supersededAt()).isNull();
    assertThat(all.entries().get(1).value()).isEqualTo("postgres");
    assertThat(all.entries().get(1).source()).isEqualTo("human_stated");
    assertThat(all.entries().get(1).authorName()).isEqualTo(a.name());
    assertThat(all.entries().get(1).supersededAt()).isNull();
    assertThat(all.entries().get(2).supersededAt()).isNotNull();
    assertThat(all.entries().get(3).value()).isEqualTo("sqlite");
    assertThat(all.entries().get(3).supersededAt()).isNotNull();
    assertThat(all.nextCursor()).isNull();
    assertThat(db.entries()).extracting(ContextHistoryEntry::value).containsExactly("postgres", "sqlite");

    ContextHistory page1 = a.client().tasks().contextHistory(id, null, null, 3);
    ContextHistory page2 = a.client().tasks().contextHistory(id, null, page1.nextCursor(), 3);
    assertThat(page1.entries()).hasSize(3);
    assertThat(page1.nextCursor()).isNotNull();
    assertThat(page2.entries()).hasSize(1);
    assertThat(page2.nextCursor()).isNull();
    assertThat(page2.entries().get(0).id()).isEqualTo(all.entries().get(3).id());
    JsonNode raw = expect(a.send("GET", "/tasks/" + id + "/context/history?limit=1", null), 200);
    assertThat(raw.get("entries").get(0).properties()).extracting(Map.Entry::getKey)
        .contains("key", "value", "source", "version", "author_name", "author_agent_id", "created_at", "superseded_at");
    assertThat(raw.get("next_cursor").isString()).isTrue();
    assertThat(expect(a.send("GET", "/tasks/" + id + "/context/history?cursor=abc", null), 422)).isNotNull();
  }

  @Test
  void contextGivenOnCreateAndReplacedByPutIsInTheLedgerToo() {
    Actor a = fleet().worker("ctx");
    long id = Fleet.task(a, body("content", Fleet.unique("with context"), "context", Map.of("a", 1, "b", 2)))
        .get("id").asLong();

    expect(a.send("PUT", "/tasks/" + id, body("context", Map.of("a", 1, "c", 3))), 200);

    ContextState state = a.client().tasks().context(id);
    assertThat(state.version()).isEqualTo(2L);
    assertThat(state.context()).isEqualTo(Map.of("a", 1, "c", 3));
    assertThat(state.provenance().get("a").version()).isEqualTo(1L);
    assertThat(state.provenance().get("c").version()).isEqualTo(2L);
    List<ContextHistoryEntry> history = a.client().tasks().contextHistory(id).entries();
    assertThat(history).extracting(e -> e.key() + "@" + e.version() + "=" + e.value())
        .containsExactlyInAnyOrder("a@1=1", "b@1=2", "c@2=3", "b@2=null");
  }

  @Test
  void onlyThoseWhoSeeTheTaskReadItsContextAndHistory() {
    Actor owner = fleet().worker("ctx");
    Actor stranger = fleet().worker("ctx");
    Actor reader = fleet().reader("ctx");
    long id = newTask(owner);
    owner.client().tasks().patchContext(id, Map.of("secret", "s"));

    assertThat(stranger.send("GET", "/tasks/" + id + "/context", null).status()).isEqualTo(404);
    assertThat(stranger.send("GET", "/tasks/" + id + "/context/history", null).status()).isEqualTo(404);
    assertThat(stranger.send("PATCH", "/tasks/" + id + "/context", Map.of("x", 1)).status()).isEqualTo(404);
    assertThat(reader.send("GET", "/tasks/" + id + "/context/history", null).status()).isEqualTo(200);
    assertThat(reader.send("PATCH", "/tasks/" + id + "/context", Map.of("x", 1)).status()).isEqualTo(403);
  }

  @Test
  void contextChangesAreAuditedWithBeforeAndAfter() {
    Actor a = fleet().worker("ctx");
    long id = newTask(a);
    a.client().tasks().patchContext(id, Map.of("db", "sqlite"));
    a.client().tasks().patchContext(id, body("db", "postgres"), ContextWrite.none().withSource("human_stated"));

    JsonNode events = expect(a.send("GET", "/tasks/" + id + "/events", null), 200);

    JsonNode last = events.get(events.size() - 1);
    assertThat(last.get("type").asString()).isEqualTo("task.updated");
    assertThat(last.get("actor_agent_id").asLong()).isEqualTo(a.id());
    assertThat(last.get("actor").get("name").asString()).isEqualTo(a.name());
    assertThat(last.get("changes").get("context.db").get("before").asString()).isEqualTo("sqlite");
    assertThat(last.get("changes").get("context.db").get("after").asString()).isEqualTo("postgres");
    assertThat(last.get("changes").get("context.db").get("source").asString()).isEqualTo("human_stated");
  }

  /**
   * Twenty writers race on one task with expected_version, each retrying after a conflict until
   * its write is accepted: every version from 1 to 20 is won by exactly one writer, and the ledger
   * holds all twenty accepted writes of the shared key (nineteen superseded) and each writer's key.
   */
  @Test
  void twentyRacingWritersEachWinExactlyOneVersionAndNoWriteIsLost() throws Exception {
    int writers = 20;
    Actor a = fleet().worker("race");
    long id = newTask(a);
    CountDownLatch start = new CountDownLatch(1);
    List<Long> won = Collections.synchronizedList(new ArrayList<>());
    List<Integer> conflicts = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String me = "writer-" + w;
        futures.add(pool.submit(() -> {
          start.await();
          long seen = 0;
          for (int attempt = 0; attempt < 500; attempt++) {
            RawResponse r = a.send("PATCH", "/tasks/" + id + "/context?expected_version=" + seen,
                body("last_writer", me, me, attempt));
            if (r.status() == 200) {
              won.add(r.json().get("version").asLong());
              return null;
            }
            if (r.status() != 409 || !r.json().path("code").asString("").equals("version_conflict")) {
              throw new AssertionError("unexpected " + r);
            }
            conflicts.add(1);
            seen = r.json().get("version").asLong();
          }
          throw new AssertionError(me + " never won");
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    }

    assertThat(won).hasSize(writers);
    assertThat(won).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, writers).boxed().toList());
    assertThat(conflicts).isNotEmpty();
    ContextState state = a.client().tasks().context(id);
    assertThat(state.version()).isEqualTo((long) writers);
    assertThat(state.context()).hasSize(writers + 1);
    List<ContextHistoryEntry> shared = a.client().tasks().contextHistory(id, "last_writer", null, 500).entries();
    assertThat(shared).hasSize(writers);
    assertThat(shared).extracting(ContextHistoryEntry::version)
        .containsExactlyElementsOf(LongStream.iterate(writers, v -> v - 1).limit(writers).boxed().toList());
    assertThat(shared.stream().filter(e -> e.supersededAt() == null)).hasSize(1);
    assertThat(shared.get(0).value()).isEqualTo(state.context().get("last_writer"));
    assertThat(a.client().tasks().contextHistory(id, null, null, 500).entries()).hasSize(2 * writers);
  }
}

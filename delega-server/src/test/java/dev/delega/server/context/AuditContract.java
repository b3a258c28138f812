package dev.delega.server.context;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Event;
import dev.delega.api.Task;
import dev.delega.api.TaskUpdate;
import dev.delega.client.PreconditionFailedException;
import dev.delega.client.RequestOptions;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The audit trail ({@code GET /tasks/{id}/events}) and {@code If-Match} on task writes; run on
 * SQLite and PostgreSQL by the subclasses.
 */
abstract class AuditContract {
  abstract DelegaServerExtension server();

  Fleet fleet() {
    return new Fleet(server());
  }

  @Test
  void everyChangeIsListedWithWhoWhatWhenAndBeforeAfter() {
    Actor a = fleet().worker("audit");
    Actor admin = fleet().admin();
    long id = Fleet.task(a, body("content", "audited", "priority", 1)).get("id").asLong();
    expect(a.send("PUT", "/tasks/" + id, body("priority", 4, "content", "audited twice")), 200);
    expect(admin.send("POST", "/tasks/" + id + "/comments", body("content", "looks good")), 201);
    expect(a.send("PATCH", "/tasks/" + id + "/context", body("k", "v")), 200);
    expect(a.send("POST", "/tasks/" + id + "/complete", null), 200);

    List<Event> events = a.client().tasks().events(id);

    assertThat(events).extracting(Event::type)
        .containsExactly("task.created", "task.updated", "task.commented", "task.updated", "task.completed");
    assertThat(events).extracting(Event::id).isSorted();
    assertThat(events).allSatisfy(e -> {
      assertThat(e.taskId()).isEqualTo(id);
      assertThat(e.createdAt()).isNotNull();
    });
    Event update = events.get(1);
    assertThat(update.actorAgentId()).isEqualTo(a.id());
    assertThat(update.actor().name()).isEqualTo(a.name());
    assertThat(update.changes()).containsOnlyKeys("priority", "content");
    assertThat(update.changes().get("priority")).isEqualTo(Map.of("before", 1, "after", 4));
    assertThat(update.changes().get("content")).isEqualTo(Map.of("before", "audited", "after", "audited twice"));
    assertThat(events.get(2).actorAgentId()).isEqualTo(admin.id());
    assertThat(events.get(3).changes()).containsKey("context.k");
    assertThat(events.get(4).changes()).containsKeys("completed", "status");
    assertThat(events.get(4).task()).containsEntry("completed", true);
  }

  @Test
  void theTrailIsPagedWithAfterAndLimitAndHiddenFromStrangers() {
    Actor a = fleet().worker("audit");
    Actor stranger = fleet().worker("audit");
    long id = Fleet.task(a, "paged");
    for (int p = 1; p <= 4; p++) {
      expect(a.send("PUT", "/tasks/" + id, body("priority", p)), 200);
    }

    JsonNode all = expect(a.send("GET", "/tasks/" + id + "/events", null), 200);
    List<Long> seen = new ArrayList<>();
    String after = "";
    for (int page = 0; page < 10; page++) {
      JsonNode chunk = expect(a.send("GET", "/tasks/" + id + "/events?limit=2" + after, null), 200);
      if (chunk.isEmpty()) {
        break;
      }
      assertThat(chunk.size()).isLessThanOrEqualTo(2);
      chunk.forEach(e -> seen.add(e.get("id").asLong()));
      after = "&after=" + seen.get(seen.size() - 1);
    }

    List<Long> ids = new ArrayList<>();
    all.forEach(e -> ids.add(e.get("id").asLong()));
    assertThat(ids).hasSize(4);
    assertThat(seen).isEqualTo(ids);
    assertThat(stranger.send("GET", "/tasks/" + id + "/events", null).status()).isEqualTo(404);
    assertThat(a.send("GET", "/tasks/" + id + "/events?limit=0", null).status()).isEqualTo(422);
  }

  @Test
  void theEventsOfADeletedTaskStayReadableForAdmins() {
    Actor a = fleet().worker("audit");
    Actor admin = fleet().admin();
    long id = Fleet.task(a, "deleted later");
    expect(a.send("DELETE", "/tasks/" + id, null), 200);

    JsonNode events = expect(admin.send("GET", "/tasks/" + id + "/events", null), 200);

    assertThat(events.get(events.size() - 1).get("type").asString()).isEqualTo("task.deleted");
    assertThat(a.send("GET", "/tasks/" + id + "/events", null).status()).isEqualTo(404);
  }

  @Test
  void ifMatchWithTheCurrentVersionWritesAndAStaleOneIs412() {
    Actor a = fleet().worker("ifmatch");
    Task t = a.client().tasks().create(Fleet.unique("guarded"));
    long v = t.version();

    Task updated = a.client().tasks().update(t.id(), TaskUpdate.create().priority(2), RequestOptions.none().withIfMatch(v));
    JsonNode stale = expect(a.send("PUT", "/tasks/" + t.id(), body("priority", 3), Map.of("If-Match", "\"" + v + "\"")), 412);
    JsonNode stalePatch = expect(a.send("PATCH", "/tasks/" + t.id(), body("priority", 3), Map.of("If-Match", String.valueOf(v))), 412);
    RawCheck weak = new RawCheck(a.send("PATCH", "/tasks/" + t.id(), body("priority", 4), Map.of("If-Match", "W/\"" + updated.version() + "\"")));
    RawCheck star = new RawCheck(a.send("PUT", "/tasks/" + t.id(), body("priority", 1), Map.of("If-Match", "*")));
    RawCheck garbage = new RawCheck(a.send("PUT", "/tasks/" + t.id(), body("priority", 1), Map.of("If-Match", "\"abc\"")));

    assertThat(updated.version()).isEqualTo(v + 1);
    assertThat(stale.get("code").asString()).isEqualTo("precondition_failed");
    assertThat(stale.get("version").asLong()).isEqualTo(v + 1);
    assertThat(stalePatch.get("code").asString()).isEqualTo("precondition_failed");
    assertThat(weak.status).isEqualTo(200);
    assertThat(weak.etag).isEqualTo("\"" + (v + 2) + "\"");
    assertThat(star.status).isEqualTo(200);
    assertThat(garbage.status).isEqualTo(400);
    PreconditionFailedException sdk = null;
    try {
      a.client().tasks().update(t.id(), TaskUpdate.create().priority(2), RequestOptions.none().withIfMatch(v));
    } catch (PreconditionFailedException e) {
      sdk = e;
    }
    assertThat(sdk).isNotNull();
    assertThat(a.client().tasks().get(t.id()).priority()).isEqualTo(1);
  }

  @Test
  void deleteWithAStaleIfMatchIs412AndKeepsTheTask() {
    Actor a = fleet().worker("ifmatch-delete");
    Task t = a.client().tasks().create(Fleet.unique("guarded delete"));
    long v = t.version();
    a.client().tasks().update(t.id(), TaskUpdate.create().priority(2));

    JsonNode stale = expect(a.send("DELETE", "/tasks/" + t.id(), null, Map.of("If-Match", "\"" + v + "\"")), 412);
    JsonNode garbage = expect(a.send("DELETE", "/tasks/" + t.id(), null, Map.of("If-Match", "\"abc\"")), 400);
    PreconditionFailedException sdk = null;
    try {
      a.client().tasks().delete(t.id(), false, RequestOptions.none().withIfMatch(v));
    } catch (PreconditionFailedException e) {
      sdk = e;
    }

    assertThat(stale.get("code").asString()).isEqualTo("precondition_failed");
    assertThat(stale.get("version").asLong()).isEqualTo(v + 1);
    assertThat(garbage.get("code").asString()).isEqualTo("bad_request");
    assertThat(sdk).isNotNull();
    assertThat(a.client().tasks().get(t.id()).version()).isEqualTo(v + 1);

    a.client().tasks().delete(t.id(), false, RequestOptions.none().withIfMatch(v + 1));
    assertThat(a.send("GET", "/tasks/" + t.id(), null).status()).isEqualTo(404);
    Task starred = a.client().tasks().create(Fleet.unique("deleted with a star"));
    expect(a.send("DELETE", "/tasks/" + starred.id(), null, Map.of("If-Match", "*")), 200);
    Task weak = a.client().tasks().create(Fleet.unique("deleted with a weak tag"));
    expect(a.send("DELETE", "/tasks/" + weak.id(), null, Map.of("If-Match", "W/\"" + weak.version() + "\"")), 200);
  }

  private record RawCheck(int status, String etag) {
    RawCheck(dev.delega.client.RawResponse r) {
      this(r.status(), r.header("ETag").orElse(null));
    }
  }
}

package dev.delega.server.conformance;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Agent;
import dev.delega.api.Json;
import dev.delega.api.NewAgent;
import dev.delega.api.Page;
import dev.delega.api.Task;
import dev.delega.api.Usage;
import dev.delega.client.AuthScheme;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.client.TaskQuery;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The conventions of spec §1–3 on the wire: prefixes, health, ids, timestamps, booleans, bodies,
 * PATCH, errors, pagination, every list filter, limits, representations, stats, usage, keys and
 * CORS. The clock is fixed at 2026-03-10T20:00:00.123Z and DELEGA_TIMEZONE is Pacific/Kiritimati
 * (UTC+14), where it is already 2026-03-11: "today" must follow the zone, not UTC. Rate limits are
 * in {@link RateLimitTest}, open mode in {@link OpenModeChecklistTest}, env parsing in the config
 * package.
 */
class ConventionsTest {
  static final Instant NOW = Instant.parse("2026-03-10T20:00:00.123Z");
  static final MutableClock CLOCK = new MutableClock(NOW);

  @RegisterExtension
  static final DelegaServerExtension SERVER =
      new DelegaServerExtension().clock(CLOCK).env("DELEGA_TIMEZONE", "Pacific/Kiritimati");

  private final Fleet fleet = new Fleet(SERVER);

  private static List<Long> ids(List<Task> tasks) {
    return tasks.stream().map(Task::id).toList();
  }

  private static long id(JsonNode n) {
    return n.get("id").asLong();
  }

  private static String v1(String path) {
    return SERVER.rootUrl() + "/v1" + path;
  }

  // ---------------------------------------------------------------- prefixes and health

  @Test
  void apiAndV1ServeTheSameAnswers() {
    Actor a = fleet.worker("prefix");
    long p = fleet.admin().client().projects().create("prefixes").id();
    long t = id(Fleet.task(a, body("content", "both", "project_id", p, "labels", List.of("x"))));

    for (String path : List.of("/tasks/" + t, "/tasks?include=pagination", "/tasks/" + t + "/chain",
        "/tasks/" + t + "/subtasks", "/tasks/" + t + "/context", "/agents/" + a.id(), "/agent/me", "/projects",
        "/projects/" + p, "/stats", "/usage", "/tasks/999999")) {
      RawResponse api = a.send("GET", path, null);
      RawResponse v1 = a.send("GET", v1(path), null);
      assertThat(v1.status()).as(path).isEqualTo(api.status());
      assertThat(v1.text()).as(path).isEqualTo(api.text());
    }
    JsonNode viaV1 = expect(a.send("POST", v1("/tasks"), body("content", "via v1")), 201);
    assertThat(a.send("GET", "/tasks/" + id(viaV1), null).status()).isEqualTo(200);
    assertThat(expect(a.send("PUT", v1("/tasks/" + id(viaV1)), body("priority", 3)), 200).get("priority").asInt()).isEqualTo(3);
  }

  @Test
  void healthNeedsNoKeyUnderEveryPrefixAndNamesTheVersion() {
    DelegaClient keyless = fleet.anonymous();
    for (String url : List.of(SERVER.rootUrl() + "/health", SERVER.rootUrl() + "/api/health", v1("/health"))) {
      JsonNode h = expect(keyless.send("GET", url), 200);
      assertThat(h.get("ok").asBoolean()).as(url).isTrue();
      assertThat(h.get("service").asString()).isEqualTo("delega");
      assertThat(h.get("version").asString()).isNotBlank();
      assertThat(h.get("timestamp").asString()).isEqualTo(Json.format(CLOCK.instant())).endsWith("Z");
    }
    assertThat(keyless.health().ok()).isTrue();
  }

  // ---------------------------------------------------------------- ids, timestamps, booleans, bodies

  @Test
  void numericStringsAreAcceptedWhereverAnIdIs() {
    Actor admin = fleet.admin();
    Actor w = fleet.worker("strings");
    long p = admin.client().projects().create("string ids").id();
    long blocker = Fleet.task(admin, "blocker");

    JsonNode t = expect(admin.send("POST", "/tasks", body("content", "s", "project_id", String.valueOf(p),
        "assigned_to_agent_id", String.valueOf(w.id()), "blocked_by", List.of(String.valueOf(blocker)))), 201);
    assertThat(t.get("project_id").asLong()).isEqualTo(p);
    assertThat(t.get("assigned_to_agent_id").asLong()).isEqualTo(w.id());
    assertThat(t.get("blocked_by").get(0).asLong()).isEqualTo(blocker);
    JsonNode child = expect(admin.send("POST", "/tasks", body("content", "c", "parent_task_id", String.valueOf(id(t)))), 201);
    assertThat(child.get("parent_task_id").asLong()).isEqualTo(id(t));
    JsonNode unassigned = expect(admin.send("PUT", "/tasks/" + id(t), body("assigned_to_agent_id", String.valueOf(admin.id()))), 200);
    assertThat(unassigned.get("assigned_to_agent_id").asLong()).isEqualTo(admin.id());

    for (Object bad : List.of("seven", "7.5", "-3", "0", "", 7.5, true, List.of(7))) {
      RawResponse r = admin.send("POST", "/tasks", body("content", "bad", "project_id", bad));
      assertThat(r.status()).as("project_id %s", bad).isEqualTo(422);
    }
  }

  @Test
  void timestampsAreUtcWithMillisecondsAndOffsetsAreAcceptedOnInput() {
    Actor a = fleet.worker("time");
    JsonNode t = Fleet.task(a, body("content", "t", "reminder_time", "2026-03-13T09:00:00.5+02:00"));

    String now = Json.format(CLOCK.instant());
    assertThat(now).matches("2026-03-10T20:00:00\\.\\d{3}Z");
    assertThat(t.get("created_at").asString()).isEqualTo(now);
    assertThat(t.get("updated_at").asString()).isEqualTo(now);
    assertThat(t.get("reminder_time").asString()).isEqualTo("2026-03-13T07:00:00.500Z");
    JsonNode done = expect(a.send("POST", "/tasks/" + id(t) + "/complete", null), 200);
    assertThat(done.get("completed_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(expect(a.send("GET", "/agent/me", null), 200).get("agent").get("created_at").asString())
        .isEqualTo(now);
    assertThat(a.send("PUT", "/tasks/" + id(t), body("reminder_time", "next tuesday")).status()).isEqualTo(422);
  }

  @Test
  void queryBooleansAreCaseInsensitive() {
    Actor a = fleet.worker("bools");
    long open = Fleet.task(a, "open");
    long done = Fleet.task(a, "done");
    a.client().tasks().complete(done);

    for (String spelled : List.of("true", "True", "TRUE", "1", "yes")) {
      assertThat(ids(a.client().tasks().list(TaskQuery.create().param("completed", spelled)))).as(spelled).containsExactly(done);
      assertThat(ids(a.client().tasks().list(TaskQuery.create().param("include_completed", spelled))))
          .containsExactlyInAnyOrder(open, done);
    }
    for (String spelled : List.of("false", "False", "FALSE", "0", "no")) {
      assertThat(ids(a.client().tasks().list(TaskQuery.create().param("completed", spelled)))).as(spelled).containsExactly(open);
    }
    assertThat(a.send("GET", "/tasks?completed=ture", null).status()).isEqualTo(422);
  }

  @Test
  void aPostWithJsonContentTypeAndNoBodyIsValid() {
    Actor a = fleet.worker("empty");
    long t = Fleet.task(a, "empty bodies");
    long sub = a.client().tasks().addSubtask(t, "s").id();
    Map<String, String> json = Map.of("Content-Type", "application/json");

    assertThat(a.send("POST", "/tasks/" + t + "/complete", (byte[]) null, json).status()).isEqualTo(200);
    assertThat(a.send("POST", "/tasks/" + t + "/uncomplete", (byte[]) null, json).status()).isEqualTo(200);
    assertThat(a.send("POST", "/tasks/" + t + "/subtasks/" + sub + "/toggle", (byte[]) null, json).status()).isEqualTo(200);
    assertThat(a.send("POST", "/tasks/" + t + "/complete", new byte[0], json).status()).isEqualTo(200);
    JsonNode rotated = expect(a.send("POST", "/agents/" + a.id() + "/rotate-key", (byte[]) null, json), 200);
    assertThat(rotated.get("api_key").asString()).startsWith("dlg_");
    RawResponse noContent = fleet.client(rotated.get("api_key").asString()).send("POST", "/tasks", (byte[]) null, json);
    assertThat(noContent.status()).as("an empty create is a missing field, not bad JSON").isEqualTo(422);
    assertThat(noContent.json().get("error").asString()).contains("content");
  }

  // ---------------------------------------------------------------- updates

  @Test
  void patchIsTheSamePartialUpdateAsPut() {
    Actor admin = fleet.admin();
    Actor a = fleet.worker("patch");
    long t = id(Fleet.task(a, body("content", "before", "description", "kept", "priority", 2)));
    long p = admin.client().projects().create("patchable").id();

    JsonNode viaPatch = expect(a.send("PATCH", "/tasks/" + t, body("content", "after")), 200);
    assertThat(viaPatch.get("content").asString()).isEqualTo("after");
    assertThat(viaPatch.get("description").asString()).isEqualTo("kept");
    assertThat(viaPatch.get("priority").asInt()).isEqualTo(2);
    assertThat(a.send("PATCH", "/tasks/" + t, body("parent_task_id", 1)).status()).isEqualTo(400);

    JsonNode agent = expect(a.send("PATCH", "/agents/" + a.id(), body("display_name", "Patched")), 200);
    assertThat(agent.get("display_name").asString()).isEqualTo("Patched");
    assertThat(agent.get("name").asString()).isEqualTo(a.name());
    assertThat(a.send("PATCH", "/agents/" + a.id(), body("role", "admin")).status()).isEqualTo(403);

    JsonNode project = expect(admin.send("PATCH", "/projects/" + p, body("emoji", "🚀")), 200);
    assertThat(project.get("emoji").asString()).isEqualTo("🚀");
    assertThat(project.get("name").asString()).isEqualTo("patchable");
  }

  @Test
  void updatesAnswerTheFullResourceAndDeletesAnswerJson() {
    Actor a = fleet.worker("full");
    JsonNode created = Fleet.task(a, body("content", "full", "labels", List.of("l")));
    long t = id(created);
    a.client().tasks().addSubtask(t, "sub");

    RawResponse put = a.send("PUT", "/tasks/" + t, body("priority", 3));
    JsonNode updated = expect(put, 200);
    assertThat(updated.propertyNames()).containsAll(created.propertyNames());
    assertThat(updated.get("subtasks").size()).isEqualTo(1);
    assertThat(updated.get("labels").get(0).asString()).isEqualTo("l");
    assertThat(updated.get("version").asLong()).isGreaterThan(created.get("version").asLong());
    assertThat(put.header("ETag")).contains("\"" + updated.get("version").asLong() + "\"");

    RawResponse empty = a.send("PUT", "/tasks/" + t, "{}");
    assertThat(expect(empty, 200).get("id").asLong()).isEqualTo(t);
    long sub = a.client().tasks().subtasks(t).get(0).id();
    for (RawResponse r : List.of(a.send("DELETE", "/tasks/" + t + "/subtasks/" + sub, null), a.send("DELETE", "/tasks/" + t, null))) {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.isEmpty()).isFalse();
      assertThat(r.json().get("ok").asBoolean()).isTrue();
    }
  }

  @Test
  void createAnswers201WithLocation() {
    Actor admin = fleet.admin();
    long parent = Fleet.task(admin, "parent");
    for (RawResponse r : List.of(
        admin.send("POST", "/tasks", body("content", "t")),
        admin.send("POST", "/tasks/" + parent + "/delegate", body("content", "d")),
        admin.send("POST", "/tasks/" + parent + "/subtasks", body("content", "s")),
        admin.send("POST", "/tasks/" + parent + "/comments", body("content", "c")),
        admin.send("POST", "/agents", body("name", Fleet.unique("located"))),
        admin.send("POST", "/projects", body("name", "located")))) {
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      assertThat(r.header("Location").orElseThrow()).as(r.toString()).endsWith("/" + id(r.json()));
    }
  }

  // ---------------------------------------------------------------- errors

  private static void assertProblem(RawResponse r, int status, String code) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.header("Content-Type").orElse("")).startsWith("application/json");
    JsonNode p = r.json();
    assertThat(p.get("error").isString()).as(r.toString()).isTrue();
    assertThat(p.get("error").asString()).isNotBlank();
    assertThat(p.get("detail").asString()).isEqualTo(p.get("error").asString());
    assertThat(p.get("status").isInt()).isTrue();
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("code").asString()).as(r.toString()).isEqualTo(code).matches("[a-z]+(_[a-z]+)*");
  }

  @Test
  void errorsHaveOneShapeAndStableCodes() {
    Actor admin = fleet.admin();
    Actor w = fleet.worker("errors");
    Actor reader = fleet.reader("errors");
    long own = Fleet.task(w, "own");
    long foreign = Fleet.task(admin, "foreign");
    long parent = Fleet.task(w, "parent");
    expect(w.send("POST", "/tasks/" + parent + "/delegate", body("content", "child")), 201);

    assertProblem(w.send("PUT", "/tasks/" + own, body("root_task_id", 1)), 400, "bad_request");
    assertProblem(w.send("POST", "/tasks", "{\"content\": "), 400, "invalid_json");
    assertProblem(w.send("POST", "/tasks", "[]"), 400, "invalid_json");
    assertProblem(w.send("POST", "/tasks", body("content", 5)), 422, "validation_failed");
    assertProblem(fleet.anonymous().send("GET", "/tasks"), 401, "unauthorized");
    assertProblem(w.send("GET", "/agents", null), 403, "forbidden");
    assertProblem(reader.send("POST", "/tasks/" + foreign + "/complete", null), 403, "claim_required");
    assertThat(reader.send("POST", "/tasks/" + foreign + "/complete", null).json().get("error").asString())
        .contains("POST /tasks/" + foreign + "/claim");
    assertProblem(w.send("GET", "/tasks/" + foreign, null), 404, "not_found");
    assertProblem(w.send("GET", "/no-such-thing", null), 404, "not_found");
    assertProblem(w.send("DELETE", "/tasks/" + parent, null), 409, "conflict");
    assertProblem(w.send("PATCH", "/tasks/" + own + "/context?expected_version=7", body("k", 1)), 409, "version_conflict");
    assertProblem(w.send("PUT", "/tasks/" + own, body("content", "x"), Map.of("If-Match", "\"99\"")), 412, "precondition_failed");
    assertProblem(w.send("PUT", "/tasks/" + own, body("status", "delegated", "completed", true)), 422, "validation_failed");
    assertProblem(w.send("DELETE", "/stats", null), 405, "method_not_allowed");
    byte[] big = new byte[1024 * 1024 + 1];
    Arrays.fill(big, (byte) ' ');
    assertProblem(Fleet.sendOversized("POST", SERVER.baseUrl() + "/tasks", w.key(), big, Map.of()), 413, "payload_too_large");
  }

  @Test
  void aVersionConflictCarriesTheCurrentContextAndVersion() {
    Actor w = fleet.worker("ctx");
    long t = Fleet.task(w, "ctx");
    expect(w.send("PATCH", "/tasks/" + t + "/context", body("a", 1)), 200);

    RawResponse r = w.send("PATCH", "/tasks/" + t + "/context?expected_version=0", body("a", 2));

    assertProblem(r, 409, "version_conflict");
    assertThat(r.json().get("version").asLong()).isEqualTo(1);
    assertThat(r.json().get("context").get("a").asInt()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- pagination

  @Test
  void paginationEnvelopeAndLimits() {
    Actor a = fleet.worker("pages");
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(Fleet.task(a, "page item " + i));
    }

    JsonNode first = expect(a.send("GET", "/tasks?include=pagination&limit=3", null), 200);
    assertThat(first.propertyNames()).containsExactlyInAnyOrder("items", "total", "limit", "offset", "has_more", "next_offset");
    assertThat(first.get("total").asLong()).isEqualTo(7);
    assertThat(first.get("limit").asInt()).isEqualTo(3);
    assertThat(first.get("offset").asInt()).isZero();
    assertThat(first.get("has_more").asBoolean()).isTrue();
    assertThat(first.get("next_offset").asInt()).isEqualTo(3);

    List<Long> seen = new ArrayList<>();
    Integer offset = 0;
    while (offset != null) {
      Page<Task> page = a.client().tasks().page(TaskQuery.create().limit(3).offset(offset));
      seen.addAll(ids(page.items()));
      assertThat(page.hasMore()).isEqualTo(page.nextOffset() != null);
      offset = page.nextOffset();
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(created).doesNotHaveDuplicates();

    JsonNode beyond = expect(a.send("GET", "/tasks?include=pagination&offset=50", null), 200);
    assertThat(beyond.get("items").size()).isZero();
    assertThat(beyond.get("has_more").asBoolean()).isFalse();
    assertThat(beyond.get("next_offset").isNull()).isTrue();
    assertThat(expect(a.send("GET", "/tasks?include=pagination", null), 200).get("limit").asInt()).isEqualTo(100);
    assertThat(expect(a.send("GET", "/tasks?limit=500", null), 200).isArray()).isTrue();
    assertThat(a.send("GET", "/tasks?limit=501", null).status()).isEqualTo(422);
    assertThat(a.send("GET", "/tasks?limit=0", null).status()).isEqualTo(422);
    assertThat(a.send("GET", "/tasks?offset=-1", null).status()).isEqualTo(422);
    assertThat(a.send("GET", "/tasks?limit=ten", null).status()).isEqualTo(422);
  }

  @Test
  void theDefaultPageIs100() {
    Actor a = fleet.worker("hundred");
    for (int i = 0; i < 101; i++) {
      Fleet.task(a, "n" + i);
    }
    assertThat(a.client().tasks().list()).hasSize(100);
    Page<Task> page = a.client().tasks().page(TaskQuery.create());
    assertThat(page.total()).isEqualTo(101);
    assertThat(page.nextOffset()).isEqualTo(100);
  }

  // ---------------------------------------------------------------- filters

  @Test
  void everyListFilter() {
    Actor admin = fleet.admin();
    Actor a = fleet.worker("filters");
    Actor other = fleet.worker("filters-other");
    long project = admin.client().projects().create("filtered").id();
    long inProject = Fleet.task(a, body("content", "in project", "project_id", project)).get("id").asLong();
    long labelled = Fleet.task(a, body("content", "labelled", "labels", List.of("red", "blue"))).get("id").asLong();
    long onlyRed = Fleet.task(a, body("content", "only red", "labels", List.of("red"))).get("id").asLong();
    long urgent = Fleet.task(a, body("content", "urgent", "priority", 4)).get("id").asLong();
    long assigned = Fleet.task(admin, body("content", "assigned to a", "assigned_to_agent_id", a.id())).get("id").asLong();
    long forOther = Fleet.task(a, body("content", "given away", "assigned_to_agent_id", a.id())).get("id").asLong();
    expect(admin.send("PUT", "/tasks/" + forOther, body("assigned_to_agent_id", other.id())), 200);
    long described = Fleet.task(a, body("content", "plain title", "description", "mentions the Zebra crossing")).get("id").asLong();
    long inProgress = Fleet.task(a, body("content", "moving", "status", "in_progress")).get("id").asLong();
    long done = Fleet.task(a, "done");
    a.client().tasks().complete(done);
    long child = expect(a.send("POST", "/tasks/" + inProject + "/delegate", body("content", "child")), 201).get("id").asLong();
    long grandchild = expect(a.send("POST", "/tasks/" + child + "/delegate", body("content", "grandchild")), 201).get("id").asLong();
    long claimed = Fleet.task(a, "claimed");
    long leaseEnd = CLOCK.millis() + 3_600_000;
    SERVER.wiring().database().write(tx -> tx.handle().execute(
        "UPDATE tasks SET claimed_by_agent_id = ?, claimed_at = ?, lease_expires_at = ?, lease_token = 1 WHERE id = ?",
        a.id(), CLOCK.millis(), leaseEnd, claimed));

    TaskQuery all = TaskQuery.create().param("include_completed", "true").limit(500);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().projectId(project)))).containsExactlyInAnyOrder(inProject, child, grandchild);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().label("red")))).containsExactlyInAnyOrder(labelled, onlyRed);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().labels(List.of("red", "blue"))))).containsExactly(labelled);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().status("in_progress")))).containsExactly(inProgress);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().status("delegated")))).containsExactlyInAnyOrder(inProject, child);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().status("completed")))).containsExactly(done);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().completed(true)))).containsExactly(done);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().claimed(true)))).containsExactly(claimed);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().claimed(false)))).doesNotContain(claimed).contains(urgent);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().assignedTo(a.id())))).containsExactly(assigned);
    assertThat(ids(admin.client().tasks().list(TaskQuery.create().assignedTo(other.id())))).containsExactly(forOther);
    assertThat(ids(a.client().tasks().list(all.createdBy(admin.id())))).containsExactly(assigned);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().priority(4)))).containsExactly(urgent);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().search("zebra")))).containsExactly(described);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().search("PLAIN TITLE")))).containsExactly(described);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().parentTaskId(inProject)))).containsExactly(child);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().rootTaskId(inProject)))).containsExactlyInAnyOrder(inProject, child, grandchild);
    assertThat(a.send("GET", "/tasks?priority=5", null).status()).isEqualTo(422);
    assertThat(a.send("GET", "/tasks?status=sleeping", null).status()).isEqualTo(422);
    assertThat(a.send("GET", "/tasks?assigned_to=abc", null).status()).isEqualTo(422);
  }

  /** "Today" is 2026-03-11 in Pacific/Kiritimati while it is still 2026-03-10 in UTC. */
  @Test
  void dueFiltersFollowTheConfiguredZone() {
    Actor a = fleet.worker("zone");
    long utcToday = Fleet.task(a, body("content", "utc today", "due_date", "2026-03-10")).get("id").asLong();
    long zoneToday = Fleet.task(a, body("content", "zone today", "due_date", "2026-03-11")).get("id").asLong();
    long week = Fleet.task(a, body("content", "in a week", "due_date", "2026-03-18")).get("id").asLong();
    long later = Fleet.task(a, body("content", "later", "due_date", "2026-03-19")).get("id").asLong();

    assertThat(ids(a.client().tasks().list(TaskQuery.create().due("overdue")))).containsExactly(utcToday);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().due("today")))).containsExactlyInAnyOrder(utcToday, zoneToday);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().due("upcoming")))).containsExactly(week);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().due("TODAY")))).containsExactlyInAnyOrder(utcToday, zoneToday);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().dueAfter(LocalDate.parse("2026-03-11")))))
        .containsExactlyInAnyOrder(zoneToday, week, later);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().dueBefore(LocalDate.parse("2026-03-11")))))
        .containsExactlyInAnyOrder(utcToday, zoneToday);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().dueAfter(LocalDate.parse("2026-03-11"))
        .dueBefore(LocalDate.parse("2026-03-18"))))).containsExactlyInAnyOrder(zoneToday, week);
    assertThat(a.send("GET", "/tasks?due_after=yesterday", null).status()).isEqualTo(422);
    assertThat(a.client().stats().dueToday()).isEqualTo(1);
    assertThat(a.client().stats().overdue()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- limits

  @Test
  void bodiesOverOneMebibyteAre413AndJustUnderIsFine() {
    Actor a = fleet.worker("big");
    String head = "{\"content\":\"padded\"";
    String under = head + " ".repeat(1024 * 1024 - head.length() - 1) + "}";
    assertThat(under.getBytes(StandardCharsets.UTF_8)).hasSize(1024 * 1024);
    assertThat(a.send("POST", "/tasks", under).status()).isEqualTo(201);

    String over = head + " ".repeat(1024 * 1024 - head.length()) + "}";
    byte[] overBytes = over.getBytes(StandardCharsets.UTF_8);
    RawResponse r = Fleet.sendOversized("POST", SERVER.baseUrl() + "/tasks", a.key(), overBytes, Map.of());
    assertProblem(r, 413, "payload_too_large");
    assertThat(r.json().get("error").asString()).isEqualTo("Request body too large (max 1048576 bytes)");
    assertThat(Fleet.sendOversized("PUT", SERVER.baseUrl() + "/tasks/1", a.key(), overBytes, Map.of()).status()).isEqualTo(413);
    assertThat(Fleet.sendOversized("PATCH", SERVER.baseUrl() + "/tasks/1/context", a.key(), overBytes, Map.of()).status())
        .isEqualTo(413);
  }

  @Test
  void chunkedBodiesOverTheLimitAre413Too() throws Exception {
    Actor a = fleet.worker("chunked");
    byte[] over = ("{\"content\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(URI.create(SERVER.baseUrl() + "/tasks"))
        .header("Content-Type", "application/json")
        .header("X-Agent-Key", a.key())
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(over)))
        .build();

    HttpResponse<String> r = Fleet.http().send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("payload_too_large");
    byte[] fine = "{\"content\":\"chunked but small\"}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> ok = Fleet.http().send(
        HttpRequest.newBuilder(URI.create(SERVER.baseUrl() + "/tasks"))
            .header("Content-Type", "application/json").header("X-Agent-Key", a.key())
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(fine))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(201);
  }

  @Test
  void fieldLimits() {
    Actor a = fleet.worker("fields");
    assertThat(a.send("POST", "/tasks", body("content", "c".repeat(10_000))).status()).isEqualTo(201);
    assertThat(a.send("POST", "/tasks", body("content", "c".repeat(10_001))).status()).isEqualTo(422);
    assertThat(a.send("POST", "/tasks", body("content", "d", "description", "d".repeat(50_000))).status()).isEqualTo(201);
    assertThat(a.send("POST", "/tasks", body("content", "d", "description", "d".repeat(50_001))).status()).isEqualTo(422);
    String blob = "v".repeat(256 * 1024 - 20);
    assertThat(a.send("POST", "/tasks", body("content", "ctx", "context", Map.of("k", blob))).status()).isEqualTo(201);
    String tooBig = "v".repeat(256 * 1024);
    assertThat(a.send("POST", "/tasks", body("content", "ctx", "context", Map.of("k", tooBig))).status()).isEqualTo(413);
    long t = Fleet.task(a, "grows");
    expect(a.send("PATCH", "/tasks/" + t + "/context", body("a", "v".repeat(200 * 1024))), 200);
    RawResponse grows = a.send("PATCH", "/tasks/" + t + "/context", body("b", "v".repeat(100 * 1024)));
    assertThat(grows.status()).as("context is limited as a whole, not per call").isEqualTo(413);
  }

  // ---------------------------------------------------------------- representations

  @Test
  void taskRepresentationCarriesFlatIdsAndNestedAgents() {
    Actor admin = fleet.admin();
    Actor w = fleet.agent("shown", "worker", Map.of("display_name", "Shown W"));
    long project = admin.client().projects().create("represented").id();
    JsonNode t = Fleet.task(admin, body("content", "rep", "project_id", project, "assigned_to_agent_id", w.id()));
    w.client().tasks().complete(id(t));

    RawResponse r = w.send("GET", "/tasks/" + id(t), null);
    JsonNode task = expect(r, 200);

    for (String field : List.of("id", "content", "description", "project_id", "project", "due_date", "due_time",
        "priority", "labels", "status", "completed", "completed_at", "created_at", "updated_at",
        "created_by_agent_id", "created_by_agent", "assigned_to_agent_id", "assigned_to_agent",
        "completed_by_agent_id", "completed_by_agent", "accountable_agent_id", "accountable_agent",
        "claimed_by_agent_id", "parent_task_id", "root_task_id", "delegation_depth", "context", "subtasks",
        "evidence_policy", "completion_evidence", "session_state", "session_state_detail", "lease_expires_at",
        "lease_token", "handoff_note", "handoff_state", "blocked_by", "next_occurrence", "source_ingress_id",
        "version")) {
      assertThat(task.has(field)).as(field).isTrue();
    }
    assertThat(task.get("created_by_agent_id").asLong()).isEqualTo(admin.id());
    assertThat(task.get("assigned_to_agent_id").asLong()).isEqualTo(w.id());
    assertThat(task.get("completed_by_agent_id").asLong()).isEqualTo(w.id());
    JsonNode nested = task.get("assigned_to_agent");
    assertThat(nested.propertyNames()).containsExactlyInAnyOrder("id", "name", "display_name");
    assertThat(nested.get("display_name").asString()).isEqualTo("Shown W");
    assertThat(task.get("created_by_agent").propertyNames()).containsExactlyInAnyOrder("id", "name", "display_name");
    assertThat(task.get("project").get("id").asLong()).isEqualTo(project);
    assertThat(task.get("project").get("name").asString()).isEqualTo("represented");
    assertThat(task.get("labels").isArray()).isTrue();
    assertThat(task.get("blocked_by").isArray()).isTrue();
    assertThat(r.header("ETag")).contains("\"" + task.get("version").asLong() + "\"");
  }

  @Test
  void usageIsSelfHostedWithoutLimitsAndRealCounts() {
    Actor admin = fleet.admin();
    Fleet.task(admin, "counted");
    admin.client().projects().create("counted");

    JsonNode raw = expect(admin.send("GET", "/usage", null), 200);
    Usage u = admin.client().usage();

    assertThat(u.plan()).isEqualTo("self-hosted");
    for (String limit : List.of("task_limit", "limit", "agent_limit", "webhook_limit", "project_limit")) {
      assertThat(raw.has(limit)).as(limit).isTrue();
      assertThat(raw.get(limit).isNull()).as(limit).isTrue();
    }
    long tasks = SERVER.wiring().database().read(h -> h.createQuery("SELECT COUNT(*) FROM tasks").mapTo(Long.class).one());
    long agents = SERVER.wiring().database().read(h -> h.createQuery("SELECT COUNT(*) FROM agents").mapTo(Long.class).one());
    long projects = SERVER.wiring().database().read(h -> h.createQuery("SELECT COUNT(*) FROM projects").mapTo(Long.class).one());
    assertThat(u.taskCount()).isEqualTo(tasks);
    assertThat(u.agentCount()).isEqualTo(agents);
    assertThat(u.projectCount()).isEqualTo(projects);
    assertThat(u.maxContentChars()).isEqualTo(10_000);
    assertThat(u.resetDate()).isEqualTo("2026-04-01");
  }

  @Test
  void whoAmIWrapsTheAgent() {
    Actor w = fleet.worker("me");
    JsonNode me = expect(w.send("GET", "/agent/me", null), 200);
    assertThat(me.propertyNames()).contains("agent");
    assertThat(me.get("agent").get("id").asLong()).isEqualTo(w.id());
    assertThat(me.get("agent").get("name").asString()).isEqualTo(w.name());
    assertThat(me.get("agent").get("role").asString()).isEqualTo("worker");
    assertThat(me.get("agent").get("active").asBoolean()).isTrue();
    assertThat(me.get("agent").has("api_key")).isFalse();
  }

  // ---------------------------------------------------------------- keys

  @Test
  void keysAreShownOnceAndWorkAsBearerOrAgentKey() {
    Actor admin = fleet.admin();
    Agent created = admin.client().agents().create(NewAgent.of(Fleet.unique("keys")));
    String key = created.apiKey();
    assertThat(key).matches("dlg_[A-Za-z0-9_-]{43}");

    DelegaClient bearer = DelegaClient.builder().baseUrl(SERVER.baseUrl()).apiKey(key)
        .authScheme(AuthScheme.BEARER).retries(0).httpClient(Fleet.http()).build();
    assertThat(bearer.me().agent().id()).isEqualTo(created.id());
    assertThat(fleet.client(key).me().agent().id()).isEqualTo(created.id());
    RawResponse lowerBearer = fleet.anonymous().send("GET", "/agent/me", null, Map.of("Authorization", "bearer " + key));
    assertThat(lowerBearer.status()).isEqualTo(200);

    for (String path : List.of("/agents", "/agents/" + created.id(), "/agent/me", "/tasks", "/stats", "/usage")) {
      assertThat(fleet.client(key).send("GET", path).text()).as(path).doesNotContain(key);
      assertThat(admin.send("GET", path, null).text()).as(path).doesNotContain(key);
    }

    Agent rotated = fleet.client(key).agents().rotateKey(created.id());
    assertThat(rotated.apiKey()).matches("dlg_[A-Za-z0-9_-]{43}").isNotEqualTo(key);
    assertThat(fleet.client(key).send("GET", "/agent/me").status()).isEqualTo(401);
    assertThat(bearer.send("GET", "/agent/me").status()).isEqualTo(401);
    assertThat(fleet.client(rotated.apiKey()).send("GET", "/agent/me").status()).isEqualTo(200);
    assertThat(fleet.client(rotated.apiKey()).send("GET", "/agents/" + created.id()).text()).doesNotContain(rotated.apiKey());
  }

  @Test
  void everyKeyIsDifferent() {
    Actor admin = fleet.admin();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      keys.add(admin.client().agents().create(NewAgent.of(Fleet.unique("many"))).apiKey());
    }
    assertThat(keys).hasSize(20);
  }

  // ---------------------------------------------------------------- CORS (Q5 not reproduced)

  @Test
  void q5_corsPreflightNeedsNoKeyAndErrorsCarryCorsHeaders() {
    DelegaClient keyless = fleet.anonymous();
    Map<String, String> preflight = Map.of("Origin", "http://localhost:5173", "Access-Control-Request-Method", "PUT",
        "Access-Control-Request-Headers", "X-Agent-Key, Content-Type");

    RawResponse p = keyless.send("OPTIONS", "/tasks/1", null, preflight);
    assertThat(p.status()).isIn(200, 204);
    assertThat(p.header("Access-Control-Allow-Origin")).contains("http://localhost:5173");
    assertThat(p.header("Access-Control-Allow-Methods").orElse("")).contains("PUT").contains("PATCH");
    assertThat(p.header("Access-Control-Allow-Headers").orElse("").toLowerCase()).contains("x-agent-key");
    assertThat(p.header("Access-Control-Max-Age")).isPresent();

    RawResponse denied = keyless.send("OPTIONS", "/tasks", null,
        Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "GET"));
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.header("Access-Control-Allow-Origin")).isEmpty();

    Map<String, String> origin = Map.of("Origin", "http://localhost:5173");
    RawResponse unauthorized = keyless.send("GET", "/tasks", null, origin);
    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(unauthorized.header("Access-Control-Allow-Origin")).contains("http://localhost:5173");
    Actor a = fleet.worker("cors");
    byte[] big = new byte[1024 * 1024 + 1];
    RawResponse tooLarge = Fleet.sendOversized("POST", SERVER.baseUrl() + "/tasks", a.key(), big, origin);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.header("Access-Control-Allow-Origin")).contains("http://localhost:5173");
    RawResponse ok = a.send("GET", "/tasks", null, origin);
    assertThat(ok.header("Access-Control-Allow-Origin")).contains("http://localhost:5173");
    assertThat(a.send("GET", "/tasks", null, Map.of("Origin", "https://evil.example")).header("Access-Control-Allow-Origin"))
        .isEmpty();
  }

  @Test
  void staleUpdatesWithIfMatchAre412AndCurrentOnesPass() {
    Actor a = fleet.worker("etag");
    JsonNode t = Fleet.task(a, body("content", "v1"));
    long version = t.get("version").asLong();

    assertThat(a.send("PUT", "/tasks/" + id(t), body("content", "v2"), Map.of("If-Match", "\"" + version + "\"")).status())
        .isEqualTo(200);
    RawResponse stale = a.send("PUT", "/tasks/" + id(t), body("content", "v3"), Map.of("If-Match", "\"" + version + "\""));
    assertThat(stale.status()).isEqualTo(412);
    assertThat(a.client().tasks().get(id(t)).content()).isEqualTo("v2");
  }
}

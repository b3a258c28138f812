package dev.delega.server.conformance;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Agent;
import dev.delega.api.Chain;
import dev.delega.api.Json;
import dev.delega.api.Stats;
import dev.delega.api.Task;
import dev.delega.client.RawResponse;
import dev.delega.client.TaskQuery;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Statements C1–C35 of the reference checklist (reference-server.md §11.2), one test method each
 * (split where a statement makes several independent claims), on one shared server whose clock is
 * fixed at 2026-03-11T12:00Z so "today" is known. Statements the spec or a lead decision changes
 * are adapted and say so. Dedup (C36–C37), webhooks (C38–C44), rate limits (C45), body limits
 * (C46), open mode (C47) and trusted proxies (C48) are in their own classes.
 */
class ReferenceContractTest {
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-11T12:00:00Z"));

  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension().clock(CLOCK);

  private final Fleet fleet = new Fleet(SERVER);

  private static List<Long> ids(List<Task> tasks) {
    return tasks.stream().map(Task::id).toList();
  }

  private static long id(JsonNode node) {
    return node.get("id").asLong();
  }

  // ---------------------------------------------------------------- health and keys (C1–C5)

  @Test
  void c01_healthNeedsNoKey() {
    RawResponse r = fleet.anonymous().send("GET", SERVER.rootUrl() + "/health");

    assertThat(r.status()).isEqualTo(200);
    JsonNode h = r.json();
    assertThat(h.get("ok").asBoolean()).isTrue();
    assertThat(h.get("service").asString()).isEqualTo("delega");
    assertThat(h.get("timestamp").asString()).isEqualTo(Json.format(CLOCK.instant()));
  }

  @Test
  void c02_requestWithoutKeyIs401() {
    fleet.admin();
    RawResponse r = fleet.anonymous().send("GET", "/tasks");

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().get("error").asString()).isEqualTo("X-Agent-Key required (DELEGA_REQUIRE_AUTH is enabled)");
    assertThat(r.json().get("code").asString()).isEqualTo("unauthorized");
  }

  @Test
  void c03_wrongDeactivatedAndRotatedKeysAre401() {
    RawResponse wrong = fleet.client(Fleet.wrongKey()).send("GET", "/tasks");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().get("error").asString()).isEqualTo("Invalid or inactive agent API key");

    Actor deactivated = fleet.deactivated("gone");
    RawResponse d = deactivated.send("GET", "/tasks", null);
    assertThat(d.status()).isEqualTo(401);
    assertThat(d.json().get("error").asString()).isEqualTo("Invalid or inactive agent API key");

    Actor rotated = fleet.worker("rotated");
    Agent fresh = rotated.client().agents().rotateKey(rotated.id());
    RawResponse old = rotated.send("GET", "/tasks", null);
    assertThat(old.status()).isEqualTo(401);
    assertThat(old.json().get("error").asString()).isEqualTo("Invalid or inactive agent API key");
    assertThat(fleet.client(fresh.apiKey()).send("GET", "/tasks").status()).isEqualTo(200);
  }

  @Test
  void c04_successfulRequestUpdatesLastSeenAt() throws InterruptedException {
    Actor a = fleet.worker("seen");
    a.client().tasks().list();

    Instant seen = null;
    for (int i = 0; i < 100 && seen == null; i++) {
      seen = fleet.admin().client().agents().get(a.id()).lastSeenAt();
      if (seen == null) {
        Thread.sleep(50);
      }
    }
    assertThat(seen).isEqualTo(CLOCK.instant());
  }

  @Test
  void c05_keyIsDlgPlus43CharsAndNeverShownAgain() {
    Actor admin = fleet.admin();
    JsonNode created = expect(admin.send("POST", "/agents", body("name", Fleet.unique("keyed"))), 201);
    String key = created.get("api_key").asString();

    assertThat(key).startsWith("dlg_").hasSize(47).matches("dlg_[A-Za-z0-9_-]{43}");
    JsonNode fetched = expect(admin.send("GET", "/agents/" + id(created), null), 200);
    assertThat(fetched.has("api_key")).isFalse();
    assertThat(fetched.toString()).doesNotContain(key);
    assertThat(expect(admin.send("GET", "/agents", null), 200).toString()).doesNotContain(key);
    assertThat(expect(fleet.client(key).send("GET", "/agent/me"), 200).toString()).doesNotContain(key);
  }

  // ---------------------------------------------------------------- agents (C6–C12)

  @Test
  void c06_newAgentsAreNotAdminsUnlessAskedAndAdminsCanMintAdmins() {
    Actor admin = fleet.admin();
    JsonNode plain = expect(admin.send("POST", "/agents", body("name", Fleet.unique("plain"))), 201);
    JsonNode boss = expect(admin.send("POST", "/agents", body("name", Fleet.unique("boss"), "is_admin", true)), 201);

    assertThat(plain.get("is_admin").asBoolean()).isFalse();
    assertThat(plain.get("role").asString()).isEqualTo("worker");
    assertThat(boss.get("is_admin").asBoolean()).isTrue();
    assertThat(boss.get("role").asString()).isEqualTo("admin");
    assertThat(fleet.client(boss.get("api_key").asString()).send("GET", "/agents").status()).isEqualTo(200);
  }

  @Test
  void c07_duplicateNamesAndRenamesOntoTakenNamesAre409() {
    Actor admin = fleet.admin();
    Actor a = fleet.worker("dup");
    Actor b = fleet.worker("dup");

    RawResponse same = admin.send("POST", "/agents", body("name", a.name()));
    RawResponse otherCase = admin.send("POST", "/agents", body("name", a.name().toUpperCase()));
    RawResponse rename = admin.send("PUT", "/agents/" + b.id(), body("name", a.name()));

    assertThat(same.status()).isEqualTo(409);
    assertThat(same.json().get("code").asString()).isEqualTo("conflict");
    assertThat(otherCase.status()).as("names are unique case-insensitively").isEqualTo(409);
    assertThat(rename.status()).isEqualTo(409);
    assertThat(admin.client().agents().get(b.id()).name()).isEqualTo(b.name());
  }

  @Test
  void c08_plainAgentMayReadItselfButNotOthers() {
    Actor a = fleet.worker("self");
    Actor other = fleet.worker("other");

    assertThat(a.send("GET", "/agents/" + other.id(), null).status()).isEqualTo(403);
    JsonNode self = expect(a.send("GET", "/agents/" + a.id(), null), 200);
    assertThat(self.get("open_task_count").asInt()).isZero();
    assertThat(self.get("name").asString()).isEqualTo(a.name());
  }

  @Test
  void c09_nonAdminSelfUpdateIsLimitedToDisplayNameAndDescription() {
    Actor a = fleet.worker("selfedit");

    JsonNode ok = expect(a.send("PUT", "/agents/" + a.id(), body("display_name", "Me", "description", "mine")), 200);
    assertThat(ok.get("display_name").asString()).isEqualTo("Me");
    assertThat(ok.get("description").asString()).isEqualTo("mine");
    assertThat(a.send("PUT", "/agents/" + a.id(), body("name", Fleet.unique("renamed"))).status()).isEqualTo(403);
    assertThat(a.send("PUT", "/agents/" + a.id(), body("is_admin", true)).status()).isEqualTo(403);
    assertThat(a.send("PUT", "/agents/" + a.id(), body("role", "coordinator")).status()).isEqualTo(403);
    assertThat(a.client().me().agent().isAdmin()).isFalse();
  }

  @Test
  void c10_adminDeletesOthersButNotItselfAndTheirTasksRemain() {
    Actor admin = fleet.admin();
    Actor doomed = fleet.worker("doomed");
    long task = Fleet.task(doomed, "survives");

    RawResponse self = admin.send("DELETE", "/agents/" + admin.id(), null);
    assertThat(self.status()).isEqualTo(409);

    JsonNode deleted = expect(admin.send("DELETE", "/agents/" + doomed.id(), null), 200);
    assertThat(deleted.get("ok").asBoolean()).isTrue();
    assertThat(deleted.get("deleted").asLong()).isEqualTo(doomed.id());
    Task t = admin.client().tasks().get(task);
    assertThat(t.createdByAgent()).isNull();
    assertThat(t.createdByAgentId()).isNull();
    assertThat(admin.send("GET", "/agents/" + doomed.id(), null).status()).isEqualTo(404);
  }

  @Test
  void c11_agentsRotateTheirOwnKeyButNotOthers() {
    Actor a = fleet.worker("rot");
    Actor other = fleet.worker("rot");

    Agent rotated = a.client().agents().rotateKey(a.id());
    assertThat(rotated.apiKey()).startsWith("dlg_").isNotEqualTo(a.key());

    RawResponse foreign = fleet.client(rotated.apiKey()).send("POST", "/agents/" + other.id() + "/rotate-key");
    assertThat(foreign.status()).as(foreign.toString()).isEqualTo(403);
    assertThat(other.send("GET", "/agent/me", null).status()).isEqualTo(200);
  }

  @Test
  void c12_keylessRegistrationOnceAnAgentExistsIs401() {
    fleet.admin();
    RawResponse r = fleet.anonymous().send("POST", "/agents", body("name", Fleet.unique("sneaky")));
    assertThat(r.status()).isEqualTo(401);
  }

  // ---------------------------------------------------------------- task creation (C13–C16)

  @Test
  void c13_createDefaults() {
    Actor a = fleet.worker("defaults");
    JsonNode t = Fleet.task(a, body("content", "defaults"));

    assertThat(t.get("priority").asInt()).isEqualTo(1);
    assertThat(t.get("labels").size()).isZero();
    assertThat(t.get("completed").asBoolean()).isFalse();
    assertThat(t.get("status").asString()).isEqualTo("open");
    assertThat(t.get("is_recurring").asBoolean()).isFalse();
    assertThat(t.get("context").isNull()).isTrue();
    assertThat(t.get("subtasks").size()).isZero();
    assertThat(t.get("created_by_agent").get("id").asLong()).isEqualTo(a.id());
    assertThat(t.get("created_by_agent_id").asLong()).isEqualTo(a.id());
  }

  /** Adapted to the spec: content may have up to 10,000 characters (reference 2,000). */
  @Test
  void c14_contentOf10001CharsIs422() {
    Actor a = fleet.worker("limits");
    assertThat(a.send("POST", "/tasks", body("content", "x".repeat(10_001))).status()).isEqualTo(422);
    assertThat(a.send("POST", "/tasks", body("content", "x".repeat(10_000))).status()).isEqualTo(201);
  }

  @Test
  void c14_priority0Or5Is422() {
    Actor a = fleet.worker("limits");
    assertThat(a.send("POST", "/tasks", body("content", "p", "priority", 0)).status()).isEqualTo(422);
    assertThat(a.send("POST", "/tasks", body("content", "p", "priority", 5)).status()).isEqualTo(422);
    assertThat(a.send("POST", "/tasks", body("content", "p", "priority", 4)).status()).isEqualTo(201);
  }

  @Test
  void c14_51LabelsIs422() {
    Actor a = fleet.worker("limits");
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      labels.add("l" + i);
    }
    assertThat(a.send("POST", "/tasks", body("content", "l", "labels", labels)).status()).isEqualTo(422);
    assertThat(a.send("POST", "/tasks", body("content", "l", "labels", labels.subList(0, 50))).status()).isEqualTo(201);
  }

  /** Adapted to the spec: description may have up to 50,000 characters (reference 10,000). */
  @Test
  void c14_descriptionOf50001CharsIs422() {
    Actor a = fleet.worker("limits");
    assertThat(a.send("POST", "/tasks", body("content", "d", "description", "y".repeat(50_001))).status()).isEqualTo(422);
    assertThat(a.send("POST", "/tasks", body("content", "d", "description", "y".repeat(50_000))).status()).isEqualTo(201);
  }

  @Test
  void c15_recurringTypeIsNormalised() {
    JsonNode t = Fleet.task(fleet.worker("rec"), body("content", "r", "recurring_type", "Week "));
    assertThat(t.get("recurring_type").asString()).isEqualTo("weekly");
  }

  /** Changed by a lead decision: non-admins may attach their tasks to existing projects. */
  @Test
  void c16_nonAdminCreateRules() {
    Actor a = fleet.worker("creator");
    Actor other = fleet.worker("other");
    long project = fleet.admin().client().projects().create("C16").id();

    assertThat(a.send("POST", "/tasks", body("content", "p", "project_id", project)).status()).isEqualTo(201);
    assertThat(a.send("POST", "/tasks", body("content", "p", "project_id", 987654)).status()).isEqualTo(422);
    RawResponse foreign = a.send("POST", "/tasks", body("content", "p", "assigned_to_agent_id", other.id()));
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.json().get("code").asString()).isEqualTo("forbidden");
    assertThat(a.send("POST", "/tasks", body("content", "p", "assigned_to_agent_id", a.id())).status()).isEqualTo(201);
  }

  // ---------------------------------------------------------------- assignment and access (C17–C19)

  @Test
  void c17_assigningATaskMakesItVisibleAndMutableToTheAssignee() {
    Actor admin = fleet.admin();
    Actor a = fleet.worker("assignee");
    long t = Fleet.task(admin, "later assigned");
    assertThat(a.send("GET", "/tasks/" + t, null).status()).isEqualTo(404);

    expect(admin.send("PUT", "/tasks/" + t, body("assigned_to_agent_id", a.id())), 200);

    assertThat(a.send("GET", "/tasks/" + t, null).status()).isEqualTo(200);
    assertThat(a.send("PUT", "/tasks/" + t, body("description", "working on it")).status()).isEqualTo(200);
  }

  @Test
  void c18_assigneeMayUpdateCompleteAndDelete() {
    Actor admin = fleet.admin();
    Actor a = fleet.worker("assignee");
    long t = Fleet.task(admin, body("content", "yours", "assigned_to_agent_id", a.id())).get("id").asLong();

    assertThat(a.send("PUT", "/tasks/" + t, body("content", "mine now")).status()).isEqualTo(200);
    assertThat(a.send("POST", "/tasks/" + t + "/complete", null).status()).isEqualTo(200);
    assertThat(a.send("DELETE", "/tasks/" + t, null).status()).isEqualTo(200);
    assertThat(admin.send("GET", "/tasks/" + t, null).status()).isEqualTo(404);
  }

  @Test
  void c19_formerAssigneeWhoCompletedStillSeesButCannotChange() {
    Actor admin = fleet.admin();
    Actor a = fleet.worker("former");
    long t = Fleet.task(admin, body("content", "done by a", "assigned_to_agent_id", a.id())).get("id").asLong();
    a.client().tasks().complete(t);
    expect(admin.send("PUT", "/tasks/" + t, body("assigned_to_agent_id", null)), 200);

    assertThat(a.send("GET", "/tasks/" + t, null).status()).isEqualTo(200);
    assertThat(a.send("PUT", "/tasks/" + t, body("content", "nope")).status()).isEqualTo(403);
    assertThat(a.send("POST", "/tasks/" + t + "/complete", null).status()).isEqualTo(403);
    assertThat(a.send("DELETE", "/tasks/" + t, null).status()).isEqualTo(403);
  }

  // ---------------------------------------------------------------- listing (C20–C23)

  @Test
  void c20_completedFilters() {
    Actor a = fleet.worker("lister");
    long open = Fleet.task(a, "open");
    long done = Fleet.task(a, "done");
    a.client().tasks().complete(done);

    assertThat(ids(a.client().tasks().list())).containsExactly(open);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().completed(true)))).containsExactly(done);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().param("include_completed", "true"))))
        .containsExactlyInAnyOrder(open, done);
    RawResponse bad = a.send("GET", "/tasks?completed=maybe", null);
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().get("error").asString()).contains("completed");
  }

  /**
   * Adapted to the spec: priority 4 is urgent and sorts first (the reference sorted 1 first while
   * calling it low). Then due date ascending with no date last, then newest first.
   */
  @Test
  void c21_listOrder() {
    Actor a = fleet.worker("order");
    long olderNoDue = Fleet.task(a, body("content", "p1 none old")).get("id").asLong();
    CLOCK.advance(Duration.ofSeconds(1));
    long urgent = Fleet.task(a, body("content", "p4", "priority", 4)).get("id").asLong();
    CLOCK.advance(Duration.ofSeconds(1));
    long due20 = Fleet.task(a, body("content", "p1 due 20", "due_date", "2026-03-20")).get("id").asLong();
    CLOCK.advance(Duration.ofSeconds(1));
    long due15 = Fleet.task(a, body("content", "p1 due 15", "due_date", "2026-03-15")).get("id").asLong();
    CLOCK.advance(Duration.ofSeconds(1));
    long newerNoDue = Fleet.task(a, body("content", "p1 none new")).get("id").asLong();
    CLOCK.advance(Duration.ofSeconds(1));
    long completed = Fleet.task(a, body("content", "done p4", "priority", 4)).get("id").asLong();
    a.client().tasks().complete(completed);
    CLOCK.advance(Duration.ofSeconds(1));
    long p2 = Fleet.task(a, body("content", "p2", "priority", 2)).get("id").asLong();

    List<Long> order = ids(a.client().tasks().list(TaskQuery.create().param("include_completed", "true")));

    assertThat(order).containsExactly(urgent, p2, due15, due20, newerNoDue, olderNoDue, completed);
  }

  /**
   * Adapted: "today" is the server's date in DELEGA_TIMEZONE (UTC here), and an unknown {@code due}
   * value is a 422 (lead decision) instead of being ignored.
   */
  @Test
  void c22_dueFilters() {
    Actor a = fleet.worker("due");
    long yesterday = Fleet.task(a, body("content", "y", "due_date", "2026-03-10")).get("id").asLong();
    long today = Fleet.task(a, body("content", "t", "due_date", "2026-03-11")).get("id").asLong();
    long in4 = Fleet.task(a, body("content", "4", "due_date", "2026-03-15")).get("id").asLong();
    long in7 = Fleet.task(a, body("content", "7", "due_date", "2026-03-18")).get("id").asLong();
    long in8 = Fleet.task(a, body("content", "8", "due_date", "2026-03-19")).get("id").asLong();
    long doneYesterday = Fleet.task(a, body("content", "dy", "due_date", "2026-03-10")).get("id").asLong();
    a.client().tasks().complete(doneYesterday);
    Fleet.task(a, "no date");

    assertThat(ids(a.client().tasks().list(TaskQuery.create().due("today")))).containsExactlyInAnyOrder(yesterday, today);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().due("overdue")))).containsExactly(yesterday);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().due("upcoming")))).containsExactlyInAnyOrder(in4, in7);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().due("upcoming")))).doesNotContain(in8, today);
    assertThat(a.send("GET", "/tasks?due=someday", null).status()).isEqualTo(422);
  }

  @Test
  void c23_labelFilterMatchesWholeLabels() {
    Actor a = fleet.worker("labels");
    long x = Fleet.task(a, body("content", "x", "labels", List.of("x"))).get("id").asLong();
    Fleet.task(a, body("content", "xy", "labels", List.of("xy")));
    long ax = Fleet.task(a, body("content", "ax", "labels", List.of("a", "x"))).get("id").asLong();
    Fleet.task(a, body("content", "none"));

    assertThat(ids(a.client().tasks().list(TaskQuery.create().label("x")))).containsExactlyInAnyOrder(x, ax);
  }

  // ---------------------------------------------------------------- fields (C24–C25)

  @Test
  void c24_settingReminderTimeResetsReminderSent() {
    Actor a = fleet.worker("remind");
    long t = Fleet.task(a, body("content", "r", "reminder_time", "2026-03-12T09:00:00Z")).get("id").asLong();
    SERVER.wiring().database().write(tx -> tx.handle().execute("UPDATE tasks SET reminder_sent = TRUE WHERE id = ?", t));
    assertThat(a.client().tasks().get(t).reminderSent()).isTrue();

    JsonNode after = expect(a.send("PUT", "/tasks/" + t, body("reminder_time", "2026-03-13T09:00:00+02:00")), 200);

    assertThat(after.get("reminder_sent").asBoolean()).isFalse();
    assertThat(after.get("reminder_time").asString()).isEqualTo("2026-03-13T07:00:00.000Z");
  }

  /**
   * Adapted to the spec: PATCH and GET /context answer {context, version}; a null value deletes the
   * key; a JSON array body is refused as 400 invalid_json (reference: 422).
   */
  @Test
  void c25_contextReplaceMergeAndRead() {
    Actor a = fleet.worker("ctx");
    long t = Fleet.task(a, "ctx");

    JsonNode empty = expect(a.send("GET", "/tasks/" + t + "/context", null), 200);
    assertThat(empty.get("context").size()).isZero();
    assertThat(empty.get("version").asLong()).isZero();

    expect(a.send("PUT", "/tasks/" + t, body("context", Map.of("a", 1, "b", 2))), 200);
    expect(a.send("PUT", "/tasks/" + t, body("context", Map.of("c", 3))), 200);
    assertThat(expect(a.send("GET", "/tasks/" + t + "/context", null), 200).get("context").propertyNames())
        .containsExactly("c");

    JsonNode merged = expect(a.send("PATCH", "/tasks/" + t + "/context", body("d", Map.of("n", 1), "c", null)), 200);
    assertThat(merged.get("context").propertyNames()).containsExactly("d");
    assertThat(merged.get("version").asLong()).isGreaterThan(empty.get("version").asLong());

    RawResponse array = a.send("PATCH", "/tasks/" + t + "/context", "[1,2]");
    assertThat(array.status()).isEqualTo(400);
    assertThat(array.json().get("code").asString()).isEqualTo("invalid_json");
  }

  // ---------------------------------------------------------------- delegation (C26–C30)

  @Test
  void c26_delegateMarksTheParentAndChecksTheAssignee() {
    Actor a = fleet.worker("boss");
    Actor other = fleet.worker("other");
    long parent = Fleet.task(a, "parent");

    JsonNode child = expect(a.send("POST", "/tasks/" + parent + "/delegate", body("content", "child")), 201);
    assertThat(child.get("created_by_agent").get("id").asLong()).isEqualTo(a.id());
    assertThat(a.client().tasks().get(parent).status()).isEqualTo("delegated");

    RawResponse toOther =
        a.send("POST", "/tasks/" + parent + "/delegate", body("content", "c", "assigned_to_agent_id", other.id()));
    assertThat(toOther.status()).isEqualTo(403);
    RawResponse toSelf =
        a.send("POST", "/tasks/" + parent + "/delegate", body("content", "c", "assigned_to_agent_id", a.id()));
    assertThat(toSelf.status()).isEqualTo(201);
  }

  /** Adapted to the spec: depth is capped by DELEGA_MAX_DELEGATION_DEPTH (default 10): 422 beyond. */
  @Test
  void c27_depthGrowsByOnePerLevelUpToTheMaximum() {
    Actor a = fleet.worker("deep");
    long root = Fleet.task(a, "level 0");
    long current = root;
    for (int level = 1; level <= 10; level++) {
      JsonNode child = expect(a.send("POST", "/tasks/" + current + "/delegate", body("content", "level " + level)), 201);
      assertThat(child.get("delegation_depth").asInt()).isEqualTo(level);
      assertThat(child.get("root_task_id").asLong()).isEqualTo(root);
      current = id(child);
    }
    RawResponse tooDeep = a.send("POST", "/tasks/" + current + "/delegate", body("content", "level 11"));
    assertThat(tooDeep.status()).isEqualTo(422);
    assertThat(tooDeep.json().get("error").asString()).contains("DELEGA_MAX_DELEGATION_DEPTH");
  }

  @Test
  void c28_chainFromAnyMemberIsTheWholeTree() {
    Actor a = fleet.worker("chain");
    long root = Fleet.task(a, "root");
    CLOCK.advance(Duration.ofSeconds(1));
    long b1 = id(expect(a.send("POST", "/tasks/" + root + "/delegate", body("content", "b1")), 201));
    CLOCK.advance(Duration.ofSeconds(1));
    long b2 = id(expect(a.send("POST", "/tasks/" + root + "/delegate", body("content", "b2")), 201));
    CLOCK.advance(Duration.ofSeconds(1));
    long g1 = id(expect(a.send("POST", "/tasks/" + b1 + "/delegate", body("content", "g1")), 201));
    a.client().tasks().complete(g1);

    for (long member : List.of(root, b1, b2, g1)) {
      Chain chain = a.client().tasks().chain(member);
      assertThat(chain.rootId()).isEqualTo(root);
      assertThat(chain.root().id()).isEqualTo(root);
      assertThat(ids(chain.chain())).containsExactly(root, b1, b2, g1);
      assertThat(chain.depth()).isEqualTo(2);
      assertThat(chain.totalCount()).isEqualTo(4);
      assertThat(chain.completedCount()).isEqualTo(1);
    }
  }

  @Test
  void c29_childrenAreOnlyDirectChildren() {
    Actor a = fleet.worker("kids");
    long root = Fleet.task(a, "root");
    long child = id(expect(a.send("POST", "/tasks/" + root + "/delegate", body("content", "child")), 201));
    expect(a.send("POST", "/tasks/" + child + "/delegate", body("content", "grandchild")), 201);

    assertThat(ids(a.client().tasks().children(root))).containsExactly(child);
  }

  @Test
  void c30_parentMustBeVisibleAndMutable() {
    Actor a = fleet.worker("p");
    Actor reader = fleet.reader("r");
    long hidden = Fleet.task(fleet.worker("owner"), "not yours");

    assertThat(a.send("POST", "/tasks", body("content", "c", "parent_task_id", hidden)).status()).isEqualTo(404);
    assertThat(reader.send("POST", "/tasks", body("content", "c", "parent_task_id", hidden)).status()).isEqualTo(403);
  }

  // ---------------------------------------------------------------- recurrence, subtasks, comments (C31–C33)

  private List<Task> tasksWithContent(Actor a, String content) {
    return a.client().tasks().list(TaskQuery.create().param("include_completed", "true").limit(500)).stream()
        .filter(t -> t.content().equals(content))
        .toList();
  }

  /** Q7 is not reproduced: completing an already completed recurring task spawns nothing more. */
  @Test
  void c31_completingARecurringTaskSpawnsTheNextOccurrence() {
    Actor a = fleet.worker("rec");
    String daily = Fleet.unique("daily");
    long t = Fleet.task(a, body("content", daily, "is_recurring", true, "recurring_type", "daily",
        "recurring_interval", 3, "due_date", "2026-03-11")).get("id").asLong();

    a.client().tasks().complete(t);
    a.client().tasks().complete(t);

    List<Task> all = tasksWithContent(a, daily);
    assertThat(all).hasSize(2);
    Task next = all.stream().filter(x -> x.id() != t).findFirst().orElseThrow();
    assertThat(next.dueDate()).isEqualTo("2026-03-14");
    assertThat(next.completed()).isFalse();
    assertThat(next.isRecurring()).isTrue();

    String monthly = Fleet.unique("monthly");
    long m = Fleet.task(a, body("content", monthly, "is_recurring", true, "recurring_type", "monthly",
        "due_date", "2026-01-31")).get("id").asLong();
    a.client().tasks().complete(m);
    assertThat(tasksWithContent(a, monthly)).extracting(Task::dueDate).containsExactlyInAnyOrder("2026-01-31", "2026-02-28");
  }

  @Test
  void c32_subtaskOrderToggleAndPairing() {
    Actor a = fleet.worker("sub");
    long t = Fleet.task(a, "with steps");
    long other = Fleet.task(a, "other");
    List<Long> subs = new ArrayList<>();
    for (String s : List.of("one", "two", "three")) {
      JsonNode st = expect(a.send("POST", "/tasks/" + t + "/subtasks", body("content", s)), 201);
      assertThat(st.get("sort_order").asInt()).isEqualTo(subs.size());
      subs.add(id(st));
    }

    assertThat(a.client().tasks().toggleSubtask(t, subs.get(1)).completed()).isTrue();
    assertThat(a.client().tasks().toggleSubtask(t, subs.get(1)).completed()).isFalse();
    RawResponse wrong = a.send("POST", "/tasks/" + other + "/subtasks/" + subs.get(0) + "/toggle", null);
    assertThat(wrong.status()).isEqualTo(404);
    assertThat(wrong.json().get("error").asString()).isEqualTo("SubTask not found");
  }

  /**
   * Changed by a lead decision: coordinators (tasks.comment_all) comment on every task; workers
   * still need to be creator or assignee.
   */
  @Test
  void c33_commentRules() {
    Actor owner = fleet.worker("owner");
    Actor reader = fleet.reader("reader");
    Actor coordinator = fleet.coordinator("coord");
    long t = Fleet.task(owner, "discuss");
    long other = Fleet.task(owner, "other");

    assertThat(reader.send("POST", "/tasks/" + t + "/comments", body("content", "hi")).status()).isEqualTo(403);
    assertThat(coordinator.send("POST", "/tasks/" + t + "/comments", body("content", "hi")).status()).isEqualTo(201);
    assertThat(owner.send("POST", "/tasks/" + t + "/comments", body("content", "x".repeat(5001))).status()).isEqualTo(422);
    assertThat(owner.send("POST", "/tasks/" + t + "/comments", body("content", "ok", "author", "a".repeat(101))).status())
        .isEqualTo(422);
    long comment = id(expect(owner.send("POST", "/tasks/" + t + "/comments", body("content", "mine")), 201));
    RawResponse wrong = owner.send("DELETE", "/tasks/" + other + "/comments/" + comment, null);
    assertThat(wrong.status()).isEqualTo(404);
    assertThat(wrong.json().get("error").asString()).isEqualTo("Comment not found");
    assertThat(owner.client().tasks().comments(t)).hasSize(2);
  }

  // ---------------------------------------------------------------- projects, stats (C34–C35)

  /**
   * Changed by a lead decision: every agent reads projects; admins and coordinators manage them;
   * workers get 403 on create, update and delete.
   */
  @Test
  void c34_projectRulesAndDeleteDetachesTasks() {
    Actor admin = fleet.admin();
    Actor worker = fleet.worker("w");
    long p = admin.client().projects().create("C34").id();
    long t = Fleet.task(worker, body("content", "in p", "project_id", p)).get("id").asLong();

    assertThat(worker.send("GET", "/projects", null).status()).isEqualTo(200);
    assertThat(worker.send("GET", "/projects/" + p, null).status()).isEqualTo(200);
    assertThat(worker.send("POST", "/projects", body("name", "no")).status()).isEqualTo(403);
    assertThat(worker.send("PUT", "/projects/" + p, body("name", "no")).status()).isEqualTo(403);
    assertThat(worker.send("DELETE", "/projects/" + p, null).status()).isEqualTo(403);

    JsonNode deleted = expect(admin.send("DELETE", "/projects/" + p, null), 200);
    assertThat(deleted.get("ok").asBoolean()).isTrue();
    Task after = worker.client().tasks().get(t);
    assertThat(after.projectId()).isNull();
    assertThat(after.project()).isNull();
  }

  @Test
  void c35_statsFieldsScopeAndInbox() {
    Actor a = fleet.worker("stats");
    String projectName = Fleet.unique("Proj");
    long p = fleet.admin().client().projects().create(projectName).id();
    Fleet.task(a, body("content", "inbox", "due_date", "2026-03-11"));
    Fleet.task(a, body("content", "in project", "project_id", p, "due_date", "2026-03-01"));
    Fleet.task(a, body("content", "soon", "due_date", "2026-03-13"));
    long done = Fleet.task(a, "done");
    a.client().tasks().complete(done);

    JsonNode raw = expect(a.send("GET", "/stats", null), 200);
    for (String field : List.of("total", "total_tasks", "completed_tasks", "pending_tasks", "completed_today",
        "due_today", "overdue", "upcoming", "total_completed", "by_project", "total_agents", "active_agents")) {
      assertThat(raw.has(field)).as(field).isTrue();
    }
    Stats s = a.client().stats();
    assertThat(s.total()).isEqualTo(3);
    assertThat(s.totalTasks()).isEqualTo(3);
    assertThat(s.pendingTasks()).isEqualTo(3);
    assertThat(s.completedTasks()).isEqualTo(1);
    assertThat(s.totalCompleted()).isEqualTo(1);
    assertThat(s.completedToday()).isEqualTo(1);
    assertThat(s.dueToday()).isEqualTo(1);
    assertThat(s.overdue()).isEqualTo(1);
    assertThat(s.upcoming()).isEqualTo(1);
    assertThat(s.byProject()).containsExactlyInAnyOrderEntriesOf(Map.of("Inbox", 2L, projectName, 1L));
    assertThat(s.totalAgents()).isGreaterThanOrEqualTo(2);
    assertThat(s.activeAgents()).isLessThanOrEqualTo(s.totalAgents()).isPositive();
  }
}

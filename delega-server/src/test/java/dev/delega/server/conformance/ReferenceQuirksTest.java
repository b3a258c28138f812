package dev.delega.server.conformance;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Chain;
import dev.delega.api.Event;
import dev.delega.api.Task;
import dev.delega.client.RawResponse;
import dev.delega.client.TaskQuery;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The reference server's quirks (reference-server.md §11.2 Q3–Q10) and weaknesses (§12) that this
 * server must NOT reproduce, each as a test of the behaviour that replaces it. Q1 is in {@link
 * BootstrapChecklistTest}, Q2 in {@link OpenModeChecklistTest}, Q5 in {@link ConventionsTest}; Q11
 * needs a server fault and has no black-box test.
 */
class ReferenceQuirksTest {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  private final Fleet fleet = new Fleet(SERVER);

  private static List<Long> ids(List<Task> tasks) {
    return tasks.stream().map(Task::id).toList();
  }

  @Test
  void q3_danglingProjectOrAssigneeIs422NotACrash() {
    Actor admin = fleet.admin();
    long t = Fleet.task(admin, "real");

    for (RawResponse r : List.of(
        admin.send("POST", "/tasks", body("content", "x", "project_id", 987654)),
        admin.send("POST", "/tasks", body("content", "x", "assigned_to_agent_id", 987654)),
        admin.send("PUT", "/tasks/" + t, body("project_id", 987654)),
        admin.send("PUT", "/tasks/" + t, body("assigned_to_agent_id", 987654)),
        admin.send("POST", "/tasks/" + t + "/delegate", body("content", "c", "assigned_to_agent_id", 987654)))) {
      assertThat(r.status()).as(r.toString()).isEqualTo(422);
      assertThat(r.json().get("code").asString()).isEqualTo("validation_failed");
    }
  }

  @Test
  void q4_explicitNullsForRequiredFieldsAre422() {
    Actor admin = fleet.admin();
    long t = Fleet.task(admin, "real");
    long sub = expect(admin.send("POST", "/tasks/" + t + "/subtasks", body("content", "s")), 201).get("id").asLong();
    long project = admin.client().projects().create("nulls").id();
    Actor agent = fleet.worker("nulls");

    for (RawResponse r : List.of(
        admin.send("POST", "/tasks", body("content", null)),
        admin.send("PUT", "/tasks/" + t, body("content", null)),
        admin.send("PUT", "/tasks/" + t, body("completed", null)),
        admin.send("PUT", "/tasks/" + t, body("priority", null)),
        admin.send("POST", "/agents", body("name", null)),
        admin.send("PUT", "/agents/" + agent.id(), body("name", null)),
        admin.send("PUT", "/agents/" + agent.id(), body("is_admin", null)),
        admin.send("PUT", "/agents/" + agent.id(), body("active", null)),
        admin.send("POST", "/projects", body("name", null)),
        admin.send("PUT", "/projects/" + project, body("name", null)),
        admin.send("POST", "/tasks/" + t + "/subtasks", body("content", null)),
        admin.send("PUT", "/tasks/" + t + "/subtasks/" + sub, body("content", null)),
        admin.send("POST", "/tasks/" + t + "/comments", body("content", null)))) {
      assertThat(r.status()).as(r.toString()).isEqualTo(422);
    }
    Task after = admin.client().tasks().get(t);
    assertThat(after.content()).isEqualTo("real");
    assertThat(after.completed()).isFalse();
  }

  /** Q6 and §12.13: a task with children is not deleted unless asked to cascade, so no orphans exist. */
  @Test
  void q6_deletingATaskWithChildrenIs409UnlessCascade() {
    Actor a = fleet.worker("tree");
    long root = Fleet.task(a, "root");
    long child = expect(a.send("POST", "/tasks/" + root + "/delegate", body("content", "child")), 201).get("id").asLong();
    long grandchild = expect(a.send("POST", "/tasks/" + child + "/delegate", body("content", "gc")), 201).get("id").asLong();

    RawResponse refused = a.send("DELETE", "/tasks/" + root, null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("code").asString()).isEqualTo("conflict");
    assertThat(refused.json().get("error").asString()).contains("cascade=true");
    assertThat(a.send("GET", "/tasks/" + child, null).status()).isEqualTo(200);

    JsonNode done = expect(a.send("DELETE", "/tasks/" + root + "?cascade=true", null), 200);
    assertThat(done.get("ok").asBoolean()).isTrue();
    for (long id : List.of(root, child, grandchild)) {
      assertThat(a.send("GET", "/tasks/" + id, null).status()).isEqualTo(404);
    }
  }

  @Test
  void q7_repeatedCompletionOfARecurringTaskSpawnsOnce() {
    Actor a = fleet.worker("rec");
    String content = Fleet.unique("weekly");
    long t = Fleet.task(a, body("content", content, "is_recurring", true, "recurring_type", "weekly",
        "due_date", "2026-03-02")).get("id").asLong();

    RawResponse first = a.send("POST", "/tasks/" + t + "/complete", null);
    RawResponse second = a.send("POST", "/tasks/" + t + "/complete", null);
    RawResponse third = a.send("PUT", "/tasks/" + t, body("completed", true));

    assertThat(List.of(first.status(), second.status(), third.status())).containsOnly(200);
    assertThat(second.json().get("version").asLong()).isEqualTo(first.json().get("version").asLong());
    List<Task> copies = a.client().tasks().list(TaskQuery.create().param("include_completed", "true")).stream()
        .filter(x -> x.content().equals(content)).toList();
    assertThat(copies).hasSize(2);
  }

  /**
   * Q8: the chain shows only what the caller may see. A worker that only completed a task (and was
   * then unassigned) sees that task but is not a member of its chain, so the root stays hidden.
   */
  @Test
  void q8_chainNeverRevealsARootTheCallerMayNotSee() {
    Actor admin = fleet.admin();
    Actor w = fleet.worker("former");
    long root = Fleet.task(admin, "secret root");
    long child = expect(admin.send("POST", "/tasks/" + root + "/delegate",
        body("content", "child", "assigned_to_agent_id", w.id())), 201).get("id").asLong();
    w.client().tasks().complete(child);
    expect(admin.send("PUT", "/tasks/" + child, body("assigned_to_agent_id", null)), 200);
    assertThat(w.send("GET", "/tasks/" + root, null).status()).isEqualTo(404);

    JsonNode chain = expect(w.send("GET", "/tasks/" + child + "/chain", null), 200);

    assertThat(chain.toString()).doesNotContain("secret root");
    assertThat(chain.get("root").isNull()).isTrue();
    assertThat(chain.get("root_id").asLong()).isEqualTo(root);
    assertThat(chain.get("chain").size()).isEqualTo(1);
    assertThat(chain.get("chain").get(0).get("id").asLong()).isEqualTo(child);
  }

  /** Q9 and §12.19: labels match exactly, non-ASCII included, and % and _ are not wildcards. */
  @Test
  void q9_labelFilterMatchesNonAsciiAndLiteralWildcards() {
    Actor a = fleet.worker("labels");
    long cafe = Fleet.task(a, body("content", "c", "labels", List.of("café"))).get("id").asLong();
    long jp = Fleet.task(a, body("content", "j", "labels", List.of("日本語"))).get("id").asLong();
    long pct = Fleet.task(a, body("content", "p", "labels", List.of("100%"))).get("id").asLong();
    long under = Fleet.task(a, body("content", "u", "labels", List.of("a_b"))).get("id").asLong();
    Fleet.task(a, body("content", "x", "labels", List.of("100x", "aXb", "cafe")));

    assertThat(ids(a.client().tasks().list(TaskQuery.create().label("café")))).containsExactly(cafe);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().label("日本語")))).containsExactly(jp);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().label("100%")))).containsExactly(pct);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().label("a_b")))).containsExactly(under);
    assertThat(ids(a.client().tasks().list(TaskQuery.create().label("%")))).isEmpty();
    assertThat(ids(a.client().tasks().list(TaskQuery.create().labels(List.of("café", "100%"))))).isEmpty();
  }

  /** Q10 and spec §4: clients set statuses; an illegal transition is a 422 naming the allowed ones. */
  @Test
  void q10_statusIsSettableWithLegalTransitions() {
    Actor a = fleet.worker("status");
    long t = Fleet.task(a, "stateful");

    for (String s : List.of("in_progress", "waiting_input", "blocked", "open", "completed")) {
      JsonNode r = expect(a.send("PUT", "/tasks/" + t, body("status", s)), 200);
      assertThat(r.get("status").asString()).isEqualTo(s);
      assertThat(r.get("completed").asBoolean()).isEqualTo(s.equals("completed"));
    }
    RawResponse illegal = a.send("PUT", "/tasks/" + t, body("status", "in_progress"));
    assertThat(illegal.status()).isEqualTo(422);
    assertThat(illegal.json().get("code").asString()).isEqualTo("invalid_transition");
    assertThat(illegal.json().get("error").asString()).contains("allowed: open");
    assertThat(a.send("PUT", "/tasks/" + t, body("status", "sleeping")).status()).isEqualTo(422);
  }

  // ---------------------------------------------------------------- weaknesses (§12)

  @Test
  void w10_assigningToADeactivatedAgentIs422() {
    Actor admin = fleet.admin();
    Actor off = fleet.deactivated("off");
    RawResponse r = admin.send("POST", "/tasks", body("content", "x", "assigned_to_agent_id", off.id()));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("error").asString()).contains("deactivated");
  }

  @Test
  void w11_concurrentRegistrationsOfOneNameGiveOne201AndOnly409s() throws Exception {
    Actor admin = fleet.admin();
    String name = Fleet.unique("same");
    CountDownLatch go = new CountDownLatch(1);
    List<Future<RawResponse>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 8; i++) {
        String spelled = i % 2 == 0 ? name : name.toUpperCase();
        futures.add(pool.submit(() -> {
          go.await();
          return admin.send("POST", "/agents", body("name", spelled));
        }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<RawResponse> f : futures) {
        statuses.add(f.get().status());
      }
      assertThat(statuses).containsOnly(201, 409);
      assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
    }
  }

  @Test
  void w14_recurrenceCopiesOwnershipAndStartsItsOwnChain() {
    Actor admin = fleet.admin();
    Actor w = fleet.worker("owner");
    String content = Fleet.unique("daily");
    long t = Fleet.task(admin, body("content", content, "is_recurring", true, "recurring_type", "daily",
        "due_date", "2026-03-02", "assigned_to_agent_id", w.id())).get("id").asLong();

    w.client().tasks().complete(t);

    Task next = w.client().tasks().list().stream().filter(x -> x.content().equals(content)).findFirst().orElseThrow();
    assertThat(next.assignedToAgentId()).isEqualTo(w.id());
    assertThat(next.createdByAgentId()).isEqualTo(admin.id());
    assertThat(next.rootTaskId()).isEqualTo(next.id());
    assertThat(next.dueDate()).isEqualTo("2026-03-03");
    assertThat(w.client().tasks().events(next.id())).extracting(Event::type).contains("task.created");
  }

  @Test
  void w15_bothDelegationPathsMarkTheParentAndCompletedParentsRefuse() {
    Actor a = fleet.worker("paths");
    long viaCreate = Fleet.task(a, "parent A");
    expect(a.send("POST", "/tasks", body("content", "child A", "parent_task_id", viaCreate)), 201);
    assertThat(a.client().tasks().get(viaCreate).status()).isEqualTo("delegated");

    long done = Fleet.task(a, "finished parent");
    a.client().tasks().complete(done);
    RawResponse late = a.send("POST", "/tasks/" + done + "/delegate", body("content", "late"));
    assertThat(late.status()).isEqualTo(422);
    assertThat(a.client().tasks().get(done).status()).isEqualTo("completed");
  }

  @Test
  void w15_theLastChildCompletingIsSignalled() {
    Actor a = fleet.worker("rollup");
    long parent = Fleet.task(a, "parent");
    long c1 = expect(a.send("POST", "/tasks/" + parent + "/delegate", body("content", "c1")), 201).get("id").asLong();
    long c2 = expect(a.send("POST", "/tasks/" + parent + "/delegate", body("content", "c2")), 201).get("id").asLong();

    a.client().tasks().complete(c1);
    assertThat(a.client().tasks().events(parent)).extracting(Event::type).doesNotContain("task.children_completed");
    a.client().tasks().complete(c2);

    assertThat(a.client().tasks().events(parent)).extracting(Event::type).containsOnlyOnce("task.children_completed");
  }

  @Test
  void w17_subtaskOrderNeverRepeatsAfterADeletion() {
    Actor a = fleet.worker("subs");
    long t = Fleet.task(a, "steps");
    List<Long> subs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      subs.add(a.client().tasks().addSubtask(t, "s" + i).id());
    }
    a.client().tasks().deleteSubtask(t, subs.get(1));

    int order = a.client().tasks().addSubtask(t, "s3").sortOrder();

    assertThat(a.client().tasks().subtasks(t)).extracting("sortOrder").containsExactly(0, 2, order);
    assertThat(order).isEqualTo(3);
  }

  @Test
  void w25_nestedAgentsNeverCarryPermissionsOrAdminFlags() {
    Actor admin = fleet.admin();
    Actor w = fleet.worker("nested");
    long t = Fleet.task(admin, body("content", "x", "assigned_to_agent_id", w.id())).get("id").asLong();

    JsonNode task = expect(w.send("GET", "/tasks/" + t, null), 200);

    for (String field : List.of("created_by_agent", "assigned_to_agent", "accountable_agent")) {
      JsonNode nested = task.get(field);
      assertThat(nested.propertyNames()).as(field).containsExactlyInAnyOrder("id", "name", "display_name");
    }
  }

  @Test
  void w28_commentsRecordTheAuthenticatedAuthor() {
    Actor a = fleet.worker("author");
    long t = Fleet.task(a, "talk");

    JsonNode c = expect(a.send("POST", "/tasks/" + t + "/comments", body("content", "hi", "author", "Someone Else")), 201);

    assertThat(c.get("author_agent_id").asLong()).isEqualTo(a.id());
    assertThat(c.get("author").asString()).isEqualTo("Someone Else");
    JsonNode plain = expect(a.send("POST", "/tasks/" + t + "/comments", body("content", "again")), 201);
    assertThat(plain.get("author").asString()).isEqualTo(a.name());
  }

  @Test
  void w29_theLastActiveAdminCannotBeDemotedOrDeactivated() {
    Actor admin = fleet.admin();
    expect(admin.send("GET", "/agents", null), 200).forEach(n -> {
      boolean otherActiveAdmin = n.get("is_admin").asBoolean() && n.get("active").asBoolean()
          && n.get("id").asLong() != admin.id();
      if (otherActiveAdmin) {
        expect(admin.send("PUT", "/agents/" + n.get("id").asLong(), body("active", false)), 200);
      }
    });

    assertThat(admin.send("PUT", "/agents/" + admin.id(), body("role", "worker")).status()).isEqualTo(409);
    assertThat(admin.send("PUT", "/agents/" + admin.id(), body("is_admin", false)).status()).isEqualTo(409);
    RawResponse off = admin.send("PUT", "/agents/" + admin.id(), body("active", false));
    assertThat(off.status()).isEqualTo(409);
    assertThat(off.json().get("error").asString()).contains("last active admin");
    assertThat(admin.send("DELETE", "/agents/" + admin.id(), null).status()).isEqualTo(409);

    Actor second = fleet.otherAdmin("second");
    JsonNode demoted = expect(admin.send("PUT", "/agents/" + second.id(), body("role", "worker")), 200);
    assertThat(demoted.get("is_admin").asBoolean()).as("with two admins one may be demoted").isFalse();
    assertThat(admin.client().me().agent().isAdmin()).isTrue();
  }

  @Test
  void w29_agentNamesAreSlugs() {
    Actor admin = fleet.admin();
    for (String bad : List.of("", " ", "has space", "-leading", "x".repeat(65), "tab\there", "ünï", "a/b")) {
      assertThat(admin.send("POST", "/agents", body("name", bad)).status()).as("name '%s'", bad).isEqualTo(422);
    }
    for (String good : List.of("a", "A1", "bot_1.x-y", "me@example.com", "z".repeat(64))) {
      String name = good.equals("a") || good.equals("A1") ? Fleet.unique(good) : good;
      assertThat(admin.send("POST", "/agents", body("name", name)).status()).as("name '%s'", name).isEqualTo(201);
    }
  }

  @Test
  void w31_coordinatorsAssignAndDelegateToOthersWithoutBeingAdmin() {
    Actor coordinator = fleet.coordinator("lead");
    Actor w = fleet.worker("hand");
    long foreign = Fleet.task(fleet.worker("owner"), "someone's");

    assertThat(coordinator.send("POST", "/tasks", body("content", "for w", "assigned_to_agent_id", w.id())).status())
        .isEqualTo(201);
    long own = Fleet.task(coordinator, "mine");
    assertThat(coordinator.send("POST", "/tasks/" + own + "/delegate",
        body("content", "child for w", "assigned_to_agent_id", w.id())).status()).isEqualTo(201);
    assertThat(coordinator.send("PUT", "/tasks/" + foreign, body("assigned_to_agent_id", w.id())).status())
        .isEqualTo(200);
    assertThat(coordinator.send("PUT", "/tasks/" + foreign, body("content", "rewritten")).status())
        .as("beyond assignment a coordinator changes only its own tasks").isEqualTo(403);
    assertThat(coordinator.send("GET", "/agents", null).status()).isEqualTo(200);
    assertThat(coordinator.send("POST", "/agents", body("name", Fleet.unique("nope"))).status()).isEqualTo(403);
    assertThat(w.client().tasks().get(foreign).assignedToAgentId()).isEqualTo(w.id());
  }

  @Test
  void w31_explicitAssignAnyPermissionWorksForWorkers() {
    Actor assigner = fleet.agent("assigner", "worker", Map.of("permissions", List.of("tasks.assign_any")));
    Actor w = fleet.worker("target");
    assertThat(assigner.send("POST", "/tasks", body("content", "for w", "assigned_to_agent_id", w.id())).status())
        .isEqualTo(201);
  }

  @Test
  void chainMembershipMakesTheWholeChainVisibleToAWorker() {
    Actor admin = fleet.admin();
    Actor w = fleet.worker("member");
    long root = Fleet.task(admin, "root");
    long mine = expect(admin.send("POST", "/tasks/" + root + "/delegate",
        body("content", "mine", "assigned_to_agent_id", w.id())), 201).get("id").asLong();
    long sibling = expect(admin.send("POST", "/tasks/" + root + "/delegate", body("content", "sibling")), 201).get("id").asLong();

    Chain chain = w.client().tasks().chain(mine);

    assertThat(ids(chain.chain())).containsExactlyInAnyOrder(root, mine, sibling);
    assertThat(w.send("GET", "/tasks/" + sibling, null).status()).isEqualTo(200);
    assertThat(w.send("PUT", "/tasks/" + sibling, body("content", "not mine")).status()).isEqualTo(403);
  }
}

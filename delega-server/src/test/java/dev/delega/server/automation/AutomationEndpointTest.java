package dev.delega.server.automation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Automation;
import dev.delega.api.AutomationAction;
import dev.delega.api.AutomationCondition;
import dev.delega.api.AutomationUpdate;
import dev.delega.api.Comment;
import dev.delega.api.IngressSource;
import dev.delega.api.IngressTemplate;
import dev.delega.api.Json;
import dev.delega.api.NewAutomation;
import dev.delega.api.NewIngressSource;
import dev.delega.api.NewTask;
import dev.delega.api.Task;
import dev.delega.api.TaskUpdate;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.client.TaskQuery;
import dev.delega.server.ingress.IngressSignature;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/** Automations end to end: every condition op, every action type, atomic runs and the loop caps. */
class AutomationEndpointTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-04T08:00:00Z"));

  @RegisterExtension final DelegaServerExtension server = newServer(clock);

  private DelegaClient admin;
  private long adminId;

  /** The server under test; a subclass runs the same tests on PostgreSQL. */
  DelegaServerExtension newServer(MutableClock clock) {
    return new DelegaServerExtension().clock(clock);
  }

  @BeforeEach
  void setUp() {
    admin = client(server.adminKey());
    adminId = server.agentId(server.adminKey());
  }

  private DelegaClient client(String key) {
    return DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(key).retries(0).build();
  }

  /** Waits until the automation worker has handled every event committed so far. */
  private void awaitIdle() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode ready = Json.mapper().readTree(admin.send("GET", server.rootUrl() + "/health/ready").body());
      if (ready.get("components").get("automations").get("queued_events").asInt() == 0) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the automation worker did not become idle within 30 s");
  }

  private Automation automation(String event, List<AutomationCondition> conditions, AutomationAction... actions) {
    return admin.automations()
        .create(new NewAutomation("rule " + event, event, conditions, List.of(actions), null));
  }

  private static AutomationCondition cond(String field, String op, Object value) {
    return new AutomationCondition(field, op, value);
  }

  private static AutomationAction action(Map<String, Object> fields) {
    return Json.mapper().convertValue(fields, AutomationAction.class);
  }

  // ---------------------------------------------------------------- conditions

  /** A condition, a task it must match and a task it must not. */
  record Case(AutomationCondition condition, Map<String, Object> matching, Map<String, Object> other) {}

  @Test
  void everyConditionOpMatchesExactlyWhatItSays() {
    long worker = server.agentId(server.newAgent("worker-1", "coordinator", Map.of()));
    String otherKey = server.newAgent("creator-2", "coordinator", Map.of());
    long project = admin.projects().create("p").id();
    Map<String, Object> plain = Map.of("content", "plain", "priority", 2, "labels", List.of("ui"));
    List<Case> cases = List.of(
        new Case(cond("label", "has", "bug"), Map.of("labels", List.of("bug")), Map.of("labels", List.of("ui"))),
        new Case(cond("label", "not_has", "bug"), Map.of("labels", List.of("ui")), Map.of("labels", List.of("bug"))),
        new Case(cond("priority", "eq", 3), Map.of("priority", 3), Map.of("priority", 2)),
        new Case(cond("priority", "neq", 3), Map.of("priority", 2), Map.of("priority", 3)),
        new Case(cond("priority", "gte", 3), Map.of("priority", 4), Map.of("priority", 2)),
        new Case(cond("priority", "lte", 2), Map.of("priority", 1), Map.of("priority", 3)),
        new Case(cond("project_id", "eq", project), Map.of("project_id", project), Map.of()),
        new Case(cond("project_id", "neq", String.valueOf(project)), Map.of(), Map.of("project_id", project)),
        new Case(cond("project_id", "is_null", null), Map.of(), Map.of("project_id", project)),
        new Case(cond("project_id", "not_null", null), Map.of("project_id", project), Map.of()),
        new Case(cond("assigned_to_agent_id", "eq", worker), Map.of("assigned_to_agent_id", worker), Map.of()),
        new Case(cond("assigned_to_agent_id", "neq", worker), Map.of(), Map.of("assigned_to_agent_id", worker)),
        new Case(cond("assigned_to_agent_id", "is_null", null), Map.of(), Map.of("assigned_to_agent_id", worker)),
        new Case(cond("assigned_to_agent_id", "not_null", null), Map.of("assigned_to_agent_id", worker), Map.of()),
        new Case(cond("created_by_agent_id", "eq", adminId), Map.of(), Map.of("_as", otherKey)),
        new Case(cond("created_by_agent_id", "neq", adminId), Map.of("_as", otherKey), Map.of()),
        new Case(cond("created_by_agent_id", "not_null", null), Map.of(), null),
        new Case(cond("source", "is_null", null), Map.of(), null),
        new Case(cond("source", "neq", "recurrence"), Map.of(), null));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      ids.add(automation("task.created", List.of(cases.get(i).condition()),
          AutomationAction.addLabel("hit-" + i)).id());
    }
    List<long[]> made = new ArrayList<>();
    for (Case c : cases) {
      long yes = create(plain, c.matching());
      long no = c.other() == null ? -1 : create(plain, c.other());
      made.add(new long[] {yes, no});
      clock.advance(Duration.ofSeconds(61)); // keep every rule far below its per-minute cap
    }
    awaitIdle();
    for (int i = 0; i < cases.size(); i++) {
      String label = "hit-" + i;
      Case c = cases.get(i);
      assertThat(admin.tasks().get(made.get(i)[0]).labels()).as("%s matches", c.condition()).contains(label);
      if (made.get(i)[1] > 0) {
        assertThat(admin.tasks().get(made.get(i)[1]).labels()).as("%s does not match", c.condition())
            .doesNotContain(label);
      }
      assertThat(admin.automations().get(ids.get(i)).failureCount()).isZero();
    }
  }

  private long create(Map<String, Object> base, Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>(base);
    body.putAll(extra);
    Object as = body.remove("_as");
    DelegaClient c = as == null ? admin : client((String) as);
    return c.call("POST", "/tasks", body, Task.class).id();
  }

  @Test
  void ingressTasksOnlyTriggerRulesThatOptIn() {
    Automation any = automation("task.created", null, AutomationAction.addLabel("seen"));
    Automation optIn = automation("task.created", List.of(cond("source", "eq", "ingress")),
        AutomationAction.addLabel("from-outside"));
    IngressSource source = admin.ingressSources()
        .create(NewIngressSource.of("alerts", IngressTemplate.of("Alert {{payload.name}}")));
    byte[] body = "{\"name\":\"disk\"}".getBytes(StandardCharsets.UTF_8);
    RawResponse r = client(null).send("POST", "/ingress/" + source.id(), body,
        Map.of(IngressSignature.HEADER,
            IngressSignature.header(source.secret(), clock.instant().getEpochSecond(), body)));
    assertThat(r.status()).isEqualTo(201);
    long external = Json.mapper().readTree(r.body()).get("task_id").asLong();
    long internal = admin.tasks().create("made by an agent").id();
    awaitIdle();
    assertThat(admin.tasks().get(external).labels()).contains("from-outside").doesNotContain("seen");
    assertThat(admin.tasks().get(internal).labels()).contains("seen").doesNotContain("from-outside");
    assertThat(admin.automations().get(any.id()).runCount()).isEqualTo(1);
    assertThat(admin.automations().get(optIn.id()).runCount()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- actions

  @Test
  void everyActionTypeRunsWithTemplates() {
    String workerKey = server.newAgent("triager");
    long worker = server.agentId(workerKey);
    long project = admin.projects().create("follow-ups").id();
    Automation triage =
        automation("task.created", List.of(cond("label", "has", "a")),
            AutomationAction.assign(worker),
            AutomationAction.setPriority(4),
            AutomationAction.addLabel("triaged"),
            AutomationAction.addComment("Triage #{{task.id}} \"{{task.content}}\" by {{actor.name}} on {{event}} [{{task.labels}}]"),
            action(Map.of("type", "set_evidence_policy", "policy", "required")));
    Automation spawn =
        automation("task.created", List.of(cond("label", "has", "b")),
            action(Map.of("type", "create_task", "content", "Follow up on #{{task.id}}",
                "description", "from {{automation.name}}", "project_id", project,
                "labels", List.of("follow-up"), "priority", 2, "assigned_to_agent_id", worker)),
            action(Map.of("type", "delegate", "content", "Investigate {{task.content}}", "agent_id", worker,
                "labels", List.of("child"))));
    Task a = admin.tasks().create(NewTask.builder("Server down").labels("a").build());
    Task b = admin.tasks().create(NewTask.builder("Flaky test").labels("b").build());
    awaitIdle();

    Task ta = admin.tasks().get(a.id());
    assertThat(ta.assignedToAgentId()).isEqualTo(worker);
    assertThat(ta.priority()).isEqualTo(4);
    assertThat(ta.labels()).containsExactly("a", "triaged");
    assertThat(ta.evidencePolicy()).isEqualTo("required");
    List<Comment> comments = admin.tasks().comments(a.id());
    assertThat(comments).hasSize(1);
    assertThat(comments.get(0).content())
        .isEqualTo("Triage #" + a.id() + " \"Server down\" by admin on task.created [a]");
    assertThat(comments.get(0).author()).isEqualTo("automation: rule task.created");
    Automation ranA = admin.automations().get(triage.id());
    assertThat(ranA.runCount()).isEqualTo(1);
    assertThat(ranA.failureCount()).isZero();
    assertThat(ranA.lastRunAt()).isEqualTo(clock.instant());

    List<Task> followUps = admin.tasks().list(TaskQuery.create().label("follow-up"));
    assertThat(followUps).hasSize(1);
    Task followUp = followUps.get(0);
    assertThat(followUp.content()).isEqualTo("Follow up on #" + b.id());
    assertThat(followUp.description()).isEqualTo("from rule task.created");
    assertThat(followUp.projectId()).isEqualTo(project);
    assertThat(followUp.assignedToAgentId()).isEqualTo(worker);
    assertThat(followUp.priority()).isEqualTo(2);
    assertThat(admin.tasks().events(followUp.id()).get(0).changes()).containsKey("source_automation_id");
    List<Task> children = admin.tasks().children(b.id());
    assertThat(children).hasSize(1);
    assertThat(children.get(0).content()).isEqualTo("Investigate Flaky test");
    assertThat(children.get(0).assignedToAgentId()).isEqualTo(worker);
    assertThat(children.get(0).labels()).containsExactly("child");
    assertThat(admin.tasks().get(b.id()).status()).isEqualTo("delegated");
    assertThat(admin.automations().get(spawn.id()).runCount()).isEqualTo(1);
    List<Map<String, Object>> runs = runs(spawn.id());
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0)).containsEntry("outcome", "ok").containsEntry("depth", 1);
  }

  private List<Map<String, Object>> runs(long automationId) {
    return admin.call("GET", "/automations/" + automationId + "/runs", null,
        new TypeReference<List<Map<String, Object>>>() {});
  }

  @Test
  void aRunIsAllOrNothing() {
    String doomedKey = server.newAgent("soon-gone");
    long doomed = server.agentId(doomedKey);
    Automation rule = automation("task.created", null,
        AutomationAction.addLabel("half"), AutomationAction.assign(doomed));
    assertThat(admin.send("PUT", "/agents/" + doomed, Map.of("active", false)).status()).isEqualTo(200);
    Task t = admin.tasks().create("anything");
    awaitIdle();
    assertThat(admin.tasks().get(t.id()).labels()).as("the label was rolled back").doesNotContain("half");
    Automation after = admin.automations().get(rule.id());
    assertThat(after.runCount()).isZero();
    assertThat(after.failureCount()).isEqualTo(1);
    assertThat(after.lastError()).contains("deactivated");
    assertThat(runs(rule.id()).get(0)).containsEntry("outcome", "failed");
  }

  @Test
  void taskChangingActionsWaitForNoClaimButCommentsStillRun() {
    Automation rule = automation("task.commented", List.of(cond("label", "has", "held")),
        AutomationAction.setPriority(4), AutomationAction.addComment("noted"));
    DelegaClient holder = client(server.newAgent("holder"));
    Task t = holder.tasks().create(NewTask.builder("claimed work").labels("held").build());
    RawResponse claim = holder.send("POST", "/tasks/" + t.id() + "/claim", Map.of());
    assertThat(claim.status()).as(claim.text()).isEqualTo(200);
    admin.tasks().addComment(t.id(), "hello");
    awaitIdle();
    assertThat(admin.tasks().get(t.id()).priority()).isEqualTo(1);
    assertThat(admin.tasks().comments(t.id())).extracting(Comment::content).contains("noted");
    assertThat(runs(rule.id()).get(runs(rule.id()).size() - 1).get("message").toString())
        .contains("set_priority skipped");
  }

  @Test
  void onADeletedTaskOnlyNewTasksAreMade() {
    Automation rule = automation("task.deleted", null,
        AutomationAction.addComment("gone"),
        action(Map.of("type", "create_task", "content", "Deleted: {{task.content}}", "labels", List.of("audit"))));
    Task t = admin.tasks().create("temporary");
    admin.tasks().delete(t.id());
    awaitIdle();
    assertThat(admin.tasks().list(TaskQuery.create().label("audit")))
        .extracting(Task::content).containsExactly("Deleted: temporary");
    Map<String, Object> run = runs(rule.id()).get(0);
    assertThat(run).containsEntry("outcome", "ok");
    assertThat(run.get("message").toString()).contains("add_comment skipped: task " + t.id() + " no longer exists");
  }

  // ---------------------------------------------------------------- loop safety

  @Test
  void aSelfTriggeringRuleStopsAtTheChainDepthCap() {
    Automation rule = automation("task.created", null,
        action(Map.of("type", "create_task", "content", "child of {{task.id}}")));
    admin.tasks().create("root");
    awaitIdle();
    List<Task> all = admin.tasks().list();
    assertThat(all).as("the root plus one task per allowed hop").hasSize(1 + 3);
    Automation after = admin.automations().get(rule.id());
    assertThat(after.runCount()).isEqualTo(3);
    assertThat(after.failureCount()).isEqualTo(1);
    assertThat(after.lastError()).contains("3 automation hops deep");
    List<Map<String, Object>> runs = runs(rule.id());
    assertThat(runs).extracting(r -> r.get("outcome")).containsExactly("refused", "ok", "ok", "ok");
    assertThat(runs).extracting(r -> r.get("depth")).containsExactly(4, 3, 2, 1);
  }

  @Test
  void twoRulesFeedingEachOtherStopAtTheChainDepthCap() {
    Automation up = automation("task.updated", List.of(cond("priority", "eq", 1)), AutomationAction.setPriority(2));
    Automation down = automation("task.updated", List.of(cond("priority", "eq", 2)), AutomationAction.setPriority(1));
    Task t = admin.tasks().create(NewTask.builder("ping-pong").priority(3).build());
    admin.tasks().update(t.id(), TaskUpdate.create().priority(1));
    awaitIdle();
    Automation u = admin.automations().get(up.id());
    Automation d = admin.automations().get(down.id());
    assertThat(u.runCount() + d.runCount()).isEqualTo(3);
    assertThat(u.failureCount() + d.failureCount()).isEqualTo(1);
    assertThat(admin.tasks().get(t.id()).priority()).isEqualTo(2);
  }

  @Test
  void aRuleRunsAtMostSixtyTimesAMinute() {
    Automation rule = automation("task.created", null, AutomationAction.addLabel("seen"));
    for (int i = 0; i < 61; i++) {
      admin.tasks().create("task " + i);
    }
    awaitIdle();
    Automation capped = admin.automations().get(rule.id());
    assertThat(capped.runCount()).isEqualTo(60);
    assertThat(capped.failureCount()).isEqualTo(1);
    assertThat(capped.lastError()).contains("ran 60 times");
    clock.advance(Duration.ofSeconds(60));
    admin.tasks().create("a minute later");
    awaitIdle();
    assertThat(admin.automations().get(rule.id()).runCount()).isEqualTo(61);
  }

  // ---------------------------------------------------------------- management

  @Test
  void managementIsAdminOnlyAndUpdatesReplaceLists() {
    DelegaClient worker = client(server.newAgent("w"));
    assertThat(worker.send("GET", "/automations").status()).isEqualTo(403);
    assertThat(worker.send("POST", "/automations",
        Map.of("name", "x", "event", "task.created", "actions", List.of(Map.of("type", "add_label", "label", "y"))))
        .status()).isEqualTo(403);
    Automation a = automation("task.created", List.of(cond("label", "has", "x"), cond("priority", "gte", 2)),
        AutomationAction.addLabel("y"));
    assertThat(a.active()).isTrue();
    assertThat(a.conditions()).hasSize(2);
    assertThat(a.createdByAgentId()).isEqualTo(adminId);
    Automation replaced = admin.automations().update(a.id(),
        AutomationUpdate.create().conditions(List.of(cond("label", "has", "z"))).active(false));
    assertThat(replaced.conditions()).containsExactly(cond("label", "has", "z"));
    assertThat(replaced.actions()).extracting(AutomationAction::type).containsExactly("add_label");
    assertThat(replaced.active()).isFalse();
    admin.tasks().create(NewTask.builder("inactive rule").labels("z").build());
    awaitIdle();
    assertThat(admin.automations().get(a.id()).runCount()).isZero();
    RawResponse patched = admin.send("PATCH", "/automations/" + a.id(), Map.of("name", "renamed"));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(admin.automations().list()).extracting(Automation::name).containsExactly("renamed");
    admin.automations().delete(a.id());
    assertThat(admin.send("GET", "/automations/" + a.id()).status()).isEqualTo(404);
    RawResponse wire = admin.send("POST", "/automations", Map.of("name", "w", "event", "task.completed",
        "actions", List.of(Map.of("type", "add_comment", "content", "done"))));
    JsonNode json = Json.mapper().readTree(wire.body());
    for (String field : List.of("id", "name", "event", "conditions", "actions", "active", "run_count",
        "failure_count", "last_run_at")) {
      assertThat(json.has(field)).as(field).isTrue();
    }
  }

  static Stream<Arguments> invalid() {
    Map<String, Object> ok = Map.of("type", "add_label", "label", "y");
    return Stream.of(
        Arguments.of(body("event", "task.exploded"), "event"),
        Arguments.of(body("actions", List.of()), "actions"),
        Arguments.of(body("actions", List.of(Map.of("type", "launch"))), "actions[0].type"),
        Arguments.of(body("actions", List.of(ok, Map.of("type", "set_priority", "priority", 7))), "actions[1].priority"),
        Arguments.of(body("actions", List.of(Map.of("type", "assign", "agent_id", 9999))), "actions[0].agent_id"),
        Arguments.of(body("conditions", List.of(Map.of("field", "label", "op", "gte", "value", "x"))), "conditions[0].op"),
        Arguments.of(body("conditions", List.of(Map.of("field", "mood", "op", "eq", "value", "x"))), "conditions[0].field"),
        Arguments.of(body("name", ""), "name"));
  }

  private static Map<String, Object> body(String key, Object value) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("name", "rule");
    b.put("event", "task.created");
    b.put("actions", List.of(Map.of("type", "add_label", "label", "y")));
    b.put(key, value);
    return b;
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalid")
  void invalidRulesAre422NamingTheField(Map<String, Object> body, String field) {
    RawResponse r = admin.send("POST", "/automations", body);
    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(Json.mapper().readTree(r.body()).get("field").asString()).isEqualTo(field);
    assertThat(admin.automations().list()).isEmpty();
  }
}

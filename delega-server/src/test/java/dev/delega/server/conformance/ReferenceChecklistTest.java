package dev.delega.server.conformance;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Agent;
import dev.delega.api.NewTask;
import dev.delega.api.Stats;
import dev.delega.api.Task;
import dev.delega.api.TaskUpdate;
import dev.delega.client.RawResponse;
import dev.delega.client.TaskQuery;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Statements 1–62 of the reference server's conformance checklist (reference-server.md §11.1), one
 * test method each, against one shared server in auth mode. Every agent is new and uniquely named,
 * so counts are exact. Where the spec or a lead decision changes a statement, the test says so and
 * asserts the changed behaviour. Bootstrap (18, 52), open mode (50), dedup (41, 42) and webhooks
 * (13 in part, 22, 43–48) live in their own classes because they need other server settings.
 */
class ReferenceChecklistTest {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  private final Fleet fleet = new Fleet(SERVER);

  private static List<Long> ids(List<Task> tasks) {
    return tasks.stream().map(Task::id).toList();
  }

  // ---------------------------------------------------------------- scoping (1–4)

  @Test
  void s01_plainAgentListingTasksSeesOnlyItsOwn() {
    Actor admin = fleet.admin();
    Actor agent = fleet.worker("plain");
    Fleet.task(admin, "Admin task");
    Fleet.task(agent, "Normal task");

    List<Task> seen = agent.client().tasks().list();

    assertThat(seen).extracting(Task::content).containsExactly("Normal task");
  }

  @Test
  void s02_plainAgentFetchingAnAdminTaskGets404() {
    long adminTask = Fleet.task(fleet.admin(), "Admin only");
    Actor agent = fleet.worker("plain");

    RawResponse r = agent.send("GET", "/tasks/" + adminTask, null);

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("error").asString()).isEqualTo("Task not found");
  }

  /** Changed by a lead decision: every agent may filter by project; it still sees only its own tasks. */
  @Test
  void s03_plainAgentFilteringByProjectSeesOnlyItsOwnTasksThere() {
    Actor admin = fleet.admin();
    Actor agent = fleet.worker("plain");
    long project = expect(admin.send("POST", "/projects", body("name", "P3")), 201).get("id").asLong();
    Fleet.task(admin, body("content", "admin in project", "project_id", project));
    long mine = Fleet.task(agent, body("content", "mine in project", "project_id", project)).get("id").asLong();
    Fleet.task(agent, "mine elsewhere");

    RawResponse r = agent.send("GET", "/tasks?project_id=" + project, null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(Fleet.ids(r.json())).contains(mine);
    assertThat(agent.client().tasks().list(TaskQuery.create().projectId(project)))
        .extracting(Task::id).containsExactly(mine);
  }

  @Test
  void s04_plainAgentStatsCountOnlyItsOwnOpenTasks() {
    Fleet.task(fleet.admin(), "admin open");
    Actor agent = fleet.worker("plain");
    Fleet.task(agent, "agent open");

    Stats stats = agent.client().stats();

    assertThat(stats.totalTasks()).isEqualTo(1);
    assertThat(stats.total()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- tasks.read_all (5–17)

  @Test
  void s05_readerListingTasksSeesEveryonesTasks() {
    Actor reader = fleet.reader("reader");
    long a = Fleet.task(fleet.admin(), "by admin");
    long b = Fleet.task(fleet.worker("other"), "by other");
    long c = Fleet.task(reader, "by reader");

    assertThat(ids(reader.client().tasks().list(TaskQuery.create().limit(500)))).contains(a, b, c);
  }

  @Test
  void s06_readerCanFetchAnAdminTaskById() {
    long task = Fleet.task(fleet.admin(), "Admin content");
    Actor reader = fleet.reader("reader");

    assertThat(reader.client().tasks().get(task).content()).isEqualTo("Admin content");
  }

  @Test
  void s07_readerMayFilterByProject() {
    Actor admin = fleet.admin();
    long project = admin.client().projects().create("Reader project").id();
    long inProject = Fleet.task(admin, body("content", "in project", "project_id", project)).get("id").asLong();
    Fleet.task(admin, "not in project");
    Actor reader = fleet.reader("reader");

    assertThat(ids(reader.client().tasks().list(TaskQuery.create().projectId(project)))).containsExactly(inProject);
  }

  /** Adapted: the server is shared, so "global" is checked as "the same counts the admin sees". */
  @Test
  void s08_readerStatsAreGlobal() {
    Actor admin = fleet.admin();
    Fleet.task(admin, "one");
    Fleet.task(admin, "two");
    Actor reader = fleet.reader("reader");

    Stats asReader = reader.client().stats();
    Stats asAdmin = admin.client().stats();

    assertThat(asReader.totalTasks()).isEqualTo(asAdmin.totalTasks()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void s09_readerSeesADelegationChainBuiltByAdmin() {
    Actor admin = fleet.admin();
    long parent = Fleet.task(admin, "Parent");
    admin.client().tasks().delegate(parent, NewTask.of("Child"));
    Actor reader = fleet.reader("reader");

    assertThat(reader.client().tasks().chain(parent).chain()).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void s10_readerCannotMutateAnAdminTask() {
    long task = Fleet.task(fleet.admin(), "Admin's");
    Actor reader = fleet.reader("reader");

    assertThat(reader.send("GET", "/tasks/" + task, null).status()).isEqualTo(200);
    assertThat(reader.send("PUT", "/tasks/" + task, body("content", "Hacked")).status()).isEqualTo(403);
    assertThat(reader.send("POST", "/tasks/" + task + "/complete", null).status()).isEqualTo(403);
    assertThat(reader.send("DELETE", "/tasks/" + task, null).status()).isEqualTo(403);
    assertThat(fleet.admin().client().tasks().get(task).content()).isEqualTo("Admin's");
  }

  @Test
  void s11_readerCannotManageAgents() {
    Actor reader = fleet.reader("reader");

    assertThat(reader.send("GET", "/agents", null).status()).isEqualTo(403);
    assertThat(reader.send("POST", "/agents", body("name", Fleet.unique("evil"))).status()).isEqualTo(403);
  }

  /** Changed by a lead decision: projects are readable by every agent; creating one stays forbidden. */
  @Test
  void s12_readerCannotCreateProjectsButMayListThem() {
    Actor reader = fleet.reader("reader");

    assertThat(reader.send("GET", "/projects", null).status()).isEqualTo(200);
    assertThat(reader.send("POST", "/projects", body("name", "evil")).status()).isEqualTo(403);
  }

  @Test
  void s14_plainAgentCannotGrantItselfReadAll() {
    long adminTask = Fleet.task(fleet.admin(), "secret");
    Actor agent = fleet.worker("plain");

    RawResponse r = agent.send("PUT", "/agents/" + agent.id(), body("permissions", List.of("tasks.read_all")));

    assertThat(r.status()).isEqualTo(403);
    assertThat(ids(agent.client().tasks().list(TaskQuery.create().limit(500)))).doesNotContain(adminTask);
    assertThat(agent.client().me().agent().permissions()).isEmpty();
  }

  @Test
  void s15_plainAgentCannotDeactivateItself() {
    Actor agent = fleet.worker("plain");

    assertThat(agent.send("PUT", "/agents/" + agent.id(), body("active", false)).status()).isEqualTo(403);
    assertThat(agent.send("GET", "/agent/me", null).status()).isEqualTo(200);
  }

  /** Adapted to the spec: GET /context answers {context, version}, not the bare object. */
  @Test
  void s16_readerCanReadAnotherAgentsTaskContext() {
    Actor admin = fleet.admin();
    long task = Fleet.task(admin, "with context");
    expect(admin.send("PATCH", "/tasks/" + task + "/context", body("data", Map.of("key", "value"))), 200);
    Actor reader = fleet.reader("reader");

    JsonNode ctx = expect(reader.send("GET", "/tasks/" + task + "/context", null), 200);

    assertThat(ctx.get("context").get("data").get("key").asString()).isEqualTo("value");
    assertThat(ctx.get("version").asLong()).isEqualTo(1);
  }

  @Test
  void s17_readerCanListSubtasksOfAnAdminTask() {
    Actor admin = fleet.admin();
    long task = Fleet.task(admin, "with subtasks");
    admin.client().tasks().addSubtask(task, "step");
    Actor reader = fleet.reader("reader");

    assertThat(reader.client().tasks().subtasks(task)).extracting("content").containsExactly("step");
  }

  // ---------------------------------------------------------------- admin (19–23)

  @Test
  void s19_adminListsAllTasksIncludingAnotherAgents() {
    long other = Fleet.task(fleet.worker("other"), "someone else's");

    assertThat(ids(fleet.admin().client().tasks().list(TaskQuery.create().limit(500)))).contains(other);
  }

  @Test
  void s20_adminCanListAgents() {
    Actor w = fleet.worker("listed");
    List<Agent> agents = fleet.admin().client().agents().list();
    assertThat(agents).extracting(Agent::name).contains("admin", w.name());
  }

  /** Adapted: creating answers 201 (lead decision), not 200. */
  @Test
  void s21_adminCanCreateAProject() {
    JsonNode p = expect(fleet.admin().send("POST", "/projects", body("name", "Test")), 201);
    assertThat(p.get("name").asString()).isEqualTo("Test");
    assertThat(p.get("id").asLong()).isPositive();
  }

  @Test
  void s23_adminCanCreateANonAdminReader() {
    Actor admin = fleet.admin();
    String name = Fleet.unique("reader");
    JsonNode created =
        expect(admin.send("POST", "/agents", body("name", name, "permissions", List.of("tasks.read_all"))), 201);

    assertThat(created.get("is_admin").asBoolean()).isFalse();
    assertThat(created.get("permissions")).extracting(JsonNode::asString).containsExactly("tasks.read_all");
    JsonNode fetched = expect(admin.send("GET", "/agents/" + created.get("id").asLong(), null), 200);
    assertThat(fetched.get("is_admin").asBoolean()).isFalse();
    assertThat(fetched.get("permissions")).extracting(JsonNode::asString).containsExactly("tasks.read_all");
  }

  // ---------------------------------------------------------------- compatibility, permissions (24–28)

  @Test
  void s24_agentWithEmptyPermissionsIsScoped() {
    long adminTask = Fleet.task(fleet.admin(), "admin's");
    Actor agent = fleet.agent("empty", "worker", Map.of("permissions", List.of()));
    long own = Fleet.task(agent, "own");

    assertThat(ids(agent.client().tasks().list())).containsExactly(own).doesNotContain(adminTask);
  }

  @Test
  void s25_agentWithNullPermissionsIsScopedAndDoesNotError() {
    long adminTask = Fleet.task(fleet.admin(), "admin's");
    String name = Fleet.unique("nullperms");
    JsonNode created = expect(fleet.admin().send("POST", "/agents", body("name", name, "permissions", null)), 201);
    assertThat(created.get("permissions").isArray()).isTrue();
    Actor agent = new Actor(name, created.get("id").asLong(), created.get("api_key").asString(),
        fleet.client(created.get("api_key").asString()));

    RawResponse r = agent.send("GET", "/tasks", null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(Fleet.ids(r.json())).doesNotContain(adminTask);
    assertThat(r.json().size()).isZero();
  }

  @Test
  void s26_adminHasEveryPermissionAndSeesAllTasks() {
    Actor w = fleet.worker("w");
    long t = Fleet.task(w, "w's");
    Actor admin = fleet.admin();

    assertThat(admin.send("GET", "/tasks/" + t, null).status()).isEqualTo(200);
    assertThat(admin.send("PUT", "/tasks/" + t, body("assigned_to_agent_id", w.id())).status()).isEqualTo(200);
  }

  @Test
  void s27_readerHasExactlyWhatIsListedAndCannotAssignToOthers() {
    Actor reader = fleet.reader("reader");
    Actor other = fleet.worker("other");
    long foreign = Fleet.task(other, "other's");

    assertThat(reader.send("GET", "/tasks/" + foreign, null).status()).isEqualTo(200);
    RawResponse assign = reader.send("POST", "/tasks", body("content", "x", "assigned_to_agent_id", other.id()));
    assertThat(assign.status()).isEqualTo(403);
    assertThat(reader.send("PUT", "/tasks/" + foreign, body("assigned_to_agent_id", reader.id())).status())
        .isEqualTo(403);
  }

  @Test
  void s28_nullPermissionsGrantNothing() {
    long foreign = Fleet.task(fleet.worker("other"), "other's");
    String name = Fleet.unique("nullperms");
    JsonNode created = expect(fleet.admin().send("POST", "/agents", body("name", name, "permissions", null)), 201);
    Actor agent = new Actor(name, created.get("id").asLong(), created.get("api_key").asString(),
        fleet.client(created.get("api_key").asString()));

    assertThat(agent.send("GET", "/tasks/" + foreign, null).status()).isEqualTo(404);
    assertThat(agent.send("GET", "/agents", null).status()).isEqualTo(403);
  }

  // ---------------------------------------------------------------- completion (29–31)

  @Test
  void s29_putCompletedTrueCompletesAndRecordsTheCompleter() {
    Actor agent = fleet.worker("completer");
    long t = Fleet.task(agent, "finish me");

    Task done = agent.client().tasks().update(t, TaskUpdate.create().completed(true));

    assertThat(done.completed()).isTrue();
    assertThat(done.status()).isEqualTo("completed");
    assertThat(done.completedAt()).isNotNull();
    assertThat(done.completedByAgentId()).isEqualTo(agent.id());
    assertThat(done.completedByAgent().id()).isEqualTo(agent.id());
  }

  @Test
  void s30_putCompletedFalseReopensAndClearsTheCompleter() {
    Actor agent = fleet.worker("completer");
    long t = Fleet.task(agent, "finish me");
    agent.client().tasks().update(t, TaskUpdate.create().completed(true));

    Task open = agent.client().tasks().update(t, TaskUpdate.create().completed(false));

    assertThat(open.completed()).isFalse();
    assertThat(open.status()).isEqualTo("open");
    assertThat(open.completedAt()).isNull();
    assertThat(open.completedByAgentId()).isNull();
    assertThat(open.completedByAgent()).isNull();
  }

  @Test
  void s31_completeThenUncomplete() {
    Actor agent = fleet.worker("completer");
    long t = Fleet.task(agent, "finish me");

    Task done = agent.client().tasks().complete(t);
    assertThat(done.completed()).isTrue();
    assertThat(done.status()).isEqualTo("completed");
    assertThat(done.completedAt()).isNotNull();
    assertThat(done.completedByAgentId()).isEqualTo(agent.id());

    Task open = agent.client().tasks().uncomplete(t);
    assertThat(open.completed()).isFalse();
    assertThat(open.status()).isEqualTo("open");
    assertThat(open.completedAt()).isNull();
    assertThat(open.completedByAgentId()).isNull();
  }

  // ---------------------------------------------------------------- content validation (32–37)

  private void assertCreateRefused(String content) {
    RawResponse r = fleet.worker("blank").send("POST", "/tasks", body("content", content));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("code").asString()).isEqualTo("validation_failed");
    assertThat(r.json().get("error").asString()).contains("content");
  }

  private void assertUpdateRefused(String content) {
    Actor a = fleet.worker("blank");
    long t = Fleet.task(a, "valid");
    RawResponse r = a.send("PUT", "/tasks/" + t, body("content", content));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("error").asString()).contains("content");
    assertThat(a.client().tasks().get(t).content()).isEqualTo("valid");
  }

  @Test
  void s32_createWithEmptyContentIs422() {
    assertCreateRefused("");
  }

  @Test
  void s33_createWithSpacesOnlyContentIs422() {
    assertCreateRefused("   ");
  }

  @Test
  void s34_createWithNewlineTabContentIs422() {
    assertCreateRefused("\n\t");
  }

  @Test
  void s35_updateToEmptyContentIs422() {
    assertUpdateRefused("");
  }

  @Test
  void s36_updateToSpacesOnlyContentIs422() {
    assertUpdateRefused("   ");
  }

  @Test
  void s37_updateToNewlineTabContentIs422() {
    assertUpdateRefused("\n\t");
  }

  // ---------------------------------------------------------------- open_task_count (38–40)

  private static int openCount(List<Agent> agents, long id) {
    return agents.stream().filter(a -> a.id() == id).findFirst().orElseThrow().openTaskCount();
  }

  @Test
  void s38_agentListCountsOpenAssignedTasks() {
    Actor admin = fleet.admin();
    Actor worker = fleet.worker("busy");
    Actor idle = fleet.worker("idle");
    Fleet.task(admin, body("content", "a", "assigned_to_agent_id", worker.id()));
    Fleet.task(admin, body("content", "b", "assigned_to_agent_id", worker.id()));
    long c = Fleet.task(admin, body("content", "c", "assigned_to_agent_id", worker.id())).get("id").asLong();
    admin.client().tasks().complete(c);

    List<Agent> agents = admin.client().agents().list();

    assertThat(openCount(agents, worker.id())).isEqualTo(2);
    assertThat(openCount(agents, idle.id())).isZero();
    long adminOpen =
        admin.client().tasks().page(TaskQuery.create().assignedTo(admin.id()).completed(false)).total();
    assertThat(openCount(agents, admin.id())).isEqualTo((int) adminOpen);
  }

  @Test
  void s39_agentDetailCountsOpenAssignedTasks() {
    Actor admin = fleet.admin();
    Actor worker = fleet.worker("one");
    Fleet.task(admin, body("content", "a", "assigned_to_agent_id", worker.id()));

    assertThat(admin.client().agents().get(worker.id()).openTaskCount()).isEqualTo(1);
  }

  @Test
  void s40_completedAssignedTasksAreNotCounted() {
    Actor admin = fleet.admin();
    Actor worker = fleet.worker("done");
    long t = Fleet.task(admin, body("content", "a", "assigned_to_agent_id", worker.id())).get("id").asLong();
    worker.client().tasks().complete(t);

    assertThat(admin.client().agents().get(worker.id()).openTaskCount()).isZero();
  }

  // ---------------------------------------------------------------- integrity (49, 51)

  @Test
  void s49_aCommentOnAMissingTaskIsNotStored() {
    long before = SERVER.wiring().database().read(h -> h.createQuery("SELECT COUNT(*) FROM comments").mapTo(Long.class).one());

    RawResponse r = fleet.admin().send("POST", "/tasks/987654321/comments", body("content", "orphan"));

    assertThat(r.status()).isEqualTo(404);
    long after = SERVER.wiring().database().read(h -> h.createQuery("SELECT COUNT(*) FROM comments").mapTo(Long.class).one());
    assertThat(after).isEqualTo(before);
  }

  @Test
  void s51_updatingAMissingAgentIs404AgentNotFound() {
    RawResponse r = fleet.admin().send("PUT", "/agents/9999", body("display_name", "Missing"));

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("error").asString()).isEqualTo("Agent not found");
    assertThat(r.json().get("detail").asString()).isEqualTo("Agent not found");
    assertThat(r.json().get("code").asString()).isEqualTo("not_found");
  }

  // ---------------------------------------------------------------- chain coherence (53–62)

  /** Adapted: creation answers 201 (lead decision). */
  @Test
  void s53_bareCreateIsARootOfItsOwnChain() {
    JsonNode t = expect(fleet.worker("root").send("POST", "/tasks", body("content", "hello")), 201);

    assertThat(t.get("delegation_depth").asInt()).isZero();
    assertThat(t.get("parent_task_id").isNull()).isTrue();
    assertThat(t.get("root_task_id").asLong()).isEqualTo(t.get("id").asLong());
  }

  @Test
  void s54_delegationDepthZeroOnCreateIsAccepted() {
    JsonNode t = expect(fleet.worker("d0").send("POST", "/tasks", body("content", "x", "delegation_depth", 0)), 201);
    assertThat(t.get("delegation_depth").asInt()).isZero();
  }

  @Test
  void s55_delegationDepthThreeOnCreateIs400() {
    RawResponse r = fleet.worker("d3").send("POST", "/tasks", body("content", "x", "delegation_depth", 3));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asString()).contains("delegation_depth");
    assertThat(r.json().get("detail").asString()).contains("delegation_depth");
  }

  @Test
  void s56_rootTaskIdOnCreateIs400() {
    RawResponse r = fleet.worker("r99").send("POST", "/tasks", body("content", "x", "root_task_id", 99));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asString()).contains("root_task_id");
  }

  @Test
  void s57_parentTaskIdOnCreateMakesAChild() {
    Actor a = fleet.worker("parent");
    long parent = Fleet.task(a, "parent");

    JsonNode child = expect(a.send("POST", "/tasks", body("content", "child", "parent_task_id", parent)), 201);

    assertThat(child.get("parent_task_id").asLong()).isEqualTo(parent);
    assertThat(child.get("root_task_id").asLong()).isEqualTo(parent);
    assertThat(child.get("delegation_depth").asInt()).isEqualTo(1);
  }

  private void assertPutChainFieldRefused(String field, Object value) {
    Actor a = fleet.worker("chain");
    long t = Fleet.task(a, "x");
    RawResponse r = a.send("PUT", "/tasks/" + t, body(field, value));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asString()).contains(field);
    Task after = a.client().tasks().get(t);
    assertThat(after.rootTaskId()).isEqualTo(t);
    assertThat(after.parentTaskId()).isNull();
    assertThat(after.delegationDepth()).isZero();
  }

  @Test
  void s58_putDelegationDepthIs400() {
    assertPutChainFieldRefused("delegation_depth", 9);
  }

  @Test
  void s59_putParentTaskIdIs400() {
    assertPutChainFieldRefused("parent_task_id", 42);
  }

  @Test
  void s60_putRootTaskIdIs400() {
    assertPutChainFieldRefused("root_task_id", 7);
  }

  @Test
  void s61_putContentUpdatesIt() {
    Actor a = fleet.worker("put");
    long t = Fleet.task(a, "old");
    JsonNode r = expect(a.send("PUT", "/tasks/" + t, body("content", "new")), 200);
    assertThat(r.get("content").asString()).isEqualTo("new");
  }

  /** Adapted: delegation creates a task and answers 201, like every create. */
  @Test
  void s62_delegateMakesADirectChildOfTheRoot() {
    Actor a = fleet.worker("delegator");
    long root = Fleet.task(a, "root");

    JsonNode child = expect(a.send("POST", "/tasks/" + root + "/delegate", body("content", "delegated")), 201);

    assertThat(child.get("parent_task_id").asLong()).isEqualTo(root);
    assertThat(child.get("root_task_id").asLong()).isEqualTo(root);
    assertThat(child.get("delegation_depth").asInt()).isEqualTo(1);
  }
}

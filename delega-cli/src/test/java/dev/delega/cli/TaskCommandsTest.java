package dev.delega.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class TaskCommandsTest {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  private Cli cli;

  @BeforeEach
  void setUp() {
    cli = Cli.against(server.rootUrl(), server.adminKey());
  }

  @Test
  void createsListsShowsAndCompletesATask() {
    JsonNode task = cli.json("tasks", "create", "Rotate", "the", "staging", "password", "--priority", "3", "--labels", "ops,security");
    long id = task.path("id").asLong();
    assertThat(task.path("content").asString()).isEqualTo("Rotate the staging password");
    assertThat(task.path("priority").asInt()).isEqualTo(3);
    assertThat(task.path("labels")).extracting(JsonNode::asString).containsExactly("ops", "security");

    JsonNode listed = cli.json("tasks", "list", "--label", "security");
    assertThat(listed).extracting(t -> t.path("id").asLong()).contains(id);

    Cli.Result human = cli.run("tasks", "list", "--label", "security");
    assertThat(human.exit()).isZero();
    assertThat(human.out()).startsWith("ID").contains("#" + id, "P3", "open", "Rotate the staging password");
    assertThat(human.out()).doesNotContain("\u001b[");

    assertThat(cli.json("tasks", "show", String.valueOf(id)).path("id").asLong()).isEqualTo(id);
    Cli.Result shown = cli.run("tasks", "show", String.valueOf(id));
    assertThat(shown.out()).contains("#" + id + " Rotate the staging password", "Status:", "Labels:", "ops, security");

    JsonNode done = cli.json("tasks", "complete", String.valueOf(id), "--evidence", "command_output=vault-write rotated ok");
    assertThat(done.path("completed").asBoolean()).isTrue();
    assertThat(done.path("status").asString()).isEqualTo("completed");
    assertThat(cli.json("tasks", "list", "--label", "security")).extracting(t -> t.path("id").asLong()).doesNotContain(id);
    assertThat(cli.json("tasks", "list", "--completed", "--label", "security")).extracting(t -> t.path("id").asLong()).contains(id);
  }

  @Test
  void deleteNeedsYesOffersDryRunAndReportsMissingTasks() {
    long id = cli.json("tasks", "create", "Temporary task").path("id").asLong();

    Cli.Result refused = cli.run("tasks", "delete", String.valueOf(id));
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("--yes");

    JsonNode dry = cli.json("tasks", "delete", String.valueOf(id), "--dry-run");
    assertThat(dry.path("dry_run").asBoolean()).isTrue();
    assertThat(dry.path("would_delete").path("id").asLong()).isEqualTo(id);
    assertThat(cli.run("tasks", "show", String.valueOf(id)).exit()).isZero();

    JsonNode deleted = cli.json("tasks", "delete", String.valueOf(id), "--yes");
    assertThat(deleted.path("id").asLong()).isEqualTo(id);
    assertThat(deleted.path("deleted").asBoolean()).isTrue();

    Cli.Result missing = cli.run("tasks", "show", String.valueOf(id));
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).startsWith("Error: ").contains("404");

    Cli.Result missingJson = cli.run("tasks", "show", String.valueOf(id), "--json");
    assertThat(missingJson.exit()).isEqualTo(1);
    assertThat(missingJson.errJson().path("code").asString()).isEqualTo("not_found");
    assertThat(missingJson.errJson().path("status").asInt()).isEqualTo(404);
  }

  @Test
  void delegatesAssignsAndRendersTheChainAsATree() {
    String workerKey = server.newAgent("chain-worker");
    long worker = server.agentId(workerKey);
    long parent = cli.json("tasks", "create", "Ship the release").path("id").asLong();

    JsonNode child = cli.json("tasks", "delegate", String.valueOf(parent), String.valueOf(worker), "--content", "Run the test suite");
    long childId = child.path("id").asLong();
    assertThat(child.path("parent_task_id").asLong()).isEqualTo(parent);
    assertThat(child.path("assigned_to_agent_id").asLong()).isEqualTo(worker);
    assertThat(cli.json("tasks", "show", String.valueOf(parent)).path("status").asString()).isEqualTo("delegated");

    JsonNode chain = cli.json("tasks", "chain", String.valueOf(childId));
    assertThat(chain.path("root_id").asLong()).isEqualTo(parent);
    assertThat(chain.path("total_count").asInt()).isEqualTo(2);
    Cli.Result tree = cli.run("tasks", "chain", String.valueOf(parent));
    assertThat(tree.out()).contains("#" + parent + " Ship the release [delegated]")
        .contains("└── #" + childId + " Run the test suite [open] → chain-worker");

    long other = cli.json("tasks", "create", "Write release notes").path("id").asLong();
    assertThat(cli.json("tasks", "assign", String.valueOf(other), String.valueOf(worker)).path("assigned_to_agent_id").asLong())
        .isEqualTo(worker);
    assertThat(cli.json("tasks", "assign", String.valueOf(other), "--unassign").path("assigned_to_agent_id").isNull()).isTrue();
    Cli.Result neither = cli.run("tasks", "assign", String.valueOf(other));
    assertThat(neither.exit()).isEqualTo(1);
    assertThat(neither.err()).contains("--unassign");
  }

  @Test
  void setsContextWithVersionsAndReportsConflicts() {
    long id = cli.json("tasks", "create", "Remember things").path("id").asLong();
    JsonNode first = cli.json("tasks", "set-context", String.valueOf(id), "--kv", "step=3", "--kv", "stage=build", "--kv", "done=[\"lint\"]");
    assertThat(first.path("context").path("step").asInt()).isEqualTo(3);
    assertThat(first.path("context").path("stage").asString()).isEqualTo("build");
    assertThat(first.path("context").path("done").get(0).asString()).isEqualTo("lint");
    long version = first.path("version").asLong();

    JsonNode second = cli.json("tasks", "set-context", String.valueOf(id), "--delete", "stage", "--expected-version", String.valueOf(version));
    assertThat(second.path("context").has("stage")).isFalse();

    Cli.Result conflict = cli.run("tasks", "set-context", String.valueOf(id), "--kv", "x=1", "--expected-version", String.valueOf(version), "--json");
    assertThat(conflict.exit()).isEqualTo(1);
    assertThat(conflict.errJson().path("code").asString()).isEqualTo("version_conflict");

    Cli.Result nothing = cli.run("tasks", "set-context", String.valueOf(id));
    assertThat(nothing.exit()).isEqualTo(1);
    assertThat(nothing.err()).contains("Nothing to set");
  }

  @Test
  void dedupCheckRefusesADuplicateUnlessForced() {
    long first = cli.json("tasks", "create", "Renew the TLS certificate for billing.example.com").path("id").asLong();
    JsonNode found = cli.json("tasks", "dedup", "--content", "Renew the TLS certificate for billing.example.com");
    assertThat(found.path("has_duplicates").asBoolean()).isTrue();
    assertThat(found.path("matches").get(0).path("task_id").asLong()).isEqualTo(first);
    assertThat(cli.run("tasks", "dedup", "--content", "Renew the TLS certificate for billing.example.com").out())
        .contains("possible duplicate", "#" + first);

    Cli.Result refused = cli.run("tasks", "create", "Renew the TLS certificate for billing.example.com", "--dedup-check");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("409", "Similar open tasks", "#" + first, "--force");
    Cli.Result refusedJson = cli.run("tasks", "create", "Renew the TLS certificate for billing.example.com", "--dedup-check", "--json");
    assertThat(refusedJson.errJson().path("code").asString()).isEqualTo("duplicate_task");

    JsonNode forced = cli.json("tasks", "create", "Renew the TLS certificate for billing.example.com", "--dedup-check", "--force");
    assertThat(forced.path("id").asLong()).isNotEqualTo(first);
  }

  @Test
  void showsTheAuditTrail() {
    long id = cli.json("tasks", "create", "Audited task").path("id").asLong();
    cli.json("tasks", "complete", String.valueOf(id));
    JsonNode events = cli.json("tasks", "events", String.valueOf(id));
    assertThat(events).extracting(e -> e.path("type").asString()).contains("task.created", "task.completed");
    assertThat(cli.run("tasks", "events", String.valueOf(id)).out()).startsWith("ID").contains("task.created");
  }

  @Test
  void apiUrlFlagWorksBeforeOrAfterTheSubcommandAndWinsOverTheEnvironment() {
    Cli misdirected = Cli.against("http://127.0.0.1:1", server.adminKey());
    assertThat(misdirected.run("tasks", "list", "--json").exit()).isEqualTo(1);
    assertThat(misdirected.run("--api-url", server.rootUrl(), "tasks", "list", "--json").exit()).isZero();
    assertThat(misdirected.run("tasks", "list", "--api-url", server.baseUrl(), "--json").exit()).isZero();
  }

  @Test
  void failsWithoutAKeyAndOnABadKey() {
    Cli.Result noKey = Cli.against(server.rootUrl(), null).run("tasks", "list");
    assertThat(noKey.exit()).isEqualTo(1);
    assertThat(noKey.err()).contains("Not authenticated");

    Cli.Result badKey = Cli.against(server.rootUrl(), "dlg_not_a_real_key").run("tasks", "list");
    assertThat(badKey.exit()).isEqualTo(1);
    assertThat(badKey.err()).contains("401").contains("delega login");

    Cli.Result unreachable = Cli.against("http://127.0.0.1:1", "dlg_x").run("tasks", "list");
    assertThat(unreachable.exit()).isEqualTo(1);
    assertThat(unreachable.err()).contains("Cannot reach");
  }

  @Test
  void usageErrorsExitWithOne() {
    assertThat(cli.run("tasks", "create").exit()).isEqualTo(1);
    assertThat(cli.run("tasks", "show", "abc").exit()).isEqualTo(1);
    assertThat(cli.run("no-such-command").exit()).isEqualTo(1);
    assertThat(cli.run("tasks").exit()).isEqualTo(1);
    Cli.Result help = cli.run("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("serve", "mcp", "init", "tasks", "agents", "webhooks", "backup", "restore", "dedup-eval");
    assertThat(cli.run("--version").out()).startsWith("delega " + Delega.VERSION);
    Cli.Result subHelp = cli.run("tasks", "list", "--help");
    assertThat(subHelp.exit()).isZero();
    assertThat(subHelp.out()).contains("Usage: delega tasks list", "--json", "--api-url");
    assertThat(cli.run("tasks", "list", "--no-such-flag").err()).contains("Unknown option");
  }
}

package dev.delega.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.client.DelegaClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a tool call becomes requests and how failures become error results. */
class DelegaToolsTest {
  private final FakeDelegaApi api = new FakeDelegaApi();
  private final DelegaClient client =
      DelegaClient.builder().baseUrl(api.baseUrl()).apiKey("dlg_test").retries(0).build();

  @AfterEach
  void close() {
    client.close();
    api.close();
  }

  private ToolResult call(String tool, Map<String, Object> args) {
    return DelegaTools.call(tool, client, args, McpOptions.defaults());
  }

  @Test
  void claimRequiredGetsTheMcpHint() {
    api.on("POST", "/tasks/5/complete", 403,
        "{\"error\":\"Task 5 is claimable: claim it first with POST /tasks/{id}/claim\",\"code\":\"claim_required\",\"status\":403}");
    ToolResult r = call("complete_task", Map.of("task_id", "5"));
    assertThat(r.error()).isTrue();
    assertThat(r.text())
        .isEqualTo("Error: Task 5 is claimable: claim it first with POST /tasks/{id}/claim (MCP: claim_task with task_id)");
  }

  @Test
  void serverMessagesComeBackAsErrorResults() {
    api.on("GET", "/tasks/9", 404, "{\"error\":\"Task not found\",\"code\":\"not_found\",\"status\":404}");
    ToolResult r = call("get_task", Map.of("task_id", 9));
    assertThat(r).isEqualTo(ToolResult.failed("Error: Task not found"));
  }

  @Test
  void badArgumentsFailWithoutARequest() {
    ToolResult r = call("claim_task", Map.of("lease_seconds", 10));
    assertThat(r.error()).isTrue();
    assertThat(r.text()).isEqualTo("Error: invalid arguments for claim_task: lease_seconds must be at least 30, got 10");
    ToolResult id = call("get_task", Map.of("task_id", "3a7d"));
    assertThat(id.text()).startsWith("Error: invalid arguments for get_task: task_id must be a numeric id");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void unknownToolIsAnErrorResult() {
    assertThat(call("no_such_tool", Map.of()).text()).startsWith("Error: unknown tool no_such_tool");
  }

  @Test
  void versionConflictShowsTheCurrentContext() {
    api.on("PATCH", "/tasks/3/context", 409,
        "{\"error\":\"context changed\",\"code\":\"version_conflict\",\"status\":409,\"version\":4,\"context\":{\"plan\":\"B\"}}");
    ToolResult r = call("update_task_context", Map.of("task_id", 3, "context", Map.of("plan", "A"), "expected_version", 2));
    assertThat(r.error()).isTrue();
    assertThat(r.text())
        .startsWith("Context version conflict for task #3")
        .contains("Current context (version 4):\n{\n  \"plan\": \"B\"\n}")
        .endsWith("retry with expected_version 4.");
    assertThat(api.requests.getFirst().path()).isEqualTo("/api/tasks/3/context?expected_version=2");
  }

  @Test
  void queueClaimWithAnEmptyQueue() {
    api.on("POST", "/tasks/claim", 200, "{\"task\":null}");
    ToolResult r = call("claim_task", Map.of("lease_seconds", 60, "labels", List.of("ops")));
    assertThat(r).isEqualTo(ToolResult.ok("No claimable tasks in the queue."));
    assertThat(api.requests.getFirst().body()).contains("\"lease_seconds\":60").contains("\"labels\":[\"ops\"]");
  }

  @Test
  void completeSendsEvidenceOnlyWhenGiven() {
    api.on("POST", "/tasks/4/complete", 200, "{\"id\":4,\"content\":\"x\",\"completed\":true,\"next_occurrence\":\"2026-12-01\"}");
    assertThat(call("complete_task", Map.of("task_id", 4)).text())
        .isEqualTo("Task #4 completed.\nNext occurrence: 2026-12-01");
    assertThat(api.requests.getFirst().body()).isEmpty();
    call("complete_task", Map.of("task_id", 4, "evidence", List.of(Map.of("kind", "pr", "ref", "42"))));
    assertThat(api.requests.get(1).body()).isEqualTo("{\"evidence\":[{\"kind\":\"pr\",\"ref\":\"42\",\"summary\":null}]}");
  }

  @Test
  void assignWithNullUnassigns() {
    api.on("PUT", "/tasks/2", 200, "{\"id\":2,\"content\":\"Deploy\",\"status\":\"open\"}");
    Map<String, Object> args = new HashMap<>();
    args.put("task_id", 2);
    args.put("agent_id", null);
    ToolResult r = call("assign_task", args);
    assertThat(r.text()).startsWith("Task unassigned:\n\n[#2] Deploy");
    assertThat(api.requests.getFirst().body()).isEqualTo("{\"assigned_to_agent_id\":null}");
  }

  @Test
  void addDependencyRewritesBlockedByUnderTheTaskVersion() {
    api.on("GET", "/tasks/8", 200, "{\"id\":8,\"content\":\"Ship\",\"blocked_by\":[3],\"version\":5}");
    api.on("PUT", "/tasks/8", 200, "{\"id\":8,\"content\":\"Ship\",\"status\":\"blocked\",\"blocked_by\":[3,4],\"version\":6}");
    ToolResult r = call("add_dependency", Map.of("task_id", 8, "blocked_by_task_id", "4"));
    assertThat(r.text()).startsWith("Dependency added: task #8 is blocked by #4.").contains("Blocked by: #3, #4");
    assertThat(api.requests.get(1).body()).isEqualTo("{\"blocked_by\":[3,4]}");
  }
}

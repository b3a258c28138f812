package dev.delega.server.mcp;

import static dev.delega.server.mcp.McpClients.call;
import static dev.delega.server.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.testing.DelegaServerExtension;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A coordinator (over Streamable HTTP) and a worker (over stdio) share work through MCP only: the
 * coordinator checks for duplicates, creates and delegates; the worker claims, heartbeats, records
 * context and completes with evidence; the coordinator then sees the chain, the context and the
 * events.
 */
class McpMultiAgentTest {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  private static long id(String text) {
    Matcher m = Pattern.compile("\\[#(\\d+)\\]").matcher(text);
    assertThat(m.find()).as("an id in:\n" + text).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static String ok(McpSyncClient client, String tool, Map<String, Object> args) {
    McpSchema.CallToolResult r = call(client, tool, args);
    String text = text(r);
    assertThat(r.isError()).as(tool + " answered:\n" + text).isNotEqualTo(Boolean.TRUE);
    return text;
  }

  @Test
  void coordinatorDelegatesWorkerClaimsAndCompletes() {
    String coordinatorKey = server.newAgent("coordinator", "coordinator", Map.of());
    String workerKey = server.newAgent("worker-1", "worker", Map.of());
    long workerId = server.agentId(workerKey);
    McpSyncClient coordinator = McpClients.http(server.rootUrl(), coordinatorKey);
    McpSyncClient worker = McpClients.stdio(server.baseUrl(), workerKey);
    try {
      // the coordinator checks for duplicates, then creates the root and delegates a part
      assertThat(ok(coordinator, "find_duplicate_tasks", Map.of("content", "Release version 1.2 of the billing service")))
          .isEqualTo("No duplicates found.");
      long root = id(ok(coordinator, "create_task", Map.of("content", "Release version 1.2 of the billing service", "priority", 3)));
      String delegated =
          ok(coordinator, "delegate_task",
              Map.of("task_id", root, "content", "Write the 1.2 release notes", "assigned_to_agent_id", workerId,
                  "evidence_policy", "required"));
      long child = id(delegated);
      assertThat(delegated).contains("Assigned to: worker-1 (#" + workerId + ")").contains("Delegated by: coordinator");

      // the worker finds its task, claims it, heartbeats, records context and completes with evidence
      assertThat(ok(worker, "list_tasks", Map.of("completed", false))).contains("[#" + child + "] Write the 1.2 release notes");
      assertThat(ok(worker, "claim_task", Map.of("task_id", String.valueOf(child), "lease_seconds", 300)))
          .startsWith("Task claimed (lease expires");
      assertThat(ok(worker, "heartbeat_task", Map.of("task_id", child, "state", "working", "detail", "drafting")))
          .contains("State: working");
      assertThat(ok(worker, "update_task_context",
              Map.of("task_id", child, "context", Map.of("draft", "notes/1.2.md", "sections", List.of("fixes", "features")),
                  "source", "agent_observed")))
          .contains("Context updated for task #" + child);
      McpSchema.CallToolResult weak =
          call(worker, "complete_task",
              Map.of("task_id", child, "evidence", List.of(Map.of("kind", "command_output", "ref", "make notes"))));
      assertThat(weak.isError()).as("command_output alone does not satisfy evidence_policy=required: " + text(weak)).isTrue();
      assertThat(ok(worker, "complete_task",
              Map.of("task_id", child, "evidence",
                  List.of(Map.of("kind", "commit", "ref", "a1b2c3d", "summary", "release notes for 1.2")))))
          .isEqualTo("Task #" + child + " completed.");

      // the coordinator sees the chain, the recorded context and the events
      assertThat(ok(coordinator, "get_task_chain", Map.of("task_id", root)))
          .startsWith("Delegation chain (root #" + root + ", depth 1, 1/2 complete):")
          .contains("[#" + child + "] Write the 1.2 release notes (depth 1, completed)");
      assertThat(ok(coordinator, "get_task_context", Map.of("task_id", child, "include_provenance", true)))
          .contains("\"draft\": \"notes/1.2.md\"")
          .contains("by worker-1, agent_observed");
      String detail = ok(coordinator, "get_task", Map.of("task_id", child));
      assertThat(detail).contains("Completed: yes").contains("Completed by: worker-1").contains("commit: a1b2c3d — release notes for 1.2");
      assertThat(ok(coordinator, "get_task_events", Map.of("task_id", child)))
          .contains("task.claimed")
          .contains("task.completed")
          .contains("by worker-1");
    } finally {
      worker.closeGracefully();
      coordinator.closeGracefully();
    }
  }

  @Test
  void writingToAQueueTaskWithoutTheClaimPointsToClaimTask() {
    String coordinatorKey = server.newAgent("coord-2", "coordinator", Map.of());
    String workerKey = server.newAgent("worker-2", "worker", Map.of());
    McpSyncClient coordinator = McpClients.http(server.rootUrl(), coordinatorKey);
    McpSyncClient worker = McpClients.http(server.rootUrl(), workerKey);
    try {
      long root = id(ok(coordinator, "create_task", Map.of("content", "Rebuild the search index")));
      ok(coordinator, "delegate_task",
          Map.of("task_id", root, "content", "Reindex products", "assigned_to_agent_id", server.agentId(workerKey)));
      // the worker sees the root through the chain but holds no claim on it
      McpSchema.CallToolResult r = call(worker, "update_task", Map.of("task_id", root, "priority", 4));
      assertThat(r.isError()).as(text(r)).isTrue();
      assertThat(text(r))
          .startsWith("Error: task " + root + " is in the work queue and not held by this agent")
          .endsWith("(MCP: claim_task with task_id)");
    } finally {
      worker.closeGracefully();
      coordinator.closeGracefully();
    }
  }

  @Test
  void anotherAgentCannotHeartbeatAHeldClaim() {
    String coordinatorKey = server.newAgent("coord-3", "coordinator", Map.of());
    String holderKey = server.newAgent("holder", "worker", Map.of());
    McpSyncClient coordinator = McpClients.http(server.rootUrl(), coordinatorKey);
    McpSyncClient holder = McpClients.http(server.rootUrl(), holderKey);
    try {
      long task = id(ok(coordinator, "create_task", Map.of("content", "Rotate the backup keys")));
      ok(coordinator, "assign_task", Map.of("task_id", task, "agent_id", server.agentId(holderKey)));
      ok(holder, "claim_task", Map.of("task_id", task));
      McpSchema.CallToolResult r = call(coordinator, "heartbeat_task", Map.of("task_id", task));
      assertThat(r.isError()).as(text(r)).isTrue();
      assertThat(text(r)).startsWith("Error: ");
    } finally {
      holder.closeGracefully();
      coordinator.closeGracefully();
    }
  }
}

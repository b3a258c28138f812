package dev.delega.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.delega.server.mcp.McpClients.Transport;
import dev.delega.server.testing.DelegaServerExtension;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every tool, called through the official MCP Java SDK client against a running server, on both
 * transports (Streamable HTTP at {@code /mcp}, and stdio through a child {@code delega mcp} JVM).
 * One dynamic test per call, in order, so the report names each tool that works and each that
 * does not; calls share state (the ids created earlier).
 */
class McpToolsTest {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  private static HttpServer receiver;
  private static final Map<Transport, McpSyncClient> clients = new ConcurrentHashMap<>();

  @BeforeAll
  static void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterAll
  static void stop() {
    clients.values().forEach(McpSyncClient::closeGracefully);
    receiver.stop(0);
  }

  @TestFactory
  Stream<DynamicTest> everyToolOverHttp() {
    return script(Transport.HTTP);
  }

  @TestFactory
  Stream<DynamicTest> everyToolOverStdio() {
    return script(Transport.STDIO);
  }

  @TestFactory
  Stream<DynamicTest> toolsListMatchesTheContract() {
    return Stream.of(Transport.values())
        .map(
            t ->
                DynamicTest.dynamicTest(
                    t + ": tools/list",
                    () -> {
                      McpSyncClient client = client(t);
                      List<McpSchema.Tool> tools = client.listTools().tools();
                      assertThat(tools.stream().map(McpSchema.Tool::name).toList())
                          .containsExactlyElementsOf(McpContract.TOOLS.keySet());
                      for (McpSchema.Tool tool : tools) {
                        Object required = tool.inputSchema().get("required");
                        List<String> actual = new ArrayList<>();
                        if (required instanceof List<?> list) {
                          list.forEach(r -> actual.add((String) r));
                        }
                        assertThat(actual)
                            .as(tool.name())
                            .containsExactlyInAnyOrderElementsOf(McpContract.TOOLS.get(tool.name()));
                        assertThat(tool.description()).as(tool.name()).isNotBlank();
                      }
                      assertThat(client.getServerInstructions()).contains("claim_task");
                      assertThat(client.getServerInfo().name()).isEqualTo("delega-mcp");
                    }));
  }

  private static McpSyncClient client(Transport t) {
    return clients.computeIfAbsent(t, x -> McpClients.open(x, server.rootUrl(), server.adminKey()));
  }

  /** One call and what its text must show. */
  record Step(
      String tool,
      Function<Map<String, String>, Map<String, Object>> args,
      boolean error,
      List<String> contains,
      Map<String, String> capture) {}

  private static Step ok(String tool, Function<Map<String, String>, Map<String, Object>> args, String... contains) {
    return new Step(tool, args, false, List.of(contains), Map.of());
  }

  private static Step failing(String tool, Function<Map<String, String>, Map<String, Object>> args, String... contains) {
    return new Step(tool, args, true, List.of(contains), Map.of());
  }

  private static Step capture(Step s, String var, String regex) {
    Map<String, String> c = new HashMap<>(s.capture());
    c.put(var, regex);
    return new Step(s.tool(), s.args(), s.error(), s.contains(), c);
  }

  private static Map<String, Object> m(Object... kv) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put((String) kv[i], kv[i + 1]);
    }
    return out;
  }

  private static long n(Map<String, String> v, String name) {
    return Long.parseLong(v.get(name));
  }

  static List<Step> steps(Transport t, String receiverUrl) {
    String tag = t.name().toLowerCase(java.util.Locale.ROOT);
    String content = "Rotate the " + tag + " signing keys on host kv-" + tag + "-17";
    String id = "\\[#(\\d+)\\]";
    List<Step> s = new ArrayList<>();
    // account
    s.add(ok("get_stats", v -> m(), "Task Statistics:", "Total tasks:"));
    s.add(ok("get_usage", v -> m(), "Usage:", "Plan: self-hosted"));
    s.add(ok("list_projects", v -> m()));
    s.add(capture(ok("register_agent", v -> m("name", "mcp-worker-" + tag, "display_name", "Worker " + tag, "role", "worker"),
        "Agent registered:", "API Key Preview: dlg_", "DELEGA_REVEAL_AGENT_KEYS"), "worker", id));
    s.add(ok("list_agents", v -> m(), "mcp-worker-" + tag));
    s.add(ok("set_agent_role", v -> m("agent_id", v.get("worker"), "role", "coordinator"), "Role updated:", "Role: coordinator"));
    // tasks
    s.add(capture(ok("create_task", v -> m("content", content, "priority", 2, "labels", List.of("mcp-" + tag)),
        "Task created:", content, "Labels: mcp-" + tag), "a", id));
    s.add(ok("find_duplicate_tasks", v -> m("content", content), "possible duplicate", "[#" + "%a%" + "]"));
    s.add(failing("create_task", v -> m("content", content, "dedup_check", true), "Error:", "[#%a%]"));
    s.add(ok("list_tasks", v -> m("completed", false, "label", "mcp-" + tag), "[#%a%] " + content));
    s.add(ok("get_task", v -> m("task_id", v.get("a")), "[#%a%] " + content, "Completed: no"));
    s.add(ok("update_task", v -> m("task_id", n(v, "a"), "description", "quarterly rotation", "priority", 3),
        "Task updated:", "Description: quarterly rotation", "Priority: 3"));
    s.add(ok("add_comment", v -> m("task_id", v.get("a"), "content", "starting soon"), "Comment added to task #%a%", "starting soon"));
    s.add(ok("link_task", v -> m("task_id", v.get("a"), "kind", "pr", "repo", "acme/keys", "ref", "42", "url", "https://example.com/acme/keys/pull/42"),
        "Task #%a% linked:", "\"ref\": \"42\""));
    s.add(ok("list_task_links", v -> m("task_id", v.get("a")), "pr: acme/keys 42 — https://example.com/acme/keys/pull/42"));
    // memory
    s.add(capture(ok("get_task_context", v -> m("task_id", v.get("a")), "Task #%a% has no saved context yet", "context version"),
        "v0", "context version (\\d+)"));
    s.add(capture(ok("update_task_context", v -> m("task_id", v.get("a"), "context", m("approach", "dual-sign window", "step", 1),
            "expected_version", n(v, "v0"), "source", "agent_observed"),
        "Context updated for task #%a%", "\"approach\": \"dual-sign window\""), "v1", "now version (\\d+)"));
    s.add(failing("update_task_context", v -> m("task_id", v.get("a"), "context", m("step", 2), "expected_version", n(v, "v0")),
        "Context version conflict for task #%a%", "retry with expected_version %v1%"));
    s.add(ok("get_task_context", v -> m("task_id", v.get("a"), "include_provenance", true),
        "Context for task #%a%", "dual-sign window", "Provenance:", "agent_observed"));
    s.add(ok("get_context_history", v -> m("task_id", v.get("a"), "key", "approach"), "Context history for task #%a%:", "approach (v"));
    s.add(ok("recall", v -> m("q", "dual-sign window"), "Recall", "approach", "task #%a%"));
    // dependencies and the ready queue
    s.add(capture(ok("create_task", v -> m("content", "Publish the " + tag + " key fingerprints", "labels", List.of("mcp-" + tag)),
        "Task created:"), "b", id));
    s.add(ok("add_dependency", v -> m("task_id", v.get("a"), "blocked_by_task_id", n(v, "b")),
        "Dependency added: task #%a% is blocked by #%b%", "Blocked by: #%b%"));
    s.add(ok("list_ready_tasks", v -> m("label", "mcp-" + tag), "[#%b%]"));
    s.add(ok("remove_dependency", v -> m("task_id", v.get("a"), "blocked_by_task_id", v.get("b")), "no longer waits for #%b%"));
    // claims
    s.add(ok("claim_task", v -> m("task_id", v.get("a"), "lease_seconds", 120), "Task claimed (lease expires", "[#%a%]"));
    s.add(ok("heartbeat_task", v -> m("task_id", v.get("a"), "lease_seconds", 300, "state", "working", "detail", "rotating"),
        "Lease extended until", "State: working"));
    s.add(ok("set_task_state", v -> m("task_id", v.get("a"), "state", "waiting_input", "detail", "need the HSM PIN"),
        "Task #%a% state set to waiting_input", "need the HSM PIN", "lease unchanged"));
    s.add(ok("fleet_attention", v -> m(), "Fleet attention"));
    s.add(ok("release_task", v -> m("task_id", v.get("a"), "handoff", "new keys generated, not yet published"),
        "Task #%a% released back to the queue with a handoff note."));
    s.add(ok("claim_task", v -> m("labels", List.of("mcp-" + tag), "lease_seconds", 60), "Task claimed"));
    s.add(failing("claim_task", v -> m("lease_seconds", 5), "lease_seconds must be at least 30"));
    s.add(ok("complete_task", v -> m("task_id", v.get("a"), "evidence", List.of(m("kind", "pr", "ref", "acme/keys#42", "summary", "rotation merged"))),
        "Task #%a% completed."));
    s.add(ok("get_task_events", v -> m("task_id", v.get("a")), "Events for task #%a%", "task.created", "task.completed"));
    // assignment and delegation
    s.add(ok("assign_task", v -> m("task_id", v.get("b"), "agent_id", v.get("worker")), "Task assigned:", "Assigned to: Worker " + tag));
    s.add(ok("assign_task", v -> m("task_id", v.get("b"), "agent_id", null), "Task unassigned:"));
    s.add(capture(ok("delegate_task", v -> m("task_id", v.get("b"), "content", "Draft the " + tag + " announcement", "assigned_to_agent_id", n(v, "worker")),
        "Task delegated:", "Delegation: depth 1, parent #%b%"), "c", id));
    s.add(ok("get_task_chain", v -> m("task_id", v.get("c")), "Delegation chain (root #%b%, depth 1, 0/2 complete):",
        "[#%c%] Draft the " + tag + " announcement (depth 1"));
    s.add(ok("delete_task", v -> m("task_id", v.get("c")), "Task #%c% deleted."));
    s.add(failing("get_task", v -> m("task_id", v.get("c")), "Error:"));
    // webhooks
    s.add(capture(ok("create_webhook", v -> m("url", receiverUrl + "/hook-" + tag, "events", List.of("task.created", "task.completed")),
        "Webhook created:", "Secret: whsec_", "(masked)"), "w", "ID: (\\d+)"));
    s.add(ok("list_webhooks", v -> m(), "[#%w%] " + receiverUrl + "/hook-" + tag, "Events: task.created, task.completed"));
    s.add(capture(ok("test_webhook", v -> m("webhook_id", v.get("w")), "Test delivery queued for webhook #%w%", "webhook.test"),
        "d", "\\[([^\\]\\s]+)\\] webhook\\.test"));
    s.add(ok("list_webhook_deliveries", v -> m("webhook_id", v.get("w"), "limit", 10), "Deliveries for webhook #%w%", "webhook.test"));
    s.add(ok("redeliver_webhook", v -> m("webhook_id", v.get("w"), "delivery_id", v.get("d")), "Redelivery queued for webhook #%w%", "[%d%]"));
    s.add(ok("delete_webhook", v -> m("webhook_id", v.get("w")), "Webhook #%w% deleted."));
    // automations
    s.add(capture(ok("create_automation", v -> m("name", "triage " + tag, "event", "task.created",
            "conditions", List.of(m("field", "label", "op", "has", "value", "incident-" + tag)),
            "actions", List.of(m("type", "set_priority", "priority", 4), m("type", "add_label", "label", "triaged"))),
        "Automation created:", "When: task.created · If: label has incident-" + tag, "Then: set_priority, add_label"), "r", id));
    s.add(ok("list_automations", v -> m(), "[#%r%] triage " + tag));
    s.add(ok("update_automation", v -> m("automation_id", v.get("r"), "active", false), "Automation updated:", "Active: no"));
    s.add(ok("delete_automation", v -> m("automation_id", v.get("r")), "Automation #%r% deleted."));
    // ingress
    s.add(capture(ok("create_ingress_source", v -> m("name", "ci-" + tag,
            "template", m("content", "CI failed on {{payload.branch}}", "priority", 3, "labels", List.of("ci")),
            "filters", List.of(m("path", "payload.status", "op", "eq", "value", "failed"))),
        "Ingress source created:", "Template: CI failed on {{payload.branch}}", "(masked)"), "i", id));
    s.add(ok("list_ingress_sources", v -> m(), "[#%i%] ci-" + tag));
    s.add(ok("update_ingress_source", v -> m("source_id", v.get("i"), "active", false, "default_project_id", null),
        "Ingress source updated:", "Active: no"));
    s.add(ok("delete_ingress_source", v -> m("source_id", v.get("i")), "Ingress source #%i% deleted."));
    // recurrences
    s.add(capture(ok("create_recurring_task", v -> m("content", "Weekly " + tag + " key audit", "rule_type", "weekly",
            "anchor_weekday", 1, "timezone", "Europe/Berlin", "assigned_to_agent_id", v.get("worker")),
        "Recurring task created:", "Rule: weekly, weekday 1", "Timezone: Europe/Berlin"), "rec", id));
    s.add(ok("list_recurrences", v -> m(), "[#%rec%] Weekly " + tag + " key audit"));
    s.add(ok("update_recurrence", v -> m("recurrence_id", v.get("rec"), "active", false, "interval", 2),
        "Recurrence updated:", "every 2", "Active: no"));
    s.add(ok("delete_recurrence", v -> m("recurrence_id", v.get("rec")), "Recurrence #%rec% deleted."));
    // clean up the agent last
    s.add(ok("delete_agent", v -> m("agent_id", v.get("worker")), "Agent #%worker% deleted."));
    return s;
  }

  private Stream<DynamicTest> script(Transport t) {
    String receiverUrl = "http://127.0.0.1:" + receiver.getAddress().getPort();
    List<Step> steps = steps(t, receiverUrl);
    Map<String, String> vars = new ConcurrentHashMap<>();
    Set<String> called = new LinkedHashSet<>();
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      tests.add(
          DynamicTest.dynamicTest(
              t + " " + (i + 1) + ": " + step.tool(),
              () -> {
                called.add(step.tool());
                Map<String, Object> args = step.args().apply(vars);
                McpSchema.CallToolResult result = McpClients.call(client(t), step.tool(), args);
                String text = McpClients.text(result);
                assertThat(Boolean.TRUE.equals(result.isError()))
                    .as(step.tool() + " " + args + " answered:\n" + text)
                    .isEqualTo(step.error());
                for (String expected : step.contains()) {
                  assertThat(text).as(step.tool()).contains(substitute(expected, vars));
                }
                step.capture()
                    .forEach(
                        (name, regex) -> {
                          Matcher matcher = Pattern.compile(regex).matcher(text);
                          assertThat(matcher.find()).as(step.tool() + " captures " + name + " from\n" + text).isTrue();
                          vars.put(name, matcher.group(1));
                        });
              }));
    }
    tests.add(
        DynamicTest.dynamicTest(
            t + ": the script calls every tool",
            () -> assertThat(called).containsExactlyInAnyOrderElementsOf(McpContract.TOOLS.keySet())));
    return tests.stream();
  }

  private static String substitute(String text, Map<String, String> vars) {
    String out = text;
    for (Map.Entry<String, String> e : vars.entrySet()) {
      out = out.replace("%" + e.getKey() + "%", e.getValue());
    }
    return out;
  }
}

package dev.delega.mcp;

import dev.delega.client.DelegaApiException;
import dev.delega.client.DelegaClient;
import dev.delega.client.DelegaTransportException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one set of Delega MCP tools: the 44 of the official delega-mcp client with compatible names
 * and input schemas, plus ours. Every tool works through the Java SDK, so the stdio and the HTTP
 * transport behave identically; API failures become {@code isError} results that carry the
 * server's message, never protocol errors.
 */
public final class DelegaTools {
  /** The 44 tool names of the official delega-mcp 1.18.3, in its documentation's order. */
  public static final List<String> OFFICIAL =
      List.of(
          // tasks
          "list_tasks",
          "get_task",
          "create_task",
          "update_task",
          "assign_task",
          "delegate_task",
          "get_task_chain",
          "complete_task",
          "delete_task",
          "add_comment",
          "link_task",
          "list_task_links",
          "find_duplicate_tasks",
          // context and memory
          "get_task_context",
          "update_task_context",
          "get_context_history",
          "recall",
          // claims and leases
          "claim_task",
          "heartbeat_task",
          "set_task_state",
          "release_task",
          // account and fleet
          "get_usage",
          "fleet_attention",
          "get_stats",
          "list_projects",
          // agents
          "list_agents",
          "register_agent",
          "set_agent_role",
          "delete_agent",
          // webhooks, automations, ingress
          "list_webhooks",
          "create_webhook",
          "delete_webhook",
          "list_automations",
          "create_automation",
          "update_automation",
          "delete_automation",
          "list_ingress_sources",
          "create_ingress_source",
          "update_ingress_source",
          "delete_ingress_source",
          // recurrences
          "list_recurrences",
          "create_recurring_task",
          "update_recurrence",
          "delete_recurrence");

  /** Our additions (spec §10): dependencies, the ready queue, the audit trail, webhook deliveries. */
  public static final List<String> OURS =
      List.of(
          "add_dependency",
          "remove_dependency",
          "list_ready_tasks",
          "get_task_events",
          "list_webhook_deliveries",
          "redeliver_webhook",
          "test_webhook");

  private static final Logger LOG = LoggerFactory.getLogger(DelegaTools.class);
  private static final String CLAIM_HINT = " (MCP: claim_task with task_id)";
  private static final Map<String, ToolDef> TOOLS = index();

  private DelegaTools() {}

  /** Every tool name, official first. */
  public static List<String> names() {
    List<String> all = new ArrayList<>(OFFICIAL);
    all.addAll(OURS);
    return Collections.unmodifiableList(all);
  }

  /** The definitions, official first, each name once. */
  static List<ToolDef> definitions() {
    return List.copyOf(TOOLS.values());
  }

  static ToolDef definition(String name) {
    return TOOLS.get(name);
  }

  private static Map<String, ToolDef> index() {
    Map<String, ToolDef> byName = new LinkedHashMap<>();
    List<ToolDef> all = new ArrayList<>();
    all.addAll(TaskTools.tools());
    all.addAll(MemoryTools.tools());
    all.addAll(AccountTools.tools());
    all.addAll(AutomationTools.tools());
    for (ToolDef t : all) {
      if (byName.put(t.name(), t) != null) {
        throw new IllegalStateException("tool defined twice: " + t.name());
      }
    }
    Map<String, ToolDef> ordered = new LinkedHashMap<>();
    for (String name : names()) {
      ToolDef t = byName.remove(name);
      if (t == null) {
        throw new IllegalStateException("no definition for tool " + name);
      }
      ordered.put(name, t);
    }
    if (!byName.isEmpty()) {
      throw new IllegalStateException("tools missing from OFFICIAL/OURS: " + byName.keySet());
    }
    return Collections.unmodifiableMap(ordered);
  }

  /**
   * Calls one tool as the agent behind {@code client}: checks the arguments against the tool's
   * schema, runs it, and turns every failure into an error result.
   */
  static ToolResult call(String name, DelegaClient client, Map<String, Object> arguments, McpOptions options) {
    ToolDef tool = TOOLS.get(name);
    if (tool == null) {
      return ToolResult.failed("Error: unknown tool " + name + "; call tools/list for the tool names.");
    }
    Map<String, Object> args = arguments == null ? Map.of() : arguments;
    List<String> problems = Schema.check(tool.inputSchema(), args);
    if (!problems.isEmpty()) {
      return ToolResult.failed("Error: invalid arguments for " + name + ": " + String.join("; ", problems));
    }
    try {
      return ToolResult.ok(tool.handler().run(new ToolDef.Call(client, new Args(args), options)));
    } catch (ToolFailure e) {
      return ToolResult.failed(e.getMessage());
    } catch (ToolInputException e) {
      return ToolResult.failed("Error: invalid arguments for " + name + ": " + e.getMessage());
    } catch (DelegaApiException e) {
      return ToolResult.failed("Error: " + apiMessage(e));
    } catch (DelegaTransportException e) {
      LOG.warn("tool {}: Delega API unreachable: {}", name, e.getMessage());
      return ToolResult.failed("Error: the Delega API could not be reached (" + e.getMessage() + ")");
    } catch (RuntimeException e) {
      LOG.error("tool {} failed", name, e);
      return ToolResult.failed("Error: " + name + " failed unexpectedly: " + e);
    }
  }

  /** The server's message, with the MCP way out when a write needs a claim first. */
  static String apiMessage(DelegaApiException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = "the Delega API answered HTTP " + e.status();
    }
    boolean claimFirst =
        "claim_required".equals(e.code())
            || e.status() == 403 && (message.contains("/claim") || message.contains(":id/claim"));
    return claimFirst ? message + CLAIM_HINT : message;
  }
}

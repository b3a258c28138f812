package dev.delega.server.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MCP tool list the contract asks for (official-clients §2 and spec §10): every tool name and
 * its required arguments, written out independently of the implementation.
 */
final class McpContract {
  static final Map<String, List<String>> TOOLS = new LinkedHashMap<>();

  static {
    TOOLS.put("list_tasks", List.of());
    TOOLS.put("get_task", List.of("task_id"));
    TOOLS.put("create_task", List.of("content"));
    TOOLS.put("update_task", List.of("task_id"));
    TOOLS.put("assign_task", List.of("task_id", "agent_id"));
    TOOLS.put("delegate_task", List.of("task_id", "content"));
    TOOLS.put("get_task_chain", List.of("task_id"));
    TOOLS.put("complete_task", List.of("task_id"));
    TOOLS.put("delete_task", List.of("task_id"));
    TOOLS.put("add_comment", List.of("task_id", "content"));
    TOOLS.put("link_task", List.of("task_id", "kind", "ref"));
    TOOLS.put("list_task_links", List.of("task_id"));
    TOOLS.put("find_duplicate_tasks", List.of("content"));
    TOOLS.put("get_task_context", List.of("task_id"));
    TOOLS.put("update_task_context", List.of("task_id", "context"));
    TOOLS.put("get_context_history", List.of("task_id"));
    TOOLS.put("recall", List.of("q"));
    TOOLS.put("claim_task", List.of());
    TOOLS.put("heartbeat_task", List.of("task_id"));
    TOOLS.put("set_task_state", List.of("task_id", "state"));
    TOOLS.put("release_task", List.of("task_id"));
    TOOLS.put("get_usage", List.of());
    TOOLS.put("fleet_attention", List.of());
    TOOLS.put("get_stats", List.of());
    TOOLS.put("list_projects", List.of());
    TOOLS.put("list_agents", List.of());
    TOOLS.put("register_agent", List.of("name"));
    TOOLS.put("set_agent_role", List.of("agent_id", "role"));
    TOOLS.put("delete_agent", List.of("agent_id"));
    TOOLS.put("list_webhooks", List.of());
    TOOLS.put("create_webhook", List.of("url", "events"));
    TOOLS.put("delete_webhook", List.of("webhook_id"));
    TOOLS.put("list_automations", List.of());
    TOOLS.put("create_automation", List.of("name", "event", "actions"));
    TOOLS.put("update_automation", List.of("automation_id"));
    TOOLS.put("delete_automation", List.of("automation_id"));
    TOOLS.put("list_ingress_sources", List.of());
    TOOLS.put("create_ingress_source", List.of("name", "template"));
    TOOLS.put("update_ingress_source", List.of("source_id"));
    TOOLS.put("delete_ingress_source", List.of("source_id"));
    TOOLS.put("list_recurrences", List.of());
    TOOLS.put("create_recurring_task", List.of("content", "rule_type"));
    TOOLS.put("update_recurrence", List.of("recurrence_id"));
    TOOLS.put("delete_recurrence", List.of("recurrence_id"));
    TOOLS.put("add_dependency", List.of("task_id", "blocked_by_task_id"));
    TOOLS.put("remove_dependency", List.of("task_id", "blocked_by_task_id"));
    TOOLS.put("list_ready_tasks", List.of());
    TOOLS.put("get_task_events", List.of("task_id"));
    TOOLS.put("list_webhook_deliveries", List.of("webhook_id"));
    TOOLS.put("redeliver_webhook", List.of("webhook_id", "delivery_id"));
    TOOLS.put("test_webhook", List.of("webhook_id"));
  }

  private McpContract() {}
}

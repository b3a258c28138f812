package dev.delega.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tool list against the contract: the 44 official names with their required arguments
 * (official-clients §2) and ours (spec §10), written out here independently of the definitions.
 */
class ToolListTest {
  /** Every tool and its required arguments, in the order the tools are listed. */
  static final Map<String, List<String>> CONTRACT = new LinkedHashMap<>();

  static {
    // §2.1 tasks
    CONTRACT.put("list_tasks", List.of());
    CONTRACT.put("get_task", List.of("task_id"));
    CONTRACT.put("create_task", List.of("content"));
    CONTRACT.put("update_task", List.of("task_id"));
    CONTRACT.put("assign_task", List.of("task_id", "agent_id"));
    CONTRACT.put("delegate_task", List.of("task_id", "content"));
    CONTRACT.put("get_task_chain", List.of("task_id"));
    CONTRACT.put("complete_task", List.of("task_id"));
    CONTRACT.put("delete_task", List.of("task_id"));
    CONTRACT.put("add_comment", List.of("task_id", "content"));
    CONTRACT.put("link_task", List.of("task_id", "kind", "ref"));
    CONTRACT.put("list_task_links", List.of("task_id"));
    CONTRACT.put("find_duplicate_tasks", List.of("content"));
    // §2.2 context
    CONTRACT.put("get_task_context", List.of("task_id"));
    CONTRACT.put("update_task_context", List.of("task_id", "context"));
    CONTRACT.put("get_context_history", List.of("task_id"));
    CONTRACT.put("recall", List.of("q"));
    // §2.3 claims
    CONTRACT.put("claim_task", List.of());
    CONTRACT.put("heartbeat_task", List.of("task_id"));
    CONTRACT.put("set_task_state", List.of("task_id", "state"));
    CONTRACT.put("release_task", List.of("task_id"));
    // §2.4 account
    CONTRACT.put("get_usage", List.of());
    CONTRACT.put("fleet_attention", List.of());
    CONTRACT.put("get_stats", List.of());
    CONTRACT.put("list_projects", List.of());
    // §2.5 agents
    CONTRACT.put("list_agents", List.of());
    CONTRACT.put("register_agent", List.of("name"));
    CONTRACT.put("set_agent_role", List.of("agent_id", "role"));
    CONTRACT.put("delete_agent", List.of("agent_id"));
    // §2.6 webhooks, automations, ingress
    CONTRACT.put("list_webhooks", List.of());
    CONTRACT.put("create_webhook", List.of("url", "events"));
    CONTRACT.put("delete_webhook", List.of("webhook_id"));
    CONTRACT.put("list_automations", List.of());
    CONTRACT.put("create_automation", List.of("name", "event", "actions"));
    CONTRACT.put("update_automation", List.of("automation_id"));
    CONTRACT.put("delete_automation", List.of("automation_id"));
    CONTRACT.put("list_ingress_sources", List.of());
    CONTRACT.put("create_ingress_source", List.of("name", "template"));
    CONTRACT.put("update_ingress_source", List.of("source_id"));
    CONTRACT.put("delete_ingress_source", List.of("source_id"));
    // §2.7 recurrences
    CONTRACT.put("list_recurrences", List.of());
    CONTRACT.put("create_recurring_task", List.of("content", "rule_type"));
    CONTRACT.put("update_recurrence", List.of("recurrence_id"));
    CONTRACT.put("delete_recurrence", List.of("recurrence_id"));
    // spec §10: ours
    CONTRACT.put("add_dependency", List.of("task_id", "blocked_by_task_id"));
    CONTRACT.put("remove_dependency", List.of("task_id", "blocked_by_task_id"));
    CONTRACT.put("list_ready_tasks", List.of());
    CONTRACT.put("get_task_events", List.of("task_id"));
    CONTRACT.put("list_webhook_deliveries", List.of("webhook_id"));
    CONTRACT.put("redeliver_webhook", List.of("webhook_id", "delivery_id"));
    CONTRACT.put("test_webhook", List.of("webhook_id"));
  }

  @Test
  void officialListHasTheFortyFourNamesAndOursTheSpecsSeven() {
    assertThat(DelegaTools.OFFICIAL).hasSize(44).doesNotHaveDuplicates();
    assertThat(DelegaTools.OURS)
        .containsExactly(
            "add_dependency",
            "remove_dependency",
            "list_ready_tasks",
            "get_task_events",
            "list_webhook_deliveries",
            "redeliver_webhook",
            "test_webhook");
    List<String> expected = new ArrayList<>(CONTRACT.keySet());
    assertThat(DelegaTools.names()).containsExactlyElementsOf(expected);
  }

  @Test
  void everyNameHasExactlyOneDefinitionInListOrder() {
    List<String> defined = DelegaTools.definitions().stream().map(ToolDef::name).toList();
    assertThat(defined).containsExactlyElementsOf(CONTRACT.keySet());
  }

  @Test
  void requiredArgumentsMatchTheContract() {
    for (ToolDef def : DelegaTools.definitions()) {
      Object required = def.inputSchema().get("required");
      List<String> actual = new ArrayList<>();
      if (required != null) {
        for (Object r : (List<?>) required) {
          actual.add((String) r);
        }
      }
      assertThat(actual).as(def.name()).containsExactlyInAnyOrderElementsOf(CONTRACT.get(def.name()));
    }
  }

  @Test
  void everySchemaIsAnObjectWithDescribedProperties() {
    for (ToolDef def : DelegaTools.definitions()) {
      assertThat(def.inputSchema()).as(def.name()).containsEntry("type", "object").containsKey("properties");
      assertThat(def.description()).as(def.name()).isNotBlank();
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> props = (Map<String, Map<String, Object>>) def.inputSchema().get("properties");
      for (Object r : (List<?>) def.inputSchema().getOrDefault("required", List.of())) {
        assertThat(props).as(def.name()).containsKey((String) r);
      }
      props.forEach(
          (name, schema) ->
              assertThat(schema).as(def.name() + "." + name).containsKey("description"));
    }
  }

  @Test
  void instructionsTeachTheWorkingRules() {
    assertThat(DelegaMcp.INSTRUCTIONS)
        .contains("find_duplicate_tasks")
        .contains("claim_task")
        .contains("heartbeat_task")
        .contains("release_task with a handoff note")
        .contains("update_task_context");
  }
}

package dev.delega.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The published schemas carry the official enums and limits, and arguments are checked against them. */
class SchemaTest {

  @SuppressWarnings("unchecked")
  static Map<String, Object> property(String tool, String... path) {
    Map<String, Object> schema = DelegaTools.definition(tool).inputSchema();
    for (String p : path) {
      if (p.equals("[]")) {
        schema = (Map<String, Object>) schema.get("items");
      } else {
        schema = (Map<String, Object>) ((Map<String, Object>) schema.get("properties")).get(p);
      }
    }
    return schema;
  }

  static Stream<Arguments> limits() {
    return Stream.of(
        Arguments.of("claim_task", List.of("lease_seconds"), Map.of("type", "integer", "minimum", 30, "maximum", 3600)),
        Arguments.of("heartbeat_task", List.of("lease_seconds"), Map.of("minimum", 30, "maximum", 3600)),
        Arguments.of("heartbeat_task", List.of("state"), Map.of("enum", List.of("working", "waiting_input", "errored"))),
        Arguments.of("heartbeat_task", List.of("detail"), Map.of("maxLength", 500)),
        Arguments.of("set_task_state", List.of("state"), Map.of("enum", List.of("working", "waiting_input", "errored"))),
        Arguments.of("set_task_state", List.of("detail"), Map.of("maxLength", 500)),
        Arguments.of("release_task", List.of("handoff"), Map.of("maxLength", 500)),
        Arguments.of("complete_task", List.of("evidence"), Map.of("type", "array", "maxItems", 5)),
        Arguments.of("complete_task", List.of("evidence", "[]", "kind"),
            Map.of("enum", List.of("commit", "pr", "ci_check", "deploy_sha", "artifact_url", "command_output"))),
        Arguments.of("complete_task", List.of("evidence", "[]", "ref"), Map.of("maxLength", 500)),
        Arguments.of("complete_task", List.of("evidence", "[]", "summary"), Map.of("maxLength", 500)),
        Arguments.of("create_task", List.of("priority"), Map.of("minimum", 1, "maximum", 4)),
        Arguments.of("create_task", List.of("evidence_policy"), Map.of("enum", List.of("required"))),
        Arguments.of("delegate_task", List.of("priority"), Map.of("minimum", 1, "maximum", 4)),
        Arguments.of("list_tasks", List.of("due"), Map.of("enum", List.of("today", "upcoming", "overdue"))),
        Arguments.of("link_task", List.of("kind"), Map.of("enum", List.of("branch", "commit", "pr", "url"))),
        Arguments.of("link_task", List.of("url"), Map.of("format", "uri")),
        Arguments.of("find_duplicate_tasks", List.of("threshold"), Map.of("minimum", 0.0, "maximum", 1.0)),
        Arguments.of("update_task_context", List.of("expected_version"), Map.of("type", "integer", "minimum", 0)),
        Arguments.of("update_task_context", List.of("source"),
            Map.of("enum", List.of("human_stated", "agent_inferred", "agent_observed", "imported"))),
        Arguments.of("recall", List.of("limit"), Map.of("minimum", 1, "maximum", 100)),
        Arguments.of("register_agent", List.of("role"), Map.of("enum", List.of("worker", "coordinator", "admin"))),
        Arguments.of("set_agent_role", List.of("role"), Map.of("enum", List.of("worker", "coordinator", "admin"))),
        Arguments.of("create_webhook", List.of("events"), Map.of("type", "array", "minItems", 1)),
        Arguments.of("create_webhook", List.of("events", "[]"), Map.of("enum", AccountTools.EVENTS)),
        Arguments.of("create_webhook", List.of("url"), Map.of("format", "uri")),
        Arguments.of("create_automation", List.of("name"), Map.of("maxLength", 80)),
        Arguments.of("create_automation", List.of("event"), Map.of("enum", AccountTools.EVENTS)),
        Arguments.of("create_automation", List.of("conditions"), Map.of("maxItems", 10)),
        Arguments.of("create_automation", List.of("actions"), Map.of("minItems", 1, "maxItems", 5)),
        Arguments.of("create_automation", List.of("conditions", "[]", "field"),
            Map.of("enum", List.of("label", "priority", "project_id", "assigned_to_agent_id", "created_by_agent_id", "source"))),
        Arguments.of("create_automation", List.of("conditions", "[]", "op"),
            Map.of("enum", List.of("has", "not_has", "eq", "neq", "gte", "lte", "is_null", "not_null"))),
        Arguments.of("create_automation", List.of("actions", "[]", "type"),
            Map.of("enum", List.of("assign", "set_priority", "add_label", "add_comment", "create_task", "delegate", "set_evidence_policy"))),
        Arguments.of("create_automation", List.of("actions", "[]", "priority"), Map.of("minimum", 1, "maximum", 4)),
        Arguments.of("update_automation", List.of("actions"), Map.of("minItems", 1, "maxItems", 5)),
        Arguments.of("create_ingress_source", List.of("name"), Map.of("maxLength", 80)),
        Arguments.of("create_ingress_source", List.of("template", "content"), Map.of("maxLength", 2000)),
        Arguments.of("create_ingress_source", List.of("template", "priority"), Map.of("minimum", 1, "maximum", 4)),
        Arguments.of("create_ingress_source", List.of("template", "labels"), Map.of("maxItems", 10)),
        Arguments.of("create_ingress_source", List.of("filters"), Map.of("maxItems", 10)),
        Arguments.of("create_ingress_source", List.of("filters", "[]", "path"), Map.of("maxLength", 200)),
        Arguments.of("create_ingress_source", List.of("filters", "[]", "op"), Map.of("enum", List.of("eq", "neq", "exists", "not_exists"))),
        Arguments.of("create_recurring_task", List.of("rule_type"), Map.of("enum", List.of("daily", "weekly", "monthly", "yearly"))),
        Arguments.of("create_recurring_task", List.of("interval"), Map.of("minimum", 1)),
        Arguments.of("create_recurring_task", List.of("anchor_day"), Map.of("minimum", 1, "maximum", 31)),
        Arguments.of("create_recurring_task", List.of("anchor_month"), Map.of("minimum", 1, "maximum", 12)),
        Arguments.of("create_recurring_task", List.of("anchor_weekday"), Map.of("minimum", 0, "maximum", 6)),
        Arguments.of("create_recurring_task", List.of("priority"), Map.of("minimum", 1, "maximum", 4)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("limits")
  void publishesTheOfficialLimit(String tool, List<String> path, Map<String, Object> expected) {
    Map<String, Object> schema = property(tool, path.toArray(String[]::new));
    assertThat(schema).as(tool + " " + path).isNotNull();
    expected.forEach(
        (key, value) -> {
          Object actual = schema.get(key);
          if (value instanceof Number n) {
            assertThat(((Number) actual).doubleValue()).as(tool + " " + path + " " + key).isEqualTo(n.doubleValue());
          } else {
            assertThat(actual).as(tool + " " + path + " " + key).isEqualTo(value);
          }
        });
  }

  @Test
  void idsAcceptStringsAndNumbers() {
    for (ToolDef def : DelegaTools.definitions()) {
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> props = (Map<String, Map<String, Object>>) def.inputSchema().get("properties");
      props.forEach(
          (name, schema) -> {
            if (name.endsWith("_id") && !name.equals("delivery_id")) {
              assertThat(schema).as(def.name() + "." + name).containsKey("anyOf");
              assertThat(Schema.check(schema, "12")).as(def.name() + "." + name).isEmpty();
              assertThat(Schema.check(schema, 12)).as(def.name() + "." + name).isEmpty();
            }
          });
    }
  }

  static Stream<Arguments> violations() {
    return Stream.of(
        Arguments.of("claim_task", Map.of("lease_seconds", 29), "lease_seconds must be at least 30"),
        Arguments.of("claim_task", Map.of("lease_seconds", 3601), "lease_seconds must be at most 3600"),
        Arguments.of("claim_task", Map.of("lease_seconds", 60.5), "lease_seconds must be an integer"),
        Arguments.of("heartbeat_task", Map.of("task_id", 1, "state", "sleeping"), "state must be one of working, waiting_input, errored"),
        Arguments.of("heartbeat_task", Map.of("task_id", 1, "detail", "x".repeat(501)), "detail must be at most 500 characters"),
        Arguments.of("get_task", Map.of(), "task_id is required"),
        Arguments.of("get_task", Map.of("task_id", true), "task_id must be a string or a number"),
        Arguments.of("complete_task", Map.of("task_id", 1, "evidence", List.of(
            Map.of("kind", "commit", "ref", "a"), Map.of("kind", "commit", "ref", "b"), Map.of("kind", "commit", "ref", "c"),
            Map.of("kind", "commit", "ref", "d"), Map.of("kind", "commit", "ref", "e"), Map.of("kind", "commit", "ref", "f"))),
            "evidence takes at most 5 item(s)"),
        Arguments.of("complete_task", Map.of("task_id", 1, "evidence", List.of(Map.of("kind", "vibes", "ref", "a"))),
            "evidence[0].kind must be one of"),
        Arguments.of("complete_task", Map.of("task_id", 1, "evidence", List.of(Map.of("kind", "pr"))), "evidence[0].ref is required"),
        Arguments.of("create_webhook", Map.of("url", "http://x", "events", List.of()), "events needs at least 1 item(s)"),
        Arguments.of("create_automation", Map.of("name", "n", "event", "task.created", "actions", List.of()), "actions needs at least 1 item(s)"),
        Arguments.of("find_duplicate_tasks", Map.of("content", "c", "threshold", 1.5), "threshold must be at most 1"),
        Arguments.of("update_task_context", Map.of("task_id", 1, "context", "text"), "context must be an object"),
        Arguments.of("list_tasks", Map.of("completed", "yes"), "completed must be true or false"));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("violations")
  void refusesArgumentsOutsideTheSchema(String tool, Map<String, Object> args, String message) {
    assertThat(Schema.check(DelegaTools.definition(tool).inputSchema(), args))
        .anySatisfy(problem -> assertThat(problem).startsWith(message));
  }

  @Test
  void acceptsNullForNullableAndTreatsNullOptionalsAsAbsent() {
    Map<String, Object> assign = DelegaTools.definition("assign_task").inputSchema();
    java.util.HashMap<String, Object> args = new java.util.HashMap<>();
    args.put("task_id", "7");
    args.put("agent_id", null);
    assertThat(Schema.check(assign, args)).as("agent_id may be null").isEmpty();
    java.util.HashMap<String, Object> list = new java.util.HashMap<>();
    list.put("label", null);
    assertThat(Schema.check(DelegaTools.definition("list_tasks").inputSchema(), list)).isEmpty();
  }

  @Test
  void idsMustBeNumeric() {
    assertThat(Args.toId("task_id", "42")).isEqualTo(42L);
    assertThat(Args.toId("task_id", " #42 ")).isEqualTo(42L);
    assertThat(Args.toId("task_id", 42.0)).isEqualTo(42L);
    assertThat(Args.toId("task_id", null)).isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Args.toId("task_id", "3a7d"))
        .isInstanceOf(ToolInputException.class)
        .hasMessageContaining("task_id must be a numeric id");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Args.toId("task_id", 1.5))
        .isInstanceOf(ToolInputException.class);
  }
}

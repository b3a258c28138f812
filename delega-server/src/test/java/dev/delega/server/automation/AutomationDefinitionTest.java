package dev.delega.server.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.Json;
import dev.delega.server.internal.DelegaException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AutomationDefinitionTest {
  private static final String ACTION = "{\"type\":\"add_label\",\"label\":\"triage\"}";
  private static final String COND = "{\"field\":\"label\",\"op\":\"has\",\"value\":\"bug\"}";

  private static AutomationDefinition parse(String json) {
    return AutomationDefinition.fromJson(Json.mapper().readTree(json));
  }

  private static String body(String name, String conditions, String actions) {
    return "{\"name\":\"" + name + "\",\"event\":\"task.created\""
        + (conditions == null ? "" : ",\"conditions\":" + conditions)
        + (actions == null ? "" : ",\"actions\":" + actions) + "}";
  }

  private static String list(int n, String item) {
    return "[" + String.join(",", Collections.nCopies(n, item)) + "]";
  }

  @Test
  void readsACreateBody() {
    AutomationDefinition d = parse("""
        {"name": "Bugs to Codex", "event": "task.created",
         "conditions": [{"field": "label", "op": "has", "value": "bug"},
                        {"field": "priority", "op": "lte", "value": 2}],
         "actions": [{"type": "assign", "agent_id": "4"}, {"type": "set_priority", "priority": 3}]}
        """);
    assertThat(d.conditions()).hasSize(2);
    assertThat(d.actions()).extracting(Action::type)
        .containsExactly(Action.Type.ASSIGN, Action.Type.SET_PRIORITY);
    assertThat(d.active()).isTrue();
  }

  @Test
  void limitsAreInclusive() {
    AutomationDefinition d = parse(body("n".repeat(80), list(10, COND), list(5, ACTION)));
    assertThat(d.name()).hasSize(80);
    assertThat(d.conditions()).hasSize(10);
    assertThat(d.actions()).hasSize(5);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(body("", null, list(1, ACTION)), "name"),
        Arguments.of(body("n".repeat(81), null, list(1, ACTION)), "name"),
        Arguments.of("{\"name\":\"n\",\"actions\":" + list(1, ACTION) + "}", "event"),
        Arguments.of("{\"name\":\"n\",\"event\":\"task.exploded\",\"actions\":" + list(1, ACTION)
            + "}", "event"),
        Arguments.of("{\"name\":\"n\",\"event\":\"webhook.test\",\"actions\":" + list(1, ACTION)
            + "}", "event"),
        Arguments.of(body("n", list(11, COND), list(1, ACTION)), "conditions"),
        Arguments.of(body("n", "{}", list(1, ACTION)), "conditions"),
        Arguments.of(body("n", null, null), "actions"),
        Arguments.of(body("n", null, "[]"), "actions"),
        Arguments.of(body("n", null, list(6, ACTION)), "actions"),
        Arguments.of(body("n", "[" + COND + ",3]", list(1, ACTION)), "conditions[1]"),
        Arguments.of(body("n", "[{\"field\":\"priority\",\"op\":\"has\",\"value\":1}]",
            list(1, ACTION)), "conditions[0].op"),
        Arguments.of(body("n", null, "[" + ACTION + ",{\"type\":\"set_priority\",\"priority\":7}]"),
            "actions[1].priority"),
        Arguments.of(body("n", null, "[{\"type\":\"create_task\",\"content\":\"c\","
            + "\"labels\":[\"ok\",\"\"]}]"), "actions[0].labels[1]"),
        Arguments.of(body("n", null, "[{\"type\":\"assign\"}]"), "actions[0].agent_id"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("invalid")
  void invalidBodiesNameTheField(String json, String field) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(DelegaException.ValidationFailed.class)
        .hasMessageStartingWith(field)
        .satisfies(e -> assertThat(((DelegaException) e).extra()).containsEntry("field", field));
  }

  private static final Action LABEL = new Action(Action.Type.ADD_LABEL, null, null, "x", null,
      null, null, null, null, null);

  private static AutomationDefinition rule(List<Condition> conditions, boolean active) {
    return new AutomationDefinition("r", "task.created", conditions, List.of(LABEL), active);
  }

  @Test
  void matchesEventAndAllConditions() {
    AutomationDefinition r = rule(List.of(
        new Condition(Condition.Field.LABEL, Condition.Op.HAS, "bug"),
        new Condition(Condition.Field.PRIORITY, Condition.Op.GTE, 2)), true);
    AutomationSubject bug3 = new AutomationSubject(List.of("bug"), 3, null, null, 1L, "api");
    AutomationSubject bug1 = new AutomationSubject(List.of("bug"), 1, null, null, 1L, "api");
    assertThat(r.matches("task.created", bug3)).isTrue();
    assertThat(r.matches("task.updated", bug3)).isFalse();
    assertThat(r.matches("task.created", bug1)).isFalse();
    assertThat(rule(List.of(), true).matches("task.created", bug1)).isTrue();
    assertThat(rule(List.of(), false).matches("task.created", bug1)).isFalse();
  }

  @Test
  void ingressTasksOnlyMatchRulesThatOptIn() {
    AutomationSubject ingress = new AutomationSubject(List.of("ingress"), 1, null, null, null,
        "ingress");
    assertThat(rule(List.of(), true).matches("task.created", ingress)).isFalse();
    assertThat(rule(List.of(new Condition(Condition.Field.LABEL, Condition.Op.HAS, "ingress")),
        true).matches("task.created", ingress)).isFalse();
    assertThat(rule(List.of(new Condition(Condition.Field.SOURCE, Condition.Op.NOT_NULL, null)),
        true).matches("task.created", ingress)).isFalse();
    assertThat(rule(List.of(new Condition(Condition.Field.SOURCE, Condition.Op.EQ, "ingress")),
        true).matches("task.created", ingress)).isTrue();
  }

  @Test
  void jsonRoundTripThroughTheSharedMapper() {
    String json = body("Triage", "[" + COND + "]", "[" + ACTION + "]");
    AutomationDefinition d = Json.mapper().readValue(json, AutomationDefinition.class);
    String written = Json.mapper().writeValueAsString(d);
    assertThat(written).contains("\"event\":\"task.created\"", "\"op\":\"has\"",
        "\"type\":\"add_label\"", "\"active\":true");
    assertThat(Json.mapper().readValue(written, AutomationDefinition.class)).isEqualTo(d);
  }

  @Test
  void mapperWrapsValidationFailuresWithTheCauseKept() {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() ->
        Json.mapper().readValue(body("n", null, "[]"), AutomationDefinition.class));
    Throwable root = thrown;
    while (!(root instanceof DelegaException) && root.getCause() != null) {
      root = root.getCause();
    }
    assertThat(root).isInstanceOf(DelegaException.ValidationFailed.class)
        .hasMessageStartingWith("actions");
  }
}

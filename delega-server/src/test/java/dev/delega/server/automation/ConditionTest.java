package dev.delega.server.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.Json;
import dev.delega.server.automation.Condition.Field;
import dev.delega.server.automation.Condition.Op;
import dev.delega.server.internal.DelegaException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConditionTest {
  static final AutomationSubject TASK =
      new AutomationSubject(List.of("bug", "ui"), 3, 7L, 12L, null, "api");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(Field.LABEL, Op.HAS, "bug", true),
        Arguments.of(Field.LABEL, Op.HAS, "Bug", false),
        Arguments.of(Field.LABEL, Op.HAS, "backend", false),
        Arguments.of(Field.LABEL, Op.NOT_HAS, "backend", true),
        Arguments.of(Field.LABEL, Op.NOT_HAS, "ui", false),
        Arguments.of(Field.PRIORITY, Op.EQ, 3, true),
        Arguments.of(Field.PRIORITY, Op.EQ, "3", true),
        Arguments.of(Field.PRIORITY, Op.EQ, 3.0, true),
        Arguments.of(Field.PRIORITY, Op.EQ, 2, false),
        Arguments.of(Field.PRIORITY, Op.NEQ, 2, true),
        Arguments.of(Field.PRIORITY, Op.NEQ, 3, false),
        Arguments.of(Field.PRIORITY, Op.GTE, 3, true),
        Arguments.of(Field.PRIORITY, Op.GTE, 4, false),
        Arguments.of(Field.PRIORITY, Op.LTE, 3, true),
        Arguments.of(Field.PRIORITY, Op.LTE, 2, false),
        Arguments.of(Field.PROJECT_ID, Op.EQ, 7, true),
        Arguments.of(Field.PROJECT_ID, Op.EQ, "7", true),
        Arguments.of(Field.PROJECT_ID, Op.EQ, 8L, false),
        Arguments.of(Field.PROJECT_ID, Op.NEQ, "8", true),
        Arguments.of(Field.PROJECT_ID, Op.NOT_NULL, null, true),
        Arguments.of(Field.PROJECT_ID, Op.IS_NULL, null, false),
        Arguments.of(Field.ASSIGNED_TO_AGENT_ID, Op.EQ, "12", true),
        Arguments.of(Field.ASSIGNED_TO_AGENT_ID, Op.NEQ, 12, false),
        Arguments.of(Field.CREATED_BY_AGENT_ID, Op.IS_NULL, null, true),
        Arguments.of(Field.CREATED_BY_AGENT_ID, Op.NOT_NULL, null, false),
        Arguments.of(Field.CREATED_BY_AGENT_ID, Op.EQ, 1, false),
        Arguments.of(Field.CREATED_BY_AGENT_ID, Op.NEQ, 1, true),
        Arguments.of(Field.SOURCE, Op.EQ, "api", true),
        Arguments.of(Field.SOURCE, Op.EQ, "ingress", false),
        Arguments.of(Field.SOURCE, Op.NEQ, "ingress", true),
        Arguments.of(Field.SOURCE, Op.NOT_NULL, null, true),
        Arguments.of(Field.SOURCE, Op.IS_NULL, null, false));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @MethodSource("cases")
  void matches(Field field, Op op, Object value, boolean expected) {
    assertThat(new Condition(field, op, value).matches(TASK)).isEqualTo(expected);
  }

  @Test
  void valuesAreNormalised() {
    assertThat(new Condition(Field.PROJECT_ID, Op.EQ, "7").value()).isEqualTo(7L);
    assertThat(new Condition(Field.PRIORITY, Op.GTE, "2").value()).isEqualTo(2);
    assertThat(new Condition(Field.LABEL, Op.HAS, 42).value()).isEqualTo("42");
    assertThat(new Condition(Field.SOURCE, Op.IS_NULL, "ignored").value()).isNull();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("{\"op\":\"eq\",\"value\":1}", "field"),
        Arguments.of("{\"field\":\"status\",\"op\":\"eq\",\"value\":1}", "field"),
        Arguments.of("{\"field\":\"label\"}", "op"),
        Arguments.of("{\"field\":\"label\",\"op\":\"contains\",\"value\":\"x\"}", "op"),
        Arguments.of("{\"field\":\"label\",\"op\":\"eq\",\"value\":\"x\"}", "op"),
        Arguments.of("{\"field\":\"label\",\"op\":\"is_null\"}", "op"),
        Arguments.of("{\"field\":\"priority\",\"op\":\"has\",\"value\":1}", "op"),
        Arguments.of("{\"field\":\"priority\",\"op\":\"is_null\"}", "op"),
        Arguments.of("{\"field\":\"project_id\",\"op\":\"gte\",\"value\":1}", "op"),
        Arguments.of("{\"field\":\"source\",\"op\":\"has\",\"value\":\"x\"}", "op"),
        Arguments.of("{\"field\":\"label\",\"op\":\"has\"}", "value"),
        Arguments.of("{\"field\":\"label\",\"op\":\"has\",\"value\":\" \"}", "value"),
        Arguments.of("{\"field\":\"label\",\"op\":\"has\",\"value\":\"" + "l".repeat(101) + "\"}",
            "value"),
        Arguments.of("{\"field\":\"priority\",\"op\":\"eq\",\"value\":5}", "value"),
        Arguments.of("{\"field\":\"priority\",\"op\":\"eq\",\"value\":0}", "value"),
        Arguments.of("{\"field\":\"priority\",\"op\":\"eq\",\"value\":2.5}", "value"),
        Arguments.of("{\"field\":\"priority\",\"op\":\"eq\",\"value\":\"high\"}", "value"),
        Arguments.of("{\"field\":\"priority\",\"op\":\"eq\"}", "value"),
        Arguments.of("{\"field\":\"project_id\",\"op\":\"eq\",\"value\":\"seven\"}", "value"),
        Arguments.of("{\"field\":\"project_id\",\"op\":\"eq\",\"value\":0}", "value"),
        Arguments.of("{\"field\":\"assigned_to_agent_id\",\"op\":\"eq\"}", "value"),
        Arguments.of("{\"field\":\"source\",\"op\":\"eq\",\"value\":true}", "value"),
        Arguments.of("{\"field\":\"source\",\"op\":\"eq\",\"value\":[\"a\"]}", "value"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("invalid")
  void invalidConditionsNameTheField(String json, String field) {
    assertThatThrownBy(() -> Condition.fromJson(Json.mapper().readTree(json)))
        .isInstanceOf(DelegaException.ValidationFailed.class)
        .hasMessageStartingWith(field)
        .satisfies(e -> assertThat(((DelegaException) e).extra()).containsEntry("field", field));
  }

  @Test
  void jsonRoundTrip() {
    Condition c = Json.mapper().readValue(
        "{\"field\":\"assigned_to_agent_id\",\"op\":\"eq\",\"value\":\"12\"}", Condition.class);
    assertThat(Json.mapper().writeValueAsString(c))
        .isEqualTo("{\"field\":\"assigned_to_agent_id\",\"op\":\"eq\",\"value\":12}");
  }
}

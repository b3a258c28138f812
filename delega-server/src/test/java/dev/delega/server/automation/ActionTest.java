package dev.delega.server.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.Json;
import dev.delega.server.automation.Action.Type;
import dev.delega.server.internal.DelegaException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ActionTest {
  private static Action parse(String json) {
    return Action.fromJson(Json.mapper().readTree(json));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"assign\",\"agent_id\":\"3\"}",
      "{\"type\":\"assign\",\"agent_id\":3}",
      "{\"type\":\"set_priority\",\"priority\":4}",
      "{\"type\":\"add_label\",\"label\":\"triage\"}",
      "{\"type\":\"add_comment\",\"content\":\"{{event}} on #{{task.id}}\"}",
      "{\"type\":\"create_task\",\"content\":\"Follow up {{task.content}}\",\"description\":\"d\","
          + "\"priority\":2,\"project_id\":\"7\",\"labels\":[\"a\",\"b\"],"
          + "\"assigned_to_agent_id\":\"5\"}",
      "{\"type\":\"delegate\",\"content\":\"Review {{task.content}}\",\"agent_id\":\"4\"}",
      "{\"type\":\"delegate\",\"content\":\"Review\"}",
      "{\"type\":\"set_evidence_policy\",\"policy\":\"required\"}",
      "{\"type\":\"assign\",\"agent_id\":3,\"label\":\"unused but valid\"}"})
  void validActions(String json) {
    assertThat(parse(json).type()).isNotNull();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("{}", "type"),
        Arguments.of("{\"type\":\"close\"}", "type"),
        Arguments.of("{\"type\":\"assign\"}", "agent_id"),
        Arguments.of("{\"type\":\"assign\",\"agent_id\":\"bob\"}", "agent_id"),
        Arguments.of("{\"type\":\"assign\",\"agent_id\":0}", "agent_id"),
        Arguments.of("{\"type\":\"set_priority\"}", "priority"),
        Arguments.of("{\"type\":\"set_priority\",\"priority\":5}", "priority"),
        Arguments.of("{\"type\":\"set_priority\",\"priority\":0}", "priority"),
        Arguments.of("{\"type\":\"add_label\"}", "label"),
        Arguments.of("{\"type\":\"add_label\",\"label\":\"  \"}", "label"),
        Arguments.of("{\"type\":\"add_label\",\"label\":\"" + "l".repeat(101) + "\"}", "label"),
        Arguments.of("{\"type\":\"add_comment\"}", "content"),
        Arguments.of("{\"type\":\"add_comment\",\"content\":\" \"}", "content"),
        Arguments.of("{\"type\":\"add_comment\",\"content\":\"" + "c".repeat(10_001) + "\"}",
            "content"),
        Arguments.of("{\"type\":\"create_task\"}", "content"),
        Arguments.of("{\"type\":\"create_task\",\"content\":\"c\",\"priority\":9}", "priority"),
        Arguments.of("{\"type\":\"create_task\",\"content\":\"c\",\"project_id\":\"x\"}",
            "project_id"),
        Arguments.of("{\"type\":\"create_task\",\"content\":\"c\",\"assigned_to_agent_id\":-1}",
            "assigned_to_agent_id"),
        Arguments.of("{\"type\":\"create_task\",\"content\":\"c\",\"labels\":[\"a\",\"\"]}",
            "labels[1]"),
        Arguments.of("{\"type\":\"create_task\",\"content\":\"c\",\"labels\":"
            + "[" + String.join(",", Collections.nCopies(51, "\"l\"")) + "]}", "labels"),
        Arguments.of("{\"type\":\"delegate\"}", "content"),
        Arguments.of("{\"type\":\"set_evidence_policy\"}", "policy"),
        Arguments.of("{\"type\":\"set_evidence_policy\",\"policy\":\"optional\"}", "policy"),
        Arguments.of("{\"type\":\"set_evidence_policy\",\"policy\":null}", "policy"),
        Arguments.of("{\"type\":\"assign\",\"agent_id\":1,\"policy\":\"none\"}", "policy"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("invalid")
  void invalidActionsNameTheField(String json, String field) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(DelegaException.ValidationFailed.class)
        .hasMessageStartingWith(field)
        .satisfies(e -> assertThat(((DelegaException) e).extra()).containsEntry("field", field));
  }

  @Test
  void idsAreNumbersAfterParsing() {
    Action a = parse("{\"type\":\"create_task\",\"content\":\"c\",\"project_id\":\"7\","
        + "\"assigned_to_agent_id\":\"5\",\"labels\":[\"x\"]}");
    assertThat(a).isEqualTo(new Action(Type.CREATE_TASK, null, null, null, null, "c", null, 7L,
        List.of("x"), 5L));
    assertThat(Json.mapper().writeValueAsString(a)).isEqualTo(
        "{\"type\":\"create_task\",\"agent_id\":null,\"priority\":null,\"label\":null,"
            + "\"policy\":null,\"content\":\"c\",\"description\":null,\"project_id\":7,"
            + "\"labels\":[\"x\"],\"assigned_to_agent_id\":5}");
    assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(a), Action.class))
        .isEqualTo(a);
  }

  @Test
  void whichTypesMutateTheTask() {
    assertThat(Stream.of(Type.values()).filter(Type::mutatesTask))
        .containsExactly(Type.ASSIGN, Type.SET_PRIORITY, Type.ADD_LABEL, Type.DELEGATE,
            Type.SET_EVIDENCE_POLICY);
  }
}

package dev.delega.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.Json;
import dev.delega.server.internal.DelegaException;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class IngressSourceDefinitionTest {
  private static IngressSourceDefinition parse(String json) {
    return IngressSourceDefinition.fromJson(Json.mapper().readTree(json));
  }

  @Test
  void readsACreateBody() {
    IngressSourceDefinition d = parse("""
        {"name": " GitHub CI ", "template": {"content": "CI failed: {{payload.workflow.name}}",
          "priority": 3, "labels": ["ci"], "dedupe_key": "{{payload.run_id}}"},
         "filters": [{"path": "conclusion", "op": "eq", "value": "failure"},
                     {"path": "workflow.name", "op": "exists"}],
         "default_project_id": "7", "default_assignee_agent_id": 3}
        """);
    assertThat(d.name()).isEqualTo("GitHub CI");
    assertThat(d.filters()).hasSize(2);
    assertThat(d.defaultProjectId()).isEqualTo(7L);
    assertThat(d.defaultAssigneeAgentId()).isEqualTo(3L);
    assertThat(d.active()).isTrue();

    JsonNode failed = Json.mapper().readTree(
        "{\"conclusion\":\"failure\",\"workflow\":{\"name\":\"build\"},\"run_id\":9}");
    JsonNode passed = Json.mapper().readTree(
        "{\"conclusion\":\"success\",\"workflow\":{\"name\":\"build\"}}");
    assertThat(d.accepts(failed)).isTrue();
    assertThat(d.accepts(passed)).isFalse();
    assertThat(d.template().render(failed)).isEqualTo(new TaskTemplate.Rendering.Ready(
        new TaskTemplate.RenderedTask("CI failed: build", null, 3,
            java.util.List.of("ci", "ingress"), "9")));
  }

  @Test
  void noFiltersAcceptsEverything() {
    IngressSourceDefinition d = parse("{\"name\":\"n\",\"template\":{\"content\":\"c\"},"
        + "\"active\":false}");
    assertThat(d.accepts(Json.mapper().readTree("{}"))).isTrue();
    assertThat(d.active()).isFalse();
    assertThat(d.filters()).isEmpty();
  }

  static Stream<Arguments> invalid() {
    String t = "\"template\":{\"content\":\"c\"}";
    String f = "{\"path\":\"a\",\"op\":\"exists\"}";
    return Stream.of(
        Arguments.of("{" + t + "}", "name"),
        Arguments.of("{\"name\":\"  \"," + t + "}", "name"),
        Arguments.of("{\"name\":\"" + "n".repeat(81) + "\"," + t + "}", "name"),
        Arguments.of("{\"name\":\"n\"}", "template"),
        Arguments.of("{\"name\":\"n\",\"template\":\"c\"}", "template"),
        Arguments.of("{\"name\":\"n\",\"template\":{}}", "template.content"),
        Arguments.of("{\"name\":\"n\",\"template\":{\"content\":\"c\",\"priority\":9}}",
            "template.priority"),
        Arguments.of("{\"name\":\"n\",\"template\":{\"content\":\"c\",\"labels\":[\"a\",\"\"]}}",
            "template.labels[1]"),
        Arguments.of("{\"name\":\"n\"," + t + ",\"filters\":["
            + String.join(",", Collections.nCopies(11, f)) + "]}", "filters"),
        Arguments.of("{\"name\":\"n\"," + t + ",\"filters\":{}}", "filters"),
        Arguments.of("{\"name\":\"n\"," + t + ",\"filters\":[" + f + ",5]}", "filters[1]"),
        Arguments.of("{\"name\":\"n\"," + t + ",\"filters\":[" + f
            + ",{\"path\":\"" + "p".repeat(201) + "\",\"op\":\"exists\"}]}", "filters[1].path"),
        Arguments.of("{\"name\":\"n\"," + t + ",\"filters\":[{\"path\":\"a\",\"op\":\"gt\"}]}",
            "filters[0].op"),
        Arguments.of("{\"name\":\"n\"," + t + ",\"filters\":[{\"path\":\"a\",\"op\":\"eq\"}]}",
            "filters[0].value"),
        Arguments.of("{\"name\":\"n\"," + t + ",\"default_project_id\":\"seven\"}",
            "default_project_id"),
        Arguments.of("{\"name\":\"n\"," + t + ",\"default_assignee_agent_id\":0}",
            "default_assignee_agent_id"),
        Arguments.of("{\"name\":\"n\"," + t + ",\"active\":\"yes\"}", "active"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("invalid")
  void invalidBodiesNameTheField(String json, String field) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(DelegaException.ValidationFailed.class)
        .hasMessageStartingWith(field)
        .satisfies(e -> assertThat(((DelegaException) e).extra()).containsEntry("field", field));
  }

  @Test
  void nameOf80IsAccepted() {
    assertThat(parse("{\"name\":\"" + "n".repeat(80) + "\",\"template\":{\"content\":\"c\"}}")
        .name()).hasSize(80);
  }

  @Test
  void jsonRoundTripThroughTheSharedMapper() {
    String json = "{\"name\":\"n\",\"template\":{\"content\":\"{{payload.a}}\"},"
        + "\"filters\":[{\"path\":\"a\",\"op\":\"eq\",\"value\":true}],"
        + "\"default_project_id\":\"3\"}";
    IngressSourceDefinition d = Json.mapper().readValue(json, IngressSourceDefinition.class);
    String written = Json.mapper().writeValueAsString(d);
    assertThat(written).isEqualTo("{\"name\":\"n\",\"template\":{\"content\":\"{{payload.a}}\","
        + "\"description\":null,\"priority\":null,\"labels\":[],\"dedupe_key\":null},"
        + "\"filters\":[{\"path\":\"a\",\"op\":\"eq\",\"value\":true}],"
        + "\"default_project_id\":3,\"default_assignee_agent_id\":null,\"active\":true}");
    assertThat(Json.mapper().readValue(written, IngressSourceDefinition.class)).isEqualTo(d);
  }
}

package dev.delega.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.Json;
import dev.delega.server.ingress.IngressFilter.Op;
import dev.delega.server.internal.DelegaException;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class IngressFilterTest {
  static final JsonNode PAYLOAD = Json.mapper().readTree("""
      {"alert": {"labels": {"severity": "critical"}, "status": 500, "ratio": 0.5,
                 "code": "500", "firing": true, "silenced": null},
       "commits": [{"id": "abc"}]}
      """);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("alert.labels.severity", Op.EQ, "critical", true),
        Arguments.of("alert.labels.severity", Op.EQ, "Critical", false),
        Arguments.of("alert.labels.severity", Op.EQ, "critical ", false),
        Arguments.of("alert.labels.severity", Op.NEQ, "warning", true),
        Arguments.of("alert.labels.severity", Op.NEQ, "critical", false),
        Arguments.of("alert.status", Op.EQ, 500, true),
        Arguments.of("alert.status", Op.EQ, 500L, true),
        Arguments.of("alert.status", Op.EQ, 500.0, true),
        Arguments.of("alert.status", Op.EQ, new BigDecimal("5.00E2"), true),
        Arguments.of("alert.status", Op.EQ, 501, false),
        Arguments.of("alert.status", Op.EQ, "500", true),
        Arguments.of("alert.code", Op.EQ, 500, true),
        Arguments.of("alert.code", Op.EQ, "500", true),
        Arguments.of("alert.code", Op.EQ, "500.0", false),
        Arguments.of("alert.ratio", Op.EQ, 0.5, true),
        Arguments.of("alert.ratio", Op.EQ, "0.50", true),
        Arguments.of("alert.firing", Op.EQ, true, true),
        Arguments.of("alert.firing", Op.EQ, false, false),
        Arguments.of("alert.firing", Op.EQ, "true", true),
        Arguments.of("alert.firing", Op.EQ, 1, false),
        Arguments.of("alert.labels.severity", Op.EQ, true, false),
        Arguments.of("alert.missing", Op.EQ, "x", false),
        Arguments.of("alert.missing", Op.NEQ, "x", true),
        Arguments.of("alert.silenced", Op.EQ, "null", false),
        Arguments.of("alert.labels", Op.EQ, "critical", false),
        Arguments.of("commits[0].id", Op.EQ, "abc", true),
        Arguments.of("commits[0].id", Op.EXISTS, null, true),
        Arguments.of("commits[1].id", Op.EXISTS, null, false),
        Arguments.of("commits[1].id", Op.NOT_EXISTS, null, true),
        Arguments.of("alert.silenced", Op.EXISTS, null, false),
        Arguments.of("alert.silenced", Op.NOT_EXISTS, null, true),
        Arguments.of("alert.firing", Op.EXISTS, null, true),
        Arguments.of("alert", Op.EXISTS, null, true));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @MethodSource("cases")
  void matches(String path, Op op, Object value, boolean expected) {
    assertThat(new IngressFilter(path, op, value).matches(PAYLOAD)).isEqualTo(expected);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("{\"op\":\"exists\"}", "path"),
        Arguments.of("{\"path\":\"a..b\",\"op\":\"exists\"}", "path"),
        Arguments.of("{\"path\":\"" + "a".repeat(201) + "\",\"op\":\"exists\"}", "path"),
        Arguments.of("{\"path\":\"a\"}", "op"),
        Arguments.of("{\"path\":\"a\",\"op\":\"contains\",\"value\":\"x\"}", "op"),
        Arguments.of("{\"path\":\"a\",\"op\":\"eq\"}", "value"),
        Arguments.of("{\"path\":\"a\",\"op\":\"neq\",\"value\":null}", "value"),
        Arguments.of("{\"path\":\"a\",\"op\":\"eq\",\"value\":[1]}", "value"),
        Arguments.of("{\"path\":\"a\",\"op\":\"eq\",\"value\":{\"x\":1}}", "value"),
        Arguments.of("{\"path\":\"a\",\"op\":\"eq\",\"value\":\"" + "v".repeat(1001) + "\"}",
            "value"),
        Arguments.of("{\"path\":7,\"op\":\"eq\",\"value\":1}", "path"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("invalid")
  void invalidFiltersNameTheField(String json, String field) {
    assertThatThrownBy(() -> IngressFilter.fromJson(Json.mapper().readTree(json)))
        .isInstanceOf(DelegaException.ValidationFailed.class)
        .hasMessageStartingWith(field)
        .satisfies(e -> assertThat(((DelegaException) e).extra()).containsEntry("field", field));
  }

  @Test
  void pathOf200CharactersIsAccepted() {
    assertThat(new IngressFilter("a".repeat(200), Op.EXISTS, null).path()).hasSize(200);
  }

  @Test
  void existsDropsAValue() {
    assertThat(new IngressFilter("a", Op.EXISTS, "ignored").value()).isNull();
  }

  @Test
  void jsonRoundTrip() {
    IngressFilter f = Json.mapper().readValue(
        "{\"path\":\"alert.status\",\"op\":\"neq\",\"value\":500}", IngressFilter.class);
    assertThat(f).isEqualTo(new IngressFilter("alert.status", Op.NEQ, 500));
    assertThat(Json.mapper().writeValueAsString(f))
        .isEqualTo("{\"path\":\"alert.status\",\"op\":\"neq\",\"value\":500}");
  }
}

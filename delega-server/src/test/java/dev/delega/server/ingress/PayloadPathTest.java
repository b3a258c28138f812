package dev.delega.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.Json;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class PayloadPathTest {
  static final JsonNode PAYLOAD = Json.mapper().readTree("""
      {"alert": {"labels": {"severity": "critical", "team": null}, "value": 12.5},
       "commits": [{"id": "abc", "tags": ["x", "y"]}, {"id": "def"}],
       "odd key.with dots": {"v": 1},
       "count": 0,
       "ok": false}
      """);

  static Stream<Arguments> resolves() {
    return Stream.of(
        Arguments.of("alert.labels.severity", "\"critical\""),
        Arguments.of("alert.value", "12.5"),
        Arguments.of("alert.labels.team", "null"),
        Arguments.of("commits[0].id", "\"abc\""),
        Arguments.of("commits[1].id", "\"def\""),
        Arguments.of("commits.1.id", "\"def\""),
        Arguments.of("commits[0].tags[1]", "\"y\""),
        Arguments.of("commits[0]['id']", "\"abc\""),
        Arguments.of("[\"odd key.with dots\"].v", "1"),
        Arguments.of("count", "0"),
        Arguments.of("ok", "false"),
        Arguments.of(" alert.labels ", "{\"severity\":\"critical\",\"team\":null}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resolves")
  void resolvesPresentValues(String path, String json) {
    assertThat(PayloadPath.parse(path).resolve(PAYLOAD)).contains(Json.mapper().readTree(json));
  }

  @ParameterizedTest
  @ValueSource(strings = {"missing", "alert.missing.deeper", "commits[2].id", "commits[0].id.x",
      "alert[0]", "commits.first", "count.x", "alert.labels.severity.length"})
  void missingIsEmpty(String path) {
    assertThat(PayloadPath.parse(path).resolve(PAYLOAD)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a..b", ".a", "a.", "a[", "a[x]", "a[-1]", "a[0]b", "a b",
      "a{b}", "a[\"x\"y\"]", "a[1234567890]"})
  void invalidPathsSayWhy(String path) {
    assertThatThrownBy(() -> PayloadPath.parse(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[0]", "[1].id"})
  void topLevelArrays(String path) {
    JsonNode array = Json.mapper().readTree("[{\"id\":1},{\"id\":2}]");
    assertThat(PayloadPath.parse(path).resolve(array)).isPresent();
  }
}

package dev.delega.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.Json;
import dev.delega.server.ingress.TaskTemplate.RenderedTask;
import dev.delega.server.ingress.TaskTemplate.Rendering;
import dev.delega.server.internal.DelegaException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class TaskTemplateTest {
  static final JsonNode PAYLOAD = Json.mapper().readTree("""
      {"workflow": {"name": "build", "run": 42, "ok": false},
       "repo": "acme/api",
       "commits": [{"id": "abc123", "message": "fix {{payload.repo}} leak"}],
       "labels": ["ci", "flaky"],
       "blank": "   ",
       "nothing": null,
       "emoji": "😀"}
      """);

  private static RenderedTask ready(TaskTemplate t, JsonNode payload) {
    Rendering r = t.render(payload);
    assertThat(r).isInstanceOf(Rendering.Ready.class);
    return ((Rendering.Ready) r).task();
  }

  private static String content(String template) {
    return ready(new TaskTemplate(template, null, null, null, null), PAYLOAD).content();
  }

  static Stream<Arguments> contents() {
    return Stream.of(
        Arguments.of("CI failed: {{payload.workflow.name}}", "CI failed: build"),
        Arguments.of("{{ payload.workflow.name }} #{{payload.workflow.run}}", "build #42"),
        Arguments.of("ok={{payload.workflow.ok}}", "ok=false"),
        Arguments.of("{{payload.commits[0].id}}", "abc123"),
        Arguments.of("{{payload.commits.0.id}}", "abc123"),
        Arguments.of("hosted form {{workflow.name}}", "hosted form build"),
        Arguments.of("x{{payload.missing.path}}y", "xy"),
        Arguments.of("x{{payload.nothing}}y", "xy"),
        Arguments.of("labels {{payload.labels}}", "labels [\"ci\",\"flaky\"]"),
        Arguments.of("msg: {{payload.commits[0].message}}", "msg: fix {{payload.repo}} leak"),
        Arguments.of("  padded {{payload.blank}} ", "padded"),
        Arguments.of("unclosed {{payload.repo", "unclosed {{payload.repo"),
        Arguments.of("{{payload.emoji}}", "😀"),
        Arguments.of("literal } and { braces", "literal } and { braces"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contents")
  void rendersContent(String template, String expected) {
    assertThat(content(template)).isEqualTo(expected);
  }

  @Test
  void wholePayload() {
    JsonNode small = Json.mapper().readTree("{\"a\":1}");
    assertThat(ready(new TaskTemplate("got {{payload}}", null, null, null, null), small).content())
        .isEqualTo("got {\"a\":1}");
  }

  @Test
  void blankContentIsAValueNotATask() {
    TaskTemplate t = new TaskTemplate("  {{payload.missing}} {{payload.blank}} ", null, null, null,
        null);
    assertThat(t.render(PAYLOAD)).isInstanceOfSatisfying(Rendering.BlankContent.class,
        b -> assertThat(b.message()).contains("template.content"));
  }

  @Test
  void renderedFieldsAreTrimmedAndCutToTheLimits() {
    String big = "x".repeat(3000);
    JsonNode payload = Json.mapper().createObjectNode().put("big", big).put("emoji", "😀".repeat(1500));
    RenderedTask task = ready(new TaskTemplate("{{payload.big}}", "{{payload.big}}", 3,
        List.of("{{payload.big}}"), "{{payload.big}}"), payload);
    assertThat(task.content()).hasSize(TaskTemplate.MAX_CONTENT_LENGTH);
    assertThat(task.description()).hasSize(3000);
    assertThat(task.labels()).containsExactly("x".repeat(TaskTemplate.MAX_LABEL_LENGTH), "ingress");
    assertThat(task.dedupeKey()).hasSize(TaskTemplate.MAX_DEDUPE_KEY_LENGTH);
    assertThat(task.priority()).isEqualTo(3);

    // never split a surrogate pair: 1500 emoji are 3000 UTF-16 units; 2000 is even, 1999 is not
    String emoji = ready(new TaskTemplate("a{{payload.emoji}}", null, null, null, null), payload)
        .content();
    assertThat(emoji).hasSize(1999);
    assertThat(Character.isHighSurrogate(emoji.charAt(emoji.length() - 1))).isFalse();
  }

  @Test
  void labelsAreRenderedDedupedAndMarkedIngress() {
    RenderedTask task = ready(new TaskTemplate("c", null, null,
        List.of("ci", "{{payload.labels[0]}}", "{{payload.missing}}", "repo:{{payload.repo}}",
            "ingress"), null), PAYLOAD);
    assertThat(task.labels()).containsExactly("ci", "repo:acme/api", "ingress");
  }

  @Test
  void optionalFieldsRenderBlankAsNull() {
    RenderedTask task = ready(new TaskTemplate("c", "{{payload.missing}}", null, null,
        " {{payload.nothing}} "), PAYLOAD);
    assertThat(task.description()).isNull();
    assertThat(task.dedupeKey()).isNull();
    assertThat(task.priority()).isNull();
    assertThat(task.labels()).containsExactly("ingress");
    RenderedTask keyed = ready(new TaskTemplate("c", null, null, null,
        "{{payload.repo}}:{{payload.commits[0].id}}"), PAYLOAD);
    assertThat(keyed.dedupeKey()).isEqualTo("acme/api:abc123");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("{}", "content"),
        Arguments.of("{\"content\":\"  \"}", "content"),
        Arguments.of("{\"content\":\"" + "c".repeat(2001) + "\"}", "content"),
        Arguments.of("{\"content\":\"{{payload.a..b}}\"}", "content"),
        Arguments.of("{\"content\":\"{{ }}\"}", "content"),
        Arguments.of("{\"content\":5}", "content"),
        Arguments.of("{\"content\":\"c\",\"priority\":0}", "priority"),
        Arguments.of("{\"content\":\"c\",\"priority\":5}", "priority"),
        Arguments.of("{\"content\":\"c\",\"priority\":\"high\"}", "priority"),
        Arguments.of("{\"content\":\"c\",\"labels\":" + elevenLabels() + "}", "labels"),
        Arguments.of("{\"content\":\"c\",\"labels\":[\"ok\",\" \"]}", "labels[1]"),
        Arguments.of("{\"content\":\"c\",\"labels\":[\"ok\",3]}", "labels[1]"),
        Arguments.of("{\"content\":\"c\",\"labels\":\"ci\"}", "labels"),
        Arguments.of("{\"content\":\"c\",\"labels\":[\"" + "l".repeat(101) + "\"]}", "labels[0]"),
        Arguments.of("{\"content\":\"c\",\"description\":\"{{payload.[}}\"}", "description"),
        Arguments.of("{\"content\":\"c\",\"dedupe_key\":\"" + "k".repeat(201) + "\"}",
            "dedupe_key"));
  }

  private static String elevenLabels() {
    return "[" + String.join(",", Collections.nCopies(11, "\"l\"")) + "]";
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("invalid")
  void invalidTemplatesNameTheField(String json, String field) {
    assertThatThrownBy(() -> TaskTemplate.fromJson(Json.mapper().readTree(json)))
        .isInstanceOf(DelegaException.ValidationFailed.class)
        .hasMessageStartingWith(field)
        .satisfies(e -> assertThat(((DelegaException) e).extra()).containsEntry("field", field));
  }

  @Test
  void limitsAreInclusive() {
    TaskTemplate t = TaskTemplate.fromJson(Json.mapper().readTree(
        "{\"content\":\"" + "c".repeat(2000) + "\",\"priority\":\"4\",\"labels\":"
            + "[" + String.join(",", Collections.nCopies(10, "\"l\"")) + "]}"));
    assertThat(t.priority()).isEqualTo(4);
    assertThat(t.labels()).hasSize(10);
  }

  @Test
  void jsonRoundTrip() {
    String json = "{\"content\":\"CI {{payload.x}}\",\"description\":null,\"priority\":2,"
        + "\"labels\":[\"ci\"],\"dedupe_key\":\"{{payload.id}}\"}";
    TaskTemplate t = Json.mapper().readValue(json, TaskTemplate.class);
    assertThat(Json.mapper().writeValueAsString(t)).isEqualTo(json);
  }
}

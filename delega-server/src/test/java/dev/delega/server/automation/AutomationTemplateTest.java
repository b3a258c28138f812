package dev.delega.server.automation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AutomationTemplateTest {
  static final Map<String, Object> CONTEXT = context();

  private static Map<String, Object> context() {
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("id", 42L);
    task.put("content", "Fix {{actor.name}} $1 \\ login");
    task.put("priority", 3);
    task.put("labels", List.of("bug", "ui"));
    task.put("project_id", null);
    task.put("due_date", "2026-04-01");
    task.put("context", Map.of("k", "v"));
    Map<String, Object> ctx = new HashMap<>();
    ctx.put("event", "task.created");
    ctx.put("task", task);
    ctx.put("actor", Map.of("name", "codex"));
    ctx.put("at", Instant.parse("2026-01-02T03:04:05.678901Z"));
    ctx.put("flat.key", "flat");
    return ctx;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("{{event}}", "task.created"),
        Arguments.of("#{{task.id}}: {{task.content}}", "#42: Fix {{actor.name}} $1 \\ login"),
        Arguments.of("P{{ task.priority }}", "P3"),
        Arguments.of("labels: {{task.labels}}", "labels: bug, ui"),
        Arguments.of("project [{{task.project_id}}]", "project []"),
        Arguments.of("due {{task.due_date}}", "due 2026-04-01"),
        Arguments.of("by {{actor.name}}", "by codex"),
        Arguments.of("{{unknown}}|{{task.nope}}|{{actor.name.deeper}}", "||"),
        Arguments.of("{{task.context}}", "{\"k\":\"v\"}"),
        Arguments.of("{{at}}", "2026-01-02T03:04:05.678Z"),
        Arguments.of("{{flat.key}}", "flat"),
        Arguments.of("{{ not a name }} {{}} {single}", "{{ not a name }} {{}} {single}"),
        Arguments.of("no placeholders", "no placeholders"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void renders(String template, String expected) {
    assertThat(AutomationTemplate.render(template, CONTEXT)).isEqualTo(expected);
  }

  @Test
  void nullTemplateStaysNull() {
    assertThat(AutomationTemplate.render(null, CONTEXT)).isNull();
  }
}

package dev.delega.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.Json;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LogFormatTest {
  private static final String KEY = "dlg_" + "Zx9-_".repeat(9);

  private static LogFormat.Event event(String message, Throwable error) {
    List<Map.Entry<String, Object>> fields = List.of(
        new AbstractMap.SimpleImmutableEntry<>("request_id", "r-1"),
        new AbstractMap.SimpleImmutableEntry<>("status", 201),
        new AbstractMap.SimpleImmutableEntry<>("msg", "not a second msg"));
    return new LogFormat.Event(Instant.parse("2030-01-02T03:04:05.006789Z"), "WARN", "a.b.C", "main", message, fields, error);
  }

  @Test
  void jsonIsOneObjectPerLineWithEscapesNumbersAndTheError() {
    String line = LogFormat.JSON.render(event("quote \" back \\ tab\t new\nline \u0001", new IllegalStateException("boom")));
    assertThat(line).doesNotContain("\n");
    JsonNode j = Json.mapper().readTree(line);
    assertThat(j.get("ts").asString()).isEqualTo("2030-01-02T03:04:05.006Z");
    assertThat(j.get("level").asString()).isEqualTo("WARN");
    assertThat(j.get("logger").asString()).isEqualTo("a.b.C");
    assertThat(j.get("thread").asString()).isEqualTo("main");
    assertThat(j.get("msg").asString()).isEqualTo("quote \" back \\ tab\t new\nline \u0001");
    assertThat(j.get("request_id").asString()).isEqualTo("r-1");
    assertThat(j.get("status").isNumber()).isTrue();
    assertThat(j.get("error").asString()).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(j.get("stack").asString()).contains("LogFormatTest");
  }

  @Test
  void textIsOneLineThenTheStack() {
    String text = LogFormat.TEXT.render(event("hello", null));
    assertThat(text).isEqualTo("2030-01-02T03:04:05.006Z WARN  [main] a.b.C - hello request_id=r-1 status=201 msg=not a second msg");
    assertThat(LogFormat.TEXT.render(event("x", new RuntimeException("y"))).lines().toList())
        .first().asString().endsWith("- x request_id=r-1 status=201 msg=not a second msg");
  }

  @Test
  void secretsThatSlipIntoATextAreRedactedInBothFormats() {
    String message = "key " + KEY + " Authorization: Bearer abc.def X-Agent-Key=" + KEY
        + " ingress dlgin_" + "q".repeat(43) + " webhook whsec_" + "Ab+/".repeat(11) + "= shown dlg_1234abcd...";
    for (LogFormat f : LogFormat.values()) {
      String line = f.render(event(message, new IllegalArgumentException("bad " + KEY)));
      assertThat(line).doesNotContain(KEY, "abc.def", "qqqqqqqq", "Ab+/Ab+/")
          .contains("dlg_[redacted]", "Bearer [redacted]", "dlgin_[redacted]", "whsec_[redacted]", "dlg_1234abcd...");
    }
  }

  @Test
  void levelsMatchTheLongestLoggerPrefix() {
    LogLevels l = LogLevels.parse(" DEBUG , org.eclipse.jetty=warn, org.eclipse.jetty.server.Server=info,x=off");
    assertThat(l.of("dev.delega.Wiring")).isEqualTo(LogLevels.Threshold.DEBUG);
    assertThat(l.of("org.eclipse.jetty.io.Foo")).isEqualTo(LogLevels.Threshold.WARN);
    assertThat(l.of("org.eclipse.jetty.server.Server")).isEqualTo(LogLevels.Threshold.INFO);
    assertThat(l.of("org.eclipse.jettyx")).isEqualTo(LogLevels.Threshold.DEBUG);
    assertThat(l.of("x.y")).isEqualTo(LogLevels.Threshold.OFF);
    assertThat(l.spelling()).isEqualTo("debug,org.eclipse.jetty=warn,org.eclipse.jetty.server.Server=info,x=off");
    assertThat(LogLevels.parse("").root()).isEqualTo(LogLevels.Threshold.INFO);
    assertThatThrownBy(() -> LogLevels.parse("verbose")).hasMessageContaining("verbose");
    assertThatThrownBy(() -> LogLevels.parse("info,warn")).hasMessageContaining("two levels");
  }

  @Test
  void aThresholdAdmitsItsLevelAndAboveAndOffAdmitsNothing() {
    for (LogLevels.Threshold t : LogLevels.Threshold.values()) {
      for (org.slf4j.event.Level level : org.slf4j.event.Level.values()) {
        boolean expected = t != LogLevels.Threshold.OFF && level.compareTo(org.slf4j.event.Level.valueOf(t.name())) <= 0;
        assertThat(t.admits(level)).as(t + " admits " + level).isEqualTo(expected);
      }
    }
  }
}

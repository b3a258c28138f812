package dev.delega.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Json;
import dev.delega.server.reliability.RawHttp.Header;
import dev.delega.server.testing.DelegaServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Regressions for what {@link FuzzIT} found: each request here once got a 500, an HTML page or an
 * empty error body, or was accepted and changed stored data.
 */
class FuzzFindingsTest {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  private RawHttp.Answer send(String method, String target, String body, Header... extra) {
    List<Header> h = new ArrayList<>(List.of(new Header("X-Agent-Key", SERVER.adminKey()), new Header("Content-Type", "application/json")));
    h.addAll(List.of(extra));
    return new RawHttp(SERVER.port()).send(method, target, h, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  private RawHttp.Answer sendBytes(String method, String target, byte[] body) {
    return new RawHttp(SERVER.port()).send(method, target,
        List.of(new Header("X-Agent-Key", SERVER.adminKey()), new Header("Content-Type", "application/json")), body);
  }

  private static JsonNode problem(RawHttp.Answer a, int status, String code) {
    assertThat(a.status()).as(a.text()).isEqualTo(status);
    assertThat(a.contentType()).startsWith("application/json");
    JsonNode json = Json.mapper().readTree(a.body());
    assertThat(json.path("code").asString()).isEqualTo(code);
    assertThat(json.path("status").asInt()).isEqualTo(status);
    assertThat(json.path("error").isString()).isTrue();
    assertThat(json.path("detail").isString()).isTrue();
    return json;
  }

  private long task() {
    return Json.mapper().readTree(send("POST", "/api/tasks", "{\"content\":\"target\"}").body()).get("id").asLong();
  }

  @Test
  void errorsJettyAnswersItselfAreTheJsonErrorBody() {
    // a control character in a header, for a method Jetty used to answer with an empty body
    problem(send("PATCH", "/api/tasks/1", "{}", new Header("Accept-Language", "\u0000")), 400, "bad_request");
    problem(send("POST", "/api/tasks", "{}", new Header("X-Test", "\u007F"), new Header("Accept", "text/html")), 400, "bad_request");
    // broken percent-encoding and illegal path characters, with an Accept Jetty cannot parse
    problem(send("GET", "/api/tasks/%ff", null, new Header("Accept", "*/*;q=garbage")), 400, "bad_request");
    problem(send("DELETE", "/api/tasks/%C0%AE", null), 400, "bad_request");
    problem(send("GET", "/api\\tasks", null), 400, "bad_request");
    // too long
    problem(send("GET", "/api/tasks/" + "9".repeat(10_000), null), 414, "uri_too_long");
    problem(send("DELETE", "/api/tasks/1", null, new Header("X-Agent-Key", "dlg_" + "A".repeat(10_000))), 431, "headers_too_large");
    // a servlet's own 405
    problem(send("PUT", "/mcp", "{}", new Header("Accept", "application/json")), 405, "method_not_allowed");
  }

  @Test
  void unstorableTextIsRefusedNotStoredAsQuestionMarks() {
    long id = task();
    String before = send("GET", "/api/tasks/" + id, null).text();
    problem(send("PATCH", "/api/tasks/" + id, "{\"description\":\"lone \\uD800 high\"}"), 422, "validation_failed");
    problem(send("PATCH", "/api/tasks/" + id, "{\"description\":\"lone \\uDC00\"}"), 422, "validation_failed");
    problem(send("POST", "/api/projects", "{\"name\":\"\\uDC00 lone\"}"), 422, "validation_failed");
    // overlong UTF-8 for '.' and an encoded surrogate: Jackson alone decoded both
    problem(sendBytes("PATCH", "/api/tasks/" + id + "/context", new byte[] {'{', '"', 'c', '"', ':', '"', (byte) 0xC0, (byte) 0xAE, '"', '}'}),
        400, "invalid_json");
    problem(sendBytes("POST", "/api/tasks/" + id + "/complete", new byte[] {'{', '"', 'c', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}),
        400, "invalid_json");
    assertThat(send("GET", "/api/tasks/" + id, null).text()).isEqualTo(before);
    // a pair is fine, and kept exactly
    RawHttp.Answer ok = send("PATCH", "/api/tasks/" + id, "{\"description\":\"astral \\uD835\\uDD4F\"}");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(Json.mapper().readTree(ok.body()).get("description").asString()).isEqualTo("astral \uD835\uDD4F");
  }

  @Test
  void instantsBeyondYear9999AreA422NotA500() {
    long id = task();
    problem(send("PUT", "/api/tasks/" + id, "{\"reminder_time\":\"+999999999-12-31T00:00:00Z\"}"), 422, "validation_failed");
    problem(send("POST", "/api/tasks/" + id + "/delegate", "{\"content\":\"c\",\"reminder_time\":\"-999999999-01-01T00:00:00Z\"}"),
        422, "validation_failed");
    problem(send("POST", "/api/recurrences", "{\"content\":\"r\",\"rule_type\":\"daily\",\"timezone\":\"UTC\","
        + "\"next_due_at\":\"-999999999-01-01T00:00:00Z\"}"), 422, "validation_failed");
    problem(send("POST", "/api/recurrences", "{\"content\":\"r\",\"rule_type\":\"daily\",\"timezone\":\"UTC\","
        + "\"next_due_at\":\"+10000-01-01\"}"), 422, "validation_failed");
  }

  @Test
  void forceOfTheWrongTypeIsRefusedEvenWithoutADedupCheck() {
    String before = send("GET", "/api/stats", null).text();
    problem(send("POST", "/api/tasks", "{\"content\":\"x\",\"force\":2}"), 422, "validation_failed");
    problem(send("POST", "/api/tasks", "{\"content\":\"x\",\"force\":{}}"), 422, "validation_failed");
    assertThat(send("GET", "/api/stats", null).text()).isEqualTo(before);
  }
}

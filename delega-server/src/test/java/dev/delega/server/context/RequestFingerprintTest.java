package dev.delega.server.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What makes two requests "the same" for an Idempotency-Key. */
class RequestFingerprintTest {
  private static String of(String path, String query, String body) {
    return RequestFingerprint.of("POST", path, query, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void jsonKeyOrderAndWhitespaceDoNotMatter() {
    assertThat(of("/api/tasks", null, "{\"content\":\"x\",\"priority\":2,\"labels\":[\"a\",\"b\"]}"))
        .isEqualTo(of("/api/tasks", null, "{ \"labels\": [\"a\", \"b\"],\n \"priority\": 2, \"content\": \"x\" }"));
  }

  @Test
  void bodyValuesPathAndQueryDo() {
    String base = of("/api/tasks", null, "{\"content\":\"x\"}");

    assertThat(of("/api/tasks", null, "{\"content\":\"y\"}")).isNotEqualTo(base);
    assertThat(of("/api/tasks", null, "{\"content\":\"x\",\"priority\":1}")).isNotEqualTo(base);
    assertThat(of("/api/tasks/1/comments", null, "{\"content\":\"x\"}")).isNotEqualTo(base);
    assertThat(of("/api/tasks", "dry=true", "{\"content\":\"x\"}")).isNotEqualTo(base);
    assertThat(of("/api/tasks", null, "{\"labels\":[\"b\",\"a\"]}"))
        .isNotEqualTo(of("/api/tasks", null, "{\"labels\":[\"a\",\"b\"]}"));
  }

  @Test
  void emptyAndNonJsonBodiesAreHashedAsTheyCame() {
    assertThat(of("/api/tasks/1/complete", null, "")).isEqualTo(of("/api/tasks/1/complete", null, ""));
    assertThat(of("/api/x", null, "not json")).isEqualTo(of("/api/x", null, "not json"));
    assertThat(of("/api/x", null, "not json")).isNotEqualTo(of("/api/x", null, "not  json"));
    assertThat(of("/api/x", null, "")).hasSize(64);
  }
}

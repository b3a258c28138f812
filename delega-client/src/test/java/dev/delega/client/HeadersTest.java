package dev.delega.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.NewTask;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeadersTest {
  private static final String TASK = "{\"id\":7,\"content\":\"x\"}";

  private final RecordingServer server = RecordingServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private DelegaClient.Builder client() {
    return DelegaClient.builder().baseUrl(server.url()).apiKey("dlg_key").retries(0);
  }

  @Test
  void aGetSendsTheKeyAcceptAndUserAgentButNoContentType() {
    try (DelegaClient client = client().build()) {
      server.reply(200, TASK);
      client.tasks().get(7);
      RecordingServer.Recorded request = server.last();
      assertThat(request.method()).isEqualTo("GET");
      assertThat(request.header("X-Agent-Key")).contains("dlg_key");
      assertThat(request.header("Authorization")).isEmpty();
      assertThat(request.header("Accept")).contains("application/json");
      assertThat(request.header("User-Agent")).contains("delega-java/" + DelegaClient.VERSION);
      assertThat(request.header("Content-Type")).isEmpty();
      assertThat(request.header("Idempotency-Key")).isEmpty();
    }
  }

  @Test
  void aPostWithABodySendsJsonContentType() {
    try (DelegaClient client = client().build()) {
      server.reply(200, TASK);
      client.tasks().create(NewTask.builder("Ship it").priority(3).build());
      RecordingServer.Recorded request = server.last();
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.uri()).isEqualTo("/api/tasks");
      assertThat(request.header("Content-Type")).contains("application/json");
      assertThat(request.text()).isEqualTo("{\"content\":\"Ship it\",\"priority\":3}");
      assertThat(request.header("Idempotency-Key")).as("off by default").isEmpty();
    }
  }

  @Test
  void bearerSchemeSendsAuthorizationInsteadOfAgentKey() {
    try (DelegaClient client = client().authScheme(AuthScheme.BEARER).build()) {
      client.send("GET", "/stats");
      assertThat(server.last().header("Authorization")).contains("Bearer dlg_key");
      assertThat(server.last().header("X-Agent-Key")).isEmpty();
    }
  }

  @Test
  void withoutAKeyNoCredentialIsSent() {
    try (DelegaClient client = client().apiKey(null).build()) {
      client.send("GET", "/health");
      assertThat(server.last().header("X-Agent-Key")).isEmpty();
      assertThat(server.last().header("Authorization")).isEmpty();
    }
  }

  @Test
  void withApiKeyActsAsAnotherAgentOnTheSameConnectionPool() {
    try (DelegaClient admin = client().build()) {
      DelegaClient worker = admin.withApiKey("dlg_worker");
      DelegaClient anonymous = admin.withApiKey(null);
      worker.send("GET", "/tasks");
      assertThat(server.last().header("X-Agent-Key")).contains("dlg_worker");
      anonymous.send("GET", "/tasks");
      assertThat(server.last().header("X-Agent-Key")).isEmpty();
      admin.send("GET", "/tasks");
      assertThat(server.last().header("X-Agent-Key")).contains("dlg_key");
      assertThat(worker.baseUri()).isEqualTo(admin.baseUri());
    }
  }

  @Test
  void clientAndCallHeadersAreSentAndCallHeadersWin() {
    try (DelegaClient client =
        client().header("X-Forwarded-User", "alice").userAgent("my-agent/2").build()) {
      client.send("GET", "/tasks", null, Map.of("x-agent-key", "dlg_other", "X-Trace", "1"));
      RecordingServer.Recorded request = server.last();
      assertThat(request.header("X-Forwarded-User")).contains("alice");
      assertThat(request.header("User-Agent")).contains("my-agent/2");
      assertThat(request.header("X-Agent-Key")).contains("dlg_other");
      assertThat(request.headers().get("X-Agent-Key")).hasSize(1);
      assertThat(request.header("X-Trace")).contains("1");
    }
  }

  @Test
  void requestOptionsCarryLeaseTokenIfMatchAndDedupCheck() {
    try (DelegaClient client = client().build()) {
      server.reply(200, TASK);
      client
          .tasks()
          .update(
              7,
              dev.delega.api.TaskUpdate.create().content("y"),
              RequestOptions.lease(42).withIfMatch(3));
      assertThat(server.last().header("X-Lease-Token")).contains("42");
      assertThat(server.last().header("If-Match")).contains("\"3\"");
      server.reply(200, TASK);
      client.tasks().create(NewTask.of("z"), RequestOptions.none().withDedupCheck());
      assertThat(server.last().header("X-Dedup-Check")).contains("true");
    }
  }
}

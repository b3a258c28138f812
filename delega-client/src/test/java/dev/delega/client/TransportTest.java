package dev.delega.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.Task;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

class TransportTest {
  private final RecordingServer server = RecordingServer.start();
  private final DelegaClient client =
      DelegaClient.builder().baseUrl(server.url()).apiKey("dlg_key").retries(0).build();

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void aTimeoutIsATransportError() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    server.reply(
        exchange -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          RecordingServer.Reply.json(200, "{}").answer(exchange);
        });
    try (DelegaClient impatient =
        DelegaClient.builder()
            .baseUrl(server.url())
            .timeout(Duration.ofMillis(200))
            .retries(0)
            .build()) {
      assertThatThrownBy(() -> impatient.tasks().get(1))
          .isInstanceOf(DelegaTransportException.class)
          .hasMessageContaining("timed out")
          .hasCauseInstanceOf(HttpTimeoutException.class);
    } finally {
      release.countDown();
    }
  }

  @Test
  void malformedJsonInASuccessfulAnswerIsATransportError() {
    server.reply(200, "{\"id\": 1, \"content\": ");
    assertThatThrownBy(() -> client.tasks().get(1))
        .isInstanceOf(DelegaTransportException.class)
        .hasMessageContaining("Malformed JSON")
        .hasMessageContaining("/api/tasks/1");
    server.reply(200, "{\"id\": 1}");
    assertThatThrownBy(() -> client.tasks().list())
        .as("an object where a list was expected")
        .isInstanceOf(DelegaTransportException.class);
  }

  @Test
  void aPostWithoutPayloadSendsNoBodyButJsonContentType() {
    server.reply(200, "{\"id\":5,\"content\":\"x\",\"completed\":true,\"status\":\"completed\"}");
    Task task = client.tasks().complete(5);
    assertThat(task.completed()).isTrue();
    RecordingServer.Recorded request = server.last();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri()).isEqualTo("/api/tasks/5/complete");
    assertThat(request.body()).isEmpty();
    assertThat(request.header("Content-Type")).contains("application/json");
  }

  @Test
  void emptyAnswersAndNoContentAreFine() {
    server.reply(RecordingServer.Reply.with(204, Map.of(), ""));
    client.tasks().delete(5);
    server.reply(200, "{\"ok\":true}");
    client.agents().delete(6);
    assertThat(server.requests())
        .extracting(RecordingServer.Recorded::method, RecordingServer.Recorded::uri)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("DELETE", "/api/tasks/5"),
            org.assertj.core.groups.Tuple.tuple("DELETE", "/api/agents/6"));
    server.reply(RecordingServer.Reply.with(200, Map.of(), ""));
    assertThat(client.call("GET", "/tasks/5", null, Task.class)).isNull();
  }

  @Test
  void rawSendReturnsErrorsWithoutThrowing() {
    server.reply(
        RecordingServer.Reply.with(
            404,
            Map.of("X-Request-Id", "r1"),
            "{\"error\":\"Task not found\",\"code\":\"not_found\"}"));
    RawResponse response = client.send("GET", "/tasks/99", null, Map.of());
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.isSuccess()).isFalse();
    assertThat(response.header("x-request-id")).contains("r1");
    assertThat(response.json().get("error").asString()).isEqualTo("Task not found");
    assertThat(response.problem().getError()).isEqualTo("Task not found");
    assertThat(response.text()).contains("not_found");
  }

  @Test
  void rawSendWritesStringsAndBytesVerbatimAndObjectsAsJson() {
    client.send("POST", "/tasks", "{not json", Map.of());
    assertThat(server.last().text()).isEqualTo("{not json");
    client.send("POST", "/tasks", "{\"content\":\"b\"}".getBytes(StandardCharsets.UTF_8), Map.of());
    assertThat(server.last().text()).isEqualTo("{\"content\":\"b\"}");
    client.send("POST", "/tasks", Map.of("content", "c"));
    assertThat(server.last().text()).isEqualTo("{\"content\":\"c\"}");
    client.send("POST", "/tasks/1/complete", null, Map.of("Content-Type", "text/plain"));
    assertThat(server.last().header("Content-Type")).contains("text/plain");
    assertThat(server.last().body()).isEmpty();
  }

  @Test
  void typedGenericCallsDecodeWithTheSharedMapper() {
    server.reply(200, "[{\"id\":1,\"content\":\"a\",\"created_by_agent_id\":3}]");
    List<Task> tasks = client.call("GET", "/tasks", null, new TypeReference<List<Task>>() {});
    assertThat(tasks).singleElement().extracting(Task::createdByAgentId).isEqualTo(3L);
    server.reply(409, "{\"error\":\"taken\",\"code\":\"lease_held\"}");
    assertThatThrownBy(() -> client.call("POST", "/tasks/1/claim", null, Task.class))
        .isInstanceOf(ConflictException.class)
        .hasMessage("taken");
  }
}

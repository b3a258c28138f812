package dev.delega.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.NewTask;
import dev.delega.api.TaskUpdate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTest {
  private static final String TASK = "{\"id\":7,\"content\":\"x\"}";
  private static final String UNAVAILABLE =
      "{\"error\":\"shutting down\",\"code\":\"unavailable\",\"status\":503}";

  private final RecordingServer server = RecordingServer.start();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    server.close();
  }

  private DelegaClient.Builder client() {
    return DelegaClient.builder()
        .baseUrl(server.url())
        .apiKey("dlg_key")
        .retries(2)
        .retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .sleeper(sleeps::add);
  }

  @Test
  void aGetIsRetriedOn503WithGrowingJitteredBackoff() {
    server.reply(503, UNAVAILABLE).reply(503, UNAVAILABLE).reply(200, TASK);
    try (DelegaClient client = client().build()) {
      assertThat(client.tasks().get(7).id()).isEqualTo(7);
    }
    assertThat(server.requests()).hasSize(3);
    assertThat(sleeps).hasSize(2);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void aGetGivesUpAfterTheConfiguredRetries() {
    server.reply(503, UNAVAILABLE).reply(502, "{}").reply(504, "{}").reply(200, TASK);
    try (DelegaClient client = client().build()) {
      assertThatThrownBy(() -> client.tasks().get(7))
          .isInstanceOf(ServerException.class)
          .extracting(e -> ((ServerException) e).status())
          .isEqualTo(504);
    }
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void putAndDeleteAreRetriedToo() {
    server.reply(503, UNAVAILABLE).reply(200, TASK).reply(503, UNAVAILABLE).reply(204, "");
    try (DelegaClient client = client().build()) {
      client.tasks().update(7, TaskUpdate.create().content("y"));
      client.tasks().delete(7);
    }
    assertThat(server.requests())
        .extracting(RecordingServer.Recorded::method)
        .containsExactly("PUT", "PUT", "DELETE", "DELETE");
  }

  @Test
  void aPlainPostIsNeverRetried() {
    server.reply(503, UNAVAILABLE).reply(200, TASK);
    try (DelegaClient client = client().build()) {
      assertThatThrownBy(() -> client.tasks().create(NewTask.of("x")))
          .isInstanceOf(ServerException.class);
    }
    assertThat(server.requests()).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aPatchIsNeverRetried() {
    server.reply(503, UNAVAILABLE).reply(200, TASK);
    try (DelegaClient client = client().build()) {
      assertThatThrownBy(() -> client.tasks().patch(7, TaskUpdate.create().content("y")))
          .isInstanceOf(ServerException.class);
    }
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void aPostWithAnAutomaticIdempotencyKeyIsRetriedWithTheSameKey() {
    server.reply(503, UNAVAILABLE).reply(429, "{}").reply(200, TASK).reply(200, TASK);
    try (DelegaClient client = client().autoIdempotencyKeys(true).build()) {
      client.tasks().create(NewTask.of("x"));
      client.tasks().create(NewTask.of("y"));
    }
    List<RecordingServer.Recorded> requests = server.requests();
    assertThat(requests).hasSize(4);
    String key = requests.get(0).header("Idempotency-Key").orElseThrow();
    assertThat(key).matches("[0-9a-f-]{36}");
    assertThat(requests.subList(0, 3))
        .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).contains(key));
    assertThat(requests.get(3).header("Idempotency-Key")).isPresent().get().isNotEqualTo(key);
    assertThat(requests.get(0).text()).isEqualTo(requests.get(2).text());
  }

  @Test
  void aPostWithAnExplicitIdempotencyKeyIsRetried() {
    server.reply(503, UNAVAILABLE).reply(200, TASK);
    try (DelegaClient client = client().build()) {
      client.tasks().create(NewTask.of("x"), RequestOptions.idempotent("k-1"));
    }
    assertThat(server.requests())
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).contains("k-1"));
  }

  @Test
  void retryAfterIsHonouredUpToTheCap() {
    server
        .reply(RecordingServer.Reply.with(429, Map.of("Retry-After", "3"), "{}"))
        .reply(200, TASK)
        .reply(RecordingServer.Reply.with(503, Map.of("Retry-After", "120"), UNAVAILABLE))
        .reply(200, TASK);
    try (DelegaClient client = client().maxRetryWait(Duration.ofSeconds(10)).build()) {
      client.tasks().get(7);
      assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
      assertThatThrownBy(() -> client.tasks().get(7))
          .as("a wait beyond the cap is not waited out")
          .isInstanceOf(ServerException.class);
    }
    assertThat(server.requests()).hasSize(3);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void clientErrorsAreNeverRetried() {
    server.reply(404, "{\"error\":\"nope\"}").reply(200, TASK);
    try (DelegaClient client = client().build()) {
      assertThatThrownBy(() -> client.tasks().get(7)).isInstanceOf(NotFoundException.class);
    }
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void retriesZeroMeansOneAttempt() {
    server.reply(503, UNAVAILABLE).reply(200, TASK);
    try (DelegaClient client = client().retries(0).build()) {
      assertThatThrownBy(() -> client.tasks().get(7)).isInstanceOf(ServerException.class);
    }
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void theRawEscapeHatchNeverRetries() {
    server.reply(503, UNAVAILABLE).reply(200, TASK);
    try (DelegaClient client = client().build()) {
      RawResponse response = client.send("GET", "/tasks/7");
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.problem().getCode()).isEqualTo("unavailable");
    }
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void connectionFailuresOfAGetAreRetriedThenReportedAsTransportErrors() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (DelegaClient client = client().baseUrl("http://127.0.0.1:" + closedPort).build()) {
      assertThatThrownBy(() -> client.tasks().get(7))
          .isInstanceOf(DelegaTransportException.class)
          .hasMessageContaining("GET http://127.0.0.1:" + closedPort + "/api/tasks/7")
          .hasCauseInstanceOf(IOException.class);
      assertThat(sleeps).hasSize(2);
      sleeps.clear();
      assertThatThrownBy(() -> client.tasks().create(NewTask.of("x")))
          .isInstanceOf(DelegaTransportException.class);
      assertThat(sleeps).as("a plain POST is not retried").isEmpty();
    }
  }
}

package dev.delega.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.AgentUpdate;
import dev.delega.api.ClaimRequest;
import dev.delega.api.Json;
import dev.delega.api.NewAgent;
import dev.delega.api.NewTask;
import dev.delega.api.NewWebhook;
import dev.delega.api.TaskUpdate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerializationTest {
  private final RecordingServer server = RecordingServer.start();
  private final DelegaClient client =
      DelegaClient.builder().baseUrl(server.url()).apiKey("dlg_key").retries(0).build();

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void aPartialPutSendsExplicitNullsButNotAbsentFields() {
    server.reply(200, "{\"id\":5,\"content\":\"new\"}");
    client
        .tasks()
        .update(
            5,
            TaskUpdate.create()
                .content("new")
                .assignedToAgentId(null)
                .description(null)
                .labels(List.of("a")));
    RecordingServer.Recorded request = server.last();
    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.uri()).isEqualTo("/api/tasks/5");
    assertThat(request.text())
        .isEqualTo(
            "{\"content\":\"new\",\"assigned_to_agent_id\":null,\"description\":null,\"labels\":[\"a\"]}");
  }

  @Test
  void anEmptyUpdateIsAnEmptyObject() {
    assertThat(Json.mapper().writeValueAsString(TaskUpdate.create())).isEqualTo("{}");
  }

  @Test
  void unsetRemovesAFieldAndHasTellsAbsentFromNull() {
    TaskUpdate update = TaskUpdate.create().priority(2).dueDate(null).unset("priority");
    assertThat(update.has("due_date")).isTrue();
    assertThat(update.get("due_date")).isNull();
    assertThat(update.has("priority")).isFalse();
    assertThat(Json.mapper().writeValueAsString(update)).isEqualTo("{\"due_date\":null}");
  }

  @Test
  void updatesReadBackFromJsonKeepExplicitNulls() {
    TaskUpdate update =
        Json.mapper().readValue("{\"assigned_to_agent_id\":null,\"priority\":3}", TaskUpdate.class);
    assertThat(update.has("assigned_to_agent_id")).isTrue();
    assertThat(update.has("content")).isFalse();
    assertThat(update).isEqualTo(TaskUpdate.create().assignedToAgentId(null).set("priority", 3));
    AgentUpdate agent = Json.mapper().readValue("{\"role\":\"coordinator\"}", AgentUpdate.class);
    assertThat(agent.fields()).containsExactly(Map.entry("role", "coordinator"));
  }

  @Test
  void createBodiesLeaveOutUnsetFields() {
    assertThat(Json.mapper().writeValueAsString(NewTask.of("x"))).isEqualTo("{\"content\":\"x\"}");
    assertThat(
            Json.mapper()
                .writeValueAsString(
                    NewTask.builder("x").labels("a", "b").assignedToAgentId(4).force(true).build()))
        .isEqualTo(
            "{\"content\":\"x\",\"labels\":[\"a\",\"b\"],\"assigned_to_agent_id\":4,\"force\":true}");
    assertThat(Json.mapper().writeValueAsString(NewAgent.of("w", "worker")))
        .isEqualTo("{\"name\":\"w\",\"role\":\"worker\"}");
    assertThat(
            Json.mapper().writeValueAsString(NewWebhook.of("http://h/x", List.of("task.created"))))
        .isEqualTo("{\"url\":\"http://h/x\",\"events\":[\"task.created\"]}");
    assertThat(Json.mapper().writeValueAsString(ClaimRequest.defaults())).isEqualTo("{}");
  }

  @Test
  void deliveryIdsMayBeNumbersOrStrings() {
    assertThat(
            Json.mapper()
                .readValue("{\"id\":12,\"webhook_id\":3}", dev.delega.api.WebhookDelivery.class)
                .id())
        .isEqualTo("12");
    assertThat(
            Json.mapper()
                .readValue("{\"id\":\"dlv_x\",\"webhook_id\":3}", dev.delega.api.WebhookDelivery.class)
                .id())
        .isEqualTo("dlv_x");
  }
}

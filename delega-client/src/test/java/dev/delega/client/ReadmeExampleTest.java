package dev.delega.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.ClaimResult;
import dev.delega.api.Evidence;
import dev.delega.api.NewTask;
import dev.delega.api.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README example, against a recording fake server instead of a real one. */
class ReadmeExampleTest {

  @Test
  void theReadmeExampleMakesTheCallsItDescribes() {
    try (RecordingServer server = RecordingServer.start()) {
      server
          .reply(200, "{\"id\":9,\"content\":\"Rotate the staging DB password\"}")
          .reply(200, "{\"task\":{\"id\":9,\"content\":\"…\",\"lease_token\":4}}")
          .reply(200, "{\"context\":{\"step\":\"rotated\"},\"version\":1}")
          .reply(200, "{\"id\":9,\"content\":\"…\",\"status\":\"completed\",\"completed\":true}");

      String status;
      try (DelegaClient delega =
          DelegaClient.builder().baseUrl(server.url()).apiKey("dlg_example").build()) {
        Task task =
            delega
                .tasks()
                .create(
                    NewTask.builder("Rotate the staging DB password")
                        .priority(3)
                        .labels("ops")
                        .build());

        ClaimResult claim = delega.tasks().claim(task.id());
        long lease = claim.task().leaseToken();

        delega
            .tasks()
            .patchContext(
                task.id(),
                Map.of("step", "rotated"),
                ContextWrite.none().withSource("agent_observed").withLeaseToken(lease));

        Task done =
            delega
                .tasks()
                .complete(
                    task.id(),
                    List.of(new Evidence("command_output", "vault write ok", null)),
                    RequestOptions.lease(lease));
        status = done.status();
      }

      assertThat(status).isEqualTo("completed");
      assertThat(server.requests())
          .extracting(r -> r.method() + " " + r.uri())
          .containsExactly(
              "POST /api/tasks",
              "POST /api/tasks/9/claim",
              "PATCH /api/tasks/9/context?source=agent_observed",
              "POST /api/tasks/9/complete");
      assertThat(server.requests().subList(2, 4))
          .allSatisfy(r -> assertThat(r.header("X-Lease-Token")).contains("4"));
    }
  }
}

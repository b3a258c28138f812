package dev.delega.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class ClaimCommandsTest {
  @RegisterExtension final DelegaServerExtension server = new DelegaServerExtension();

  @Test
  void claimsFromTheQueueHeartbeatsReleasesAndCompletesWithTheLeaseToken() {
    Cli admin = Cli.against(server.rootUrl(), server.adminKey());
    long low = admin.json("tasks", "create", "Low priority chore", "--priority", "1").path("id").asLong();
    long urgent = admin.json("tasks", "create", "Urgent fix", "--priority", "4").path("id").asLong();
    assertThat(admin.json("tasks", "ready")).extracting(t -> t.path("id").asLong()).contains(low, urgent);

    JsonNode claimed = admin.json("tasks", "claim", "--lease-seconds", "120");
    JsonNode task = claimed.path("task");
    assertThat(task.path("id").asLong()).isEqualTo(urgent);
    String token = task.path("lease_token").asString();
    assertThat(token).isNotEmpty();
    assertThat(admin.json("tasks", "ready")).extracting(t -> t.path("id").asLong()).doesNotContain(urgent);

    JsonNode beat = admin.json("tasks", "heartbeat", String.valueOf(urgent), "--lease-token", token, "--state", "working", "--detail", "compiling");
    assertThat(beat.path("session_state").asString()).isEqualTo("working");

    JsonNode released = admin.json("tasks", "release", String.valueOf(urgent), "--lease-token", token, "--handoff", "half done");
    assertThat(released.path("handoff_note").asString()).isEqualTo("half done");
    assertThat(admin.json("tasks", "ready")).extracting(t -> t.path("id").asLong()).contains(urgent);

    Cli.Result human = admin.run("tasks", "claim", String.valueOf(low));
    assertThat(human.exit()).as(human.toString()).isZero();
    assertThat(human.out()).contains("Claimed #" + low, "Lease token:");
    String lowToken = admin.json("tasks", "show", String.valueOf(low)).path("lease_token").asString();
    JsonNode done = admin.json("tasks", "complete", String.valueOf(low), "--lease-token", lowToken);
    assertThat(done.path("completed").asBoolean()).isTrue();
  }

  @Test
  void anEmptyQueueIsNotAnError() {
    Cli admin = Cli.against(server.rootUrl(), server.adminKey());
    assertThat(admin.json("tasks", "claim").path("task").isNull()).isTrue();
    Cli.Result human = admin.run("tasks", "claim");
    assertThat(human.exit()).isZero();
    assertThat(human.out()).contains("No claimable tasks");
    assertThat(admin.run("tasks", "claim", "1", "--label", "x").err()).contains("--label");
  }
}

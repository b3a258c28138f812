package dev.delega.server.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.DedupResult;
import dev.delega.api.NewTask;
import dev.delega.api.Task;
import dev.delega.api.TaskUpdate;
import dev.delega.client.ConflictException;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.client.ValidationException;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /tasks/dedup} and the create-time check through the real server (lexical mode, fast to start). */
class DedupEndpointTest {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  static DelegaClient admin;
  static DelegaClient worker;
  static long workerId;

  @BeforeAll
  static void clients() {
    admin = DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey()).build();
    String key = server.newAgent("dedup-worker");
    worker = admin.withApiKey(key);
    workerId = server.agentId(key);
  }

  @AfterAll
  static void close() {
    admin.close();
  }

  @Test
  void findsAParaphraseAndIgnoresAnotherHost() {
    Task cert = admin.tasks().create("Renew the TLS certificate for api.example.com");
    DedupResult same = admin.tasks().dedup("renew the TLS certificate for api.example.com");
    assertThat(same.hasDuplicates()).isTrue();
    assertThat(same.matches().get(0).taskId()).isEqualTo(cert.id());
    assertThat(same.matches().get(0).content()).isEqualTo(cert.content());

    DedupResult other = admin.tasks().dedup("Renew the TLS certificate for www.example.com");
    assertThat(other.matches()).extracting(m -> m.taskId()).doesNotContain(cert.id());
  }

  @Test
  void completedAndDeletedTasksNeverMatch() {
    Task t = admin.tasks().create("Rotate the signing key of the billing service");
    assertThat(admin.tasks().dedup("Rotate the signing key of the billing service").hasDuplicates()).isTrue();
    admin.tasks().complete(t.id());
    assertThat(admin.tasks().dedup("Rotate the signing key of the billing service").matches())
        .extracting(m -> m.taskId()).doesNotContain(t.id());
    Task u = admin.tasks().create("Archive the old audit buckets");
    admin.tasks().delete(u.id());
    assertThat(admin.tasks().dedup("Archive the old audit buckets").matches())
        .extracting(m -> m.taskId()).doesNotContain(u.id());
  }

  @Test
  void aWorkerOnlyMatchesTasksItMaySee() {
    admin.tasks().create("Clean up the staging kafka topics");
    assertThat(worker.tasks().dedup("Clean up the staging kafka topics").hasDuplicates()).isFalse();
    Task mine = worker.tasks().create("Clean up the staging kafka topics please");
    assertThat(worker.tasks().dedup("Clean up the staging kafka topics").matches())
        .extracting(m -> m.taskId()).containsExactly(mine.id());
  }

  @Test
  void aWorkerMatchesExactlyTheTasksItCanRead() {
    // One task per way of taking part (or not); each text only matches its own task.
    Task created = worker.tasks().create("Tune the autovacuum settings of the reporting replica");
    Task assigned = admin.tasks().create(
        NewTask.builder("Replace the failing fan in the Lisbon storage array").assignedToAgentId(workerId).build());
    Task notMine = admin.tasks().create("Negotiate the office lease renewal with the landlord");
    Task chainRoot = admin.tasks().create("Prepare the exit plan for the Frankfurt colocation");
    Task chainSibling = admin.tasks().delegate(chainRoot.id(), NewTask.builder("Count the racks still powered on").build());
    admin.tasks().delegate(chainRoot.id(), NewTask.builder("Ship the spare disks back").assignedToAgentId(workerId).build());
    Task otherChainRoot = admin.tasks().create("Translate the onboarding handbook into Japanese");
    Task otherChainChild = admin.tasks().delegate(otherChainRoot.id(), NewTask.builder("Hire a technical translator").build());
    Task reassigned = admin.tasks().create(
        NewTask.builder("Order replacement badges for the night shift").assignedToAgentId(workerId).build());
    admin.tasks().update(reassigned.id(), TaskUpdate.of(Map.of("assigned_to_agent_id", server.agentId(server.adminKey()))));

    for (Task t : new Task[] {created, assigned, notMine, chainRoot, chainSibling, otherChainRoot, otherChainChild, reassigned}) {
      assertThat(admin.tasks().dedup(t.content()).matches()).extracting(m -> m.taskId()).as(t.content()).contains(t.id());
      boolean readable = worker.send("GET", "/tasks/" + t.id()).status() == 200;
      assertThat(worker.tasks().dedup(t.content()).matches())
          .extracting(m -> m.taskId())
          .as("%s (readable: %s)", t.content(), readable)
          .satisfies(ids -> assertThat(ids.contains(t.id())).isEqualTo(readable));
    }
    assertThat(worker.send("GET", "/tasks/" + chainSibling.id()).status()).isEqualTo(200);
    assertThat(worker.send("GET", "/tasks/" + notMine.id()).status()).isEqualTo(404);
    assertThat(worker.send("GET", "/tasks/" + reassigned.id()).status()).isEqualTo(404);
  }

  @Test
  void theMatchesAreReadByPrimaryKeyNotByWalkingTheOpenTasks() {
    // With "completed = FALSE" in the WHERE clause and four or more ids SQLite walked ix_tasks_list
    // over every open task (30 ms a check at 100k open tasks), whatever the size of the table.
    String plan = server.wiring().database().read(h -> String.join("\n",
        h.createQuery("EXPLAIN QUERY PLAN " + DedupService.CONTENTS_SQL)
            .bindList("ids", java.util.List.of(1L, 2L, 3L, 4L, 5L))
            .map((rs, ctx) -> rs.getString("detail"))
            .list()));
    assertThat(plan).contains("INTEGER PRIMARY KEY").doesNotContain("INDEX");
  }

  @Test
  void createWithDedupCheckIsRefusedWithTheMatchesUnlessForced() {
    Task first = admin.tasks().create("Check free disk space on build-agent-7");
    assertThatThrownBy(() -> admin.tasks().create(NewTask.builder("Check free disk space on build-agent-7").dedupCheck(true).build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.code()).isEqualTo("duplicate_task");
          assertThat(e.matches()).isNotEmpty();
        });
    RawResponse header = admin.send("POST", "/tasks", Map.of("content", "Check free disk space on build-agent-7"),
        Map.of("X-Dedup-Check", "TRUE"));
    assertThat(header.status()).isEqualTo(409);
    assertThat(header.text()).contains("\"task_id\":" + first.id());
    Task forced = admin.tasks().create(NewTask.builder("Check free disk space on build-agent-7").dedupCheck(true).force(true).build());
    assertThat(forced.id()).isNotEqualTo(first.id());
  }

  @Test
  void thresholdOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> admin.tasks().dedup("anything", 1.01, null)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> admin.tasks().dedup("anything", -0.1, null)).isInstanceOf(ValidationException.class);
    RawResponse missing = admin.send("POST", "/tasks/dedup", Map.of());
    assertThat(missing.status()).isEqualTo(422);
  }
}

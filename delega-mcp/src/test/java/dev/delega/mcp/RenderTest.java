package dev.delega.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Chain;
import dev.delega.api.DedupResult;
import dev.delega.api.FleetAttention;
import dev.delega.api.Json;
import dev.delega.api.Stats;
import dev.delega.api.Task;
import dev.delega.api.TaskLink;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The texts follow the official delega-mcp renders. */
class RenderTest {
  static Task task(String json) {
    return Json.mapper().readValue(json, Task.class);
  }

  @Test
  void listViewShowsFieldsAndContextKeys() {
    Task t =
        task(
            """
            {"id":7,"content":"Fix login","description":"Users get 500","project":{"id":1,"name":"Web"},
             "labels":["bug","auth"],"priority":3,"due_date":"2026-12-01","status":"in_progress",
             "session_state":"waiting_input","session_state_detail":"need creds",
             "assigned_to_agent":{"id":2,"name":"worker","display_name":"Worker Bot"},
             "created_by_agent_id":1,"delegation_depth":1,"parent_task_id":3,"root_task_id":3,
             "context":{"plan":"A","step":2},"completed":false,
             "subtasks":[{"id":1,"content":"repro","completed":true}]}
            """);
    assertThat(Render.task(t))
        .isEqualTo(
            """
            [#7] Fix login
              Description: Users get 500
              Project: Web
              Labels: bug, auth
              Priority: 3
              Due: 2026-12-01
              Status: in_progress (waiting_input — "need creds")
              Assigned to: Worker Bot (#2)
              Created by: #1
              Delegation: depth 1, parent #3, root #3
              Completed: no
              Context keys: plan, step (2)
              Subtasks:
                [#1] repro (done)""");
  }

  @Test
  void detailViewPrettyPrintsContextEvidenceAndLinks() {
    Task t =
        task(
            """
            {"id":4,"content":"Ship","status":"completed","completed":true,"priority":1,
             "completed_by_agent":{"id":2,"name":"w"},"context":{"pr":42},
             "completion_evidence":[{"kind":"pr","ref":"42","summary":"merged"}]}
            """);
    String text =
        Render.taskDetail(t, List.of(new TaskLink(1L, 4L, "pr", "acme/web", "42", "https://x/42", null)));
    assertThat(text)
        .isEqualTo(
            """
            [#4] Ship
              Priority: 1
              Status: completed
              Completed: yes
              Completed by: w (#2)
              Context:
                {
                  "pr": 42
                }
              Completion evidence:
                pr: 42 — merged
              Links:
                pr: acme/web 42 — https://x/42""");
  }

  @Test
  void openTasksHaveNoStatusLineAndIngressTasksAWarning() {
    Task t = task("{\"id\":1,\"content\":\"Alert\",\"status\":\"open\",\"source_ingress_id\":5}");
    assertThat(Render.task(t)).doesNotContain("Status:").contains("⚠ External source (ingress #5)");
  }

  @Test
  void handoffAndClaimAreShown() {
    Task t =
        task(
            """
            {"id":1,"content":"Migrate","status":"open","handoff_note":"schema done",
             "handoff_by_agent":{"id":3,"name":"a"},"claimed_by_agent_id":4,
             "lease_expires_at":"2026-11-24T12:00:00.000Z","blocked_by":[9]}
            """);
    assertThat(Render.task(t))
        .contains("  ↩ Resuming from: \"schema done\" — a (#3)")
        .contains("  Claimed by: #4, lease until 2026-11-24T12:00:00.000Z")
        .contains("  Blocked by: #9");
  }

  @Test
  void chainIsATreeIndentedByDepth() {
    Chain c =
        Json.mapper()
            .readValue(
                """
                {"root":{"id":1},"root_id":1,"depth":1,"completed_count":1,"total_count":2,
                 "chain":[{"id":2,"content":"child","delegation_depth":1,"status":"completed","completed":true},
                          {"id":1,"content":"root","delegation_depth":0,"status":"delegated"}]}
                """,
                Chain.class);
    assertThat(Render.chain(c))
        .isEqualTo(
            """
            Delegation chain (root #1, depth 1, 1/2 complete):
              [#1] root (depth 0, delegated)
                [#2] child (depth 1, completed)""");
  }

  @Test
  void dedupMatchesWithScores() {
    DedupResult none = new DedupResult(false, List.of());
    assertThat(Render.dedup(none)).isEqualTo("No duplicates found.");
    DedupResult one = Json.mapper().readValue(
        "{\"has_duplicates\":true,\"matches\":[{\"task_id\":3,\"content\":\"Fix login\",\"score\":0.912}]}",
        DedupResult.class);
    assertThat(Render.dedup(one)).isEqualTo("Found 1 possible duplicate:\n  [#3] Fix login (score 0.91)");
  }

  @Test
  void statsAndEmptyLists() {
    Stats s = new Stats(5, 5, 2, 3, 2, 1, 0, 1, 0, Map.of("Web", 3L), 2, 2);
    assertThat(Render.stats(s))
        .isEqualTo(
            "Task Statistics:\n  Total tasks: 5\n  Completed today: 1\n  Due today: 0\n  Overdue: 1\n"
                + "  By project:\n    Web: 3");
    assertThat(Render.tasks(List.of(), "No tasks found.")).isEqualTo("No tasks found.");
    assertThat(Render.projects(List.of())).isEqualTo("No projects found.");
    assertThat(Render.webhooks(List.of())).isEqualTo("No webhooks configured.");
    assertThat(Render.recurrences(List.of())).isEqualTo("No recurrences found.");
  }

  @Test
  void fleetBucketsInOrder() {
    assertThat(Render.fleet(new FleetAttention(0, Map.of())))
        .isEqualTo("Fleet attention: nothing needs attention right now.");
    FleetAttention f =
        Json.mapper()
            .readValue(
                """
                {"count":2,"buckets":{"overdue":[{"id":3,"content":"Report"}],
                 "errored":[{"id":1,"content":"Build","session_state_detail":"missing dep"}]}}
                """,
                FleetAttention.class);
    assertThat(Render.fleet(f))
        .isEqualTo(
            """
            Fleet attention: 2 item(s) need attention.

            Errored (1):
              [#1] Build — missing dep

            Overdue (1):
              [#3] Report""");
  }

  @Test
  void secretsAreMasked() {
    assertThat(Render.mask("dlg_abcdefghijklmnopqrstuvwxyz")).isEqualTo("dlg_abcd...wxyz");
    assertThat(Render.mask("short")).isEqualTo("short");
  }

  @Test
  void jsonIsIndentedLikeJavaScript() {
    assertThat(Render.json(Map.of("a", List.of(1, 2))))
        .isEqualTo("{\n  \"a\": [\n    1,\n    2\n  ]\n}");
    assertThat(Render.json(Map.of())).isEqualTo("{}");
  }
}

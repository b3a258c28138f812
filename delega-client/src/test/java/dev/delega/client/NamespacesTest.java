package dev.delega.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.AgentUpdate;
import dev.delega.api.ClaimRequest;
import dev.delega.api.ClaimResult;
import dev.delega.api.ContextState;
import dev.delega.api.Evidence;
import dev.delega.api.NewAgent;
import dev.delega.api.NewLink;
import dev.delega.api.NewTask;
import dev.delega.api.Page;
import dev.delega.api.Task;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each typed method sends the method, path and body the API defines. */
class NamespacesTest {
  private static final String TASK = "{\"id\":5,\"content\":\"x\"}";

  private final RecordingServer server = RecordingServer.start();
  private final DelegaClient client =
      DelegaClient.builder().baseUrl(server.url()).apiKey("dlg_key").retries(0).build();

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static Stream<Arguments> calls() {
    return Stream.of(
        call(
            "list with filters",
            "[]",
            c ->
                c.tasks()
                    .list(
                        TaskQuery.create()
                            .status("open")
                            .labels(List.of("a", "b c"))
                            .completed(false)
                            .claimed(true)
                            .assignedTo(3)
                            .dueAfter(LocalDate.of(2026, 1, 2))
                            .search("deploy v2")
                            .limit(10)),
            "GET",
            "/api/tasks?status=open&labels=a&labels=b%20c&completed=false&claimed=true"
                + "&assigned_to=3&due_after=2026-01-02&search=deploy%20v2&limit=10",
            ""),
        call("ready", "[]", c -> c.tasks().ready(), "GET", "/api/tasks/ready", ""),
        call(
            "delete cascade",
            "",
            c -> c.tasks().delete(5, true),
            "DELETE",
            "/api/tasks/5?cascade=true",
            ""),
        call(
            "complete with evidence",
            TASK,
            c -> c.tasks().complete(5, List.of(new Evidence("pr", "#12", null))),
            "POST",
            "/api/tasks/5/complete",
            "{\"evidence\":[{\"kind\":\"pr\",\"ref\":\"#12\",\"summary\":null}]}"),
        call(
            "uncomplete",
            TASK,
            c -> c.tasks().uncomplete(5),
            "POST",
            "/api/tasks/5/uncomplete",
            ""),
        call(
            "delegate",
            TASK,
            c -> c.tasks().delegate(5, NewTask.builder("child").assignedToAgentId(2).build()),
            "POST",
            "/api/tasks/5/delegate",
            "{\"content\":\"child\",\"assigned_to_agent_id\":2}"),
        call(
            "chain",
            "{\"root_id\":5,\"chain\":[]}",
            c -> c.tasks().chain(5),
            "GET",
            "/api/tasks/5/chain",
            ""),
        call("children", "[]", c -> c.tasks().children(5), "GET", "/api/tasks/5/children", ""),
        call("events", "[]", c -> c.tasks().events(5), "GET", "/api/tasks/5/events", ""),
        call("subtasks", "[]", c -> c.tasks().subtasks(5), "GET", "/api/tasks/5/subtasks", ""),
        call(
            "add subtask",
            "{\"id\":1}",
            c -> c.tasks().addSubtask(5, "step"),
            "POST",
            "/api/tasks/5/subtasks",
            "{\"content\":\"step\"}"),
        call(
            "update subtask",
            "{\"id\":1}",
            c -> c.tasks().updateSubtask(5, 1, null, true, null),
            "PUT",
            "/api/tasks/5/subtasks/1",
            "{\"completed\":true}"),
        call(
            "toggle subtask",
            "{\"id\":1}",
            c -> c.tasks().toggleSubtask(5, 1),
            "POST",
            "/api/tasks/5/subtasks/1/toggle",
            ""),
        call(
            "delete subtask",
            "{\"ok\":true}",
            c -> c.tasks().deleteSubtask(5, 1),
            "DELETE",
            "/api/tasks/5/subtasks/1",
            ""),
        call("comments", "[]", c -> c.tasks().comments(5), "GET", "/api/tasks/5/comments", ""),
        call(
            "add comment",
            "{\"id\":1}",
            c -> c.tasks().addComment(5, "hi", "bot"),
            "POST",
            "/api/tasks/5/comments",
            "{\"content\":\"hi\",\"author\":\"bot\"}"),
        call(
            "delete comment",
            "{\"ok\":true}",
            c -> c.tasks().deleteComment(5, 2),
            "DELETE",
            "/api/tasks/5/comments/2",
            ""),
        call(
            "patch context",
            "{\"context\":{\"a\":1},\"version\":4}",
            c ->
                c.tasks()
                    .patchContext(
                        5, Map.of("a", 1), ContextWrite.expecting(3).withSource("agent_observed")),
            "PATCH",
            "/api/tasks/5/context?expected_version=3&source=agent_observed",
            "{\"a\":1}"),
        call(
            "context history",
            "{\"entries\":[],\"next_cursor\":null}",
            c -> c.tasks().contextHistory(5, "plan", null, 20),
            "GET",
            "/api/tasks/5/context/history?key=plan&limit=20",
            ""),
        call("links", "[]", c -> c.tasks().links(5), "GET", "/api/tasks/5/links", ""),
        call(
            "add link",
            "{\"kind\":\"pr\"}",
            c -> c.tasks().addLink(5, new NewLink("pr", "org/repo", "12", null)),
            "POST",
            "/api/tasks/5/links",
            "{\"kind\":\"pr\",\"repo\":\"org/repo\",\"ref\":\"12\",\"url\":null}"),
        call(
            "dedup",
            "{\"has_duplicates\":false,\"matches\":[]}",
            c -> c.tasks().dedup("deploy", 0.5, null),
            "POST",
            "/api/tasks/dedup",
            "{\"content\":\"deploy\",\"threshold\":0.5}"),
        call(
            "claim next",
            "{\"task\":null}",
            c -> c.tasks().claimNext(ClaimRequest.lease(60).withLabels(List.of("ops"))),
            "POST",
            "/api/tasks/claim",
            "{\"lease_seconds\":60,\"labels\":[\"ops\"]}"),
        call(
            "claim",
            "{\"task\":" + TASK + "}",
            c -> c.tasks().claim(5),
            "POST",
            "/api/tasks/5/claim",
            "{}"),
        call(
            "heartbeat",
            TASK,
            c -> c.tasks().heartbeat(5, 9L, 120, "working", null),
            "POST",
            "/api/tasks/5/heartbeat",
            "{\"lease_seconds\":120,\"state\":\"working\"}"),
        call(
            "state",
            TASK,
            c -> c.tasks().setState(5, 9L, "waiting_input", "need a key"),
            "POST",
            "/api/tasks/5/state",
            "{\"state\":\"waiting_input\",\"detail\":\"need a key\"}"),
        call(
            "release",
            TASK,
            c -> c.tasks().release(5, 9L, "half done"),
            "POST",
            "/api/tasks/5/release",
            "{\"handoff\":\"half done\"}"),
        call("agents", "[]", c -> c.agents().list(), "GET", "/api/agents", ""),
        call(
            "create agent",
            "{\"id\":2,\"api_key\":\"dlg_x\"}",
            c -> c.agents().create(NewAgent.of("w").withDisplayName("W")),
            "POST",
            "/api/agents",
            "{\"name\":\"w\",\"display_name\":\"W\"}"),
        call(
            "patch agent",
            "{\"id\":2}",
            c -> c.agents().patch(2, AgentUpdate.create().role("admin")),
            "PATCH",
            "/api/agents/2",
            "{\"role\":\"admin\"}"),
        call(
            "rotate key",
            "{\"id\":2}",
            c -> c.agents().rotateKey(2),
            "POST",
            "/api/agents/2/rotate-key",
            ""),
        call("me", "{\"agent\":{\"id\":1}}", DelegaClient::me, "GET", "/api/agent/me", ""),
        call("projects", "[]", c -> c.projects().list(), "GET", "/api/projects", ""),
        call(
            "webhook deliveries",
            "[]",
            c -> c.webhooks().deliveries(3, 5),
            "GET",
            "/api/webhooks/3/deliveries?limit=5",
            ""),
        call(
            "redeliver",
            "{\"id\":\"d 1\"}",
            c -> c.webhooks().redeliver(3, "d 1"),
            "POST",
            "/api/webhooks/3/deliveries/d%201/redeliver",
            ""),
        call("test webhook", "{}", c -> c.webhooks().test(3), "POST", "/api/webhooks/3/test", ""),
        call("events after", "[]", c -> c.events().list(41), "GET", "/api/events?after=41", ""),
        call("automations", "[]", c -> c.automations().list(), "GET", "/api/automations", ""),
        call(
            "ingress sources",
            "[]",
            c -> c.ingressSources().delete(4),
            "DELETE",
            "/api/ingress-sources/4",
            ""),
        call("recurrences", "[]", c -> c.recurrences().list(), "GET", "/api/recurrences", ""),
        call("stats", "{}", DelegaClient::stats, "GET", "/api/stats", ""),
        call("usage", "{}", DelegaClient::usage, "GET", "/api/usage", ""),
        call(
            "recall",
            "{\"query\":\"db\",\"count\":0,\"results\":[]}",
            c -> c.recall(RecallQuery.of("db host").key("db").limit(5)),
            "GET",
            "/api/context/search?q=db%20host&key=db&limit=5",
            ""),
        call(
            "fleet attention",
            "{\"count\":0,\"buckets\":{}}",
            DelegaClient::fleetAttention,
            "GET",
            "/api/fleet/attention",
            ""));
  }

  private static Arguments call(
      String name,
      String answer,
      Consumer<DelegaClient> call,
      String method,
      String uri,
      String body) {
    return Arguments.of(name, answer, call, method, uri, body);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void sendsWhatTheApiDefines(
      String name,
      String answer,
      Consumer<DelegaClient> call,
      String method,
      String uri,
      String body) {
    server.reply(200, answer);
    call.accept(client);
    RecordingServer.Recorded request = server.last();
    assertThat(request.method()).isEqualTo(method);
    assertThat(request.uri()).isEqualTo(uri);
    assertThat(request.text()).isEqualTo(body);
  }

  @Test
  void leaseTokensTravelInTheHeader() {
    server.reply(200, TASK);
    client.tasks().heartbeat(5, 9L);
    assertThat(server.last().header("X-Lease-Token")).contains("9");
    server.reply(200, "{\"context\":{},\"version\":1}");
    client.tasks().patchContext(5, Map.of("k", "v"), ContextWrite.none().withLeaseToken(11));
    assertThat(server.last().header("X-Lease-Token")).contains("11");
    server.reply(200, TASK);
    client.tasks().complete(5, List.of(), RequestOptions.lease(12));
    assertThat(server.last().header("X-Lease-Token")).contains("12");
    server.reply(200, TASK);
    client.tasks().release(5, null, null);
    assertThat(server.last().header("X-Lease-Token")).isEmpty();
  }

  @Test
  void aPageIsRequestedWithIncludePagination() {
    server.reply(
        200,
        "{\"items\":["
            + TASK
            + "],\"total\":11,\"limit\":1,\"offset\":2,\"has_more\":true,"
            + "\"next_offset\":3}");
    Page<Task> page = client.tasks().page(TaskQuery.create().limit(1).offset(2));
    assertThat(server.last().uri()).isEqualTo("/api/tasks?limit=1&offset=2&include=pagination");
    assertThat(page.items()).extracting(Task::id).containsExactly(5L);
    assertThat(page.total()).isEqualTo(11);
    assertThat(page.hasMore()).isTrue();
    assertThat(page.nextOffset()).isEqualTo(3);
  }

  @Test
  void claimsReadTheTaskEnvelopeAndToleratesABareTask() {
    server.reply(200, "{\"task\":null}");
    assertThat(client.tasks().claimNext().claimed()).isFalse();
    server.reply(200, "{\"task\":{\"id\":5,\"content\":\"x\",\"lease_token\":3}}");
    ClaimResult claimed = client.tasks().claim(5);
    assertThat(claimed.claimed()).isTrue();
    assertThat(claimed.task().leaseToken()).isEqualTo(3L);
    server.reply(200, "{\"id\":6,\"content\":\"y\",\"lease_token\":4}");
    assertThat(client.tasks().claim(6).task().id()).isEqualTo(6);
  }

  @Test
  void contextIsReadWithProvenanceAndToleratesABareObject() {
    server.reply(
        200,
        "{\"context\":{\"plan\":\"b\"},\"version\":3,\"provenance\":{\"plan\":{\"source\":"
            + "\"human_stated\",\"version\":3,\"author_agent_id\":2,"
            + "\"created_at\":\"2026-01-01T00:00:00.000Z\"}}}");
    ContextState state = client.tasks().context(5);
    assertThat(server.last().uri()).isEqualTo("/api/tasks/5/context?include=provenance");
    assertThat(state.context()).containsEntry("plan", "b");
    assertThat(state.version()).isEqualTo(3L);
    assertThat(state.provenance().get("plan").source()).isEqualTo("human_stated");
    assertThat(state.provenance().get("plan").authorAgentId()).isEqualTo(2L);

    server.reply(200, "{\"plan\":\"b\"}");
    ContextState bare = client.tasks().context(5);
    assertThat(bare.context()).containsExactly(Map.entry("plan", "b"));
    assertThat(bare.version()).isNull();
  }
}

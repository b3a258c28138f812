package dev.delega.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.IngressFilter;
import dev.delega.api.IngressSource;
import dev.delega.api.IngressSourceUpdate;
import dev.delega.api.IngressTemplate;
import dev.delega.api.Json;
import dev.delega.api.NewIngressSource;
import dev.delega.api.Task;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.client.TaskQuery;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The signed ingress endpoint and the admin routes of ingress sources, through the SDK. */
class IngressEndpointTest {
  private static final Instant NOW = Instant.parse("2026-04-01T10:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);

  @RegisterExtension final DelegaServerExtension server = newServer(clock);

  private DelegaClient admin;
  private DelegaClient sender;

  /** The server under test; a subclass runs the same tests on PostgreSQL. */
  DelegaServerExtension newServer(MutableClock clock) {
    return new DelegaServerExtension().clock(clock);
  }

  @BeforeEach
  void setUp() {
    admin = DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey()).retries(0).build();
    sender = DelegaClient.builder().baseUrl(server.baseUrl()).retries(0).build();
  }

  private IngressSource source(IngressTemplate template, List<IngressFilter> filters) {
    return admin.ingressSources()
        .create(new NewIngressSource("ci", template, filters, null, null, null));
  }

  private RawResponse deliver(IngressSource s, String body, long t) {
    return deliver(s.id(), s.secret(), body, t);
  }

  private RawResponse deliver(long id, String secret, String body, long t) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return sender.send("POST", "/ingress/" + id, bytes,
        Map.of(IngressSignature.HEADER, IngressSignature.header(secret, t, bytes),
            "Content-Type", "application/json"));
  }

  private static JsonNode json(RawResponse r) {
    return Json.mapper().readTree(r.body());
  }

  private List<Task> ingressTasks() {
    return admin.tasks().list(TaskQuery.create().label("ingress").param("include_completed", true));
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  @Test
  void aSignedDeliveryBecomesAnUntrustedRoutedTask() {
    String workerKey = server.newAgent("ci-fixer");
    long worker = server.agentId(workerKey);
    long project = admin.call("POST", "/projects", Map.of("name", "ci"), JsonNode.class).get("id").asLong();
    IngressSource s =
        admin.ingressSources()
            .create(new NewIngressSource(
                "github-actions",
                new IngressTemplate("CI failed: {{payload.workflow.name}} on {{payload.ref}}",
                    "See {{payload.url}}", 3, List.of("ci", "{{payload.repo}}"), null),
                null, project, worker, null));
    assertThat(s.secret()).startsWith("dlgin_");
    assertThat(s.ingestPath()).isEqualTo("/v1/ingress/" + s.id());
    assertThat(s.scheme()).isEqualTo("hmac-sha256");
    assertThat(admin.ingressSources().get(s.id()).secret()).isNull();

    RawResponse r = deliver(s, """
        {"workflow":{"name":"build"},"ref":"main","url":"https://ci.example/1","repo":"delega",
         "assigned_to_agent_id": 1, "project_id": 999}""", now());
    assertThat(r.status()).isEqualTo(201);
    JsonNode answer = json(r);
    assertThat(answer.get("result").asString()).isEqualTo("created");
    Task t = admin.tasks().get(answer.get("task_id").asLong());
    assertThat(t.content()).isEqualTo("CI failed: build on main");
    assertThat(t.description()).isEqualTo("See https://ci.example/1");
    assertThat(t.priority()).isEqualTo(3);
    assertThat(t.labels()).containsExactly("ci", "delega", "ingress");
    assertThat(t.sourceIngressId()).isEqualTo(s.id());
    assertThat(t.projectId()).as("routing comes from the source, never the payload").isEqualTo(project);
    assertThat(t.assignedToAgentId()).isEqualTo(worker);
    assertThat(t.createdByAgentId()).isNull();
    @SuppressWarnings("unchecked")
    Map<String, Object> marker = (Map<String, Object>) t.context().get("ingress");
    assertThat(marker).containsEntry("trust", "untrusted").containsEntry("source_name", "github-actions");
    var created = admin.tasks().events(t.id()).get(0);
    assertThat(created.type()).isEqualTo("task.created");
    assertThat(created.task()).containsEntry("source_ingress_id", (int) s.id());
    IngressSource after = admin.ingressSources().get(s.id());
    assertThat(after.deliveryCount()).isEqualTo(1);
    assertThat(after.lastDeliveryAt()).isEqualTo(NOW);
    // the assignee can see it
    DelegaClient w = DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(workerKey).build();
    assertThat(w.tasks().get(t.id()).sourceIngressId()).isEqualTo(s.id());
  }

  static Stream<Arguments> refusals() {
    String ok = "{\"workflow\":{\"name\":\"build\"}}";
    return Stream.of(
        refusal("missing signature", (Delivery d) -> d.raw(ok, null), 401, "missing"),
        refusal("malformed signature", (Delivery d) -> d.raw(ok, "t=yesterday,v1=zz"), 401, "malformed"),
        refusal("no v1", (Delivery d) -> d.raw(ok, "t=" + d.now), 401, "malformed"),
        refusal("tampered body", (Delivery d) -> d.raw(ok.replace("build", "deploy"),
            IngressSignature.header(d.secret, d.now, ok.getBytes(StandardCharsets.UTF_8))), 401, "mismatch"),
        refusal("wrong secret", (Delivery d) -> d.signed(ok, "dlgin_not-the-secret", d.now), 401, "mismatch"),
        refusal("stale (301 s old)", (Delivery d) -> d.signed(ok, d.secret, d.now - 301), 401, "stale"),
        refusal("future (301 s ahead)", (Delivery d) -> d.signed(ok, d.secret, d.now + 301), 401, "future"),
        refusal("not JSON", (Delivery d) -> d.signed("{\"workflow\":", d.secret, d.now), 400, null),
        refusal("a JSON scalar", (Delivery d) -> d.signed("42", d.secret, d.now), 400, null),
        refusal("an empty body", (Delivery d) -> d.signed("", d.secret, d.now), 400, null),
        refusal("oversized (256 KiB + 1)", (Delivery d) -> d.signed(
            "{\"x\":\"" + "a".repeat(256 * 1024 - 7) + "\"}", d.secret, d.now), 413, null),
        refusal("renders blank content", (Delivery d) -> d.signed("{\"other\":1}", d.secret, d.now), 422, null),
        refusal("unknown source", (Delivery d) -> d.to(d.id + 1000, ok), 404, null),
        refusal("not an id", (Delivery d) -> d.toPath("/ingress/abc", ok), 422, null));
  }

  private static Arguments refusal(String name, Function<Delivery, RawResponse> send, int status, String reason) {
    return Arguments.of(name, send, status, reason);
  }

  /** What a refusal case needs: the source and a way to send. */
  private record Delivery(DelegaClient sender, long id, String secret, long now) {
    RawResponse raw(String body, String header) {
      return toPathWith("/ingress/" + id, body, header);
    }

    RawResponse signed(String body, String key, long t) {
      return raw(body, IngressSignature.header(key, t, body.getBytes(StandardCharsets.UTF_8)));
    }

    RawResponse to(long otherId, String body) {
      return toPath("/ingress/" + otherId, body);
    }

    RawResponse toPath(String path, String body) {
      return toPathWith(path, body, IngressSignature.header(secret, now, body.getBytes(StandardCharsets.UTF_8)));
    }

    private RawResponse toPathWith(String path, String body, String header) {
      Map<String, String> headers = header == null
          ? Map.of("Content-Type", "application/json")
          : Map.of("Content-Type", "application/json", IngressSignature.HEADER, header);
      return sender.send("POST", path, body.getBytes(StandardCharsets.UTF_8), headers);
    }
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("refusals")
  void everyBadDeliveryIsA4xxAndCreatesNothing(
      String name, Function<Delivery, RawResponse> send, int status, String reason) {
    IngressSource s = source(IngressTemplate.of("{{payload.workflow.name}}"), null);
    RawResponse r = send.apply(new Delivery(sender, s.id(), s.secret(), now()));
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    JsonNode error = json(r);
    assertThat(error.get("error").asString()).isNotBlank();
    if (reason != null) {
      assertThat(error.get("reason").asString()).isEqualTo(reason);
    }
    assertThat(ingressTasks()).isEmpty();
    assertThat(admin.ingressSources().get(s.id()).deliveryCount()).isZero();
    // a good delivery still works afterwards
    assertThat(deliver(s, "{\"workflow\":{\"name\":\"ok\"}}", now()).status()).isEqualTo(201);
  }

  @Test
  void theToleranceIsFiveMinutesEitherWay() {
    IngressSource s = source(IngressTemplate.of("CI: {{payload.n}}"), null);
    assertThat(deliver(s, "{\"n\":1}", now() - 300).status()).isEqualTo(201);
    assertThat(deliver(s, "{\"n\":2}", now() + 300).status()).isEqualTo(201);
    assertThat(deliver(s, "{\"n\":3}", now() - 301).status()).isEqualTo(401);
    assertThat(deliver(s, "{\"n\":4}", now() + 301).status()).isEqualTo(401);
  }

  @Test
  void aReplayedSignatureIsRefused() {
    IngressSource s = source(IngressTemplate.of("CI: {{payload.n}}"), null);
    String body = "{\"n\":1}";
    long t = now();
    assertThat(deliver(s, body, t).status()).isEqualTo(201);
    RawResponse replay = deliver(s, body, t);
    assertThat(replay.status()).isEqualTo(409);
    assertThat(json(replay).get("code").asString()).isEqualTo("replayed");
    clock.advance(java.time.Duration.ofSeconds(200));
    assertThat(deliver(s, body, t).status()).as("still remembered inside the tolerance").isEqualTo(409);
    clock.advance(java.time.Duration.ofSeconds(101));
    assertThat(deliver(s, body, t).status()).as("then refused as stale").isEqualTo(401);
    assertThat(ingressTasks()).hasSize(1);
    assertThat(admin.ingressSources().get(s.id()).deliveryCount()).isEqualTo(1);
  }

  @Test
  void aDedupeKeyTurnsRetriesIntoTheSameTaskWhileItIsOpen() {
    IngressSource s = source(
        new IngressTemplate("Alert {{payload.alert.name}}", null, null, null, "{{payload.alert.fingerprint}}"),
        null);
    String firing = "{\"alert\":{\"name\":\"disk full\",\"fingerprint\":\"abc\"}}";
    RawResponse first = deliver(s, firing, now());
    assertThat(first.status()).isEqualTo(201);
    long taskId = json(first).get("task_id").asLong();
    clock.advance(java.time.Duration.ofSeconds(30));
    RawResponse retry = deliver(s, firing, now());
    assertThat(retry.status()).isEqualTo(200);
    assertThat(json(retry).get("result").asString()).isEqualTo("duplicate");
    assertThat(json(retry).get("task_id").asLong()).isEqualTo(taskId);
    RawResponse other = deliver(s, "{\"alert\":{\"name\":\"cpu\",\"fingerprint\":\"xyz\"}}", now());
    assertThat(other.status()).isEqualTo(201);
    assertThat(ingressTasks()).hasSize(2);
    admin.tasks().complete(taskId);
    clock.advance(java.time.Duration.ofSeconds(30));
    RawResponse again = deliver(s, firing, now());
    assertThat(again.status()).as("the alert fired again after its task was done").isEqualTo(201);
    assertThat(json(again).get("task_id").asLong()).isNotEqualTo(taskId);
    assertThat(admin.ingressSources().get(s.id()).deliveryCount()).isEqualTo(4);
  }

  @Test
  void concurrentRetriesOfOneAlertMakeOneTask() throws Exception {
    IngressSource s = source(
        new IngressTemplate("Alert {{payload.id}}", null, null, null, "{{payload.id}}"), null);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        long t = now() - i; // distinct signatures, one dedupe key
        calls.add(() -> deliver(s, "{\"id\":\"same\"}", t).status());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(calls)) {
        statuses.add(f.get());
      }
      assertThat(statuses).containsOnly(201, 200);
      assertThat(statuses.stream().filter(x -> x == 201)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(ingressTasks()).hasSize(1);
  }

  @Test
  void filtersDecideWhichPayloadsBecomeTasks() {
    IngressSource s = source(IngressTemplate.of("{{payload.alert.name}}"),
        List.of(new IngressFilter("alert.status", "eq", "firing"),
            new IngressFilter("alert.labels.severity", "exists", null)));
    RawResponse resolved = deliver(s, "{\"alert\":{\"name\":\"a\",\"status\":\"resolved\",\"labels\":{\"severity\":\"page\"}}}", now());
    assertThat(resolved.status()).isEqualTo(202);
    assertThat(json(resolved).get("result").asString()).isEqualTo("filtered");
    RawResponse noSeverity = deliver(s, "{\"alert\":{\"name\":\"b\",\"status\":\"firing\"}}", now());
    assertThat(noSeverity.status()).isEqualTo(202);
    RawResponse firing = deliver(s, "{\"alert\":{\"name\":\"c\",\"status\":\"firing\",\"labels\":{\"severity\":\"page\"}}}", now());
    assertThat(firing.status()).isEqualTo(201);
    assertThat(ingressTasks()).extracting(Task::content).containsExactly("c");
    assertThat(admin.ingressSources().get(s.id()).deliveryCount()).isEqualTo(3);
    assertThat(admin.ingressSources().get(s.id()).filters())
        .extracting(IngressFilter::op).containsExactly("eq", "exists");
  }

  @Test
  void inactiveSourcesRefuseDeliveries() {
    IngressSource s = source(IngressTemplate.of("x {{payload.n}}"), null);
    admin.ingressSources().update(s.id(), IngressSourceUpdate.create().active(false));
    RawResponse r = deliver(s, "{\"n\":1}", now());
    assertThat(r.status()).isEqualTo(403);
    assertThat(json(r).get("code").asString()).isEqualTo("ingress_inactive");
    admin.ingressSources().update(s.id(), IngressSourceUpdate.create().active(true));
    assertThat(deliver(s, "{\"n\":2}", now()).status()).isEqualTo(201);
  }

  @Test
  void rotatingTheSecretReturnsItOnceAndRetiresTheOldOne() {
    IngressSource s = source(IngressTemplate.of("x {{payload.n}}"), null);
    IngressSource renamed = admin.ingressSources().update(s.id(), IngressSourceUpdate.create().name("ci-2"));
    assertThat(renamed.secret()).isNull();
    assertThat(renamed.name()).isEqualTo("ci-2");
    assertThat(renamed.template().content()).isEqualTo("x {{payload.n}}");
    IngressSource rotated = admin.ingressSources().update(s.id(), IngressSourceUpdate.create().rotateSecret(true));
    assertThat(rotated.secret()).startsWith("dlgin_").isNotEqualTo(s.secret());
    assertThat(admin.ingressSources().get(s.id()).secret()).isNull();
    RawResponse old = deliver(s.id(), s.secret(), "{\"n\":1}", now());
    assertThat(old.status()).isEqualTo(401);
    assertThat(deliver(s.id(), rotated.secret(), "{\"n\":1}", now()).status()).isEqualTo(201);
  }

  @Test
  void theIngestPathIsServedUnderV1AndApi() {
    IngressSource s = source(IngressTemplate.of("x {{payload.n}}"), null);
    byte[] body = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
    RawResponse v1 = sender.send("POST", server.rootUrl() + s.ingestPath(), body,
        Map.of(IngressSignature.HEADER, IngressSignature.header(s.secret(), now(), body)));
    assertThat(v1.status()).isEqualTo(201);
    assertThat(deliver(s, "{\"n\":2}", now()).status()).isEqualTo(201);
  }

  @Test
  void sourcesAreManagedByAdminsOnly() {
    DelegaClient worker = DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(server.newAgent("w")).retries(0).build();
    assertThat(worker.send("GET", "/ingress-sources").status()).isEqualTo(403);
    assertThat(worker.send("POST", "/ingress-sources",
        Map.of("name", "x", "template", Map.of("content", "y"))).status()).isEqualTo(403);
    assertThat(sender.send("GET", "/ingress-sources").status()).isEqualTo(401);
  }

  static Stream<Arguments> invalidSources() {
    return Stream.of(
        Arguments.of(Map.of("name", "x"), "template"),
        Arguments.of(Map.of("template", Map.of("content", "y")), "name"),
        Arguments.of(Map.of("name", "x", "template", Map.of("content", "")), "template.content"),
        Arguments.of(Map.of("name", "x", "template", Map.of("content", "y", "priority", 9)), "template.priority"),
        Arguments.of(Map.of("name", "x", "template", Map.of("content", "y"),
            "filters", List.of(Map.of("path", "a", "op", "like", "value", "b"))), "filters[0].op"),
        Arguments.of(Map.of("name", "x", "template", Map.of("content", "y"), "default_project_id", 404), "default_project_id"),
        Arguments.of(Map.of("name", "x", "template", Map.of("content", "y"), "default_assignee_agent_id", 404),
            "default_assignee_agent_id"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidSources")
  void invalidSourcesAre422NamingTheField(Map<String, Object> body, String field) {
    RawResponse r = admin.send("POST", "/ingress-sources", body);
    assertThat(r.status()).isEqualTo(422);
    assertThat(json(r).get("field").asString()).isEqualTo(field);
    assertThat(admin.ingressSources().list()).isEmpty();
  }

  @Test
  void deletingASourceKeepsItsTasks() {
    IngressSource s = source(IngressTemplate.of("x {{payload.n}}"), null);
    assertThat(deliver(s, "{\"n\":1}", now()).status()).isEqualTo(201);
    admin.ingressSources().delete(s.id());
    assertThat(admin.ingressSources().list()).isEmpty();
    assertThat(ingressTasks()).hasSize(1);
    assertThat(deliver(s, "{\"n\":2}", now()).status()).isEqualTo(404);
  }

  @Test
  void housekeepingForgetsExpiredSignaturesAndKeysOfFinishedTasks() {
    IngressSources sources = new IngressSources(server.wiring().database(), server.wiring().tasks(), clock);
    IngressSource s = source(
        new IngressTemplate("Alert {{payload.id}}", null, null, null, "{{payload.id}}"), null);
    long done = json(deliver(s, "{\"id\":\"a\"}", now())).get("task_id").asLong();
    deliver(s, "{\"id\":\"b\"}", now());
    admin.tasks().complete(done);
    assertThat(sources.purgeExpiredSignatures()).isZero();
    clock.advance(java.time.Duration.ofSeconds(301));
    assertThat(sources.purgeExpiredSignatures()).isEqualTo(2);
    assertThat(sources.purgeStaleDedupeKeys(java.time.Duration.ofDays(30))).isZero();
    clock.advance(java.time.Duration.ofDays(31));
    assertThat(sources.purgeStaleDedupeKeys(java.time.Duration.ofDays(30))).as("only the finished task's key").isEqualTo(1);
    assertThat(deliver(s, "{\"id\":\"b\"}", now()).status()).as("the open task's key still dedupes").isEqualTo(200);
  }
}

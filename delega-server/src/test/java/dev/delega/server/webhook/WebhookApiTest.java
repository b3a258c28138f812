package dev.delega.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.NewTask;
import dev.delega.api.NewWebhook;
import dev.delega.api.Task;
import dev.delega.api.Webhook;
import dev.delega.api.WebhookDelivery;
import dev.delega.api.WebhookUpdate;
import dev.delega.client.DelegaClient;
import dev.delega.client.NotFoundException;
import dev.delega.client.RawResponse;
import dev.delega.client.ValidationException;
import dev.delega.server.testing.DelegaServerExtension;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Webhook management and delivery through the SDK against a real server and a real receiver. */
class WebhookApiTest {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final List<String> OFFICIAL_EVENTS =
      List.of(
          "task.created",
          "task.updated",
          "task.completed",
          "task.deleted",
          "task.assigned",
          "task.delegated",
          "task.commented",
          "task.claimed",
          "task.released",
          "task.state_changed",
          "task.linked");
  private static final String ISO_MILLIS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

  private static Receiver receiver;

  @BeforeAll
  static void startReceiver() throws Exception {
    receiver = new Receiver();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  private static DelegaClient client(String key) {
    return DelegaClient.builder()
        .baseUrl(server.baseUrl())
        .apiKey(key)
        .retries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  private static DelegaClient agent(String role, Map<String, Object> extra) {
    return client(server.newAgent("wh-" + role + "-" + NAMES.incrementAndGet(), role, extra));
  }

  private static DelegaClient worker() {
    return agent("worker", Map.of());
  }

  private static String path() {
    return "/hook-" + NAMES.incrementAndGet();
  }

  @Test
  void theSecretIsGeneratedAndShownOnlyOnce() {
    DelegaClient owner = worker();
    RawResponse created =
        owner.send(
            "POST",
            "/webhooks",
            Map.of("url", receiver.url(path()), "events", List.of("task.created")));
    assertThat(created.status()).isEqualTo(201);
    JsonNode body = created.json();
    String secret = body.get("secret").asString();
    assertThat(secret).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
    assertThat(created.header("Location"))
        .hasValueSatisfying(l -> l.endsWith("/webhooks/" + body.get("id").asLong()));
    long id = body.get("id").asLong();
    assertThat(owner.send("GET", "/webhooks/" + id).json().has("secret")).isFalse();
    assertThat(owner.send("GET", "/webhooks").json().get(0).has("secret")).isFalse();
    assertThat(owner.send("PUT", "/webhooks/" + id, Map.of("active", true)).json().has("secret"))
        .isFalse();

    Webhook given =
        owner
            .webhooks()
            .create(new NewWebhook(receiver.url(path()), List.of("task.created"), "my-own-secret"));
    assertThat(given.secret()).isEqualTo("my-own-secret");
  }

  @Test
  void allElevenOfficialEventsAndOursAreAccepted() {
    DelegaClient owner = worker();
    List<String> all = new java.util.ArrayList<>(OFFICIAL_EVENTS);
    all.addAll(
        List.of(
            "task.unblocked",
            "task.children_completed",
            "task.lease_expired",
            "webhook.disabled",
            "webhook.test"));
    Webhook w = owner.webhooks().create(NewWebhook.of(receiver.url(path()), all));
    assertThat(w.events()).containsExactlyElementsOf(all);
    assertThat(w.active()).isTrue();
    assertThat(w.failureCount()).isZero();
    assertThat(w.agentId()).isNotNull();

    RawResponse defaults = owner.send("POST", "/webhooks", Map.of("url", receiver.url(path())));
    assertThat(defaults.status()).isEqualTo(201);
    assertThat(defaults.json().get("events")).hasSize(14);

    RawResponse commaString =
        owner.send(
            "POST",
            "/webhooks",
            Map.of("url", receiver.url(path()), "events", "task.created, task.completed"));
    assertThat(commaString.json().get("events").toString())
        .isEqualTo("[\"task.created\",\"task.completed\"]");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"url\":\"ftp://example.com/x\",\"events\":[\"task.created\"]}|Webhook URL must use http"
            + " or https",
        "{\"url\":null,\"events\":[\"task.created\"]}|Webhook URL must use http or https",
        "{\"events\":[\"task.created\"]}|Webhook URL must use http or https",
        "{\"url\":\"http://user:pw@example.com/\",\"events\":[\"task.created\"]}|Webhook URL must"
            + " not include credentials",
        "{\"url\":\"http://0x7f.0.0.1/\",\"events\":[\"task.created\"]}|dotted-decimal",
        "{\"url\":\"http://example.com:99999/\",\"events\":[\"task.created\"]}|Webhook URL has an"
            + " invalid port",
        "{\"url\":\"http://127.0.0.1/\",\"events\":[\"task.nope\"]}|Invalid event 'task.nope'."
            + " Valid events: [task.created",
        "{\"url\":\"http://127.0.0.1/\",\"events\":[7]}|events must be an array of event names",
        "{\"url\":\"http://127.0.0.1/\",\"events\":[\"task.created\"],\"secret\":\"\"}|must not be"
            + " blank",
        "{\"url\":\"http://127.0.0.1/\",\"events\":[\"task.created\"],\"colour\":\"red\"}|unknown"
            + " field 'colour'",
      })
  void invalidWebhooksAreRefusedWithAMessage(String body, String message) {
    RawResponse r = worker().send("POST", "/webhooks", dev.delega.api.Json.mapper().readTree(body));
    assertThat(r.status()).isIn(400, 422);
    assertThat(r.json().get("error").asString()).contains(message);
  }

  @Test
  void aTooLongSecretIsRefused() {
    RawResponse r =
        worker()
            .send(
                "POST",
                "/webhooks",
                Map.of(
                    "url",
                    receiver.url("/x"),
                    "events",
                    List.of("task.created"),
                    "secret",
                    "s".repeat(257)));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asString())
        .isEqualTo("Webhook secret must be at most 256 characters");
  }

  @Test
  void agentsManageOnlyTheirOwnWebhooksAndAdminsSeeAll() {
    DelegaClient alice = worker();
    DelegaClient bob = worker();
    DelegaClient admin = client(server.adminKey());
    Webhook mine =
        alice.webhooks().create(NewWebhook.of(receiver.url(path()), List.of("task.created")));

    assertThat(alice.webhooks().list()).extracting(Webhook::id).containsExactly(mine.id());
    assertThat(bob.webhooks().list()).extracting(Webhook::id).doesNotContain(mine.id());
    assertThatThrownBy(() -> bob.webhooks().get(mine.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> bob.webhooks().update(mine.id(), WebhookUpdate.create().active(false)))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> bob.webhooks().delete(mine.id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> bob.webhooks().deliveries(mine.id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> bob.webhooks().test(mine.id())).isInstanceOf(NotFoundException.class);

    assertThat(admin.webhooks().list()).extracting(Webhook::id).contains(mine.id());
    assertThat(admin.webhooks().get(mine.id()).url()).isEqualTo(mine.url());
    assertThatThrownBy(
            () -> admin.webhooks().update(mine.id(), WebhookUpdate.create().active(false)))
        .isInstanceOf(NotFoundException.class);
    assertThat(alice.webhooks().get(mine.id()).active()).isTrue();
  }

  @Test
  void updateRotateDeactivateAndDelete() {
    DelegaClient owner = worker();
    Webhook w =
        owner.webhooks().create(NewWebhook.of(receiver.url(path()), List.of("task.created")));
    Webhook moved =
        owner
            .webhooks()
            .update(
                w.id(),
                WebhookUpdate.create()
                    .url(receiver.url("/moved"))
                    .events(List.of("task.completed")));
    assertThat(moved.url()).isEqualTo(receiver.url("/moved"));
    assertThat(moved.events()).containsExactly("task.completed");
    assertThat(moved.secret()).isNull();

    RawResponse off = owner.send("PUT", "/webhooks/" + w.id(), Map.of("active", false));
    assertThat(off.json().get("active").asBoolean()).isFalse();
    assertThat(off.json().get("disabled_reason").asString()).isEqualTo("deactivated by its owner");

    Map<String, Object> rotate = new LinkedHashMap<>();
    rotate.put("secret", null);
    rotate.put("active", true);
    JsonNode rotated = owner.send("PUT", "/webhooks/" + w.id(), rotate).json();
    assertThat(rotated.get("secret").asString()).startsWith("whsec_").isNotEqualTo(w.secret());
    assertThat(rotated.get("active").asBoolean()).isTrue();
    assertThat(rotated.get("disabled_reason").isNull()).isTrue();

    assertThatThrownBy(() -> owner.webhooks().update(w.id(), WebhookUpdate.create().url("ftp://x")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Webhook URL must use http or https");

    RawResponse deleted = owner.send("DELETE", "/webhooks/" + w.id());
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("deleted").asLong()).isEqualTo(w.id());
    assertThatThrownBy(() -> owner.webhooks().get(w.id())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void theTestPingIsSignedBothWaysAndRecorded() throws Exception {
    DelegaClient owner = worker();
    String path = path();
    Webhook w = owner.webhooks().create(NewWebhook.of(receiver.url(path), List.of("task.created")));
    receiver.secret(path, w.secret());

    WebhookDelivery d = owner.webhooks().test(w.id());

    assertThat(d.status()).isEqualTo("delivered");
    assertThat(d.success()).isTrue();
    assertThat(d.statusCode()).isEqualTo(200);
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(d.id()).matches("dlv_[0-9a-f]{32}");
    assertThat(d.event()).isEqualTo("webhook.test");
    Receiver.Delivery got = receiver.to(path).getFirst();
    assertThat(got.verified())
        .as("%s / %s / %s", got.delegaFailure(), got.standardFailure(), got.pythonFailure())
        .isTrue();
    assertThat(got.deliveryId()).isEqualTo(d.id());
    assertThat(got.header("webhook-id")).isEqualTo(d.id());
    assertThat(got.event()).isEqualTo("webhook.test");
    assertThat(got.header("X-Delega-Timestamp")).matches(ISO_MILLIS);
    assertThat(got.header("X-Delega-Signature")).matches("sha256=[0-9a-f]{64}");
    assertThat(got.header("webhook-signature")).startsWith("v1,");
    assertThat(got.header("content-type")).startsWith("application/json");
    assertThat(got.json().get("delivery_id").asString()).isEqualTo(d.id());

    assertThat(owner.webhooks().deliveries(w.id()))
        .extracting(WebhookDelivery::id)
        .containsExactly(d.id());
  }

  @Test
  void anOwnerHearsEveryEventOfTasksItMaySeeAndNothingElse() throws Exception {
    DelegaClient lead = agent("worker", Map.of("permissions", List.of("tasks.assign_any")));
    String helperKey = server.newAgent("wh-helper-" + NAMES.incrementAndGet(), "worker", Map.of());
    DelegaClient helper = client(helperKey);
    long helperId = server.agentId(helperKey);
    DelegaClient coordinator = agent("coordinator", Map.of());
    DelegaClient outsider = worker();
    String leadPath = path();
    String coordinatorPath = path();
    String outsiderPath = path();
    Webhook leadHook =
        lead.webhooks().create(NewWebhook.of(receiver.url(leadPath), OFFICIAL_EVENTS));
    Webhook coordinatorHook =
        coordinator
            .webhooks()
            .create(NewWebhook.of(receiver.url(coordinatorPath), OFFICIAL_EVENTS));
    Webhook outsiderHook =
        outsider.webhooks().create(NewWebhook.of(receiver.url(outsiderPath), OFFICIAL_EVENTS));
    receiver.secret(leadPath, leadHook.secret());
    receiver.secret(coordinatorPath, coordinatorHook.secret());
    receiver.secret(outsiderPath, outsiderHook.secret());

    Task parent = lead.tasks().create("Ship the release");
    Task child =
        lead.tasks()
            .delegate(
                parent.id(),
                NewTask.builder("Write the notes").assignedToAgentId(helperId).build());
    helper.tasks().complete(child.id());

    Set<String> expected =
        Set.of("task.created", "task.updated", "task.delegated", "task.completed");
    List<Receiver.Delivery> got =
        receiver.await(
            Duration.ofSeconds(10),
            all ->
                events(all, leadPath).containsAll(expected)
                    && events(all, coordinatorPath).containsAll(expected));
    assertThat(events(got, leadPath)).containsAll(expected);
    assertThat(events(got, coordinatorPath)).containsAll(expected);
    for (Receiver.Delivery d : receiver.to(leadPath)) {
      assertThat(d.verified())
          .as("%s / %s / %s", d.delegaFailure(), d.standardFailure(), d.pythonFailure())
          .isTrue();
      JsonNode body = d.json();
      assertThat(List.copyOf(body.propertyNames()).subList(0, 4))
          .containsExactly("event", "timestamp", "task", "agent");
      assertThat(body.get("event").asString()).isEqualTo(d.event());
      assertThat(body.get("delivery_id").asString()).isEqualTo(d.deliveryId());
      assertThat(body.get("timestamp").asString()).matches(ISO_MILLIS);
    }
    Receiver.Delivery completed =
        receiver.to(leadPath).stream()
            .filter(d -> d.event().equals("task.completed"))
            .findFirst()
            .orElseThrow();
    assertThat(completed.json().get("task").get("id").asLong()).isEqualTo(child.id());
    assertThat(completed.json().get("agent").get("id").asLong()).isEqualTo(helperId);
    // The fan-out writes the deliveries of every webhook for an event in one transaction: the
    // coordinator was told of the completion, so the outsider's fate for it is already decided.
    assertThat(outsider.webhooks().deliveries(outsiderHook.id(), 100)).isEmpty();
    assertThat(receiver.to(outsiderPath)).isEmpty();
  }

  @Test
  void failedDeliveriesAreLoggedAndRedeliveredWithTheSameId() throws Exception {
    DelegaClient owner = worker();
    String path = path();
    receiver.answer(path, new Receiver.Answer(500, Map.of(), Duration.ZERO));
    Webhook w = owner.webhooks().create(NewWebhook.of(receiver.url(path), List.of("task.created")));
    receiver.secret(path, w.secret());
    owner.tasks().create("Fails first");
    receiver.await(Duration.ofSeconds(10), all -> !events(all, path).isEmpty());

    WebhookDelivery failed = awaitDelivery(owner, w.id(), d -> d.attempts() == 1);
    assertThat(failed.status()).isEqualTo("pending");
    assertThat(failed.success()).isFalse();
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.error()).startsWith("HTTP 500");
    assertThat(failed.nextAttemptAt()).isAfter(failed.lastAttemptAt().plusSeconds(3));
    JsonNode raw = owner.send("GET", "/webhooks/" + w.id() + "/deliveries").json().get(0);
    assertThat(raw.get("attempt_log")).hasSize(1);
    assertThat(raw.get("attempt_log").get(0).get("attempt").asInt()).isEqualTo(1);
    assertThat(raw.get("attempt_log").get(0).get("status_code").asInt()).isEqualTo(500);
    assertThat(raw.get("attempt_log").get(0).has("latency_ms")).isTrue();
    assertThat(raw.get("attempt_log").get(0).get("next_attempt_at").asString()).matches(ISO_MILLIS);

    receiver.answer(path, Receiver.Answer.ok());
    WebhookDelivery again = owner.webhooks().redeliver(w.id(), failed.id());
    assertThat(again.id()).isEqualTo(failed.id());
    assertThat(again.status()).isEqualTo("delivered");
    assertThat(again.attempts()).isEqualTo(2);
    List<Receiver.Delivery> got = receiver.to(path);
    assertThat(got).hasSize(2);
    assertThat(got).extracting(Receiver.Delivery::deliveryId).containsOnly(failed.id());
    assertThat(got).allMatch(Receiver.Delivery::verified);
    assertThat(got.get(0).body()).isEqualTo(got.get(1).body());
    assertThatThrownBy(() -> owner.webhooks().redeliver(w.id(), "dlv_" + "0".repeat(32)))
        .isInstanceOf(NotFoundException.class);
    assertThat(owner.webhooks().deliveries(w.id(), 10).getFirst().status()).isEqualTo("delivered");
  }

  private static WebhookDelivery awaitDelivery(
      DelegaClient owner, long webhookId, java.util.function.Predicate<WebhookDelivery> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<WebhookDelivery> list = owner.webhooks().deliveries(webhookId);
      if (!list.isEmpty() && done.test(list.getFirst())) {
        return list.getFirst();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no matching delivery: " + list);
      }
      Thread.sleep(10);
    }
  }

  private static Set<String> events(List<Receiver.Delivery> all, String path) {
    return all.stream()
        .filter(d -> d.path().equals(path))
        .map(Receiver.Delivery::event)
        .collect(Collectors.toSet());
  }
}

package dev.delega.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Event;
import dev.delega.api.NewWebhook;
import dev.delega.api.Task;
import dev.delega.api.Webhook;
import dev.delega.api.WebhookDelivery;
import dev.delega.api.WebhookUpdate;
import dev.delega.client.DelegaClient;
import dev.delega.server.testing.DelegaServerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The webhook and event routes on PostgreSQL: management, delivery log, redelivery, scoping. */
class PostgresWebhookIT {
  @RegisterExtension
  static final DelegaServerExtension server = new DelegaServerExtension().postgres();

  private static DelegaClient client(String key) {
    return DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(key).retries(0).build();
  }

  @Test
  void deliversLogsRedeliversAndScopesOnPostgres() throws Exception {
    DelegaClient alice = client(server.newAgent("pg-alice"));
    DelegaClient bob = client(server.newAgent("pg-bob"));
    try (Receiver receiver = new Receiver()) {
      receiver.answer("/pg", Receiver.Answer.status(503));
      Webhook w =
          alice
              .webhooks()
              .create(
                  NewWebhook.of(receiver.url("/pg"), List.of("task.created", "task.completed")));
      receiver.secret("/pg", w.secret());
      long start =
          client(server.adminKey()).events().list(0, 500).stream()
              .mapToLong(Event::id)
              .max()
              .orElse(0);

      Task mine = alice.tasks().create("on postgres");
      Task theirs = bob.tasks().create("not alice's");
      receiver.await(Duration.ofSeconds(10), all -> !all.isEmpty());
      WebhookDelivery failed = awaitFirst(alice, w.id(), d -> d.attempts() == 1);
      assertThat(failed.status()).isEqualTo("pending");
      assertThat(failed.statusCode()).isEqualTo(503);
      assertThat(failed.payload()).containsEntry("event", "task.created");

      receiver.answer("/pg", Receiver.Answer.ok());
      WebhookDelivery again = alice.webhooks().redeliver(w.id(), failed.id());
      assertThat(again.status()).isEqualTo("delivered");
      assertThat(again.attempts()).isEqualTo(2);
      assertThat(alice.webhooks().test(w.id()).status()).isEqualTo("delivered");
      assertThat(alice.webhooks().deliveries(w.id(), 10)).hasSize(2);
      assertThat(receiver.to("/pg")).allMatch(Receiver.Delivery::verified);
      assertThat(receiver.to("/pg"))
          .noneMatch(d -> d.json().path("task").path("id").asLong() == theirs.id());

      assertThat(alice.events().list(start)).extracting(Event::taskId).containsOnly(mine.id());
      assertThat(bob.events().list(start)).extracting(Event::taskId).containsOnly(theirs.id());

      Webhook off = alice.webhooks().update(w.id(), WebhookUpdate.create().active(false));
      assertThat(off.active()).isFalse();
      alice.tasks().complete(mine.id());
      assertThat(alice.webhooks().deliveries(w.id(), 10)).hasSize(2);
      assertThat(alice.send("GET", "/webhooks/" + w.id() + "/deliveries?status=delivered").json())
          .hasSize(2);
      assertThat(alice.send("DELETE", "/webhooks/" + w.id()).status()).isEqualTo(200);
      assertThat(alice.webhooks().list()).isEmpty();
    }
  }

  private static WebhookDelivery awaitFirst(
      DelegaClient owner, long webhookId, java.util.function.Predicate<WebhookDelivery> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<WebhookDelivery> list = owner.webhooks().deliveries(webhookId);
      if (!list.isEmpty() && done.test(list.getLast())) {
        return list.getLast();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no matching delivery: " + list);
      }
      Thread.sleep(20);
    }
  }
}

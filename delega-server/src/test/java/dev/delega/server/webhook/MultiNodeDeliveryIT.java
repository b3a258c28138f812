package dev.delega.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.NewWebhook;
import dev.delega.api.Webhook;
import dev.delega.client.DelegaClient;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import dev.delega.server.testing.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two server processes on one PostgreSQL database: in normal operation each event is delivered
 * once, whichever node it was committed on; when a node stops with deliveries leased to it, the
 * other takes them over once the leases run out, and nothing is lost.
 */
class MultiNodeDeliveryIT {
  private final MutableClock clock = MutableClock.now();
  private final List<DelegaServerExtension> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(DelegaServerExtension::stop);
  }

  private DelegaServerExtension node(String databaseUrl) {
    DelegaServerExtension node =
        new DelegaServerExtension().env("DELEGA_DATABASE_URL", databaseUrl).clock(clock);
    node.start();
    nodes.add(node);
    return node;
  }

  private static DelegaClient client(DelegaServerExtension node, String key) {
    return DelegaClient.builder().baseUrl(node.baseUrl()).apiKey(key).retries(0).build();
  }

  @Test
  void eachEventIsDeliveredOnceAcrossTwoNodes() throws Exception {
    String url = PostgresExtension.newDatabaseUrl();
    DelegaServerExtension a = node(url);
    DelegaServerExtension b = node(url);
    String key = a.adminKey();
    try (Receiver receiver = new Receiver(clock)) {
      Webhook hook =
          client(a, key)
              .webhooks()
              .create(NewWebhook.of(receiver.url("/both"), List.of("task.created")));
      receiver.secret("/both", hook.secret());
      Set<Long> tasks = ConcurrentHashMap.newKeySet();
      List<Thread> producers = new ArrayList<>();
      for (int p = 0; p < 8; p++) {
        DelegaClient c = client(p % 2 == 0 ? a : b, key);
        producers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int i = 0; i < 40; i++) {
                        tasks.add(c.tasks().create("two nodes " + i).id());
                      }
                    }));
      }
      for (Thread t : producers) {
        t.join();
      }

      List<Receiver.Delivery> got =
          receiver.await(Duration.ofSeconds(30), all -> taskIds(all).containsAll(tasks));
      Thread.sleep(1_500); // a poll interval and a half, for any stray duplicate to show up
      got = receiver.all();

      assertThat(taskIds(got)).containsExactlyInAnyOrderElementsOf(tasks);
      assertThat(got).hasSize(tasks.size());
      assertThat(got).extracting(Receiver.Delivery::deliveryId).doesNotHaveDuplicates();
      assertThat(got).allMatch(Receiver.Delivery::verified);
    }
  }

  @Test
  void whenANodeStopsWithLeasedDeliveriesTheOtherDeliversThem() throws Exception {
    String url = PostgresExtension.newDatabaseUrl();
    DelegaServerExtension a = node(url);
    String key = a.adminKey();
    try (Receiver receiver = new Receiver(clock)) {
      receiver.answer("/slow", new Receiver.Answer(200, Map.of(), Duration.ofMillis(300)));
      Webhook hook =
          client(a, key)
              .webhooks()
              .create(NewWebhook.of(receiver.url("/slow"), List.of("task.created")));
      receiver.secret("/slow", hook.secret());
      Set<Long> tasks = ConcurrentHashMap.newKeySet();
      DelegaClient ca = client(a, key);
      for (int i = 0; i < 40; i++) {
        tasks.add(ca.tasks().create("leased to a " + i).id());
      }
      a.stop(); // 4 at a time at 300 ms each: most deliveries are still leased to node a
      int beforeTakeover = receiver.all().size();
      assertThat(beforeTakeover).isLessThan(tasks.size());

      DelegaServerExtension b = node(url);
      clock.advance(WebhookFeature.LEASE.plusSeconds(1));
      receiver.answer("/slow", Receiver.Answer.ok());
      List<Receiver.Delivery> got =
          receiver.await(Duration.ofSeconds(30), all -> taskIds(all).containsAll(tasks));

      assertThat(taskIds(got)).containsAll(tasks);
      Map<Long, Set<String>> idsByTask =
          got.stream()
              .collect(
                  Collectors.groupingBy(
                      d -> d.json().get("task").get("id").asLong(),
                      Collectors.mapping(Receiver.Delivery::deliveryId, Collectors.toSet())));
      assertThat(idsByTask.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
      assertThat(got).allMatch(Receiver.Delivery::verified);
      System.out.printf(
          "take-over: %d of %d delivered before node a stopped, %d deliveries in all%n",
          beforeTakeover, tasks.size(), got.size());
      assertThat(b.wiring()).isNotNull();
    }
  }

  private static Set<Long> taskIds(List<Receiver.Delivery> all) {
    return all.stream()
        .map(d -> d.json().get("task").get("id").asLong())
        .collect(Collectors.toSet());
  }
}

package dev.delega.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Json;
import dev.delega.server.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Kills the server process (SIGKILL) while events flow and deliveries are backed up, restarts it on
 * the same SQLite file, and checks that every committed event reaches the receiver, verified, and
 * that a delivery sent twice carries the same delivery id both times.
 */
class CrashRecoveryIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final List<ServerProcess> children = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (ServerProcess child : children) {
      child.kill();
    }
  }

  @Test
  void everyCommittedEventIsDeliveredAfterAKill() throws Exception {
    Path dir = Files.createTempDirectory("delega-crash");
    try (Receiver receiver = new Receiver()) {
      // slow enough that deliveries back up behind the 4 concurrent requests per endpoint
      receiver.answer("/crash", new Receiver.Answer(200, Map.of(), Duration.ofMillis(40)));
      String api = start(dir);
      String adminKey =
          post(api + "/agents", null, Map.of("name", "admin")).get("api_key").asString();
      JsonNode hook =
          post(
              api + "/webhooks",
              adminKey,
              Map.of("url", receiver.url("/crash"), "events", List.of("task.created")));
      receiver.secret("/crash", hook.get("secret").asString());

      Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> producers = new ArrayList<>();
      for (int p = 0; p < 8; p++) {
        int producer = p;
        producers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int i = 0; running.get(); i++) {
                        try {
                          acknowledged.add(
                              post(
                                      api + "/tasks",
                                      adminKey,
                                      Map.of("content", "crash " + producer + "/" + i))
                                  .get("id")
                                  .asLong());
                        } catch (Exception serverGone) {
                          return;
                        }
                      }
                    }));
      }
      // kill once enough has been committed and a backlog of undelivered events has built up
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ((acknowledged.size() < 200 || acknowledged.size() - receiver.all().size() < 20)
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      int receivedBeforeKill = receiver.to("/crash").size();
      children.getLast().kill();
      running.set(false);
      for (Thread t : producers) {
        t.join();
      }
      assertThat(acknowledged.size())
          .as("tasks created before the kill")
          .isGreaterThanOrEqualTo(100);
      assertThat(receivedBeforeKill)
          .as("deliveries were backed up at the kill")
          .isLessThan(acknowledged.size());

      receiver.answer("/crash", Receiver.Answer.ok());
      String restarted = start(dir);
      Map<Long, Long> committed = createdEvents(restarted, adminKey);
      assertThat(committed.values())
          .as("every acknowledged task has its committed event")
          .containsAll(acknowledged);

      List<Receiver.Delivery> got =
          receiver.await(
              Duration.ofSeconds(40),
              all -> Receiver.byEvent(all).keySet().containsAll(committed.keySet()));
      Map<Long, List<Receiver.Delivery>> byEvent = Receiver.byEvent(got);

      assertThat(byEvent.keySet()).as("events delivered").containsAll(committed.keySet());
      assertThat(got)
          .allSatisfy(
              d ->
                  assertThat(d.verified())
                      .as(d.delegaFailure() + " " + d.pythonFailure())
                      .isTrue());
      for (Map.Entry<Long, List<Receiver.Delivery>> e : byEvent.entrySet()) {
        Set<String> ids =
            e.getValue().stream().map(Receiver.Delivery::deliveryId).collect(Collectors.toSet());
        assertThat(ids).as("delivery ids of event %d", e.getKey()).hasSize(1);
        assertThat(e.getValue())
            .allSatisfy(
                d ->
                    assertThat(d.json().get("delivery_id").asString())
                        .isEqualTo(ids.iterator().next()));
      }
      long duplicates = got.size() - byEvent.size();
      System.out.printf(
          "crash test: %d events committed (%d acknowledged), %d received before the kill, %d"
              + " deliveries in all, %d sent twice%n",
          committed.size(), acknowledged.size(), receivedBeforeKill, got.size(), duplicates);
    }
  }

  /** task.created events in the log: event id to task id. */
  private static Map<Long, Long> createdEvents(String api, String key) throws Exception {
    Map<Long, Long> out = new java.util.TreeMap<>();
    long after = 0;
    while (true) {
      JsonNode page = get(api + "/events?type=task.created&limit=500&after=" + after, key);
      if (page.isEmpty()) {
        return out;
      }
      for (JsonNode e : page) {
        out.put(e.get("id").asLong(), e.get("task_id").asLong());
        after = e.get("id").asLong();
      }
    }
  }

  /** Starts a server process on the database in {@code dir}; returns its API base URL. */
  private String start(Path dir) throws Exception {
    ServerProcess server =
        ServerProcess.sqlite(
            dir.resolve("delega.db"), dir.resolve("server-" + children.size() + ".log"), List.of());
    children.add(server);
    return server.api();
  }

  private static JsonNode post(String url, String key, Object body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body)));
    if (key != null) {
      b.header("X-Agent-Key", key);
    }
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(url + " -> " + r.statusCode() + " " + new String(r.body()));
    }
    return Json.mapper().readTree(r.body());
  }

  private static JsonNode get(String url, String key) throws Exception {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).header("X-Agent-Key", key).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " -> " + r.statusCode());
    }
    return Json.mapper().readTree(r.body());
  }
}

package dev.delega.server.recurrence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Json;
import dev.delega.api.Recurrence;
import dev.delega.api.Task;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.testing.PostgresExtension;
import dev.delega.server.testing.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/**
 * Two real server processes ({@code dev.delega.server.Main}) on one PostgreSQL database, each with
 * its scheduler polling every 50 ms: a week's worth of occurrences (four a day for seven days, due
 * a second apart) is spawned exactly once each, also while one process is killed and
 * started again during the run.
 */
class RecurrenceTwoProcessesIT {
  private static final TypeReference<List<Task>> TASKS = new TypeReference<>() {};
  private static final int OCCURRENCES = 7 * 4;
  private static final long SPACING_MS = 1000;

  private final List<ServerProcess> processes = new ArrayList<>();
  private final Path logs = Path.of("target", "it-logs");

  @AfterEach
  void stopAll() throws InterruptedException {
    for (ServerProcess p : processes) {
      p.kill();
    }
  }

  @Test
  void twoProcessesSpawnEachOccurrenceOnce() throws Exception {
    Files.createDirectories(logs);
    String url = PostgresExtension.newDatabaseUrl();
    ServerProcess a = start(url, "a1");
    ServerProcess b = start(url, "b1");

    DelegaClient bootstrap = DelegaClient.builder().baseUrl(a.api()).retries(0).build();
    RawResponse first = bootstrap.send("POST", "/agents", Map.of("name", "admin"));
    assertThat(first.status()).as(first.text()).isEqualTo(201);
    String key = Json.mapper().readTree(first.body()).get("api_key").asString();
    DelegaClient viaA = client(a, key);
    DelegaClient viaB = client(b, key);

    Instant base = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < OCCURRENCES; i++) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("content", "day " + (i / 4 + 1) + " check " + (i % 4 + 1));
      body.put("rule_type", "daily");
      body.put("timezone", "Europe/Berlin");
      body.put("next_due_at", base.plusMillis(SPACING_MS * i).toString());
      ids.add((i % 2 == 0 ? viaA : viaB).call("POST", "/recurrences", body, Recurrence.class).id());
    }
    Instant lastDue = base.plusMillis(SPACING_MS * (OCCURRENCES - 1));

    // kill one node a quarter into the run and bring it back while occurrences are still due
    awaitUntil(Duration.ofSeconds(60), () -> Instant.now().isAfter(base.plusMillis(SPACING_MS * OCCURRENCES / 4)));
    b.kill();
    b = start(url, "b2");
    viaB = client(b, key);

    assertThat(Instant.now()).as("the restarted node is up before the last occurrence").isBefore(lastDue);
    awaitUntil(Duration.ofSeconds(60), () -> Instant.now().isAfter(lastDue.plusSeconds(2)));
    awaitUntil(Duration.ofSeconds(60),
        () -> ids.stream().allMatch(id -> viaA.recurrences().get(id).lastSpawnedTaskId() != null));
    // several more scheduler ticks on both nodes must not add anything
    Instant settle = Instant.now().plusSeconds(1);
    awaitUntil(Duration.ofSeconds(10), () -> Instant.now().isAfter(settle));

    for (long id : ids) {
      List<Task> spawned = viaB.call("GET", "/recurrences/" + id + "/tasks", null, TASKS);
      assertThat(spawned).as("tasks of recurrence %d", id).hasSize(1);
      Recurrence r = viaA.recurrences().get(id);
      assertThat(r.nextDueAt()).isAfter(Instant.now());
    }
    assertThat(viaA.tasks().list()).hasSize(OCCURRENCES);
  }

  private static DelegaClient client(ServerProcess node, String key) {
    return DelegaClient.builder().baseUrl(node.api()).apiKey(key).retries(0).build();
  }

  /** Starts a node on the database with a 50 ms scheduler, logging to {@code recurrence-node-<name>.log}. */
  private ServerProcess start(String url, String name) throws IOException, InterruptedException {
    ServerProcess p =
        ServerProcess.start(
            Map.of("DELEGA_DATABASE_URL", url, "DELEGA_SCHEDULER_INTERVAL_MS", "50"),
            logs.resolve("recurrence-node-" + name + ".log"));
    processes.add(p);
    return p;
  }

  private static void awaitUntil(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}

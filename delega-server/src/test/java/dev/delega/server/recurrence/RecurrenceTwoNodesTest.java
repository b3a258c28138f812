package dev.delega.server.recurrence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Recurrence;
import dev.delega.client.DelegaClient;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import dev.delega.server.testing.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two server nodes on one PostgreSQL database, on one fake clock stepped through a week that
 * crosses the European change to summer time: every occurrence of every rule is spawned exactly
 * once, while both nodes' own schedulers and two racing test schedulers run at every step.
 */
class RecurrenceTwoNodesTest {
  private static final String URL = PostgresExtension.newDatabaseUrl();
  private static final Instant START = Instant.parse("2026-03-23T00:00:00Z"); // a Monday
  private static final Instant END = START.plus(Duration.ofDays(7));
  private static final MutableClock CLOCK = new MutableClock(START);

  @RegisterExtension
  @Order(1)
  static final DelegaServerExtension NODE_A =
      new DelegaServerExtension().clock(CLOCK).env("DELEGA_DATABASE_URL", URL);

  @RegisterExtension
  @Order(2)
  static final DelegaServerExtension NODE_B =
      new DelegaServerExtension().clock(CLOCK).env("DELEGA_DATABASE_URL", URL);

  private static Map<String, Object> rule(String type, String zone, String first, Object... more) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule_type", type);
    m.put("timezone", zone);
    m.put("next_due_at", first);
    for (int i = 0; i < more.length; i += 2) {
      m.put((String) more[i], more[i + 1]);
    }
    return m;
  }

  @Test
  void eachOccurrenceIsSpawnedOnceOverASimulatedWeek() throws Exception {
    String key = NODE_A.adminKey();
    DelegaClient viaA = DelegaClient.builder().baseUrl(NODE_A.baseUrl()).apiKey(key).retries(0).build();
    DelegaClient viaB = DelegaClient.builder().baseUrl(NODE_B.baseUrl()).apiKey(key).retries(0).build();
    List<Map<String, Object>> rules = List.of(
        rule("daily", "Europe/Berlin", "2026-03-23T09:00"),
        rule("daily", "Europe/Berlin", "2026-03-23T02:30"), // falls in the gap on the 29th
        rule("daily", "America/Los_Angeles", "2026-03-23T23:45"),
        rule("daily", "UTC", "2026-03-23T12:00:00Z", "interval", 2),
        rule("daily", "Asia/Kolkata", "2026-03-24T00:00"),
        rule("weekly", "Asia/Tokyo", "2026-03-25T10:00", "anchor_weekday", 3),
        rule("weekly", "Europe/London", "2026-03-29T18:00", "anchor_weekday", 0),
        rule("monthly", "UTC", "2026-03-25T08:00:00Z", "anchor_day", 25),
        rule("yearly", "UTC", "2026-03-27T06:00:00Z", "anchor_month", 3, "anchor_day", 27));
    List<Long> ids = new ArrayList<>();
    for (int copy = 0; copy < 3; copy++) {
      for (int i = 0; i < rules.size(); i++) {
        Map<String, Object> body = new LinkedHashMap<>(rules.get(i));
        body.put("content", "rule " + i + " copy " + copy);
        DelegaClient via = (i + copy) % 2 == 0 ? viaA : viaB;
        ids.add(via.call("POST", "/recurrences", body, Recurrence.class).id());
      }
    }
    Map<Long, List<Long>> expected = new HashMap<>();
    int expectedTotal = 0;
    for (long id : ids) {
      RecurrenceRule r =
          NODE_A.wiring().database().read(h -> Recurrences.load(h, id)).rule();
      List<Long> occurrences =
          r.occurrencesBetween(r.first().minusMillis(1), END, 1000).stream()
              .map(Instant::toEpochMilli)
              .toList();
      expected.put(id, occurrences);
      expectedTotal += occurrences.size();
    }
    assertThat(expectedTotal).isGreaterThan(100);

    RecurrenceScheduler a =
        new RecurrenceScheduler(NODE_A.wiring().database(), NODE_A.wiring().tasks(), CLOCK);
    RecurrenceScheduler b =
        new RecurrenceScheduler(NODE_B.wiring().database(), NODE_B.wiring().tasks(), CLOCK);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    int spawnedHere = 0;
    try {
      List<Callable<Integer>> racers = List.of(a::runDueOnce, b::runDueOnce);
      while (CLOCK.instant().isBefore(END)) {
        CLOCK.advance(Duration.ofMinutes(15));
        for (Future<Integer> f : pool.invokeAll(racers)) {
          spawnedHere += f.get();
        }
      }
    } finally {
      pool.shutdownNow();
    }

    Map<Long, List<Long>> actual =
        NODE_B.wiring().database().read(h -> {
          Map<Long, List<Long>> m = new HashMap<>();
          h.createQuery(
                  "SELECT source_recurrence_id, source_occurrence_at FROM tasks"
                      + " WHERE source_recurrence_id IS NOT NULL ORDER BY source_occurrence_at")
              .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
              .forEach(p -> m.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p[1]));
          return m;
        });
    for (long id : ids) {
      assertThat(actual.getOrDefault(id, List.of()))
          .as("occurrences of recurrence %d", id)
          .containsExactlyElementsOf(expected.get(id));
    }
    long total =
        NODE_A.wiring().database().read(h ->
            h.createQuery("SELECT COUNT(*) FROM tasks").mapTo(Long.class).one());
    assertThat(total).isEqualTo(expectedTotal);
    assertThat(spawnedHere).isLessThanOrEqualTo(expectedTotal);
  }
}

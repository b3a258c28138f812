package dev.delega.server.recurrence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Json;
import dev.delega.api.NewRecurrence;
import dev.delega.api.Recurrence;
import dev.delega.api.RecurrenceUpdate;
import dev.delega.api.Task;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * Recurrences through the API and the scheduler on a fake clock: DST, month ends, leap years,
 * catch-up after downtime, skip_if_open, racing schedulers, access and validation.
 */
class RecurrenceEndpointTest {
  private static final TypeReference<List<Task>> TASKS = new TypeReference<>() {};

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T12:00:00Z"));

  @RegisterExtension
  final DelegaServerExtension server = new DelegaServerExtension().clock(clock);

  private DelegaClient admin;
  private RecurrenceScheduler scheduler;

  @BeforeEach
  void setUp() {
    admin = client(server.adminKey());
    scheduler = scheduler();
  }

  private DelegaClient client(String key) {
    return DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(key).retries(0).build();
  }

  private RecurrenceScheduler scheduler() {
    return new RecurrenceScheduler(
        server.wiring().database(), server.wiring().tasks(), clock);
  }

  private Recurrence create(Map<String, Object> body) {
    return admin.call("POST", "/recurrences", body, Recurrence.class);
  }

  private List<Task> spawned(long recurrenceId) {
    return admin.call("GET", "/recurrences/" + recurrenceId + "/tasks", null, TASKS);
  }

  /** Moves the clock to each next_due_at in turn and spawns; returns the occurrences, as spawned. */
  private List<Instant> spawnSeries(long id, int n) {
    List<Instant> seen = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant due = admin.recurrences().get(id).nextDueAt();
      seen.add(due);
      clock.set(due.minusMillis(1));
      scheduler.runDueOnce();
      assertThat(spawned(id)).as("nothing before the occurrence").hasSize(i);
      clock.set(due);
      scheduler.runDueOnce();
      assertThat(spawned(id)).as("occurrence %s spawned once", due).hasSize(i + 1);
    }
    return seen;
  }

  static Stream<Arguments> calendars() {
    return Stream.of(
        Arguments.of(
            "09:00 Europe/Berlin daily stays 09:00 local across spring-forward",
            Map.of("rule_type", "daily", "timezone", "Europe/Berlin", "next_due_at", "2026-03-27T09:00"),
            List.of("2026-03-27T08:00:00Z", "2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z",
                "2026-03-30T07:00:00Z")),
        Arguments.of(
            "09:00 Europe/Berlin daily stays 09:00 local across fall-back",
            Map.of("rule_type", "daily", "timezone", "Europe/Berlin", "next_due_at", "2026-10-24T09:00"),
            List.of("2026-10-24T07:00:00Z", "2026-10-25T08:00:00Z", "2026-10-26T08:00:00Z")),
        Arguments.of(
            "08:30 America/New_York weekly on Mondays across the US change",
            Map.of("rule_type", "weekly", "timezone", "America/New_York", "anchor_weekday", 1,
                "next_due_at", "2026-03-02T08:30"),
            List.of("2026-03-02T13:30:00Z", "2026-03-09T12:30:00Z", "2026-03-16T12:30:00Z")),
        Arguments.of(
            "monthly on the 31st: 30-day months and February take their last day",
            Map.of("rule_type", "monthly", "timezone", "UTC", "anchor_day", 31,
                "next_due_at", "2026-01-31T09:00:00Z"),
            List.of("2026-01-31T09:00:00Z", "2026-02-28T09:00:00Z", "2026-03-31T09:00:00Z",
                "2026-04-30T09:00:00Z", "2026-05-31T09:00:00Z", "2026-06-30T09:00:00Z")),
        Arguments.of(
            "yearly on Feb 29: Feb 28 in common years, Feb 29 again in 2032",
            Map.of("rule_type", "yearly", "timezone", "UTC", "anchor_month", 2, "anchor_day", 29,
                "next_due_at", "2028-02-29T09:00:00Z"),
            List.of("2028-02-29T09:00:00Z", "2029-02-28T09:00:00Z", "2030-02-28T09:00:00Z",
                "2031-02-28T09:00:00Z", "2032-02-29T09:00:00Z")),
        Arguments.of(
            "monthly every 2 months on the 30th in a leap year's February",
            Map.of("rule_type", "monthly", "interval", 2, "timezone", "UTC", "anchor_day", 30,
                "next_due_at", "2027-12-30T06:00:00Z"),
            List.of("2027-12-30T06:00:00Z", "2028-02-29T06:00:00Z", "2028-04-30T06:00:00Z")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calendars")
  void spawnsEachOccurrenceOnceOnTheCalendar(String name, Map<String, Object> rule, List<String> expected) {
    clock.set(Instant.parse("2026-01-01T00:00:00Z"));
    Map<String, Object> body = new LinkedHashMap<>(rule);
    body.put("content", "check " + name);
    Recurrence r = create(body);
    List<Instant> want = expected.stream().map(Instant::parse).toList();
    assertThat(r.nextDueAt()).isEqualTo(want.get(0));
    assertThat(spawnSeries(r.id(), want.size())).containsExactlyElementsOf(want);
    ZoneId zone = ZoneId.of(r.timezone());
    List<Task> tasks = spawned(r.id()).reversed();
    for (int i = 0; i < want.size(); i++) {
      LocalDateTime local = LocalDateTime.ofInstant(want.get(i), zone);
      assertThat(tasks.get(i).dueDate()).isEqualTo(local.toLocalDate().toString());
      assertThat(tasks.get(i).dueTime()).isEqualTo(local.toLocalTime() + ":00");
    }
    assertThat(tasks.getLast().nextOccurrence())
        .as("the spawned task names the next occurrence")
        .isEqualTo(Json.format(admin.recurrences().get(r.id()).nextDueAt()));
  }

  @Test
  void aSpawnedTaskCarriesTheTemplateAndLinksBack() {
    String workerKey = server.newAgent("ops-worker");
    long workerId = server.agentId(workerKey);
    long project = admin.call("POST", "/projects", Map.of("name", "ops"), JsonNode.class).get("id").asLong();
    Recurrence r =
        admin.recurrences()
            .create(
                NewRecurrence.builder("Rotate the logs", "daily")
                    .description("see runbook")
                    .labels(List.of("ops", "chore"))
                    .priority(3)
                    .projectId(project)
                    .assignedToAgentId(workerId)
                    .timezone("UTC")
                    .nextDueAt(Instant.parse("2026-01-06T07:00:00Z"))
                    .build());
    assertThat(r.ruleType()).isEqualTo("daily");
    assertThat(r.interval()).isEqualTo(1);
    assertThat(r.assignedToAgent().name()).isEqualTo("ops-worker");
    clock.set(Instant.parse("2026-01-06T07:00:00Z"));
    scheduler.runDueOnce();
    assertThat(spawned(r.id())).hasSize(1);
    Task t = spawned(r.id()).get(0);
    assertThat(t.content()).isEqualTo("Rotate the logs");
    assertThat(t.description()).isEqualTo("see runbook");
    assertThat(t.labels()).containsExactly("ops", "chore");
    assertThat(t.priority()).isEqualTo(3);
    assertThat(t.projectId()).isEqualTo(project);
    assertThat(t.assignedToAgentId()).isEqualTo(workerId);
    assertThat(t.createdByAgentId()).isEqualTo(server.agentId(server.adminKey()));
    assertThat(t.dueDate()).isEqualTo("2026-01-06");
    Recurrence after = admin.recurrences().get(r.id());
    assertThat(after.lastSpawnedTaskId()).isEqualTo(t.id());
    assertThat(after.lastSpawnedAt()).isEqualTo(Instant.parse("2026-01-06T07:00:00Z"));
    assertThat(after.nextDueAt()).isEqualTo(Instant.parse("2026-01-07T07:00:00Z"));
    // the worker sees the task it was given, and the event log names the recurrence
    assertThat(client(workerKey).tasks().get(t.id()).id()).isEqualTo(t.id());
    var created = admin.tasks().events(t.id()).get(0);
    assertThat(created.type()).isEqualTo("task.created");
    assertThat(created.changes()).containsKey("source_recurrence_id");
  }

  @Test
  void afterDowntimeOnlyTheLatestMissedOccurrenceIsSpawned() {
    Recurrence r =
        create(Map.of("content", "daily standup notes", "rule_type", "daily", "timezone", "UTC",
            "next_due_at", "2026-01-06T09:00:00Z"));
    server.stop();
    clock.set(Instant.parse("2026-01-16T10:00:00Z")); // ten occurrences passed while down
    server.start();
    admin = client(server.adminKey());
    scheduler = scheduler();
    scheduler.runDueOnce();
    scheduler.runDueOnce();
    List<Task> tasks = spawned(r.id());
    assertThat(tasks).hasSize(1);
    assertThat(tasks.get(0).dueDate()).isEqualTo("2026-01-16");
    assertThat(admin.recurrences().get(r.id()).nextDueAt()).isEqualTo(Instant.parse("2026-01-17T09:00:00Z"));
  }

  @Test
  void skipIfOpenSkipsWhileThePreviousTaskIsOpen() {
    Recurrence r =
        create(Map.of("content", "inbox zero", "rule_type", "daily", "timezone", "UTC",
            "next_due_at", "2026-01-06T09:00:00Z", "skip_if_open", true));
    clock.set(Instant.parse("2026-01-06T09:00:00Z"));
    scheduler.runDueOnce();
    Task first = spawned(r.id()).get(0);
    clock.set(Instant.parse("2026-01-07T09:00:00Z"));
    scheduler.runDueOnce();
    assertThat(spawned(r.id())).hasSize(1);
    assertThat(admin.recurrences().get(r.id()).nextDueAt()).isEqualTo(Instant.parse("2026-01-08T09:00:00Z"));
    admin.tasks().complete(first.id());
    clock.set(Instant.parse("2026-01-08T09:00:00Z"));
    scheduler.runDueOnce();
    assertThat(spawned(r.id())).hasSize(2);
  }

  @Test
  void inactiveRecurrencesDoNotSpawnAndReactivationDoesNotCatchUp() {
    Recurrence r =
        create(Map.of("content", "paused", "rule_type", "daily", "timezone", "UTC",
            "next_due_at", "2026-01-06T09:00:00Z", "active", false));
    clock.set(Instant.parse("2026-01-09T10:00:00Z"));
    scheduler.runDueOnce();
    assertThat(spawned(r.id())).isEmpty();
    Recurrence on = admin.recurrences().update(r.id(), RecurrenceUpdate.create().active(true));
    assertThat(on.nextDueAt()).isEqualTo(Instant.parse("2026-01-10T09:00:00Z"));
    scheduler.runDueOnce();
    assertThat(spawned(r.id())).isEmpty();
  }

  @Test
  void racingSchedulersSpawnEachOccurrenceOnce() throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(create(Map.of("content", "race " + i, "rule_type", "daily", "timezone", "UTC",
          "next_due_at", "2026-01-06T09:00:00Z")).id());
    }
    clock.set(Instant.parse("2026-01-06T09:00:00Z"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> racers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        RecurrenceScheduler own = scheduler();
        racers.add(own::runDueOnce);
      }
      int total = 0;
      for (Future<Integer> f : pool.invokeAll(racers)) {
        total += f.get();
      }
      scheduler.runDueOnce();
      assertThat(total).isLessThanOrEqualTo(20);
    } finally {
      pool.shutdownNow();
    }
    for (long id : ids) {
      assertThat(spawned(id)).as("recurrence %d", id).hasSize(1);
    }
  }

  @Test
  void updatingTheRuleReplansFromNowKeepingTheTimeOfDay() {
    Recurrence r =
        create(Map.of("content", "report", "rule_type", "daily", "timezone", "Europe/Berlin",
            "next_due_at", "2026-01-06T09:00"));
    clock.set(Instant.parse("2026-01-07T12:00:00Z")); // a Wednesday
    Recurrence weekly =
        admin.recurrences().update(r.id(), RecurrenceUpdate.create().ruleType("weekly").anchorWeekday(5));
    assertThat(weekly.ruleType()).isEqualTo("weekly");
    assertThat(weekly.anchorWeekday()).isEqualTo(5);
    assertThat(weekly.nextDueAt()).isEqualTo(Instant.parse("2026-01-09T08:00:00Z")); // Friday 09:00 CET
    Recurrence moved =
        admin.recurrences().update(r.id(), RecurrenceUpdate.create().nextDueAt(Instant.parse("2026-02-02T06:00:00Z")));
    assertThat(moved.nextDueAt()).isEqualTo(Instant.parse("2026-02-02T06:00:00Z"));
    assertThat(moved.content()).isEqualTo("report");
  }

  @Test
  void agentsManageTheirOwnRecurrencesAndAdminsAll() {
    String aliceKey = server.newAgent("alice");
    String bobKey = server.newAgent("bob");
    DelegaClient alice = client(aliceKey);
    DelegaClient bob = client(bobKey);
    Recurrence mine = alice.recurrences().create(NewRecurrence.builder("water plants", "weekly").anchorWeekday(2).build());
    assertThat(mine.createdByAgentId()).isEqualTo(server.agentId(aliceKey));
    assertThat(alice.recurrences().list()).extracting(Recurrence::id).containsExactly(mine.id());
    assertThat(bob.recurrences().list()).isEmpty();
    assertThat(bob.send("GET", "/recurrences/" + mine.id()).status()).isEqualTo(404);
    assertThat(bob.send("DELETE", "/recurrences/" + mine.id()).status()).isEqualTo(404);
    assertThat(admin.recurrences().list()).extracting(Recurrence::id).contains(mine.id());
    // assigning to someone else needs the right to assign tasks to others
    RawResponse foreign = alice.send("POST", "/recurrences",
        Map.of("content", "x", "rule_type", "daily", "assigned_to_agent_id", server.agentId(bobKey)));
    assertThat(foreign.status()).isEqualTo(403);
    // the assignee sees it but may not change it
    Recurrence forBob = admin.recurrences().create(
        NewRecurrence.builder("bob's chore", "daily").assignedToAgentId(server.agentId(bobKey)).build());
    assertThat(bob.recurrences().get(forBob.id()).id()).isEqualTo(forBob.id());
    assertThat(bob.send("PUT", "/recurrences/" + forBob.id(), Map.of("content", "mine now")).status()).isEqualTo(403);
    assertThat(alice.recurrences().update(mine.id(), RecurrenceUpdate.create().content("water all plants")).content())
        .isEqualTo("water all plants");
    admin.recurrences().delete(mine.id());
    assertThat(alice.send("GET", "/recurrences/" + mine.id()).status()).isEqualTo(404);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(Map.of("content", "x", "rule_type", "hourly"), "rule_type"),
        Arguments.of(Map.of("content", "x"), "rule_type"),
        Arguments.of(Map.of("content", "x", "rule_type", "daily", "timezone", "Mars/Olympus"), "timezone"),
        Arguments.of(Map.of("content", "x", "rule_type", "monthly", "anchor_day", 32), "anchor_day"),
        Arguments.of(Map.of("content", "x", "rule_type", "weekly", "anchor_weekday", 7), "anchor_weekday"),
        Arguments.of(Map.of("content", "x", "rule_type", "yearly", "anchor_month", 2, "anchor_day", 30), "anchor_day"),
        Arguments.of(Map.of("content", "x", "rule_type", "daily", "interval", 0), "interval"),
        Arguments.of(Map.of("content", "x", "rule_type", "daily", "next_due_at", "tomorrow"), "next_due_at"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("invalid")
  void invalidRulesAre422NamingTheField(Map<String, Object> body, String field) {
    RawResponse r = admin.send("POST", "/recurrences", body);
    assertThat(r.status()).isEqualTo(422);
    JsonNode error = Json.mapper().readTree(r.body());
    assertThat(error.get("field").asString()).isEqualTo(field);
    assertThat(admin.recurrences().list()).isEmpty();
  }

  @Test
  void servedUnderBothPrefixes() {
    Recurrence r = create(Map.of("content", "x", "rule_type", "daily"));
    RawResponse v1 = admin.send("GET", server.rootUrl() + "/v1/recurrences/" + r.id());
    assertThat(v1.status()).isEqualTo(200);
    assertThat(r.timezone()).isEqualTo("UTC");
    assertThat(r.nextDueAt()).isAfter(clock.instant());
    assertThat(Duration.between(clock.instant(), r.nextDueAt())).isLessThanOrEqualTo(Duration.ofDays(1));
  }
}

package dev.delega.server.claim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.ClaimRequest;
import dev.delega.api.FleetAttention;
import dev.delega.api.NewTask;
import dev.delega.api.Task;
import dev.delega.api.TaskUpdate;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each bucket of {@code GET /fleet/attention} and its rule, under a fake clock. Every test works
 * with tasks its own plain worker created, whose board shows only those tasks.
 */
class FleetAttentionTest {
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension().clock(CLOCK);

  final Crew crew = new Crew(SERVER);

  private static List<Long> ids(FleetAttention board, String bucket) {
    return board.bucket(bucket).stream().map(Task::id).toList();
  }

  private static void sweep() {
    try (LeaseSweeper s =
        new LeaseSweeper(
            SERVER.wiring().database(), new LeaseExpiry(SERVER.wiring().tasks(), 3), CLOCK,
            Executors.newSingleThreadScheduledExecutor())) {
      s.sweep();
    }
  }

  @Test
  void abandonedClaimsAreTasksWhoseLeaseRanOutWithNothingHappeningSince() {
    DelegaClient w = crew.plainWorker("w");
    Task t = w.tasks().create("abandon me");
    w.tasks().claim(t.id(), ClaimRequest.lease(30));
    assertThat(ids(w.fleetAttention(), "abandoned_claims")).isEmpty();

    CLOCK.advance(Duration.ofSeconds(30));
    assertThat(ids(w.fleetAttention(), "abandoned_claims")).containsExactly(t.id());
    sweep();
    FleetAttention board = w.fleetAttention();
    assertThat(ids(board, "abandoned_claims")).containsExactly(t.id());
    assertThat(board.count()).isEqualTo(1);

    CLOCK.advance(Duration.ofSeconds(1));
    w.tasks().update(t.id(), TaskUpdate.create().description("looked at it"));
    assertThat(ids(w.fleetAttention(), "abandoned_claims")).isEmpty();
  }

  @Test
  void silentHoldersHaveNotHeartbeatForHalfTheirLease() {
    DelegaClient w = crew.plainWorker("w");
    Task t = w.tasks().create("quiet");
    long token = w.tasks().claim(t.id(), ClaimRequest.lease(100)).task().leaseToken();

    CLOCK.advance(Duration.ofSeconds(49));
    assertThat(ids(w.fleetAttention(), "silent_holders")).isEmpty();
    CLOCK.advance(Duration.ofSeconds(1));
    assertThat(ids(w.fleetAttention(), "silent_holders")).containsExactly(t.id());
    w.tasks().heartbeat(t.id(), token);
    assertThat(ids(w.fleetAttention(), "silent_holders")).isEmpty();
    CLOCK.advance(Duration.ofSeconds(50));
    assertThat(ids(w.fleetAttention(), "silent_holders")).containsExactly(t.id());
    CLOCK.advance(Duration.ofSeconds(50));
    assertThat(ids(w.fleetAttention(), "silent_holders")).isEmpty();
    assertThat(ids(w.fleetAttention(), "abandoned_claims")).containsExactly(t.id());
  }

  @Test
  void erroredAndWaitingInputFollowTheReportedStateWithItsDetail() {
    DelegaClient w = crew.plainWorker("w");
    Task broken = w.tasks().create("broken");
    Task asking = w.tasks().create("asking");
    w.tasks().claim(broken.id());
    w.tasks().claim(asking.id());
    w.tasks().setState(broken.id(), null, "errored", "OOM while building");
    w.tasks().setState(asking.id(), null, "waiting_input", "which region?");

    FleetAttention board = w.fleetAttention();

    assertThat(ids(board, "errored")).containsExactly(broken.id());
    assertThat(board.bucket("errored").get(0).sessionStateDetail()).isEqualTo("OOM while building");
    assertThat(ids(board, "waiting_input")).containsExactly(asking.id());
    assertThat(board.bucket("waiting_input").get(0).sessionStateDetail()).isEqualTo("which region?");
    w.tasks().complete(broken.id());
    assertThat(ids(w.fleetAttention(), "errored")).isEmpty();
  }

  @Test
  void overdueTasksAreOpenTasksWhoseDueDatePassedInTheServerZone() {
    DelegaClient w = crew.plainWorker("w");
    LocalDate today = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
    Task late = w.tasks().create(NewTask.builder("late").dueDate(today.minusDays(1).toString()).build());
    w.tasks().create(NewTask.builder("due today").dueDate(today.toString()).build());
    Task lateButDone = w.tasks().create(NewTask.builder("late, done").dueDate(today.minusDays(3).toString()).build());
    w.tasks().complete(lateButDone.id());

    assertThat(ids(w.fleetAttention(), "overdue")).containsExactly(late.id());
  }

  @Test
  void loopingTasksWereReleasedOrReclaimedThreeTimesWithinAnHour() {
    DelegaClient w = crew.plainWorker("w");
    Task released = w.tasks().create("released a lot");
    Task expiring = w.tasks().create("expires a lot");
    Task slow = w.tasks().create("released, slowly");
    for (int i = 0; i < 3; i++) {
      w.tasks().release(released.id(), w.tasks().claim(released.id()).task().leaseToken(), "try " + i);
      w.tasks().release(slow.id(), w.tasks().claim(slow.id()).task().leaseToken(), "try " + i);
      w.tasks().claim(expiring.id(), ClaimRequest.lease(30));
      CLOCK.advance(Duration.ofSeconds(31));
      sweep();
    }
    w.tasks().claim(expiring.id(), ClaimRequest.lease(30));
    assertThat(ids(w.fleetAttention(), "looping")).containsExactlyInAnyOrder(released.id(), expiring.id(), slow.id());

    CLOCK.advance(Duration.ofMinutes(61));
    assertThat(ids(w.fleetAttention(), "looping")).isEmpty();
    for (int i = 0; i < 2; i++) {
      w.tasks().release(slow.id(), w.tasks().claim(slow.id()).task().leaseToken(), "again " + i);
      CLOCK.advance(Duration.ofMinutes(40));
    }
    w.tasks().release(slow.id(), w.tasks().claim(slow.id()).task().leaseToken(), "third, but spread out");
    assertThat(ids(w.fleetAttention(), "looping")).isEmpty();
  }

  @Test
  void countIsDistinctTasksAndEachBucketListsItsFirstTwentyMostPressingFirst() {
    DelegaClient w = crew.plainWorker("w");
    String yesterday = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC).minusDays(1).toString();
    for (int i = 0; i < 24; i++) {
      w.tasks().create(NewTask.builder("late " + i).dueDate(yesterday).priority(1).build());
    }
    Task urgent = w.tasks().create(NewTask.builder("late and urgent").dueDate(yesterday).priority(4).build());
    w.tasks().claim(urgent.id());
    w.tasks().setState(urgent.id(), null, "errored", "also broken");

    FleetAttention board = w.fleetAttention();

    assertThat(board.count()).isEqualTo(25);
    assertThat(board.bucket("overdue")).hasSize(20);
    assertThat(board.bucket("overdue").get(0).id()).isEqualTo(urgent.id());
    assertThat(board.bucket("errored")).extracting(Task::id).containsExactly(urgent.id());
    RawResponse raw = w.send("GET", "/fleet/attention?limit=5");
    assertThat(raw.json().get("totals").get("overdue").asInt()).isEqualTo(25);
    assertThat(raw.json().get("buckets").get("overdue").size()).isEqualTo(5);
    assertThat(raw.json().get("buckets").propertyNames())
        .containsExactly("abandoned_claims", "silent_holders", "errored", "waiting_input", "overdue", "looping");
  }

  @Test
  void aWorkerSeesOnlyItsOwnTasksAndACoordinatorSeesEveryone() {
    DelegaClient a = crew.plainWorker("a");
    DelegaClient b = crew.plainWorker("b");
    DelegaClient coordinator = crew.agent("coord", "coordinator", java.util.Map.of());
    Task mine = a.tasks().create("a's");
    Task theirs = b.tasks().create("b's");
    a.tasks().claim(mine.id());
    b.tasks().claim(theirs.id());
    a.tasks().setState(mine.id(), null, "errored", "a broke");
    b.tasks().setState(theirs.id(), null, "errored", "b broke");

    assertThat(ids(a.fleetAttention(), "errored")).containsExactly(mine.id());
    assertThat(ids(coordinator.fleetAttention(), "errored")).contains(mine.id(), theirs.id());
  }
}

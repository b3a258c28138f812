package dev.delega.server.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.ClaimRequest;
import dev.delega.api.NewTask;
import dev.delega.api.Task;
import dev.delega.client.ConflictException;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.client.TaskQuery;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leases that run out: inline on claims, by the sweeper, and the attempt limit; a fake clock, no sleeps. */
class ExpiryTest {
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

  @RegisterExtension
  static final DelegaServerExtension SERVER =
      new DelegaServerExtension().clock(CLOCK).env("DELEGA_MAX_ATTEMPTS", "3");

  final Crew crew = new Crew(SERVER);

  /** Runs one sweep now, as the background sweeper would on its next tick. */
  static int sweep() {
    LeaseExpiry expiry = new LeaseExpiry(SERVER.wiring().tasks(), 3);
    try (LeaseSweeper sweeper =
        new LeaseSweeper(SERVER.wiring().database(), expiry, CLOCK, Executors.newSingleThreadScheduledExecutor())) {
      return sweeper.sweep();
    }
  }

  private Task task(long project) {
    return crew.admin().tasks().create(NewTask.builder("job " + project).projectId(project).build());
  }

  @Test
  void aLeaseThatRanOutIsNotClaimedEvenBeforeTheSweeperRuns() {
    long p = crew.project();
    Task t = task(p);
    DelegaClient a = crew.worker("a");
    DelegaClient b = crew.worker("b");
    a.tasks().claim(t.id(), ClaimRequest.lease(30));
    assertThat(a.tasks().list(TaskQuery.create().projectId(p).claimed(true))).extracting(Task::id).containsExactly(t.id());

    CLOCK.advance(Duration.ofSeconds(31));

    assertThat(a.tasks().list(TaskQuery.create().projectId(p).claimed(true))).isEmpty();
    assertThat(a.tasks().list(TaskQuery.create().projectId(p).claimed(false))).extracting(Task::id).containsExactly(t.id());
    assertThat(b.tasks().ready(TaskQuery.create().projectId(p))).extracting(Task::id).containsExactly(t.id());
    Task taken = b.tasks().claim(t.id()).task();
    assertThat(taken.claimedByAgentId()).isEqualTo(crew.id(b));
    assertThat(taken.leaseToken()).isEqualTo(2L);
    assertThat(taken.attempts()).isEqualTo(1);
    assertThat(crew.eventTypes(t.id())).containsSubsequence("task.claimed", "task.lease_expired", "task.claimed");
  }

  @Test
  void aQueueClaimTakesATaskWhoseLeaseRanOut() {
    long p = crew.project();
    Task t = task(p);
    DelegaClient a = crew.worker("a");
    DelegaClient b = crew.worker("b");
    a.tasks().claimNext(ClaimRequest.lease(60).withProjectId(p));
    assertThat(b.tasks().claimNext(ClaimRequest.defaults().withProjectId(p)).claimed()).isFalse();

    CLOCK.advance(Duration.ofSeconds(60));

    Task taken = b.tasks().claimNext(ClaimRequest.defaults().withProjectId(p)).task();
    assertThat(taken.id()).isEqualTo(t.id());
    assertThat(taken.leaseToken()).isEqualTo(2L);
  }

  @Test
  void theSweeperReturnsRunOutTasksToTheQueueAndCountsTheAttempt() {
    long p = crew.project();
    Task t = task(p);
    DelegaClient a = crew.worker("a");
    a.tasks().claim(t.id(), ClaimRequest.lease(30));
    a.tasks().setState(t.id(), null, "waiting_input", "which region?");
    CLOCK.advance(Duration.ofSeconds(29));
    sweep();
    assertThat(a.tasks().get(t.id()).claimedByAgentId()).isEqualTo(crew.id(a));

    CLOCK.advance(Duration.ofSeconds(1));
    sweep();

    Task back = crew.admin().tasks().get(t.id());
    assertThat(back.claimedByAgentId()).isNull();
    assertThat(back.leaseExpiresAt()).isNull();
    assertThat(back.leaseToken()).isNull();
    assertThat(back.status()).isEqualTo("open");
    assertThat(back.sessionState()).isNull();
    assertThat(back.attempts()).isEqualTo(1);
    assertThat(crew.eventTypes(t.id())).endsWith("task.lease_expired");
    assertThat(sweep()).isZero();
  }

  @Test
  void theThirdAbandonedAttemptLeavesTheTaskErroredAndOutOfTheQueue() {
    long p = crew.project();
    Task t = task(p);
    DelegaClient w = crew.worker("w");
    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThat(w.tasks().claimNext(ClaimRequest.lease(30).withProjectId(p)).task().id()).isEqualTo(t.id());
      CLOCK.advance(Duration.ofSeconds(31));
      sweep();
      assertThat(crew.admin().tasks().get(t.id()).attempts()).isEqualTo(attempt);
    }

    Task errored = crew.admin().tasks().get(t.id());
    assertThat(errored.sessionState()).isEqualTo("errored");
    assertThat(errored.sessionStateDetail()).contains("abandoned 3 times", "DELEGA_MAX_ATTEMPTS=3");
    assertThat(errored.status()).isEqualTo("open");
    assertThat(w.tasks().claimNext(ClaimRequest.defaults().withProjectId(p)).claimed()).isFalse();
    assertThat(w.tasks().ready(TaskQuery.create().projectId(p))).isEmpty();

    Task retried = w.tasks().claim(t.id()).task();
    assertThat(retried.sessionState()).isEqualTo("working");
    assertThat(retried.leaseToken()).isEqualTo(4L);
  }

  @Test
  void aHolderWhoseLeaseRanOutIsToldSoWhetherOrNotTheSweeperRan() {
    Task t = task(crew.project());
    Task u = task(crew.project());
    DelegaClient w = crew.worker("w");
    long tt = w.tasks().claim(t.id(), ClaimRequest.lease(30)).task().leaseToken();
    long ut = w.tasks().claim(u.id(), ClaimRequest.lease(300)).task().leaseToken();
    CLOCK.advance(Duration.ofSeconds(31));

    assertThatThrownBy(() -> w.tasks().heartbeat(t.id(), tt))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("lease_expired"))
        .hasMessageContaining("POST /tasks/" + t.id() + "/claim");
    sweep();
    assertThatThrownBy(() -> w.tasks().release(t.id(), tt, "bye"))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("lease_expired"));
    assertThat(w.tasks().heartbeat(u.id(), ut).leaseExpiresAt()).isEqualTo(CLOCK.instant().plusSeconds(300));
  }

  @Test
  void theSweeperReportsItsHealth() {
    RawResponse ready = crew.admin().send("GET", SERVER.rootUrl() + "/health/ready");
    assertThat(ready.json().get("components").get("lease_sweeper").get("ok").asBoolean()).isTrue();
    assertThat(ready.json().get("components").get("lease_sweeper").get("running").asBoolean()).isTrue();
  }
}

package dev.delega.server.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.ClaimRequest;
import dev.delega.api.ClaimResult;
import dev.delega.api.NewTask;
import dev.delega.api.Task;
import dev.delega.api.TaskUpdate;
import dev.delega.client.ConflictException;
import dev.delega.client.DelegaClient;
import dev.delega.client.ForbiddenException;
import dev.delega.client.NotFoundException;
import dev.delega.client.RawResponse;
import dev.delega.client.ValidationException;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Claims, heartbeats, states and releases through the SDK, on SQLite with a fake clock. */
class ClaimTest {
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension().clock(CLOCK);

  final Crew crew = new Crew(SERVER);

  private Task create(long project, String content, int priority, String... labels) {
    CLOCK.advance(Duration.ofMillis(5));
    return crew.admin().tasks()
        .create(NewTask.builder(content).projectId(project).priority(priority).labels(labels).build());
  }

  private static ClaimRequest in(long project) {
    return ClaimRequest.defaults().withProjectId(project);
  }

  @Test
  void theQueueHandsOutTheHighestPriorityThenTheOldestThenNothing() {
    long p = crew.project();
    Task low = create(p, "low", 1);
    Task urgentOld = create(p, "urgent, older", 4);
    Task urgentNew = create(p, "urgent, newer", 4);
    Task mid = create(p, "mid", 2);
    DelegaClient w = crew.worker("w");

    List<Long> order =
        List.of(
            w.tasks().claimNext(in(p)).task().id(),
            w.tasks().claimNext(in(p)).task().id(),
            w.tasks().claimNext(in(p)).task().id(),
            w.tasks().claimNext(in(p)).task().id());

    assertThat(order).containsExactly(urgentOld.id(), urgentNew.id(), mid.id(), low.id());
    ClaimResult empty = w.tasks().claimNext(in(p));
    assertThat(empty.claimed()).isFalse();
    RawResponse raw = w.send("POST", "/tasks/claim", Map.of("project_id", String.valueOf(p)));
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.json().get("task").isNull()).isTrue();
  }

  @Test
  void aClaimGivesTheTaskToTheCallerUnderALeaseWithTheFirstToken() {
    long p = crew.project();
    Task t = create(p, "claim me", 1);
    DelegaClient w = crew.worker("w");

    Task claimed = w.tasks().claimNext(in(p)).task();

    assertThat(claimed.id()).isEqualTo(t.id());
    assertThat(claimed.claimedByAgentId()).isEqualTo(crew.id(w));
    assertThat(claimed.claimedAt()).isEqualTo(CLOCK.instant());
    assertThat(claimed.leaseExpiresAt()).isEqualTo(CLOCK.instant().plusSeconds(300));
    assertThat(claimed.leaseToken()).isEqualTo(1L);
    assertThat(claimed.sessionState()).isEqualTo("working");
    assertThat(claimed.status()).isEqualTo("in_progress");
    assertThat(crew.eventTypes(t.id())).endsWith("task.claimed");
    assertThat(w.tasks().get(t.id()).claimedByAgentId()).isEqualTo(crew.id(w));
  }

  @Test
  void leaseSecondsMustBeBetween30And3600() {
    long p = crew.project();
    create(p, "a", 1);
    create(p, "b", 1);
    DelegaClient w = crew.worker("w");

    for (int bad : new int[] {29, 3601, 0, -5}) {
      assertThatThrownBy(() -> w.tasks().claimNext(ClaimRequest.lease(bad).withProjectId(p)))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("lease_seconds must be between 30 and 3600");
    }
    assertThat(w.tasks().claimNext(ClaimRequest.lease(30).withProjectId(p)).task().leaseExpiresAt())
        .isEqualTo(CLOCK.instant().plusSeconds(30));
    assertThat(w.tasks().claimNext(ClaimRequest.lease(3600).withProjectId(p)).task().leaseExpiresAt())
        .isEqualTo(CLOCK.instant().plusSeconds(3600));
  }

  @Test
  void queueFiltersByProjectAndByEveryLabel() {
    long p = crew.project();
    Task both = create(p, "both labels", 1, "db", "urgent");
    create(p, "one label", 3, "db");
    create(p, "no label", 4);
    DelegaClient w = crew.worker("w");

    ClaimResult r = w.tasks().claimNext(in(p).withLabels(List.of("db", "urgent")));
    assertThat(r.task().id()).isEqualTo(both.id());
    assertThat(w.tasks().claimNext(in(p).withLabels(List.of("db", "urgent"))).claimed()).isFalse();
  }

  @Test
  void aTargetedClaimOfATaskHeldByAnotherIsRefusedWithLeaseHeld() {
    Task t = create(crew.project(), "contested", 1);
    DelegaClient a = crew.worker("a");
    DelegaClient b = crew.worker("b");
    a.tasks().claim(t.id());

    assertThatThrownBy(() -> b.tasks().claim(t.id()))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> {
              assertThat(e.code()).isEqualTo("lease_held");
              assertThat(e.extra()).containsEntry("claimed_by_agent_id", (int) crew.id(a));
            });
  }

  @Test
  void theHolderClaimingAgainExtendsTheLeaseAndKeepsItsToken() {
    Task t = create(crew.project(), "mine", 1);
    DelegaClient w = crew.worker("w");
    Task first = w.tasks().claim(t.id(), ClaimRequest.lease(60)).task();
    CLOCK.advance(Duration.ofSeconds(30));

    Task again = w.tasks().claim(t.id(), ClaimRequest.lease(120)).task();

    assertThat(again.leaseToken()).isEqualTo(first.leaseToken());
    assertThat(again.leaseExpiresAt()).isEqualTo(CLOCK.instant().plusSeconds(120));
    assertThat(crew.eventTypes(t.id()).stream().filter("task.claimed"::equals)).hasSize(1);
  }

  @Test
  void everyNewClaimHandsOutTheNextTokenAndTokensNeverGoBack() {
    Task t = create(crew.project(), "passed around", 1);
    DelegaClient a = crew.worker("a");
    DelegaClient b = crew.worker("b");

    long t1 = a.tasks().claim(t.id()).task().leaseToken();
    a.tasks().release(t.id(), t1, null);
    long t2 = b.tasks().claim(t.id()).task().leaseToken();
    b.tasks().release(t.id(), t2, null);
    long t3 = a.tasks().claim(t.id()).task().leaseToken();

    assertThat(List.of(t1, t2, t3)).containsExactly(1L, 2L, 3L);
  }

  @Test
  void completedBlockedAssignedAndInvisibleTasksCannotBeClaimed() {
    long p = crew.project();
    DelegaClient w = crew.worker("w");
    DelegaClient other = crew.worker("other");
    DelegaClient plain = crew.plainWorker("plain");
    Task done = create(p, "done", 1);
    crew.admin().tasks().complete(done.id());
    Task blocker = create(p, "blocker", 1);
    Task blocked =
        crew.admin().tasks().create(NewTask.builder("blocked").projectId(p).blockedBy(List.of(blocker.id())).build());
    Task theirs =
        crew.admin().tasks().create(NewTask.builder("theirs").projectId(p).assignedToAgentId(crew.id(other)).build());

    assertThatThrownBy(() -> w.tasks().claim(done.id()))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("task_completed"))
        .hasMessageContaining("uncomplete");
    assertThatThrownBy(() -> w.tasks().claim(blocked.id()))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> {
              assertThat(e.code()).isEqualTo("task_blocked");
              assertThat(e.extra().get("blocked_by")).isEqualTo(List.of((int) blocker.id()));
            });
    assertThatThrownBy(() -> w.tasks().claim(theirs.id()))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("assigned to agent " + crew.id(other));
    assertThatThrownBy(() -> plain.tasks().claim(blocker.id())).isInstanceOf(NotFoundException.class);
    assertThat(other.tasks().claim(theirs.id()).task().claimedByAgentId()).isEqualTo(crew.id(other));
  }

  @Test
  void aHeartbeatRenewsForTheLastGrantOrTheGivenLengthAndMayReportAState() {
    Task t = create(crew.project(), "long job", 1);
    DelegaClient w = crew.worker("w");
    long token = w.tasks().claim(t.id(), ClaimRequest.lease(120)).task().leaseToken();
    CLOCK.advance(Duration.ofSeconds(60));

    Task renewed = w.tasks().heartbeat(t.id(), token);
    assertThat(renewed.leaseExpiresAt()).isEqualTo(CLOCK.instant().plusSeconds(120));
    assertThat(renewed.version()).isEqualTo(w.tasks().get(t.id()).version());

    Task waiting = w.tasks().heartbeat(t.id(), token, 600, "waiting_input", "need the staging password");
    assertThat(waiting.leaseExpiresAt()).isEqualTo(CLOCK.instant().plusSeconds(600));
    assertThat(waiting.sessionState()).isEqualTo("waiting_input");
    assertThat(waiting.sessionStateDetail()).isEqualTo("need the staging password");
    assertThat(waiting.status()).isEqualTo("waiting_input");

    Task working = w.tasks().heartbeat(t.id(), null, null, "working", null);
    assertThat(working.status()).isEqualTo("in_progress");
    assertThat(working.sessionStateDetail()).isNull();
    assertThat(crew.eventTypes(t.id()).stream().filter("task.state_changed"::equals)).hasSize(2);
  }

  @Test
  void aStateReportDoesNotRenewTheLeaseAndOnlyTheThreeStatesExist() {
    Task t = create(crew.project(), "fragile", 1);
    DelegaClient w = crew.worker("w");
    Task claimed = w.tasks().claim(t.id(), ClaimRequest.lease(120)).task();
    CLOCK.advance(Duration.ofSeconds(10));

    Task errored = w.tasks().setState(t.id(), claimed.leaseToken(), "errored", "stack trace in context");

    assertThat(errored.leaseExpiresAt()).isEqualTo(claimed.leaseExpiresAt());
    assertThat(errored.sessionState()).isEqualTo("errored");
    assertThat(errored.status()).isEqualTo("in_progress");
    assertThat(crew.eventTypes(t.id())).endsWith("task.state_changed");
    assertThatThrownBy(() -> w.tasks().setState(t.id(), null, "sleeping", null))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.extra().get("allowed")).isEqualTo(List.of("working", "waiting_input", "errored"));
            });
  }

  @Test
  void aReleaseReturnsTheTaskToTheQueueWithAHandOffTheNextHolderSees() {
    long p = crew.project();
    Task t = create(p, "half done", 1);
    DelegaClient a = crew.worker("a");
    DelegaClient b = crew.worker("b");
    Task claimed = a.tasks().claimNext(in(p)).task();
    a.tasks().setState(t.id(), claimed.leaseToken(), "waiting_input", "which region?");

    Task released = a.tasks().release(t.id(), claimed.leaseToken(), "schema migrated; data copy left");

    assertThat(released.status()).isEqualTo("open");
    assertThat(released.claimedByAgentId()).isNull();
    assertThat(released.leaseToken()).isNull();
    assertThat(released.leaseExpiresAt()).isNull();
    assertThat(released.sessionState()).isNull();
    assertThat(crew.eventTypes(t.id())).endsWith("task.released");
    Task next = b.tasks().claimNext(in(p)).task();
    assertThat(next.id()).isEqualTo(t.id());
    assertThat(next.handoffNote()).isEqualTo("schema migrated; data copy left");
    assertThat(next.handoffState()).isEqualTo("waiting_input");
    assertThat(next.handoffByAgentId()).isEqualTo(crew.id(a));
    assertThat(next.leaseToken()).isEqualTo(2L);
  }

  @Test
  void holderWritesNeedTheLease() {
    Task t = create(crew.project(), "held", 1);
    Task free = create(crew.project(), "free", 1);
    DelegaClient a = crew.worker("a");
    DelegaClient b = crew.worker("b");
    a.tasks().claim(t.id(), ClaimRequest.lease(30));

    assertThatThrownBy(() -> b.tasks().heartbeat(t.id(), null))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("lease_held"));
    assertThatThrownBy(() -> b.tasks().release(t.id(), null, null))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("lease_held"));
    assertThatThrownBy(() -> a.tasks().heartbeat(free.id(), null))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("not_claimed"))
        .hasMessageContaining("POST /tasks/" + free.id() + "/claim");
    CLOCK.advance(Duration.ofSeconds(31));
    assertThatThrownBy(() -> a.tasks().heartbeat(t.id(), 1L))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("lease_expired"));
  }

  @Test
  void aWorkerMustClaimAQueueTaskBeforeChangingItAndMayOnceItHoldsIt() {
    Task t = create(crew.project(), "queue task", 1);
    DelegaClient w = crew.worker("w");

    assertThatThrownBy(() -> w.tasks().update(t.id(), TaskUpdate.create().content("mine now")))
        .isInstanceOfSatisfying(
            ForbiddenException.class,
            e -> {
              assertThat(e.code()).isEqualTo("claim_required");
              assertThat(e.claimRequired()).isTrue();
            })
        .hasMessageContaining("POST /tasks/" + t.id() + "/claim");

    w.tasks().claim(t.id());
    assertThat(w.tasks().update(t.id(), TaskUpdate.create().content("mine now")).content()).isEqualTo("mine now");
  }

  @Test
  void routesAnswerUnderBothPrefixesAndAcceptAnEmptyBody() {
    long p = crew.project();
    Task t = create(p, "raw", 1);
    DelegaClient w = crew.worker("w");

    RawResponse claim = w.send("POST", "/tasks/" + t.id() + "/claim", "", Map.of("Content-Type", "application/json"));
    assertThat(claim.status()).isEqualTo(200);
    assertThat(claim.json().get("task").get("id").asLong()).isEqualTo(t.id());
    RawResponse v1 =
        w.send("POST", SERVER.rootUrl() + "/v1/tasks/" + t.id() + "/heartbeat", Map.of("lease_token", "1"));
    assertThat(v1.status()).isEqualTo(200);
    assertThat(v1.json().get("lease_token").asLong()).isEqualTo(1L);
  }
}

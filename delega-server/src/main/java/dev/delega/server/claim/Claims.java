package dev.delega.server.claim;

import dev.delega.api.Task;
import dev.delega.server.agent.Caller;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import dev.delega.server.store.Sql;
import dev.delega.server.store.Tx;
import dev.delega.server.task.Leases;
import dev.delega.server.task.TaskChanges;
import dev.delega.server.task.TaskRow;
import dev.delega.server.task.TaskView;
import dev.delega.server.task.Tasks;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jdbi.v3.core.Handle;

/**
 * The work queue's use cases: claim from the queue or by id, heartbeat, report a state, release.
 * Each is one write transaction, and every claim decision is a compare-and-set on the task row
 * (guarded by the lease token it read), so one task has at most one holder at a time on SQLite's
 * single writer and across PostgreSQL nodes alike.
 *
 * <p>Design: a claim hands out {@code lease_token = previous + 1}; the token never goes back, so a
 * holder whose lease ran out and was taken over presents an older token and is refused ({@code
 * lease_superseded}, see {@link Leases}). A lease that ran out is expired inline before any claim
 * decision, so "expired" never looks "held" even when the sweeper has not run yet.
 */
final class Claims {
  static final int DEFAULT_LEASE_SECONDS = 300;
  static final int MIN_LEASE_SECONDS = 30;
  static final int MAX_LEASE_SECONDS = 3600;
  static final int MAX_DETAIL = 500;

  /** How many run-out leases a queue claim expires before it looks for a task. */
  private static final int INLINE_EXPIRY_LIMIT = 50;

  /**
   * How often (at most) queue claims on this node look for run-out leases themselves; in between,
   * a run-out task waits for the next look or the sweeper. Never a correctness matter: a run-out
   * lease is simply not a candidate until it is expired.
   */
  private static final long INLINE_EXPIRY_EVERY_MILLIS = 200;

  /** How many candidates a queue claim tries when concurrent claims keep winning them first. */
  private static final int MAX_CANDIDATES = 16;

  private final Database db;
  private final Tasks tasks;
  private final Clock clock;
  private final LeaseExpiry expiry;
  private final AtomicLong nextInlineExpiry = new AtomicLong(Long.MIN_VALUE);

  private final Counter claimedNext;
  private final Counter emptyNext;
  private final Counter claimedById;
  private final Counter conflictById;

  Claims(Database db, Tasks tasks, Clock clock, LeaseExpiry expiry, MeterRegistry metrics) {
    this.claimedNext = claimCounter(metrics, "next", "claimed");
    this.emptyNext = claimCounter(metrics, "next", "empty");
    this.claimedById = claimCounter(metrics, "id", "claimed");
    this.conflictById = claimCounter(metrics, "id", "conflict");
    this.db = db;
    this.tasks = tasks;
    this.clock = clock;
    this.expiry = expiry;
  }

  private static Counter claimCounter(MeterRegistry metrics, String route, String outcome) {
    return Counter.builder("delega.claims")
        .description("claims: route next (POST /tasks/claim) or id (POST /tasks/{id}/claim); outcome"
            + " claimed, empty (nothing to claim) or conflict (held, blocked, completed)")
        .tag("route", route)
        .tag("outcome", outcome)
        .register(metrics);
  }

  // ---------------------------------------------------------------- claims

  /** {@code POST /tasks/claim}: the next task of the caller's queue, or null when there is none. */
  Task claimNext(Caller caller, Fields body) {
    Task claimed = claimNextTask(caller, body);
    (claimed == null ? emptyNext : claimedNext).increment();
    return claimed;
  }

  private Task claimNextTask(Caller caller, Fields body) {
    requireAgent(caller);
    long lease = leaseMillis(body);
    ClaimQueue.Filter filter =
        new ClaimQueue.Filter(body.id("project_id"), body.strings("labels", 20, 100));
    return db.write(
        tx -> {
          long now = clock.millis();
          long due = nextInlineExpiry.get();
          if (now >= due && nextInlineExpiry.compareAndSet(due, now + INLINE_EXPIRY_EVERY_MILLIS)
              && expiry.expireDue(tx, now, INLINE_EXPIRY_LIMIT) == INLINE_EXPIRY_LIMIT) {
            nextInlineExpiry.set(now);
          }
          List<Long> lost = new ArrayList<>();
          for (int i = 0; i < MAX_CANDIDATES; i++) {
            Seen candidate = nextCandidate(tx, caller, filter, lost, now);
            if (candidate == null) {
              return null;
            }
            Task claimed = claimRow(tx, caller, candidate, lease, now);
            if (claimed != null) {
              return claimed;
            }
            lost.add(candidate.id());
          }
          return null;
        });
  }

  /**
   * What a claim needs to know of the task it takes: the lease it replaces and the fields whose
   * change the event records. The queue reads only these (not the whole row: the task is read again
   * whole for the answer and the event).
   */
  private record Seen(
      long id, long leaseToken, Long claimedBy, Long leaseExpiresAt, String sessionState, String sessionStateDetail,
      String status) {
    static final String COLUMNS =
        "t.id, t.lease_token, t.claimed_by_agent_id, t.lease_expires_at, t.session_state, t.session_state_detail, t.status";

    static Seen of(TaskRow r) {
      return new Seen(r.id(), r.leaseToken(), r.claimedBy(), r.leaseExpiresAt(), r.sessionState(), r.sessionStateDetail(),
          r.status());
    }

    static Seen map(java.sql.ResultSet rs) throws java.sql.SQLException {
      return new Seen(rs.getLong(1), rs.getLong(2), Sql.getLong(rs, 3), Sql.getLong(rs, 4),
          rs.getString(5), rs.getString(6), rs.getString(7));
    }
  }

  private Seen nextCandidate(Tx tx, Caller caller, ClaimQueue.Filter filter, List<Long> lost, long now) {
    Map<String, Object> binds = new HashMap<>();
    String where = ClaimQueue.condition(caller, filter, false, now, expiry.maxAttempts(), binds);
    for (int i = 0; i < lost.size(); i++) {
      where += " AND t.id <> :lost" + i;
      binds.put("lost" + i, lost.get(i));
    }
    List<Seen> rows =
        Sql.listNamed(
            tx.handle(),
            "SELECT " + Seen.COLUMNS + " FROM tasks t WHERE " + where + ClaimQueue.ORDER
                + " LIMIT 1" + tx.dialect().forUpdateSkipLocked(),
            binds,
            Seen::map);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** {@code POST /tasks/{id}/claim}: claims that task, or extends the caller's own live lease. */
  Task claim(Caller caller, long id, Fields body) {
    try {
      Task claimed = claimById(caller, id, body);
      claimedById.increment();
      return claimed;
    } catch (DelegaException.Conflict e) {
      conflictById.increment();
      throw e;
    }
  }

  private Task claimById(Caller caller, long id, Fields body) {
    requireAgent(caller);
    long lease = leaseMillis(body);
    return db.write(
        tx -> {
          Handle h = tx.handle();
          long now = clock.millis();
          TaskRow row = LeaseRows.lockVisible(caller, tx, id);
          if (row.assignedTo() != null && !caller.is(row.assignedTo())) {
            throw new DelegaException.Forbidden(
                    "task " + id + " is assigned to agent " + row.assignedTo()
                        + "; only its assignee may claim it (reassign it first)")
                .with("assigned_to_agent_id", row.assignedTo());
          }
          if (row.completed()) {
            throw new DelegaException.Conflict(
                "task_completed",
                "task " + id + " is completed and cannot be claimed; reopen it first with POST /tasks/"
                    + id + "/uncomplete");
          }
          if (row.claimedAt(now)) {
            if (caller.is(row.claimedBy())) {
              return extend(h, row, lease, now);
            }
            throw held(row);
          }
          List<Long> blockers = LeaseRows.openBlockers(h, id);
          if (!blockers.isEmpty() || row.status().equals("blocked")) {
            throw new DelegaException.Conflict(
                    "task_blocked",
                    blockers.isEmpty()
                        ? "task " + id + " is not ready: its status is blocked; set another status first"
                        : "task " + id + " is not ready: it is blocked by open task(s) " + blockers
                            + "; it can be claimed once every blocker is completed")
                .with("blocked_by", blockers);
          }
          if (expiry.expire(tx, row, now)) {
            row = LeaseRows.lock(tx, id).orElseThrow();
          }
          Task claimed = claimRow(tx, caller, Seen.of(row), lease, now);
          if (claimed == null) {
            throw held(LeaseRows.lock(tx, id).orElseThrow());
          }
          return claimed;
        });
  }

  /**
   * Gives {@code row} to the caller under a new lease, if nobody took it since it was read; returns
   * null when somebody did (another node, on PostgreSQL).
   */
  private Task claimRow(Tx tx, Caller caller, Seen row, long lease, long now) {
    long token = row.leaseToken() + 1;
    TaskChanges ch = new TaskChanges();
    ch.set("claimed_by_agent_id", "claimed_by_agent_id", row.claimedBy(), caller.agentId());
    ch.setQuietly("claimed_at", now);
    ch.setQuietly("lease_expires_at", now + lease);
    ch.setQuietly("last_heartbeat_at", now);
    ch.diff.put("lease_expires_at", LeaseRows.change(LeaseRows.iso(row.leaseExpiresAt()), LeaseRows.iso(now + lease)));
    ch.set("lease_token", "lease_token", row.leaseToken(), token);
    ch.set("session_state", "session_state", row.sessionState(), SessionState.WORKING.wire());
    ch.set("session_state_detail", "session_state_detail", row.sessionStateDetail(), null);
    ch.set("status", "status", row.status(), SessionState.WORKING.statusFrom(row.status()));
    Map<String, Object> guard = Map.of("seen_token", row.leaseToken(), "now", now);
    int written =
        LeaseRows.write(
            tx.handle(), row.id(), ch, now,
            "lease_token = :seen_token AND completed = FALSE"
                + " AND (claimed_by_agent_id IS NULL OR lease_expires_at <= :now)",
            guard);
    if (written == 0) {
      return null;
    }
    if (row.leaseToken() > 0) {
      ClaimLog.append(tx.handle(), row.id(), caller.agentId(), token, ClaimLog.Action.RECLAIMED, now);
    }
    return tasks.emit(tx, "task.claimed", row.id(), caller, ch.diff);
  }

  // ---------------------------------------------------------------- holder writes

  /**
   * {@code POST /tasks/{id}/heartbeat}: renews the lease (for {@code lease_seconds}, or as long as
   * the last grant) and optionally reports a state and detail.
   */
  Task heartbeat(Caller caller, long id, Fields body, Long headerToken) {
    Integer seconds = leaseSeconds(body);
    SessionState state = body.hasValue("state") ? SessionState.parse("state", body.text("state", 32)) : null;
    String detail = body.text("detail", MAX_DETAIL);
    boolean detailGiven = body.has("detail");
    Long token = token(body, headerToken);
    return db.write(
        tx -> {
          long now = clock.millis();
          TaskRow row = holderRow(caller, tx, id, token, now);
          long lease = seconds != null ? seconds * 1000L : lastGrant(row);
          tx.handle()
              .createUpdate("UPDATE tasks SET lease_expires_at = ?, last_heartbeat_at = ? WHERE id = ?")
              .bind(0, now + lease)
              .bind(1, now)
              .bind(2, id)
              .execute();
          if (state != null || detailGiven) {
            return report(tx, caller, LeaseRows.lock(tx, id).orElseThrow(), state, detail, now);
          }
          return TaskView.render(tx.handle(), LeaseRows.lock(tx, id).orElseThrow());
        });
  }

  /** {@code POST /tasks/{id}/state}: reports a state (and detail) without renewing the lease. */
  Task setState(Caller caller, long id, Fields body, Long headerToken) {
    SessionState state = SessionState.parse("state", body.requiredText("state", 32));
    String detail = body.text("detail", MAX_DETAIL);
    Long token = token(body, headerToken);
    return db.write(
        tx -> {
          long now = clock.millis();
          TaskRow row = holderRow(caller, tx, id, token, now);
          return report(tx, caller, row, state, detail, now);
        });
  }

  /** Writes a state and detail; a change is a {@code task.state_changed} event. */
  private Task report(Tx tx, Caller caller, TaskRow row, SessionState state, String detail, long now) {
    String newState = state != null ? state.wire() : row.sessionState();
    TaskChanges ch = new TaskChanges();
    ch.set("session_state", "session_state", row.sessionState(), newState);
    ch.set("session_state_detail", "session_state_detail", row.sessionStateDetail(), detail);
    if (state != null) {
      ch.set("status", "status", row.status(), state.statusFrom(row.status()));
    }
    if (ch.isEmpty()) {
      return TaskView.render(tx.handle(), row);
    }
    Tasks.write(tx.handle(), row.id(), ch, now);
    return tasks.emit(tx, "task.state_changed", row.id(), caller, ch.diff);
  }

  /**
   * {@code POST /tasks/{id}/release}: gives the task back to the queue with an optional hand-off
   * note that the next holder sees ({@code handoff_note}, {@code handoff_state}, {@code
   * handoff_by_agent_id}).
   */
  Task release(Caller caller, long id, Fields body, Long headerToken) {
    String note = body.text("handoff", MAX_DETAIL);
    if (note == null) {
      note = body.text("handoff_note", MAX_DETAIL);
    }
    String given = body.text("handoff_state", 32);
    SessionState handoffState = given == null ? null : SessionState.parse("handoff_state", given);
    String handoffNote = note;
    Long token = token(body, headerToken);
    return db.write(
        tx -> {
          Handle h = tx.handle();
          long now = clock.millis();
          TaskRow row = holderRow(caller, tx, id, token, now);
          TaskChanges ch = new TaskChanges();
          ch.set("claimed_by_agent_id", "claimed_by_agent_id", row.claimedBy(), null);
          ch.setQuietly("claimed_at", null);
          ch.setQuietly("lease_expires_at", null);
          ch.setQuietly("last_heartbeat_at", null);
          ch.diff.put("lease_expires_at", LeaseRows.change(LeaseRows.iso(row.leaseExpiresAt()), null));
          ch.set("session_state", "session_state", row.sessionState(), null);
          ch.set("session_state_detail", "session_state_detail", row.sessionStateDetail(), null);
          if (SessionState.CLAIM_STATUSES.contains(row.status())) {
            String status = LeaseRows.openBlockers(h, id).isEmpty() ? "open" : "blocked";
            ch.set("status", "status", row.status(), status);
          }
          ch.set("handoff_note", "handoff_note", row.handoffNote(), handoffNote);
          ch.set(
              "handoff_state", "handoff_state", row.handoffState(),
              handoffState != null ? handoffState.wire() : row.sessionState());
          ch.set("handoff_by_agent_id", "handoff_by_agent_id", row.handoffBy(), caller.agentId());
          Tasks.write(h, id, ch, now);
          ClaimLog.append(h, id, row.claimedBy(), row.leaseToken(), ClaimLog.Action.RELEASED, now);
          return tasks.emit(tx, "task.released", id, caller, ch.diff);
        });
  }

  /**
   * The task, locked, if the caller holds its live lease (or presents its current token): {@code
   * lease_superseded} for an old token, {@code lease_held} for someone else's lease, {@code
   * lease_expired} or {@code not_claimed} when nobody holds it.
   */
  private TaskRow holderRow(Caller caller, Tx tx, long id, Long token, long now) {
    TaskRow row = LeaseRows.lockVisible(caller, tx, id);
    Leases.check(caller, row, token, now);
    if (row.claimedAt(now)) {
      return row;
    }
    if (row.completed()) {
      throw new DelegaException.Conflict(
          "not_claimed", "task " + id + " is completed; there is no lease to renew or release");
    }
    String claimAgain = "claim it again with POST /tasks/" + id + "/claim";
    boolean ranOut =
        row.claimedBy() != null ? caller.is(row.claimedBy()) : lastLeaseRanOut(tx.handle(), caller, id);
    if (ranOut) {
      throw new DelegaException.Conflict(
              "lease_expired",
              "this agent's lease on task " + id + " ran out and the task went back to the queue; "
                  + claimAgain)
          .with("lease_token", row.leaseToken());
    }
    throw new DelegaException.Conflict(
        "not_claimed", "task " + id + " is not claimed by this agent; " + claimAgain.replace(" again", ""));
  }

  /** True when the last lease of the task was the caller's and it ran out. */
  private static boolean lastLeaseRanOut(Handle h, Caller caller, long id) {
    return h.createQuery(
            "SELECT agent_id, action FROM task_claims WHERE task_id = ? ORDER BY id DESC LIMIT 1")
        .bind(0, id)
        .map((rs, ctx) -> {
          long agent = rs.getLong(1);
          return !rs.wasNull() && caller.is(agent) && ClaimLog.Action.EXPIRED.wire().equals(rs.getString(2));
        })
        .findOne()
        .orElse(false);
  }

  // ---------------------------------------------------------------- helpers

  private static Task extend(Handle h, TaskRow row, long lease, long now) {
    h.createUpdate("UPDATE tasks SET lease_expires_at = ?, last_heartbeat_at = ? WHERE id = ?")
        .bind(0, now + lease)
        .bind(1, now)
        .bind(2, row.id())
        .execute();
    return TaskView.load(h, row.id()).orElseThrow().task();
  }

  /** The length of the holder's last grant (claim or heartbeat), within the allowed range. */
  private static long lastGrant(TaskRow row) {
    Long from = row.lastHeartbeatAt() != null ? row.lastHeartbeatAt() : row.claimedAt();
    long grant = from == null ? DEFAULT_LEASE_SECONDS * 1000L : row.leaseExpiresAt() - from;
    return Math.clamp(grant, MIN_LEASE_SECONDS * 1000L, MAX_LEASE_SECONDS * 1000L);
  }

  private static DelegaException held(TaskRow row) {
    return new DelegaException.Conflict(
            "lease_held",
            "task " + row.id() + " is claimed by agent " + row.claimedBy() + " until "
                + Instant.ofEpochMilli(row.leaseExpiresAt()) + "; claim another task or wait for the lease to end")
        .with("claimed_by_agent_id", row.claimedBy())
        .with("lease_expires_at", LeaseRows.iso(row.leaseExpiresAt()));
  }

  private static void requireAgent(Caller caller) {
    if (!caller.isAgent()) {
      throw new DelegaException.Unauthorized(
          "claims are held by agents: send the key of the agent that will do the work (X-Agent-Key)");
    }
  }

  private static Integer leaseSeconds(Fields body) {
    return body.integer("lease_seconds", MIN_LEASE_SECONDS, MAX_LEASE_SECONDS);
  }

  private static long leaseMillis(Fields body) {
    Integer s = leaseSeconds(body);
    return (s == null ? DEFAULT_LEASE_SECONDS : s) * 1000L;
  }

  private static Long token(Fields body, Long headerToken) {
    Long bodyToken = body.id("lease_token");
    if (headerToken != null && bodyToken != null && !Objects.equals(headerToken, bodyToken)) {
      throw new DelegaException.BadRequest(
          "X-Lease-Token (" + headerToken + ") and lease_token (" + bodyToken + ") disagree; send one");
    }
    return headerToken != null ? headerToken : bodyToken;
  }
}

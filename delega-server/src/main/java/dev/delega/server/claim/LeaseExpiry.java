package dev.delega.server.claim;

import dev.delega.server.agent.Caller;
import dev.delega.server.store.Tx;
import dev.delega.server.task.TaskChanges;
import dev.delega.server.task.TaskRow;
import dev.delega.server.task.Tasks;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Returns tasks whose lease ran out to the queue. Each expiry counts one abandoned attempt; the
 * attempt that reaches {@code DELEGA_MAX_ATTEMPTS} leaves the task {@code errored} (session state)
 * and out of the queue until someone claims it by id. Used by the sweeper, and inline by every
 * claim so that a run-out lease is never mistaken for a live one.
 */
final class LeaseExpiry {
  private final Tasks tasks;
  private final int maxAttempts;

  private final Runnable onExpired;

  LeaseExpiry(Tasks tasks, int maxAttempts) {
    this(tasks, maxAttempts, () -> {});
  }

  /** {@code onExpired} runs once per expired lease, after its transaction committed. */
  LeaseExpiry(Tasks tasks, int maxAttempts, Runnable onExpired) {
    this.tasks = tasks;
    this.maxAttempts = maxAttempts;
    this.onExpired = onExpired;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  /** Expires up to {@code limit} run-out leases, oldest first; returns how many it expired. */
  int expireDue(Tx tx, long now, int limit) {
    List<TaskRow> due =
        tx.handle()
            .createQuery(
                "SELECT " + TaskRow.packed(tx.dialect()) + " FROM tasks t WHERE t.lease_expires_at <= :now"
                    + " AND t.claimed_by_agent_id IS NOT NULL ORDER BY t.lease_expires_at, t.id LIMIT :limit"
                    + tx.dialect().forUpdateSkipLocked())
            .bind("now", now)
            .bind("limit", limit)
            .map((rs, ctx) -> TaskRow.map(rs))
            .list();
    int expired = 0;
    for (TaskRow row : due) {
      if (expire(tx, row, now)) {
        expired++;
      }
    }
    return expired;
  }

  /** Expires the lease of {@code row} if it has run out at {@code now}; true when it did. */
  boolean expire(Tx tx, TaskRow row, long now) {
    if (row.claimedBy() == null || row.leaseExpiresAt() == null || row.leaseExpiresAt() > now) {
      return false;
    }
    Handle h = tx.handle();
    Map<String, Object> guard = Map.of("seen_token", row.leaseToken(), "now", now);
    String stillRunOut =
        "lease_token = :seen_token AND claimed_by_agent_id IS NOT NULL AND lease_expires_at <= :now";
    if (row.completed()) {
      // Completed through a path that left the claim behind: clear it, no attempt is abandoned.
      return h.createUpdate(
                  "UPDATE tasks SET claimed_by_agent_id = NULL, claimed_at = NULL, lease_expires_at = NULL,"
                      + " last_heartbeat_at = NULL, session_state = NULL, session_state_detail = NULL"
                      + " WHERE id = :id AND " + stillRunOut)
              .bind("id", row.id())
              .bindMap(guard)
              .execute()
          > 0;
    }
    int attempts = row.attempts() + 1;
    boolean exhausted = attempts >= maxAttempts;
    TaskChanges ch = new TaskChanges();
    ch.set("claimed_by_agent_id", "claimed_by_agent_id", row.claimedBy(), null);
    ch.setQuietly("claimed_at", null);
    ch.setQuietly("lease_expires_at", null);
    ch.setQuietly("last_heartbeat_at", null);
    ch.diff.put("lease_expires_at", LeaseRows.change(LeaseRows.iso(row.leaseExpiresAt()), null));
    ch.set("attempts", "attempts", row.attempts(), attempts);
    ch.set("session_state", "session_state", row.sessionState(), exhausted ? SessionState.ERRORED.wire() : null);
    ch.set(
        "session_state_detail",
        "session_state_detail",
        row.sessionStateDetail(),
        exhausted
            ? "abandoned " + attempts + " times: the lease ran out without a heartbeat, release or"
                + " completion (DELEGA_MAX_ATTEMPTS=" + maxAttempts + "); out of the queue until"
                + " claimed by id with POST /tasks/" + row.id() + "/claim"
            : null);
    if (SessionState.CLAIM_STATUSES.contains(row.status())) {
      String status = LeaseRows.openBlockers(h, row.id()).isEmpty() ? "open" : "blocked";
      ch.set("status", "status", row.status(), status);
    }
    if (LeaseRows.write(h, row.id(), ch, now, stillRunOut, guard) == 0) {
      return false;
    }
    ClaimLog.append(h, row.id(), row.claimedBy(), row.leaseToken(), ClaimLog.Action.EXPIRED, now);
    tasks.emit(tx, "task.lease_expired", row.id(), Caller.NOBODY, ch.diff);
    tx.afterCommit(onExpired);
    return true;
  }
}

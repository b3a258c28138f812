package dev.delega.server.claim;

import org.jdbi.v3.core.Handle;

/**
 * The append-only {@code task_claims} table: when a task was re-claimed, released, or abandoned
 * (lease expired). Fleet attention ("looping", "abandoned_claims") and the {@code lease_expired}
 * answer read it. A task's first claim is not logged: no rule needs it, and the work queue's hot
 * path stays one insert shorter (the event log has every claim).
 */
final class ClaimLog {
  /** What happened to a lease. */
  enum Action {
    /** A claim of a task that had been claimed before (after a release or an expiry). */
    RECLAIMED("reclaimed"),
    /** The holder gave the task back. */
    RELEASED("released"),
    /** The lease ran out without a heartbeat, release or completion. */
    EXPIRED("expired");

    private final String wire;

    Action(String wire) {
      this.wire = wire;
    }

    String wire() {
      return wire;
    }
  }

  private ClaimLog() {}

  static void append(Handle h, long taskId, Long agentId, long leaseToken, Action action, long at) {
    h.createUpdate(
            "INSERT INTO task_claims (task_id, agent_id, lease_token, action, happened_at)"
                + " VALUES (?, ?, ?, ?, ?)")
        .bind(0, taskId)
        .bind(1, agentId)
        .bind(2, leaseToken)
        .bind(3, action.wire())
        .bind(4, at)
        .execute();
  }
}

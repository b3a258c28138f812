package dev.delega.server.task;

import dev.delega.server.agent.Caller;
import dev.delega.server.internal.DelegaException;
import java.time.Instant;

/**
 * The fencing rule for holder writes (complete, context, heartbeat, state, release). A claim hands
 * out a lease token that grows with every claim of the task; a write that presents an older token
 * comes from a holder whose lease was taken over and is refused with {@code lease_superseded}, so a
 * stale agent can never finish work another agent now owns. A write without a token by someone
 * other than the current holder, while the lease runs, is refused with {@code lease_held}.
 */
public final class Leases {
  private Leases() {}

  /** Checks a holder write on {@code task} at {@code nowMillis}; {@code token} may be null. */
  public static void check(Caller caller, TaskRow task, Long token, long nowMillis) {
    boolean leased = task.claimedAt(nowMillis);
    if (token != null && token != task.leaseToken()) {
      throw new DelegaException.Conflict(
              "lease_superseded",
              "lease token " + token + " of task " + task.id() + " was superseded (current token "
                  + task.leaseToken() + "); this agent no longer holds the task")
          .with("lease_token", task.leaseToken())
          .with("claimed_by_agent_id", leased ? task.claimedBy() : null);
    }
    if (leased && !caller.is(task.claimedBy())) {
      if (token != null) {
        return;
      }
      throw new DelegaException.Conflict(
              "lease_held",
              "task " + task.id() + " is claimed by agent " + task.claimedBy() + " until "
                  + Instant.ofEpochMilli(task.leaseExpiresAt())
                  + "; only the holder may write to it")
          .with("claimed_by_agent_id", task.claimedBy())
          .with("lease_expires_at", Instant.ofEpochMilli(task.leaseExpiresAt()).toString());
    }
  }
}

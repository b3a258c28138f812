package dev.delega.server.claim;

import dev.delega.server.agent.Caller;
import dev.delega.server.task.TaskAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which tasks the work queue hands out, and in which order, as SQL on alias {@code t}: not
 * completed, {@code open}, not held, not errored, every blocker completed, visible to the caller
 * and unassigned or assigned to the caller; highest priority first, then oldest.
 */
final class ClaimQueue {
  /** The queue order. */
  static final String ORDER = " ORDER BY t.priority DESC, t.created_at, t.id";

  /** Condition: no blocker of {@code t} is still open. */
  static final String UNBLOCKED =
      "NOT EXISTS (SELECT 1 FROM task_dependencies d WHERE d.task_id = t.id"
          + " AND EXISTS (SELECT 1 FROM tasks b WHERE b.id = d.blocker_task_id AND b.completed = FALSE))";

  private static final String FREE =
      "(t.status = 'open' AND t.claimed_by_agent_id IS NULL"
          + " AND (t.session_state IS NULL OR t.session_state <> 'errored'))";

  /**
   * A held task whose lease ran out and that the next expiry returns to the queue (its status is
   * one a claim drives, and this abandonment does not exhaust its attempts).
   */
  private static final String RUN_OUT =
      "(t.claimed_by_agent_id IS NOT NULL AND t.lease_expires_at <= :now AND t.completed = FALSE"
          + " AND t.status IN ('open', 'in_progress', 'waiting_input')"
          + " AND t.attempts + 1 < :max_attempts)";

  /** Condition: {@code t} is in somebody's queue now (free and unblocked), whoever may claim it. */
  static final String READY = FREE + " AND " + UNBLOCKED;

  /** The queue filters of {@code POST /tasks/claim} and {@code GET /tasks/ready}. */
  record Filter(Long projectId, List<String> labels) {
    static final Filter NONE = new Filter(null, List.of());

    Filter {
      labels = labels == null ? List.of() : List.copyOf(labels);
    }
  }

  private ClaimQueue() {}

  /**
   * The condition for tasks {@code caller} may claim from the queue. With {@code runOutToo}, tasks
   * whose lease has run out but that no sweep has returned yet count as free (for reads, which do
   * not expire leases themselves); binds {@code :now} and {@code :max_attempts} then.
   */
  static String condition(
      Caller caller, Filter filter, boolean runOutToo, long now, int maxAttempts, Map<String, Object> binds) {
    List<String> c = new ArrayList<>();
    if (runOutToo) {
      c.add("(" + FREE + " OR " + RUN_OUT + ")");
      binds.put("now", now);
      binds.put("max_attempts", maxAttempts);
    } else {
      c.add(FREE);
    }
    c.add(UNBLOCKED);
    if (caller.isAgent()) {
      c.add("(t.assigned_to_agent_id IS NULL OR t.assigned_to_agent_id = :me)");
      binds.put("me", caller.agentId());
    } else {
      c.add("t.assigned_to_agent_id IS NULL");
    }
    c.add(TaskAccess.visibleSql(caller));
    if (filter.projectId() != null) {
      c.add("t.project_id = :project");
      binds.put("project", filter.projectId());
    }
    for (int i = 0; i < filter.labels().size(); i++) {
      c.add("EXISTS (SELECT 1 FROM task_labels l WHERE l.task_id = t.id AND l.label = :label" + i + ")");
      binds.put("label" + i, filter.labels().get(i));
    }
    return String.join(" AND ", c);
  }
}

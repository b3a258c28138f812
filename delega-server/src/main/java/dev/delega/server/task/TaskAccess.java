package dev.delega.server.task;

import dev.delega.server.agent.Caller;
import dev.delega.server.store.Sql;
import org.jdbi.v3.core.Handle;

/**
 * Who may see and who may change a task. Admins, coordinators and agents with
 * {@code tasks.read_all} see every task; other agents see the tasks they created, are assigned,
 * completed or hold a claim on, and every task in the delegation chains they take part in. Changing
 * a task takes its creator, its assignee, its current claim holder, or an admin.
 */
public final class TaskAccess {
  private TaskAccess() {}

  /**
   * A SQL condition on alias {@code t} selecting the tasks the caller may see; binds {@code :me}
   * when it needs the caller's id.
   */
  public static String visibleSql(Caller caller) {
    if (caller.readsAll()) {
      return "1=1";
    }
    if (!caller.isAgent()) {
      return "1=0";
    }
    return "(t.created_by_agent_id = :me OR t.assigned_to_agent_id = :me"
        + " OR t.completed_by_agent_id = :me OR t.claimed_by_agent_id = :me"
        + " OR t.root_task_id IN (SELECT r.root_task_id FROM tasks r"
        + " WHERE r.created_by_agent_id = :me OR r.assigned_to_agent_id = :me"
        + " OR r.claimed_by_agent_id = :me))";
  }

  /** True when the caller may see this task. */
  public static boolean canSee(Caller caller, TaskRow t, Handle h) {
    Boolean known = canSeeWithoutQuery(caller, t);
    if (known != null) {
      return known;
    }
    long me = caller.agentId();
    return Sql.first(
            h,
            "SELECT 1 FROM tasks r WHERE r.root_task_id = ? AND"
                + " (r.created_by_agent_id = ? OR r.assigned_to_agent_id = ? OR r.claimed_by_agent_id = ?)"
                + " LIMIT 1",
            rs -> Boolean.TRUE,
            t.rootTaskId(), me, me, me)
        .isPresent();
  }

  /**
   * {@link #canSee} when the row alone tells: true or false, or null when only a look at the rest
   * of the task's delegation chain can (an agent not involved in a delegated task).
   */
  static Boolean canSeeWithoutQuery(Caller caller, TaskRow t) {
    if (caller.readsAll()) {
      return true;
    }
    if (!caller.isAgent()) {
      return false;
    }
    if (involved(caller, t)) {
      return true;
    }
    if (t.rootTaskId() == null) {
      return false;
    }
    return null;
  }

  private static boolean involved(Caller caller, TaskRow t) {
    return caller.is(t.createdBy())
        || caller.is(t.assignedTo())
        || caller.is(t.completedBy())
        || caller.is(t.claimedBy());
  }

  /** True when the caller may change this task (it must also be able to see it). */
  public static boolean canModify(Caller caller, TaskRow t) {
    return caller.isAdmin()
        || caller.is(t.createdBy())
        || caller.is(t.assignedTo())
        || caller.is(t.claimedBy());
  }
}

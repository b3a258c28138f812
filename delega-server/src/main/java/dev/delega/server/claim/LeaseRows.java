package dev.delega.server.claim;

import dev.delega.api.Json;
import dev.delega.server.agent.Caller;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.store.Tx;
import dev.delega.server.store.Sql;
import dev.delega.server.task.TaskAccess;
import dev.delega.server.task.TaskChanges;
import dev.delega.server.task.TaskRow;
import dev.delega.server.task.Tasks;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Row-level reads and guarded writes on {@code tasks} shared by the claim use cases and the sweeper. */
final class LeaseRows {
  private LeaseRows() {}

  /** Loads a task, locking its row for the rest of the transaction on PostgreSQL. */
  static Optional<TaskRow> lock(Tx tx, long id) {
    return Sql.first(
        tx.handle(), "SELECT " + TaskRow.packed(tx.dialect()) + " FROM tasks t WHERE t.id = ?" + tx.dialect().forUpdate(),
        TaskRow::map, id);
  }

  /** Locks a task the caller may see; 404 otherwise (existence is never revealed). */
  static TaskRow lockVisible(Caller caller, Tx tx, long id) {
    TaskRow row = lock(tx, id).orElseThrow(() -> new DelegaException.NotFound("Task not found"));
    if (!TaskAccess.canSee(caller, row, tx.handle())) {
      throw new DelegaException.NotFound("Task not found");
    }
    return row;
  }

  /**
   * Writes {@code changes} to task {@code id} (bumping version and updated_at) only if {@code
   * guard}, an SQL condition with its named {@code binds}, still holds; returns the rows written (0
   * or 1). The guard makes each claim decision a compare-and-set, so two nodes cannot both win.
   */
  static int write(Handle h, long id, TaskChanges changes, long now, String guard, Map<String, Object> binds) {
    changes.setQuietly("updated_at", now);
    StringBuilder sql = new StringBuilder("UPDATE tasks SET version = version + 1");
    for (String col : changes.columns.keySet()) {
      sql.append(", ").append(col).append(" = :c_").append(col);
    }
    sql.append(" WHERE id = :id AND (").append(guard).append(')');
    Map<String, Object> all = new HashMap<>(binds);
    all.put("id", id);
    changes.columns.forEach((col, value) -> all.put("c_" + col, value));
    return Sql.updateNamed(h, sql.toString(), all);
  }

  /** Blockers of the task that are not completed yet. */
  static List<Long> openBlockers(Handle h, long taskId) {
    return h.createQuery(
            "SELECT d.blocker_task_id FROM task_dependencies d WHERE d.task_id = ?"
                + " AND " + Tasks.BLOCKER_OPEN + " ORDER BY d.blocker_task_id")
        .bind(0, taskId)
        .mapTo(Long.class)
        .list();
  }

  /** A timestamp as the wire writes it, or null. */
  static String iso(Long millis) {
    return millis == null ? null : Json.format(Instant.ofEpochMilli(millis));
  }

  /** A {@code {before, after}} entry for an event's changes. */
  static Map<String, Object> change(Object before, Object after) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("before", before);
    m.put("after", after);
    return m;
  }
}

package dev.delega.server.automation;

import dev.delega.api.Json;
import dev.delega.api.Task;
import dev.delega.server.agent.Caller;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Tx;
import dev.delega.server.task.TaskRow;
import dev.delega.server.task.TaskView;
import dev.delega.server.task.Tasks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;
import tools.jackson.databind.node.ObjectNode;

/**
 * Creates tasks on behalf of a server-side source (an ingress delivery, a recurrence occurrence, an
 * automation) through the ordinary task use case, and records where each one came from.
 *
 * <p>The task is made by {@link Tasks#create} inside the caller's transaction (so validation,
 * labels, the dedup index and the {@code task.created} event are the usual ones). The origin columns
 * are then written in the same transaction, and the {@code task.created} event that was just
 * appended is given the final snapshot and the origin as its {@code changes}, before anything is
 * committed: listeners, webhooks and the event stream only ever see the complete event.
 */
public final class TaskSources {
  /** The columns an origin may set. */
  public static final Set<String> ORIGIN_COLUMNS =
      Set.of(
          "source_ingress_id",
          "source_recurrence_id",
          "source_occurrence_at",
          "source_automation_id",
          "next_occurrence");

  /** The value of the {@code source} automation condition for a task from an ingress source. */
  public static final String INGRESS = AutomationSubject.INGRESS_SOURCE;

  /** The value of the {@code source} automation condition for a task spawned by a recurrence. */
  public static final String RECURRENCE = "recurrence";

  /** The value of the {@code source} automation condition for a task made by an automation. */
  public static final String AUTOMATION = "automation";

  private TaskSources() {}

  /**
   * Creates a task in {@code tx} from a {@code POST /tasks}-shaped body and writes the origin
   * columns ({@link #ORIGIN_COLUMNS}) before the transaction commits.
   *
   * @return the task as it is after the origin was written
   */
  public static Task create(
      Tasks tasks, Tx tx, Caller caller, ObjectNode body, Map<String, Object> origin) {
    return stamp(tx, tasks.create(caller, Fields.of(body)), origin);
  }

  /**
   * Delegates a child of {@code parentId} in {@code tx} from a {@code POST /tasks/{id}/delegate}
   * body and writes the origin columns before the transaction commits.
   */
  public static Task delegate(
      Tasks tasks, Tx tx, Caller caller, long parentId, ObjectNode body,
      Map<String, Object> origin) {
    return stamp(tx, tasks.delegate(caller, parentId, Fields.of(body)), origin);
  }

  private static Task stamp(Tx tx, Task created, Map<String, Object> origin) {
    if (origin.isEmpty()) {
      return created;
    }
    Handle h = tx.handle();
    StringBuilder sql = new StringBuilder("UPDATE tasks SET ");
    Map<String, Object> changes = new LinkedHashMap<>();
    boolean first = true;
    for (Map.Entry<String, Object> e : origin.entrySet()) {
      if (!ORIGIN_COLUMNS.contains(e.getKey())) {
        throw new IllegalArgumentException("not an origin column: " + e.getKey());
      }
      sql.append(first ? "" : ", ").append(e.getKey()).append(" = :").append(e.getKey());
      first = false;
      if (e.getKey().startsWith("source_")) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("before", null);
        change.put("after", e.getValue());
        changes.put(e.getKey(), change);
      }
    }
    sql.append(" WHERE id = :id");
    Update u = h.createUpdate(sql.toString()).bind("id", created.id());
    origin.forEach(u::bind);
    u.execute();
    TaskRow row = Tasks.load(h, created.id()).orElseThrow();
    Task task = TaskView.render(h, row);
    h.createUpdate(
            "UPDATE events SET task = :task, changes = :changes WHERE id = (SELECT MAX(id) FROM"
                + " events WHERE task_id = :id AND type IN ('task.created', 'task.delegated'))")
        .bind("task", Json.mapper().writeValueAsString(task))
        .bind("changes", changes.isEmpty() ? null : Json.mapper().writeValueAsString(changes))
        .bind("id", created.id())
        .execute();
    return task;
  }

  /**
   * The {@code source} of a task for automation conditions: {@value #INGRESS}, {@value
   * #RECURRENCE}, {@value #AUTOMATION}, or {@code null} for a task an agent or a person made.
   */
  public static String sourceOf(Long ingressId, Long recurrenceId, Long automationId) {
    if (ingressId != null) {
      return INGRESS;
    }
    if (recurrenceId != null) {
      return RECURRENCE;
    }
    if (automationId != null) {
      return AUTOMATION;
    }
    return null;
  }

  /**
   * The agent if it exists and is active, else {@code null}: routing to an agent that was deleted
   * or deactivated after a rule was saved falls back to an unassigned task instead of failing.
   */
  public static Long activeAgent(Handle h, Long agentId) {
    if (agentId == null) {
      return null;
    }
    return h.createQuery("SELECT active FROM agents WHERE id = ?")
            .bind(0, agentId)
            .mapTo(Boolean.class)
            .findOne()
            .orElse(false)
        ? agentId
        : null;
  }

  /** The project if it exists, else {@code null}. */
  public static Long existingProject(Handle h, Long projectId) {
    if (projectId == null) {
      return null;
    }
    return h.createQuery("SELECT COUNT(*) FROM projects WHERE id = ?")
                .bind(0, projectId)
                .mapTo(Long.class)
                .one()
            > 0
        ? projectId
        : null;
  }

  /** A JSON array node of strings. */
  static void putStrings(ObjectNode node, String name, List<String> values) {
    var array = node.putArray(name);
    values.forEach(array::add);
  }
}

package dev.delega.server.claim;

import dev.delega.api.Json;
import dev.delega.api.Page;
import dev.delega.api.Task;
import dev.delega.server.agent.Caller;
import dev.delega.server.event.EventLog;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import dev.delega.server.store.Dialect;
import dev.delega.server.task.TaskRow;
import dev.delega.server.task.TaskView;
import dev.delega.server.task.Tasks;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Dependencies one edge at a time ({@code POST /tasks/{id}/dependencies}, {@code DELETE
 * /tasks/{id}/dependencies/{blockerId}}), written through the task update use case so that
 * access, cycle detection and the automatic {@code blocked}/{@code open} status stay in one place;
 * and the ready list, which is the caller's claim queue in the order it hands tasks out.
 */
final class Dependencies {
  private static final int MAX_BLOCKERS = 100;

  private final Database db;
  private final Tasks tasks;
  private final EventLog events;
  private final Clock clock;
  private final int maxAttempts;

  Dependencies(Database db, Tasks tasks, EventLog events, Clock clock, int maxAttempts) {
    this.db = db;
    this.tasks = tasks;
    this.events = events;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
  }

  /** Adds blockers ({@code blocked_by}: one id or a list); adding an existing one changes nothing. */
  Task add(Caller caller, long id, Fields body) {
    List<Long> added = blockers(body);
    return db.write(
        tx -> {
          Handle h = tx.handle();
          Tasks.visible(caller, h, id);
          Set<Long> all = new LinkedHashSet<>(allBlockers(h, id));
          all.addAll(added);
          if (all.size() > MAX_BLOCKERS) {
            throw new DelegaException.ValidationFailed(
                "a task can have at most " + MAX_BLOCKERS + " blockers (task " + id + " would have " + all.size() + ")");
          }
          return tasks.update(caller, id, blockedBy(all), null);
        });
  }

  /** Removes one blocker; when it was the last open one, the task is unblocked ({@code task.unblocked}). */
  Task remove(Caller caller, long id, long blockerId) {
    return db.write(
        tx -> {
          Handle h = tx.handle();
          Tasks.visible(caller, h, id);
          Set<Long> all = new LinkedHashSet<>(allBlockers(h, id));
          if (!all.remove(blockerId)) {
            throw new DelegaException.NotFound("task " + id + " is not blocked by task " + blockerId);
          }
          boolean wasBlocked = !LeaseRows.openBlockers(h, id).isEmpty();
          Task task = tasks.update(caller, id, blockedBy(all), null);
          if (wasBlocked && !task.completed() && LeaseRows.openBlockers(h, id).isEmpty()) {
            events.append(
                tx, "task.unblocked", id, caller.agentId(), Map.of("removed_blocker_task_id", blockerId), task);
          }
          return task;
        });
  }

  /**
   * The tasks {@code POST /tasks/claim} would hand the caller, in that order; {@code total} counts
   * them all (a scan, so only when the caller asked for pagination), else it is the page's size.
   */
  Page<Task> ready(Caller caller, ClaimQueue.Filter filter, int limit, int offset, boolean total) {
    return db.read(
        h -> {
          Map<String, Object> binds = new HashMap<>();
          String where = ClaimQueue.condition(caller, filter, true, clock.millis(), maxAttempts, binds);
          long all = -1;
          if (total) {
            Query count = h.createQuery("SELECT COUNT(*) FROM tasks t WHERE " + where);
            binds.forEach(count::bind);
            all = count.mapTo(Long.class).one();
          }
          Query select =
              h.createQuery(
                  "SELECT " + TaskRow.packed(Dialect.of(h)) + " FROM tasks t WHERE " + where + ClaimQueue.ORDER
                      + " LIMIT :limit OFFSET :offset");
          binds.forEach(select::bind);
          select.bind("limit", limit).bind("offset", offset);
          List<Task> items = TaskView.render(h, select.map((rs, ctx) -> TaskRow.map(rs)).list());
          long known = all >= 0 ? all : offset + items.size();
          boolean more = offset + items.size() < known;
          return new Page<>(items, known, limit, offset, more, more ? offset + items.size() : null);
        });
  }

  private static List<Long> allBlockers(Handle h, long id) {
    return h.createQuery("SELECT blocker_task_id FROM task_dependencies WHERE task_id = ? ORDER BY blocker_task_id")
        .bind(0, id)
        .mapTo(Long.class)
        .list();
  }

  private static Fields blockedBy(Set<Long> ids) {
    ObjectNode node = Json.mapper().createObjectNode();
    ArrayNode array = node.putArray("blocked_by");
    ids.forEach(array::add);
    return Fields.of(node);
  }

  private static List<Long> blockers(Fields body) {
    JsonNode v = body.node().get("blocked_by");
    if (v == null || v.isNull()) {
      throw new DelegaException.ValidationFailed("blocked_by is required: a task id or a list of task ids");
    }
    List<Long> ids = v.isArray() ? body.ids("blocked_by", MAX_BLOCKERS) : List.of(body.id("blocked_by"));
    if (ids.isEmpty()) {
      throw new DelegaException.ValidationFailed("blocked_by must name at least one task id");
    }
    return ids;
  }
}

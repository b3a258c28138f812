package dev.delega.server.event;

import dev.delega.api.Event;
import dev.delega.api.Json;
import dev.delega.server.store.Sql;
import dev.delega.server.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import tools.jackson.core.type.TypeReference;

/**
 * The append-only log of every change, written inside the change's own transaction. Webhooks, the
 * event stream and the audit view all read from it; listeners hear of new events after commit.
 */
public final class EventLog {
  /** Every event type the server emits. */
  public static final List<String> TYPES =
      List.of(
          "task.created",
          "task.updated",
          "task.completed",
          "task.deleted",
          "task.assigned",
          "task.delegated",
          "task.commented",
          "task.claimed",
          "task.released",
          "task.state_changed",
          "task.linked",
          "task.unblocked",
          "task.children_completed",
          "task.lease_expired");

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final Clock clock;
  private final List<Consumer<Long>> listeners = new CopyOnWriteArrayList<>();

  public EventLog(Clock clock) {
    this.clock = clock;
  }

  /** Hears the id of each new event once its transaction has committed. */
  public void onAppend(Consumer<Long> listener) {
    listeners.add(listener);
  }

  /**
   * Appends one event in {@code tx}. {@code changes} maps field → {before, after} (may be empty);
   * {@code task} is the task's wire form after the change (before it, for a deletion).
   */
  public long append(
      Tx tx, String type, Long taskId, Long actorAgentId, Map<String, Object> changes, Object task) {
    tx.dialect().lockEventLog(tx.handle());
    String changesJson = changes == null || changes.isEmpty() ? null : Json.mapper().writeValueAsString(changes);
    String taskJson = task == null ? null : Json.mapper().writeValueAsString(task);
    long createdAt = clock.millis();
    long id =
        Sql.returningLong(
            tx.handle(),
            "INSERT INTO events (type, task_id, actor_agent_id, created_at, changes, task)"
                + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            ps -> {
              ps.setString(1, type);
              Sql.setLong(ps, 2, taskId);
              Sql.setLong(ps, 3, actorAgentId);
              ps.setLong(4, createdAt);
              ps.setString(5, changesJson);
              ps.setString(6, taskJson);
            });
    tx.afterCommit(
        () -> {
          for (Consumer<Long> l : listeners) {
            l.accept(id);
          }
        });
    return id;
  }

  /** Reads events by id range, oldest first. */
  public static List<Event> read(Handle h, String where, Map<String, Object> binds, int limit) {
    var q =
        h.createQuery(
            "SELECT e.id, e.type, e.task_id, e.actor_agent_id, e.created_at, e.changes, e.task,"
                + " a.name AS actor_name, a.display_name AS actor_display FROM events e"
                + " LEFT JOIN agents a ON a.id = e.actor_agent_id WHERE "
                + where
                + " ORDER BY e.id LIMIT "
                + limit);
    binds.forEach(q::bind);
    return q.map(
            (rs, ctx) -> {
              Long actorId = Sql.getLong(rs, "actor_agent_id");
              Long taskId = Sql.getLong(rs, "task_id");
              String changes = rs.getString("changes");
              String snapshot = rs.getString("task");
              return new Event(
                  rs.getLong("id"),
                  rs.getString("type"),
                  taskId,
                  actorId,
                  actorId == null || rs.getString("actor_name") == null
                      ? null
                      : new dev.delega.api.AgentRef(actorId, rs.getString("actor_name"), rs.getString("actor_display")),
                  Instant.ofEpochMilli(rs.getLong("created_at")),
                  changes == null ? Map.of() : Json.mapper().readValue(changes, MAP),
                  snapshot == null ? null : Json.mapper().readValue(snapshot, MAP));
            })
        .list();
  }
}

package dev.delega.server.event;

import dev.delega.api.Event;
import dev.delega.server.agent.Caller;
import dev.delega.server.task.TaskAccess;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;

/**
 * Which events of the log an agent may see; the one rule behind {@code GET /events}, the event
 * stream and the webhook fan-out.
 *
 * <ul>
 *   <li>An event of a task that still exists: visible when the agent may see that task now ({@link
 *       TaskAccess}: admins, coordinators and {@code tasks.read_all} see every task).
 *   <li>An event of a task that has been deleted: visible to agents with {@code tasks.read_all},
 *       and to the agents its last snapshot names as creator, assignee, completer or claim holder,
 *       or who still take part in its delegation chain (same root).
 *   <li>An event without a task ({@code webhook.disabled}): visible to admins and to the agent
 *       named by its {@code agent_id} (the webhook's owner).
 * </ul>
 */
public final class EventVisibility {
  private static final List<String> INVOLVED =
      List.of(
          "created_by_agent_id",
          "assigned_to_agent_id",
          "completed_by_agent_id",
          "claimed_by_agent_id");

  private EventVisibility() {}

  /**
   * A SQL condition on the events alias {@code e} that keeps every event the caller may see and
   * drops most others (it binds {@code :me}); {@link #of} decides the rest.
   */
  public static String prefilterSql(Caller caller) {
    if (caller.readsAll()) {
      return "1=1";
    }
    if (!caller.isAgent()) {
      return "e.task_id IS NULL";
    }
    return "(e.task_id IS NULL OR NOT EXISTS (SELECT 1 FROM tasks x WHERE x.id = e.task_id)"
        + " OR EXISTS (SELECT 1 FROM tasks t WHERE t.id = e.task_id AND "
        + TaskAccess.visibleSql(caller)
        + "))";
  }

  /** The events of {@code batch} the caller may see, in their order. */
  public static List<Event> filter(Handle h, Caller caller, List<Event> batch) {
    Predicate<Event> visible = of(h, caller, batch);
    List<Event> out = new ArrayList<>(batch.size());
    for (Event e : batch) {
      if (visible.test(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * A test for the events of {@code batch} (and only those), prepared with a few queries for the
   * whole batch.
   */
  public static Predicate<Event> of(Handle h, Caller caller, List<Event> batch) {
    if (!caller.isAgent() && !caller.isAdmin()) {
      return e -> false;
    }
    Set<Long> taskIds = new HashSet<>();
    for (Event e : batch) {
      if (e.taskId() != null) {
        taskIds.add(e.taskId());
      }
    }
    Set<Long> existing = ids(h, "SELECT t.id FROM tasks t WHERE t.id IN (<ids>)", taskIds, null);
    Set<Long> visibleNow =
        caller.readsAll()
            ? existing
            : ids(
                h,
                "SELECT t.id FROM tasks t WHERE t.id IN (<ids>) AND "
                    + TaskAccess.visibleSql(caller),
                existing,
                caller.agentId());
    Set<Long> memberRoots = Set.of();
    if (!caller.readsAll()) {
      Set<Long> roots = new HashSet<>();
      for (Event e : batch) {
        if (e.taskId() != null && !existing.contains(e.taskId())) {
          Long root = number(e.task(), "root_task_id");
          if (root != null) {
            roots.add(root);
          }
        }
      }
      memberRoots =
          ids(
              h,
              "SELECT DISTINCT r.root_task_id FROM tasks r WHERE r.root_task_id IN (<ids>) AND"
                  + " (r.created_by_agent_id = :me OR r.assigned_to_agent_id = :me"
                  + " OR r.claimed_by_agent_id = :me)",
              roots,
              caller.agentId());
    }
    Set<Long> roots = memberRoots;
    return e -> {
      if (e.taskId() == null) {
        return caller.isAdmin() || caller.is(number(e.changes(), "agent_id"));
      }
      if (existing.contains(e.taskId())) {
        return visibleNow.contains(e.taskId());
      }
      if (caller.readsAll()) {
        return true;
      }
      Map<String, Object> snapshot = e.task();
      if (snapshot == null) {
        return false;
      }
      for (String field : INVOLVED) {
        if (caller.is(number(snapshot, field))) {
          return true;
        }
      }
      Long root = number(snapshot, "root_task_id");
      return root != null && roots.contains(root);
    };
  }

  private static Set<Long> ids(Handle h, String sql, Collection<Long> ids, Long me) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    var q = h.createQuery(sql).bindList("ids", new ArrayList<>(ids));
    if (me != null) {
      q.bind("me", me);
    }
    return new HashSet<>(q.mapTo(Long.class).list());
  }

  /** A whole number at {@code key} of a JSON object, or null. */
  static Long number(Map<String, Object> map, String key) {
    if (map == null) {
      return null;
    }
    Object v = map.get(key);
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof String s && s.matches("\\d{1,18}")) {
      return Long.parseLong(s);
    }
    return null;
  }
}

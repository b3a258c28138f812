package dev.delega.server.task;

import dev.delega.api.AgentRef;
import dev.delega.api.Evidence;
import dev.delega.api.Json;
import dev.delega.api.ProjectRef;
import dev.delega.api.Subtask;
import dev.delega.api.Task;
import dev.delega.server.store.Dialect;
import dev.delega.server.store.PackedRow;
import dev.delega.server.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import tools.jackson.core.type.TypeReference;

/**
 * Turns task rows into their wire form. The related rows a task shows (agent names, project,
 * subtasks, open blockers) come with the task row in one statement ({@link #select}), or, for rows
 * already in hand, from one statement of four subqueries ({@link #render(Handle, List)}).
 */
public final class TaskView {
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<List<Evidence>> EVIDENCE = new TypeReference<>() {};

  private static final List<String> AGENT_COLUMNS =
      List.of("t.created_by_agent_id", "t.assigned_to_agent_id", "t.completed_by_agent_id", "t.accountable_agent_id",
          "t.delegated_by_agent_id", "t.claimed_by_agent_id", "t.handoff_by_agent_id");
  private static final String SELECT_SQLITE = select0(Dialect.SQLITE);
  private static final String SELECT_POSTGRES = select0(Dialect.POSTGRES);
  private static final String BY_ID_SQLITE = SELECT_SQLITE + " WHERE t.id = ?";
  private static final String BY_ID_POSTGRES = SELECT_POSTGRES + " WHERE t.id = ?";

  private TaskView() {}

  /**
   * {@code SELECT} of a task row with its related rows, for a query on {@code tasks t}: append the
   * {@code WHERE}, map with {@link #map}.
   */
  public static String select(Dialect dialect) {
    return dialect == Dialect.POSTGRES ? SELECT_POSTGRES : SELECT_SQLITE;
  }

  private static String select0(Dialect d) {
    // Correlated with "=": SQLite runs "x IN (t.col)" through an ephemeral table, ~2 µs a subquery.
    String agents = String.join(" OR ", AGENT_COLUMNS.stream().map(c -> "a.id = " + c).toList());
    return "SELECT " + TaskRow.packed(d) + ", "
        + related(d, agents, "p.id = t.project_id", "s.task_id = t.id", "d.task_id = t.id")
        + " FROM tasks t";
  }

  /**
   * The four related-row columns, each a {@link Dialect#jsonRows} array: the agents, projects,
   * subtasks and open blockers ({@code d.task_id, d.blocker_task_id}) that match the conditions.
   */
  private static String related(Dialect d, String agents, String projects, String subtasks, String blockers) {
    return "(SELECT " + d.jsonRows("a.id, a.name, a.display_name") + " FROM agents a WHERE " + agents + ")"
        + ", (SELECT " + d.jsonRows("p.id, p.name") + " FROM projects p WHERE " + projects + ")"
        + ", (SELECT " + d.jsonRows("s.id, s.task_id, s.content, s.completed, s.sort_order, s.created_at")
        + " FROM subtasks s WHERE " + subtasks + ")"
        + ", (SELECT " + d.jsonRows("d.task_id, d.blocker_task_id") + " FROM task_dependencies d WHERE " + blockers
        + " AND " + Tasks.BLOCKER_OPEN + ")";
  }

  /** A task row read by {@link #select}, with what its wire form needs. */
  public static final class Loaded {
    private final TaskRow row;
    private final Related related;

    private Loaded(TaskRow row, Related related) {
      this.row = row;
      this.related = related;
    }

    public TaskRow row() {
      return row;
    }

    public Task task() {
      return TaskView.task(row, related);
    }
  }

  /** Maps a row of {@link #select}. */
  public static Loaded map(ResultSet rs) throws SQLException {
    return new Loaded(TaskRow.map(rs), Related.read(rs, 2));
  }

  /** One task by id with its related rows, without any access check. */
  public static Optional<Loaded> load(Handle h, long id) {
    return Sql.first(h, Dialect.of(h) == Dialect.POSTGRES ? BY_ID_POSTGRES : BY_ID_SQLITE, TaskView::map, id);
  }

  /** The tasks of {@code ids} that exist, in the order given. */
  public static List<Task> loadAll(Handle h, List<Long> ids) {
    List<Task> out = new ArrayList<>(ids.size());
    for (Loaded l : Tasks.byIds(h, ids, select(Dialect.of(h)), TaskView::map, l -> l.row().id())) {
      out.add(l.task());
    }
    return out;
  }

  /** Renders one task. */
  public static Task render(Handle h, TaskRow row) {
    return render(h, List.of(row)).get(0);
  }

  /** Renders rows in order (rows in hand: they may be gone from the table, as after a delete). */
  public static List<Task> render(Handle h, List<TaskRow> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Set<Long> agentIds = new LinkedHashSet<>();
    Set<Long> projectIds = new LinkedHashSet<>();
    Set<Long> taskIds = new LinkedHashSet<>();
    for (TaskRow r : rows) {
      taskIds.add(r.id());
      addIf(agentIds, r.createdBy());
      addIf(agentIds, r.assignedTo());
      addIf(agentIds, r.completedBy());
      addIf(agentIds, r.accountable());
      addIf(agentIds, r.delegatedBy());
      addIf(agentIds, r.claimedBy());
      addIf(agentIds, r.handoffBy());
      addIf(projectIds, r.projectId());
    }
    String tasks = Sql.markers(taskIds.size());
    String sql =
        "SELECT " + related(Dialect.of(h), "a.id IN (" + markersOrNull(agentIds) + ")",
            "p.id IN (" + markersOrNull(projectIds) + ")", "s.task_id IN (" + tasks + ")", "d.task_id IN (" + tasks + ")");
    List<Object> args = new ArrayList<>(agentIds.size() + projectIds.size() + 2 * taskIds.size());
    args.addAll(agentIds);
    args.addAll(projectIds);
    args.addAll(taskIds);
    args.addAll(taskIds);
    Related related = Sql.first(h, sql, rs -> Related.read(rs, 1), args.toArray()).orElseThrow();
    List<Task> out = new ArrayList<>(rows.size());
    for (TaskRow r : rows) {
      out.add(task(r, related));
    }
    return out;
  }

  /** An IN list that matches nothing when there is nothing to match. */
  private static String markersOrNull(Set<Long> ids) {
    return ids.isEmpty() ? "NULL" : Sql.markers(ids.size());
  }

  private static Task task(TaskRow r, Related related) {
    Map<Long, AgentRef> agents = related.agents();
    Map<Long, ProjectRef> projects = related.projects();
    Map<Long, List<Subtask>> subtasks = related.subtasks();
    Map<Long, List<Long>> blockers = related.blockers();
    return new Task(
        r.id(),
        r.content(),
        r.description(),
        r.projectId(),
        r.projectId() == null ? null : projects.get(r.projectId()),
        r.dueDate(),
        r.dueTime(),
        r.priority(),
        Json.mapper().readValue(r.labels(), STRINGS),
        r.status(),
        r.completed(),
        instant(r.completedAt()),
        Instant.ofEpochMilli(r.createdAt()),
        Instant.ofEpochMilli(r.updatedAt()),
        r.createdBy(),
        ref(agents, r.createdBy()),
        r.assignedTo(),
        ref(agents, r.assignedTo()),
        r.completedBy(),
        ref(agents, r.completedBy()),
        r.accountable(),
        ref(agents, r.accountable()),
        r.delegatedBy(),
        ref(agents, r.delegatedBy()),
        r.parentTaskId(),
        r.rootTaskId(),
        r.delegationDepth(),
        r.context() == null ? null : Json.mapper().readValue(r.context(), MAP),
        r.contextVersion(),
        subtasks.getOrDefault(r.id(), List.of()),
        r.recurringType(),
        r.recurringInterval(),
        r.recurringString(),
        r.isRecurring(),
        instant(r.reminderTime()),
        r.reminderSent(),
        r.evidencePolicy(),
        r.completionEvidence() == null
            ? List.of()
            : Json.mapper().readValue(r.completionEvidence(), EVIDENCE),
        r.claimedBy(),
        ref(agents, r.claimedBy()),
        instant(r.claimedAt()),
        r.sessionState(),
        r.sessionStateDetail(),
        instant(r.leaseExpiresAt()),
        r.claimedBy() == null ? null : r.leaseToken(),
        r.handoffNote(),
        r.handoffState(),
        r.handoffBy(),
        ref(agents, r.handoffBy()),
        r.attempts(),
        blockers.getOrDefault(r.id(), List.of()),
        r.nextOccurrence(),
        r.sourceIngressId(),
        r.version());
  }

  private static void addIf(Set<Long> set, Long id) {
    if (id != null) {
      set.add(id);
    }
  }

  private static AgentRef ref(Map<Long, AgentRef> agents, Long id) {
    return id == null ? null : agents.get(id);
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  /** The related rows of one statement's four {@link Dialect#jsonRows} columns, from {@code first} on. */
  private record Related(
      Map<Long, AgentRef> agents,
      Map<Long, ProjectRef> projects,
      Map<Long, List<Subtask>> subtasks,
      Map<Long, List<Long>> blockers) {

    private static final Comparator<Subtask> SUBTASK_ORDER =
        Comparator.comparingInt(Subtask::sortOrder).thenComparingLong(Subtask::id);

    static Related read(ResultSet rs, int first) throws SQLException {
      return new Related(
          agents(rs.getString(first)),
          projects(rs.getString(first + 1)),
          subtasks(rs.getString(first + 2)),
          blockers(rs.getString(first + 3)));
    }

    private static Map<Long, AgentRef> agents(String packed) {
      Map<Long, AgentRef> out = new HashMap<>();
      try (PackedRow r = PackedRow.rows(packed)) {
        while (r.nextRow()) {
          AgentRef a = new AgentRef(r.longValue(), r.string(), r.string());
          out.put(a.id(), a);
        }
      }
      return out;
    }

    private static Map<Long, ProjectRef> projects(String packed) {
      Map<Long, ProjectRef> out = new HashMap<>();
      try (PackedRow r = PackedRow.rows(packed)) {
        while (r.nextRow()) {
          ProjectRef p = new ProjectRef(r.longValue(), r.string());
          out.put(p.id(), p);
        }
      }
      return out;
    }

    private static Map<Long, List<Subtask>> subtasks(String packed) {
      Map<Long, List<Subtask>> out = new HashMap<>();
      try (PackedRow r = PackedRow.rows(packed)) {
        while (r.nextRow()) {
          Subtask s =
              new Subtask(
                  r.longValue(), r.longValue(), r.string(), r.bool(), r.intValue(), Instant.ofEpochMilli(r.longValue()));
          out.computeIfAbsent(s.taskId(), k -> new ArrayList<>()).add(s);
        }
      }
      out.values().forEach(list -> list.sort(SUBTASK_ORDER));
      return out;
    }

    private static Map<Long, List<Long>> blockers(String packed) {
      Map<Long, List<Long>> out = new HashMap<>();
      try (PackedRow r = PackedRow.rows(packed)) {
        while (r.nextRow()) {
          out.computeIfAbsent(r.longValue(), k -> new ArrayList<>()).add(r.longValue());
        }
      }
      out.values().forEach(Collections::sort);
      return out;
    }
  }
}

package dev.delega.server.task;

import dev.delega.api.AgentRef;
import dev.delega.api.Evidence;
import dev.delega.api.Json;
import dev.delega.api.ProjectRef;
import dev.delega.api.Subtask;
import dev.delega.api.Task;
import dev.delega.server.agent.Agents;
import dev.delega.server.store.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import tools.jackson.core.type.TypeReference;

/** Turns task rows into their wire form, loading every related row in one query per kind. */
public final class TaskView {
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<List<Evidence>> EVIDENCE = new TypeReference<>() {};

  private TaskView() {}

  /** Renders one task. */
  public static Task render(Handle h, TaskRow row) {
    return render(h, List.of(row)).get(0);
  }

  /** Renders rows in order, with nested agents, project, subtasks and open blockers. */
  public static List<Task> render(Handle h, List<TaskRow> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Set<Long> agentIds = new HashSet<>();
    Set<Long> projectIds = new HashSet<>();
    List<Long> taskIds = new ArrayList<>(rows.size());
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
    Map<Long, AgentRef> agents = Agents.refs(h, agentIds);
    Map<Long, ProjectRef> projects = projects(h, projectIds);
    Map<Long, List<Subtask>> subtasks = subtasks(h, taskIds);
    Map<Long, List<Long>> blockers = blockers(h, taskIds);
    List<Task> out = new ArrayList<>(rows.size());
    for (TaskRow r : rows) {
      out.add(
          new Task(
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
              r.version()));
    }
    return out;
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

  private static Map<Long, ProjectRef> projects(Handle h, Collection<Long> ids) {
    Map<Long, ProjectRef> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    for (ProjectRef p : Sql.list(h, "SELECT id, name FROM projects WHERE id IN (" + Sql.markers(ids.size()) + ")",
        rs -> new ProjectRef(rs.getLong(1), rs.getString(2)), Sql.args(ids))) {
      out.put(p.id(), p);
    }
    return out;
  }

  private static Map<Long, List<Subtask>> subtasks(Handle h, List<Long> taskIds) {
    Map<Long, List<Subtask>> out = new HashMap<>();
    List<Subtask> rows =
        Sql.list(
            h,
            "SELECT id, task_id, content, completed, sort_order, created_at FROM subtasks"
                + " WHERE task_id IN (" + Sql.markers(taskIds.size()) + ") ORDER BY task_id, sort_order, id",
            rs ->
                new Subtask(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getBoolean(4),
                    rs.getInt(5),
                    Instant.ofEpochMilli(rs.getLong(6))),
            Sql.args(taskIds));
    for (Subtask s : rows) {
      out.computeIfAbsent(s.taskId(), k -> new ArrayList<>()).add(s);
    }
    return out;
  }

  private static Map<Long, List<Long>> blockers(Handle h, List<Long> taskIds) {
    Map<Long, List<Long>> out = new HashMap<>();
    List<long[]> rows =
        Sql.list(
            h,
            "SELECT d.task_id, d.blocker_task_id FROM task_dependencies d"
                + " WHERE d.task_id IN (" + Sql.markers(taskIds.size()) + ") AND " + Tasks.BLOCKER_OPEN
                + " ORDER BY d.task_id, d.blocker_task_id",
            rs -> new long[] {rs.getLong(1), rs.getLong(2)},
            Sql.args(taskIds));
    for (long[] e : rows) {
      out.computeIfAbsent(e[0], k -> new ArrayList<>()).add(e[1]);
    }
    return out;
  }
}

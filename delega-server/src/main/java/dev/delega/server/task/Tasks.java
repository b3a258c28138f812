package dev.delega.server.task;

import dev.delega.api.Chain;
import dev.delega.api.Comment;
import dev.delega.api.Evidence;
import dev.delega.api.Json;
import dev.delega.api.Page;
import dev.delega.api.Stats;
import dev.delega.api.Subtask;
import dev.delega.api.Task;
import dev.delega.server.agent.Caller;
import dev.delega.server.event.EventLog;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import dev.delega.server.store.Dialect;
import dev.delega.server.store.Sql;
import dev.delega.server.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The task use cases: create, read, list, update, complete, delete, delegate, subtasks, comments
 * and stats, each a single transaction that also appends its events to the log.
 */
public final class Tasks {
  /** Longest task content. */
  public static final int MAX_CONTENT = 10_000;

  /** Longest task description. */
  public static final int MAX_DESCRIPTION = 50_000;

  /** Largest serialized context. */
  public static final int MAX_CONTEXT_BYTES = 256 * 1024;

  static final Set<String> STATUSES =
      Set.of("open", "in_progress", "delegated", "waiting_input", "blocked", "completed");

  private static final Map<String, List<String>> TRANSITIONS =
      Map.of(
          "open", List.of("in_progress", "waiting_input", "blocked", "delegated", "completed"),
          "in_progress", List.of("open", "waiting_input", "blocked", "delegated", "completed"),
          "waiting_input", List.of("open", "in_progress", "blocked", "completed"),
          "blocked", List.of("open", "in_progress", "waiting_input", "completed"),
          "delegated", List.of("open", "in_progress", "waiting_input", "blocked", "completed"),
          "completed", List.of("open"));

  private static final Set<String> EVIDENCE_KINDS =
      Set.of("commit", "pr", "ci_check", "deploy_sha", "artifact_url", "command_output");

  private final Database db;
  private final EventLog events;
  private final Clock clock;
  private final ZoneId zone;
  private final int maxDepth;
  private final TaskReadCache cache;
  private final List<TaskListener> listeners = new CopyOnWriteArrayList<>();

  public Tasks(Database db, EventLog events, Clock clock, ZoneId zone, int maxDepth, int cacheEntries) {
    this.db = db;
    this.cache = new TaskReadCache(cacheEntries);
    this.events = events;
    this.clock = clock;
    this.zone = zone;
    this.maxDepth = maxDepth;
  }

  /** Hears about every task whose content or open state changed (for the similarity index). */
  public void addListener(TaskListener listener) {
    listeners.add(listener);
  }

  /** Something that keeps derived state (an index) in step with tasks, told after commit. */
  public interface TaskListener {
    void saved(TaskRow row);

    void removed(long taskId);
  }

  // ---------------------------------------------------------------- loading and access

  /** Loads a row without any access check. */
  private static final String LOAD_SQLITE = "SELECT " + TaskRow.packed(Dialect.SQLITE) + " FROM tasks t WHERE t.id = ?";
  private static final String LOAD_POSTGRES = "SELECT " + TaskRow.packed(Dialect.POSTGRES) + " FROM tasks t WHERE t.id = ?";

  public static Optional<TaskRow> load(Handle h, long id) {
    return Sql.first(h, Dialect.of(h) == Dialect.POSTGRES ? LOAD_POSTGRES : LOAD_SQLITE, TaskRow::map, id);
  }

  /** The task if the caller may see it, else 404 (existence is never revealed). */
  public static TaskRow visible(Caller caller, Handle h, long id) {
    TaskRow row = load(h, id).orElseThrow(() -> new DelegaException.NotFound("Task not found"));
    if (!TaskAccess.canSee(caller, row, h)) {
      throw new DelegaException.NotFound("Task not found");
    }
    return row;
  }

  /** The task if the caller may change it: 404 when invisible, 403 when only visible. */
  public static TaskRow modifiable(Caller caller, Handle h, long id) {
    TaskRow row = visible(caller, h, id);
    if (!TaskAccess.canModify(caller, row)) {
      if (row.assignedTo() == null && !row.completed() && row.claimedBy() == null) {
        throw new DelegaException.Forbidden(
            "claim_required",
            "task " + id + " is in the work queue and not held by this agent: claim it first with POST /tasks/"
                + id + "/claim");
      }
      throw new DelegaException.Forbidden("This agent cannot modify that task");
    }
    return row;
  }

  /** Bumps version and updated_at and writes the given columns. */
  public static void write(Handle h, long id, TaskChanges changes, long now) {
    changes.setQuietly("updated_at", now);
    StringBuilder sql = new StringBuilder("UPDATE tasks SET version = version + 1");
    for (String col : changes.columns.keySet()) {
      sql.append(", ").append(col).append(" = :").append(col);
    }
    sql.append(" WHERE id = :id");
    Map<String, Object> binds = new HashMap<>(changes.columns);
    binds.put("id", id);
    Sql.updateNamed(h, sql.toString(), binds);
  }

  /** Renders the row after a change and appends the event; returns the rendered task. */
  public Task emit(Tx tx, String type, long taskId, Caller caller, Map<String, Object> diff) {
    TaskRow row = load(tx.handle(), taskId).orElseThrow();
    Task task = TaskView.render(tx.handle(), row);
    events.append(tx, type, taskId, caller.agentId(), diff, task);
    tx.afterCommit(() -> listeners.forEach(l -> l.saved(row)));
    return task;
  }

  // ---------------------------------------------------------------- create

  /** Creates a task (or, with {@code parent_task_id}, delegates under that parent). */
  public Task create(Caller caller, Fields body) {
    if (body.has("root_task_id")) {
      throw new DelegaException.BadRequest(
          "root_task_id cannot be set via this endpoint. Use POST /tasks/:id/delegate to create a"
              + " chain task with parent_task_id and root_task_id set atomically.");
    }
    if (body.hasValue("delegation_depth")) {
      JsonNode d = body.node().get("delegation_depth");
      if (!(d.isNumber() && d.asDouble() == 0) && !(d.isBoolean() && !d.asBoolean())) {
        throw new DelegaException.BadRequest(
            "delegation_depth cannot be set via POST /tasks. Use POST /tasks/:id/delegate to create"
                + " a chain task with parent_task_id and root_task_id set atomically.");
      }
    }
    Long parentId = body.id("parent_task_id");
    if (parentId != null) {
      return delegate(caller, parentId, body);
    }
    NewTask input = NewTask.parse(body);
    return db.write(tx -> insert(tx, caller, input, null));
  }

  /** Creates a child of {@code parentId}; the parent becomes {@code delegated}. */
  public Task delegate(Caller caller, long parentId, Fields body) {
    NewTask input = NewTask.parse(body);
    return db.write(
        tx -> {
          TaskRow parent = modifiable(caller, tx.handle(), parentId);
          if (parent.completed()) {
            throw new DelegaException.ValidationFailed(
                "task " + parentId + " is completed; reopen it before delegating from it");
          }
          if (parent.delegationDepth() + 1 > maxDepth) {
            throw new DelegaException.ValidationFailed(
                "delegation depth would exceed the maximum of " + maxDepth
                    + " (DELEGA_MAX_DELEGATION_DEPTH)");
          }
          return insert(tx, caller, input, parent);
        });
  }

  private Task insert(Tx tx, Caller caller, NewTask in, TaskRow parent) {
    Handle h = tx.handle();
    long now = clock.millis();
    checkProject(h, in.projectId());
    checkAssignee(h, caller, in.assignedTo(), parent != null);
    List<Long> blockers = in.blockedBy() == null ? List.of() : in.blockedBy();
    for (Long b : blockers) {
      visibleBlocker(caller, h, b);
    }
    Long projectId = in.projectId() != null ? in.projectId() : parent == null ? null : parent.projectId();
    Long accountable =
        parent == null
            ? caller.agentId()
            : parent.accountable() != null ? parent.accountable() : parent.createdBy();
    String status = in.status() == null ? "open" : in.status();
    Long delegatedBy = parent == null ? null : caller.agentId();
    Long parentId = parent == null ? null : parent.id();
    Long rootId = parent == null ? null : (parent.rootTaskId() != null ? parent.rootTaskId() : parent.id());
    int depth = parent == null ? 0 : parent.delegationDepth() + 1;
    String labels = Json.mapper().writeValueAsString(in.labels());
    long id =
        Sql.returningLong(
            h,
            "INSERT INTO tasks (content, description, project_id, due_date, due_time, priority,"
                + " labels, status, created_at, updated_at, created_by_agent_id,"
                + " assigned_to_agent_id, accountable_agent_id, delegated_by_agent_id,"
                + " parent_task_id, root_task_id, delegation_depth, context, context_version,"
                + " recurring_type, recurring_interval, recurring_string, is_recurring,"
                + " reminder_time, evidence_policy)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " RETURNING id",
            ps -> {
              Sql.setString(ps, 1, in.content());
              Sql.setString(ps, 2, in.description());
              Sql.setLong(ps, 3, projectId);
              Sql.setString(ps, 4, in.dueDate());
              Sql.setString(ps, 5, in.dueTime());
              ps.setInt(6, in.priority());
              Sql.setString(ps, 7, labels);
              Sql.setString(ps, 8, status);
              ps.setLong(9, now);
              ps.setLong(10, now);
              Sql.setLong(ps, 11, caller.agentId());
              Sql.setLong(ps, 12, in.assignedTo());
              Sql.setLong(ps, 13, accountable);
              Sql.setLong(ps, 14, delegatedBy);
              Sql.setLong(ps, 15, parentId);
              Sql.setLong(ps, 16, rootId);
              ps.setInt(17, depth);
              Sql.setString(ps, 18, in.context());
              ps.setInt(19, in.context() == null ? 0 : 1);
              Sql.setString(ps, 20, in.recurringType());
              Sql.setInt(ps, 21, in.recurringInterval());
              Sql.setString(ps, 22, in.recurringString());
              ps.setBoolean(23, in.isRecurring());
              Sql.setLong(ps, 24, in.reminderTime());
              Sql.setString(ps, 25, in.evidencePolicy());
            });
    if (parent == null) {
      Sql.update(h, "UPDATE tasks SET root_task_id = id WHERE id = ?", id);
    }
    TaskContext.recordReplace(tx, caller, id, null, in.context(), 1, now);
    writeLabels(h, id, in.labels());
    for (Long b : blockers) {
      h.createUpdate("INSERT INTO task_dependencies (task_id, blocker_task_id, created_at) VALUES (?, ?, ?)")
          .bind(0, id)
          .bind(1, b)
          .bind(2, now)
          .execute();
    }
    if (!blockers.isEmpty() && "open".equals(status) && openBlockers(h, id) > 0) {
      h.createUpdate("UPDATE tasks SET status = 'blocked' WHERE id = ?").bind(0, id).execute();
    }
    if (parent != null) {
      if (!"delegated".equals(parent.status())) {
        TaskChanges pc = new TaskChanges();
        pc.set("status", "status", parent.status(), "delegated");
        write(h, parent.id(), pc, now);
        emit(tx, "task.updated", parent.id(), caller, pc.diff);
      }
      return emit(tx, "task.delegated", id, caller, Map.of());
    }
    return emit(tx, "task.created", id, caller, Map.of());
  }

  static void writeLabels(Handle h, long taskId, List<String> labels) {
    Sql.update(h, "DELETE FROM task_labels WHERE task_id = ?", taskId);
    for (String label : labels) {
      Sql.update(h, "INSERT INTO task_labels (task_id, label) VALUES (?, ?)", taskId, label);
    }
  }

  private static void checkProject(Handle h, Long projectId) {
    if (projectId == null) {
      return;
    }
    boolean exists =
        h.createQuery("SELECT COUNT(*) FROM projects WHERE id = ?").bind(0, projectId).mapTo(Long.class).one() > 0;
    if (!exists) {
      throw new DelegaException.ValidationFailed("project_id " + projectId + " does not exist");
    }
  }

  private static void checkAssignee(Handle h, Caller caller, Long assignee, boolean delegating) {
    if (assignee == null) {
      return;
    }
    if (!caller.is(assignee) && !caller.assignsAny()) {
      throw new DelegaException.Forbidden(
          delegating
              ? "Non-admin agents cannot delegate tasks to other agents (needs the coordinator role or tasks.assign_any)"
              : "Non-admin agents cannot assign tasks to other agents (needs the coordinator role or tasks.assign_any)");
    }
    Boolean active =
        h.createQuery("SELECT active FROM agents WHERE id = ?").bind(0, assignee).mapTo(Boolean.class).findOne().orElse(null);
    if (active == null) {
      throw new DelegaException.ValidationFailed("assigned_to_agent_id " + assignee + " is not an agent");
    }
    if (!active) {
      throw new DelegaException.ValidationFailed("agent " + assignee + " is deactivated and cannot be assigned");
    }
  }

  private static TaskRow visibleBlocker(Caller caller, Handle h, long blockerId) {
    TaskRow b = load(h, blockerId).orElse(null);
    if (b == null || !TaskAccess.canSee(caller, b, h)) {
      throw new DelegaException.ValidationFailed("blocked_by: task " + blockerId + " does not exist");
    }
    return b;
  }

  /**
   * Condition on a {@code task_dependencies d} row: its blocker is not completed. Written as a
   * correlated EXISTS so the dependency rows drive the query; a JOIN let SQLite's planner scan every
   * open task instead when the id list is long.
   */
  public static final String BLOCKER_OPEN =
      "EXISTS (SELECT 1 FROM tasks b WHERE b.id = d.blocker_task_id AND b.completed = FALSE)";

  static int openBlockers(Handle h, long taskId) {
    return h.createQuery(
            "SELECT COUNT(*) FROM task_dependencies d WHERE d.task_id = ? AND " + BLOCKER_OPEN)
        .bind(0, taskId)
        .mapTo(Integer.class)
        .one();
  }

  // ---------------------------------------------------------------- read

  /** A task's JSON with its version (the ETag). */
  public record TaskJson(byte[] json, long version) {}

  /**
   * The JSON of one task the caller may see: on SQLite answered from {@link TaskReadCache} while
   * nothing has been committed since it was read, else read and serialised.
   */
  public TaskJson getJson(Caller caller, long id) {
    long generation = db.generation();
    if (generation >= 0) {
      TaskReadCache.Entry hit = cache.get(id, generation);
      if (hit != null) {
        Boolean visible = TaskAccess.canSeeWithoutQuery(caller, hit.row());
        if (Boolean.FALSE.equals(visible)) {
          throw new DelegaException.NotFound("Task not found");
        }
        if (visible != null) {
          return new TaskJson(hit.json(), hit.row().version());
        }
      }
    }
    TaskView.Loaded loaded =
        db.read(
            h ->
                TaskView.load(h, id)
                    .filter(t -> TaskAccess.canSee(caller, t.row(), h))
                    .orElseThrow(() -> new DelegaException.NotFound("Task not found")));
    byte[] json = Json.mapper().writeValueAsBytes(loaded.task());
    if (generation >= 0) {
      cache.put(id, new TaskReadCache.Entry(generation, loaded.row(), json));
    }
    return new TaskJson(json, loaded.row().version());
  }

  /** The cache behind {@link #getJson} (for tests). */
  TaskReadCache cache() {
    return cache;
  }

  /** The raw row of a task the caller may see. */
  public TaskRow row(Caller caller, long id) {
    return db.read(h -> visible(caller, h, id));
  }

  /** A page of the tasks the caller may see, filtered and ordered. */
  public Page<Task> list(Caller caller, TaskQuery q) {
    return db.read(
        h -> {
          Map<String, Object> binds = new HashMap<>();
          String where = where(caller, q, binds);
          Query count = h.createQuery("SELECT COUNT(*) FROM tasks t WHERE " + where);
          binds.forEach(count::bind);
          long total = count.mapTo(Long.class).one();
          // Page through ids in index order first (ix_tasks_list), then load only that page's rows.
          Query select =
              h.createQuery(
                  "SELECT t.id FROM tasks t WHERE " + where + " ORDER BY "
                      + (q.search() == null || q.search().isBlank() ? "" : TaskSearch.rank(db.dialect()) + ", ") + LIST_ORDER
                      + " LIMIT :limit OFFSET :offset");
          binds.forEach(select::bind);
          select.bind("limit", q.limit()).bind("offset", q.offset());
          List<Long> pageIds = select.mapTo(Long.class).list();
          List<Task> items = TaskView.loadAll(h, pageIds);
          boolean more = q.offset() + items.size() < total;
          return new Page<>(items, total, q.limit(), q.offset(), more, more ? q.offset() + items.size() : null);
        });
  }

  /** The order of task lists; matches the index {@code ix_tasks_list}. */
  static final String LIST_ORDER =
      "t.completed, t.priority DESC, COALESCE(t.due_date, '9999-12-31'), t.created_at DESC, t.id DESC";

  /** The rows of {@code ids} that exist, in the order given. */
  public static List<TaskRow> loadAll(Handle h, List<Long> ids) {
    return byIds(h, ids, "SELECT " + TaskRow.packed(Dialect.of(h)) + " FROM tasks t", TaskRow::map, TaskRow::id);
  }

  /**
   * The tasks of {@code ids} that exist, in the order given: {@code select} (a query on {@code tasks
   * t} without its WHERE) for those ids, each row mapped by {@code map}, whose {@code id} it has.
   */
  static <T> List<T> byIds(Handle h, List<Long> ids, String select, Sql.Row<T> map, ToLongFunction<T> id) {
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<Long, T> byId = new HashMap<>();
    for (T r : Sql.list(h, select + " WHERE t.id IN (" + Sql.markers(ids.size()) + ")", map, Sql.args(ids))) {
      byId.put(id.applyAsLong(r), r);
    }
    List<T> out = new ArrayList<>(ids.size());
    for (Long i : ids) {
      T r = byId.get(i);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  private String where(Caller caller, TaskQuery q, Map<String, Object> binds) {
    List<String> c = new ArrayList<>();
    c.add(TaskAccess.visibleSql(caller));
    if (caller.isAgent()) {
      binds.put("me", caller.agentId());
    }
    if (q.completed() != null) {
      c.add("t.completed = :completed");
      binds.put("completed", q.completed());
    } else if (q.status() == null && !q.includeCompleted()) {
      c.add("t.completed = FALSE");
    }
    if (q.status() != null) {
      c.add("t.status = :status");
      binds.put("status", q.status());
    }
    if (q.projectId() != null) {
      c.add("t.project_id = :project");
      binds.put("project", q.projectId());
    }
    for (int i = 0; i < q.labels().size(); i++) {
      c.add("EXISTS (SELECT 1 FROM task_labels l WHERE l.task_id = t.id AND l.label = :label" + i + ")");
      binds.put("label" + i, q.labels().get(i));
    }
    if (q.claimed() != null) {
      c.add(q.claimed()
          ? "(t.claimed_by_agent_id IS NOT NULL AND t.lease_expires_at > :now)"
          : "(t.claimed_by_agent_id IS NULL OR t.lease_expires_at IS NULL OR t.lease_expires_at <= :now)");
      binds.put("now", clock.millis());
    }
    if (q.assignedTo() != null) {
      c.add("t.assigned_to_agent_id = :assignee");
      binds.put("assignee", q.assignedTo());
    }
    if (q.createdBy() != null) {
      c.add("t.created_by_agent_id = :creator");
      binds.put("creator", q.createdBy());
    }
    LocalDate today = LocalDate.now(clock.withZone(zone));
    if (q.due() != null) {
      switch (q.due()) {
        case "today" -> {
          c.add("t.due_date IS NOT NULL AND t.due_date <= :today AND t.completed = FALSE");
          binds.put("today", today.toString());
        }
        case "upcoming" -> {
          c.add("t.due_date > :today AND t.due_date <= :week");
          binds.put("today", today.toString());
          binds.put("week", today.plusDays(7).toString());
        }
        case "overdue" -> {
          c.add("t.due_date < :today AND t.completed = FALSE");
          binds.put("today", today.toString());
        }
        default -> throw new IllegalStateException("due was validated");
      }
    }
    if (q.dueAfter() != null) {
      c.add("t.due_date >= :due_after");
      binds.put("due_after", q.dueAfter().toString());
    }
    if (q.dueBefore() != null) {
      c.add("t.due_date <= :due_before");
      binds.put("due_before", q.dueBefore().toString());
    }
    if (q.priority() != null) {
      c.add("t.priority = :priority");
      binds.put("priority", q.priority());
    }
    if (q.search() != null && !q.search().isBlank()) {
      c.add(TaskSearch.condition(db.dialect(), q.search(), binds));
    }
    if (q.parentTaskId() != null) {
      c.add("t.parent_task_id = :parent");
      binds.put("parent", q.parentTaskId());
    }
    if (q.rootTaskId() != null) {
      c.add("t.root_task_id = :root");
      binds.put("root", q.rootTaskId());
    }
    return String.join(" AND ", c);
  }

  static String likeEscape(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  // ---------------------------------------------------------------- update

  /**
   * A partial update (PUT and PATCH alike): only the fields present change; an explicit null clears
   * a field that may be empty. {@code ifMatch} is the version the caller last saw, or null.
   */
  public Task update(Caller caller, long id, Fields body, Long ifMatch) {
    for (String chain : List.of("root_task_id", "delegation_depth", "parent_task_id")) {
      if (body.has(chain)) {
        throw new DelegaException.BadRequest(
            chain.equals("parent_task_id")
                ? "parent_task_id is immutable once set. Chain membership cannot be re-parented via PUT /tasks/:id."
                : chain.equals("delegation_depth")
                    ? "delegation_depth is immutable once set. Chain membership is only established via POST /tasks/:id/delegate."
                    : "root_task_id cannot be set via this endpoint. Use POST /tasks/:id/delegate to create a chain task with parent_task_id and root_task_id set atomically.");
      }
    }
    TaskPatch patch = TaskPatch.parse(body);
    return db.write(
        tx -> {
          Handle h = tx.handle();
          if (patch.has("context")) {
            TaskContext.lock(tx, id);
          }
          TaskRow before = visible(caller, h, id);
          if (!(patch.onlyAssignment() && caller.assignsAny())) {
            modifiable(caller, h, id);
          }
          requireVersion(before, ifMatch);
          long now = clock.millis();
          TaskChanges ch = new TaskChanges();
          patch.applyPlain(ch, before);
          if (patch.has("project_id")) {
            checkProject(h, patch.projectId());
            ch.set("project_id", "project_id", before.projectId(), patch.projectId());
          }
          boolean assigned = false;
          if (patch.has("assigned_to_agent_id")) {
            Long to = patch.assignedTo();
            if (!Objects.equals(to, before.assignedTo())) {
              if (to != null) {
                checkAssignee(h, caller, to, false);
              } else if (!caller.is(before.assignedTo()) && !caller.assignsAny() && !caller.is(before.createdBy())) {
                throw new DelegaException.Forbidden("Non-admin agents cannot reassign tasks to other agents");
              }
              ch.set("assigned_to_agent_id", "assigned_to_agent_id", before.assignedTo(), to);
              assigned = true;
            }
          }
          if (patch.has("labels")) {
            List<String> labels = patch.labels() == null ? List.of() : patch.labels();
            String json = Json.mapper().writeValueAsString(labels);
            if (!json.equals(before.labels())) {
              ch.set("labels", "labels", Json.mapper().readTree(before.labels()), Json.mapper().readTree(json));
              ch.columns.put("labels", json);
              writeLabels(h, id, labels);
            }
          }
          if (patch.has("blocked_by")) {
            replaceBlockers(tx, caller, before, patch.blockedBy() == null ? List.of() : patch.blockedBy(), ch, now);
          }
          // Status and completion last: they depend on the rest.
          String targetStatus = patch.targetStatus(before);
          boolean completing = false;
          boolean reopening = false;
          if (targetStatus != null && !targetStatus.equals(before.status())) {
            List<String> allowed = TRANSITIONS.getOrDefault(before.status(), List.of());
            if (!allowed.contains(targetStatus)) {
              throw new DelegaException.ValidationFailed(
                  "invalid_transition",
                  "cannot change status from " + before.status() + " to " + targetStatus
                      + "; allowed: " + String.join(", ", allowed))
                  .with("allowed", allowed);
            }
            if (targetStatus.equals("completed")) {
              completing = true;
              requireEvidence(before, List.of());
              ch.set("completed", "completed", false, true);
              ch.set("completed_at", null, before.completedAt(), now);
              ch.set("completed_by_agent_id", "completed_by_agent_id", before.completedBy(), caller.agentId());
            } else if (before.completed()) {
              reopening = true;
              ch.set("completed", "completed", true, false);
              ch.set("completed_at", null, before.completedAt(), null);
              ch.set("completed_by_agent_id", "completed_by_agent_id", before.completedBy(), null);
            }
            ch.set("status", "status", before.status(), targetStatus);
          }
          if (ch.isEmpty()) {
            return TaskView.render(h, before);
          }
          if (ch.changed("context")) {
            TaskContext.recordReplace(tx, caller, id, before.context(), (String) ch.columns.get("context"), before.contextVersion() + 1, now);
          }
          write(h, id, ch, now);
          Task task;
          if (completing) {
            task = emit(tx, "task.completed", id, caller, ch.diff);
            afterCompletion(tx, caller, load(h, id).orElseThrow(), now);
            task = TaskView.load(h, id).orElseThrow().task();
          } else {
            task = emit(tx, "task.updated", id, caller, ch.diff);
          }
          if (assigned) {
            events.append(tx, "task.assigned", id, caller.agentId(), Map.of("assigned_to_agent_id", ch.diff.get("assigned_to_agent_id")), task);
          }
          if (reopening) {
            reblockDependents(tx, caller, id, now);
          }
          return task;
        });
  }

  private void replaceBlockers(Tx tx, Caller caller, TaskRow task, List<Long> blockers, TaskChanges ch, long now) {
    Handle h = tx.handle();
    for (Long b : blockers) {
      if (b == task.id()) {
        throw new DelegaException.ValidationFailed("dependency_cycle", "a task cannot be blocked by itself");
      }
      visibleBlocker(caller, h, b);
      List<Long> cycle = pathBetween(h, b, task.id());
      if (cycle != null) {
        List<String> names = new ArrayList<>();
        names.add(String.valueOf(task.id()));
        cycle.forEach(x -> names.add(String.valueOf(x)));
        throw new DelegaException.ValidationFailed(
                "dependency_cycle",
                "blocked_by would create a cycle: " + String.join(" → ", names))
            .with("cycle", cycle);
      }
    }
    List<Long> old =
        h.createQuery("SELECT blocker_task_id FROM task_dependencies WHERE task_id = ? ORDER BY blocker_task_id")
            .bind(0, task.id())
            .mapTo(Long.class)
            .list();
    List<Long> sorted = new ArrayList<>(blockers);
    sorted.sort(null);
    if (old.equals(sorted)) {
      return;
    }
    h.createUpdate("DELETE FROM task_dependencies WHERE task_id = ?").bind(0, task.id()).execute();
    for (Long b : sorted) {
      h.createUpdate("INSERT INTO task_dependencies (task_id, blocker_task_id, created_at) VALUES (?, ?, ?)")
          .bind(0, task.id())
          .bind(1, b)
          .bind(2, now)
          .execute();
    }
    ch.set("blocked_by_set", "blocked_by", old, sorted);
    ch.columns.remove("blocked_by_set");
    int open = openBlockers(h, task.id());
    if (open > 0 && task.status().equals("open")) {
      ch.set("status", "status", task.status(), "blocked");
    } else if (open == 0 && task.status().equals("blocked")) {
      ch.set("status", "status", task.status(), "open");
    }
  }

  /** The dependency path from {@code from} to {@code to} following blocked_by edges, or null. */
  private static List<Long> pathBetween(Handle h, long from, long to) {
    Map<Long, Long> parent = new HashMap<>();
    Deque<Long> queue = new ArrayDeque<>();
    queue.add(from);
    parent.put(from, null);
    int visited = 0;
    while (!queue.isEmpty() && visited++ < 100_000) {
      long cur = queue.poll();
      if (cur == to) {
        List<Long> path = new ArrayList<>();
        for (Long x = cur; x != null; x = parent.get(x)) {
          path.add(0, x);
        }
        return path;
      }
      for (Long next :
          h.createQuery("SELECT blocker_task_id FROM task_dependencies WHERE task_id = ?")
              .bind(0, cur)
              .mapTo(Long.class)
              .list()) {
        if (!parent.containsKey(next)) {
          parent.put(next, cur);
          queue.add(next);
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- complete / uncomplete

  /** Completes a task, with optional evidence; completing a completed task changes nothing. */
  public Task complete(Caller caller, long id, Fields body, Long headerToken) {
    List<Evidence> evidence = parseEvidence(body);
    Long bodyToken = body.id("lease_token");
    Long token = headerToken != null ? headerToken : bodyToken;
    return db.write(
        tx -> {
          Handle h = tx.handle();
          long now = clock.millis();
          Leases.check(caller, visible(caller, h, id), token, now);
          TaskRow before = modifiable(caller, h, id);
          if (before.completed()) {
            return TaskView.render(h, before);
          }
          requireEvidence(before, evidence);
          TaskChanges ch = new TaskChanges();
          ch.set("completed", "completed", false, true);
          ch.set("status", "status", before.status(), "completed");
          ch.set("completed_at", null, before.completedAt(), now);
          ch.set("completed_by_agent_id", "completed_by_agent_id", before.completedBy(), caller.agentId());
          if (!evidence.isEmpty()) {
            ch.set("completion_evidence", "completion_evidence", null, Json.mapper().writeValueAsString(evidence));
          }
          if (before.claimedBy() != null) {
            ch.set("claimed_by_agent_id", "claimed_by_agent_id", before.claimedBy(), null);
            ch.setQuietly("lease_expires_at", null);
            ch.setQuietly("session_state", null);
          }
          String next = nextOccurrence(before);
          if (next != null) {
            ch.setQuietly("next_occurrence", next);
          }
          write(h, id, ch, now);
          emit(tx, "task.completed", id, caller, ch.diff);
          if (next != null) {
            spawnOccurrence(tx, caller, before, next, now);
          }
          afterCompletion(tx, caller, load(h, id).orElseThrow(), now);
          return TaskView.load(h, id).orElseThrow().task();
        });
  }

  private static List<Evidence> parseEvidence(Fields body) {
    List<JsonNode> items = body.array("evidence", 20);
    if (items == null) {
      return List.of();
    }
    List<Evidence> out = new ArrayList<>();
    for (JsonNode item : items) {
      if (!item.isObject()) {
        throw new DelegaException.ValidationFailed("evidence items must be objects {kind, ref, summary}");
      }
      Fields f = Fields.of((ObjectNode) item);
      String kind = f.requiredText("kind", 32);
      if (!EVIDENCE_KINDS.contains(kind)) {
        throw new DelegaException.ValidationFailed(
            "evidence kind must be one of commit, pr, ci_check, deploy_sha, artifact_url, command_output (got '" + kind + "')");
      }
      out.add(new Evidence(kind, f.requiredText("ref", 500), f.text("summary", 500)));
    }
    return out;
  }

  private static void requireEvidence(TaskRow task, List<Evidence> evidence) {
    if (!"required".equals(task.evidencePolicy())) {
      return;
    }
    boolean strong = evidence.stream().anyMatch(e -> !e.kind().equals("command_output"));
    if (!strong) {
      throw new DelegaException.ValidationFailed(
          "evidence_required",
          "task " + task.id() + " has evidence_policy=required: complete it with at least one piece"
              + " of evidence of kind commit, pr, ci_check, deploy_sha or artifact_url"
              + (evidence.isEmpty() ? "" : " (command_output alone is not enough)"));
    }
  }

  /** Events that follow a completion: the parent's children all done, dependents unblocked. */
  private void afterCompletion(Tx tx, Caller caller, TaskRow done, long now) {
    Handle h = tx.handle();
    if (done.parentTaskId() != null) {
      long open =
          h.createQuery("SELECT COUNT(*) FROM tasks WHERE parent_task_id = ? AND completed = FALSE")
              .bind(0, done.parentTaskId())
              .mapTo(Long.class)
              .one();
      if (open == 0) {
        TaskView.load(h, done.parentTaskId()).ifPresent(parent ->
            events.append(tx, "task.children_completed", done.parentTaskId(), caller.agentId(),
                Map.of("last_child_task_id", done.id()), parent.task()));
      }
    }
    List<Long> dependents =
        h.createQuery("SELECT task_id FROM task_dependencies WHERE blocker_task_id = ? ORDER BY task_id")
            .bind(0, done.id())
            .mapTo(Long.class)
            .list();
    for (long dep : dependents) {
      TaskRow d = load(h, dep).orElse(null);
      if (d == null || d.completed() || openBlockers(h, dep) > 0) {
        continue;
      }
      TaskChanges ch = new TaskChanges();
      if (d.status().equals("blocked")) {
        ch.set("status", "status", "blocked", "open");
        write(h, dep, ch, now);
      }
      Task t = TaskView.load(h, dep).orElseThrow().task();
      events.append(tx, "task.unblocked", dep, caller.agentId(), Map.of("unblocked_by_task_id", done.id()), t);
    }
  }

  private void reblockDependents(Tx tx, Caller caller, long reopened, long now) {
    Handle h = tx.handle();
    for (long dep :
        h.createQuery("SELECT task_id FROM task_dependencies WHERE blocker_task_id = ?")
            .bind(0, reopened)
            .mapTo(Long.class)
            .list()) {
      TaskRow d = load(h, dep).orElse(null);
      if (d != null && d.status().equals("open")) {
        TaskChanges ch = new TaskChanges();
        ch.set("status", "status", "open", "blocked");
        write(h, dep, ch, now);
        emit(tx, "task.updated", dep, caller, ch.diff);
      }
    }
  }

  /** Reopens a completed task. */
  public Task uncomplete(Caller caller, long id) {
    return db.write(
        tx -> {
          Handle h = tx.handle();
          TaskRow before = modifiable(caller, h, id);
          if (!before.completed()) {
            return TaskView.render(h, before);
          }
          long now = clock.millis();
          TaskChanges ch = new TaskChanges();
          ch.set("completed", "completed", true, false);
          ch.set("status", "status", before.status(), openBlockers(h, id) > 0 ? "blocked" : "open");
          ch.set("completed_at", null, before.completedAt(), null);
          ch.set("completed_by_agent_id", "completed_by_agent_id", before.completedBy(), null);
          ch.set("completion_evidence", null, before.completionEvidence(), null);
          write(h, id, ch, now);
          Task t = emit(tx, "task.updated", id, caller, ch.diff);
          reblockDependents(tx, caller, id, now);
          return t;
        });
  }

  // ---------------------------------------------------------------- legacy per-task recurrence

  private String nextOccurrence(TaskRow t) {
    if (!t.isRecurring() || t.dueDate() == null || t.recurringType() == null) {
      return null;
    }
    LocalDate due = LocalDate.parse(t.dueDate());
    int n = t.recurringInterval() == null || t.recurringInterval() < 1 ? 1 : t.recurringInterval();
    LocalDate next =
        switch (t.recurringType()) {
          case "daily" -> due.plusDays(n);
          case "weekly" -> due.plusWeeks(n);
          case "monthly" -> due.plusMonths(n);
          case "yearly" -> due.plusYears(n);
          default -> null;
        };
    return next == null ? null : next.toString();
  }

  private void spawnOccurrence(Tx tx, Caller caller, TaskRow t, String nextDue, long now) {
    Handle h = tx.handle();
    long id =
        h.createQuery(
                "INSERT INTO tasks (content, description, project_id, due_date, due_time, priority,"
                    + " labels, status, created_at, updated_at, created_by_agent_id,"
                    + " assigned_to_agent_id, accountable_agent_id, recurring_type,"
                    + " recurring_interval, recurring_string, is_recurring, evidence_policy)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?) RETURNING id")
            .bind(0, t.content())
            .bind(1, t.description())
            .bind(2, t.projectId())
            .bind(3, nextDue)
            .bind(4, t.dueTime())
            .bind(5, t.priority())
            .bind(6, t.labels())
            .bind(7, now)
            .bind(8, now)
            .bind(9, t.createdBy())
            .bind(10, t.assignedTo())
            .bind(11, t.accountable())
            .bind(12, t.recurringType())
            .bind(13, t.recurringInterval())
            .bind(14, t.recurringString())
            .bind(15, t.evidencePolicy())
            .mapTo(Long.class)
            .one();
    h.createUpdate("UPDATE tasks SET root_task_id = id WHERE id = ?").bind(0, id).execute();
    writeLabels(h, id, Json.mapper().readValue(t.labels(), new tools.jackson.core.type.TypeReference<List<String>>() {}));
    emit(tx, "task.created", id, caller, Map.of("recurrence_of_task_id", Map.of("before", (Object) "", "after", t.id())));
  }

  /** A 412 with the current version unless {@code ifMatch} is null or the task's version. */
  private static void requireVersion(TaskRow task, Long ifMatch) {
    if (ifMatch != null && ifMatch != task.version()) {
      throw new DelegaException.PreconditionFailed(
              "task " + task.id() + " is at version " + task.version() + ", not " + ifMatch
                  + "; reload it and retry")
          .with("version", task.version());
    }
  }

  // ---------------------------------------------------------------- delete

  /**
   * Deletes a task; one with delegated children only with {@code cascade}, which deletes the subtree.
   * {@code ifMatch} is the version of this task the caller last saw, or null (the subtree's
   * versions are not checked).
   */
  public void delete(Caller caller, long id, boolean cascade, Long ifMatch) {
    db.write(
        tx -> {
          Handle h = tx.handle();
          TaskRow root = modifiable(caller, h, id);
          requireVersion(root, ifMatch);
          List<Long> subtree = new ArrayList<>();
          Deque<Long> queue = new ArrayDeque<>(List.of(root.id()));
          while (!queue.isEmpty()) {
            long cur = queue.poll();
            subtree.add(cur);
            queue.addAll(
                h.createQuery("SELECT id FROM tasks WHERE parent_task_id = ? ORDER BY id")
                    .bind(0, cur)
                    .mapTo(Long.class)
                    .list());
          }
          if (subtree.size() > 1 && !cascade) {
            throw new DelegaException.Conflict(
                    "task " + id + " has " + (subtree.size() - 1)
                        + " delegated descendant(s); delete them first or pass ?cascade=true")
                .with("children", subtree.subList(1, subtree.size()));
          }
          long now = clock.millis();
          List<Long> dependents = new ArrayList<>();
          for (int i = subtree.size() - 1; i >= 0; i--) {
            long tid = subtree.get(i);
            TaskRow row = load(h, tid).orElseThrow();
            Task snapshot = TaskView.render(h, row);
            dependents.addAll(
                h.createQuery("SELECT task_id FROM task_dependencies WHERE blocker_task_id = ?")
                    .bind(0, tid)
                    .mapTo(Long.class)
                    .list());
            h.createUpdate("DELETE FROM tasks WHERE id = ?").bind(0, tid).execute();
            events.append(tx, "task.deleted", tid, caller.agentId(), Map.of(), snapshot);
            tx.afterCommit(() -> listeners.forEach(l -> l.removed(tid)));
          }
          for (long dep : dependents) {
            TaskRow d = load(h, dep).orElse(null);
            if (d != null && !d.completed() && openBlockers(h, dep) == 0) {
              TaskChanges ch = new TaskChanges();
              if (d.status().equals("blocked")) {
                ch.set("status", "status", "blocked", "open");
                write(h, dep, ch, now);
              }
              events.append(tx, "task.unblocked", dep, caller.agentId(), Map.of("unblocked_by_task_id", id),
                  TaskView.load(h, dep).orElseThrow().task());
            }
          }
          return null;
        });
  }

  // ---------------------------------------------------------------- chain

  /** The delegation tree the task belongs to, as far as the caller may see it. */
  public Chain chain(Caller caller, long id) {
    return db.read(
        h -> {
          TaskRow task = visible(caller, h, id);
          long rootId = task.rootTaskId() != null ? task.rootTaskId() : task.id();
          Map<String, Object> binds = new HashMap<>();
          if (caller.isAgent()) {
            binds.put("me", caller.agentId());
          }
          Query q =
              h.createQuery(
                  "SELECT " + TaskRow.packed(Dialect.of(h)) + " FROM tasks t WHERE t.root_task_id = :root AND "
                      + TaskAccess.visibleSql(caller)
                      + " ORDER BY t.delegation_depth, t.created_at, t.id");
          binds.forEach(q::bind);
          q.bind("root", rootId);
          List<TaskRow> rows = q.map((rs, ctx) -> TaskRow.map(rs)).list();
          List<Task> chain = TaskView.render(h, rows);
          Task root = chain.stream().filter(t -> t.id() == rootId).findFirst().orElse(null);
          int depth = rows.stream().mapToInt(TaskRow::delegationDepth).max().orElse(0);
          int done = (int) rows.stream().filter(TaskRow::completed).count();
          return new Chain(root, rootId, chain, depth, done, rows.size());
        });
  }

  /** The direct delegated children the caller may see, oldest first. */
  public List<Task> children(Caller caller, long id) {
    return db.read(
        h -> {
          visible(caller, h, id);
          Map<String, Object> binds = new HashMap<>();
          if (caller.isAgent()) {
            binds.put("me", caller.agentId());
          }
          Query q =
              h.createQuery(
                  "SELECT " + TaskRow.packed(Dialect.of(h)) + " FROM tasks t WHERE t.parent_task_id = :parent AND "
                      + TaskAccess.visibleSql(caller) + " ORDER BY t.created_at, t.id");
          binds.forEach(q::bind);
          q.bind("parent", id);
          return TaskView.render(h, q.map((rs, ctx) -> TaskRow.map(rs)).list());
        });
  }

  // ---------------------------------------------------------------- subtasks

  public List<Subtask> subtasks(Caller caller, long taskId) {
    return db.read(h -> TaskView.render(h, visible(caller, h, taskId)).subtasks());
  }

  public Subtask addSubtask(Caller caller, long taskId, Fields body) {
    String content = body.requiredText("content", MAX_CONTENT);
    boolean completed = Boolean.TRUE.equals(body.bool("completed"));
    Integer order = body.integer("sort_order", 0, 1_000_000);
    return db.write(
        tx -> {
          Handle h = tx.handle();
          modifiable(caller, h, taskId);
          long now = clock.millis();
          int sort =
              order != null
                  ? order
                  : h.createQuery("SELECT COALESCE(MAX(sort_order) + 1, 0) FROM subtasks WHERE task_id = ?")
                      .bind(0, taskId)
                      .mapTo(Integer.class)
                      .one();
          long id =
              h.createQuery(
                      "INSERT INTO subtasks (task_id, content, completed, sort_order, created_at)"
                          + " VALUES (?, ?, ?, ?, ?) RETURNING id")
                  .bind(0, taskId)
                  .bind(1, content)
                  .bind(2, completed)
                  .bind(3, sort)
                  .bind(4, now)
                  .mapTo(Long.class)
                  .one();
          touch(tx, caller, taskId, "subtask_added", id, now);
          return subtask(h, taskId, id);
        });
  }

  private static Subtask subtask(Handle h, long taskId, long id) {
    return h.createQuery(
            "SELECT id, task_id, content, completed, sort_order, created_at FROM subtasks WHERE id = ? AND task_id = ?")
        .bind(0, id)
        .bind(1, taskId)
        .map(
            (rs, ctx) ->
                new Subtask(
                    rs.getLong("id"),
                    rs.getLong("task_id"),
                    rs.getString("content"),
                    rs.getBoolean("completed"),
                    rs.getInt("sort_order"),
                    Instant.ofEpochMilli(rs.getLong("created_at"))))
        .findOne()
        .orElseThrow(() -> new DelegaException.NotFound("SubTask not found"));
  }

  /** Updates, toggles ({@code toggle}) or deletes ({@code delete}) a subtask. */
  public Subtask changeSubtask(Caller caller, long taskId, long subtaskId, Fields body, String action) {
    String content = body.has("content") ? body.requiredText("content", MAX_CONTENT) : null;
    if (body.isNull("completed") || body.isNull("sort_order")) {
      throw new DelegaException.ValidationFailed("completed and sort_order cannot be null");
    }
    Boolean completed = body.bool("completed");
    Integer order = body.integer("sort_order", 0, 1_000_000);
    return db.write(
        tx -> {
          Handle h = tx.handle();
          modifiable(caller, h, taskId);
          Subtask s = subtask(h, taskId, subtaskId);
          long now = clock.millis();
          switch (action) {
            case "delete" -> {
              h.createUpdate("DELETE FROM subtasks WHERE id = ?").bind(0, subtaskId).execute();
              touch(tx, caller, taskId, "subtask_deleted", subtaskId, now);
              return s;
            }
            case "toggle" ->
                h.createUpdate("UPDATE subtasks SET completed = ? WHERE id = ?")
                    .bind(0, !s.completed())
                    .bind(1, subtaskId)
                    .execute();
            default ->
                h.createUpdate("UPDATE subtasks SET content = ?, completed = ?, sort_order = ? WHERE id = ?")
                    .bind(0, content != null ? content : s.content())
                    .bind(1, completed != null ? completed : s.completed())
                    .bind(2, order != null ? order : s.sortOrder())
                    .bind(3, subtaskId)
                    .execute();
          }
          touch(tx, caller, taskId, "subtask_updated", subtaskId, now);
          return subtask(h, taskId, subtaskId);
        });
  }

  private void touch(Tx tx, Caller caller, long taskId, String what, long refId, long now) {
    TaskChanges ch = new TaskChanges();
    write(tx.handle(), taskId, ch, now);
    Map<String, Object> diff = new LinkedHashMap<>();
    diff.put(what, refId);
    emit(tx, "task.updated", taskId, caller, diff);
  }

  // ---------------------------------------------------------------- comments

  public List<Comment> comments(Caller caller, long taskId) {
    return db.read(
        h -> {
          visible(caller, h, taskId);
          return h.createQuery(
                  "SELECT id, task_id, content, author, author_agent_id, created_at FROM comments"
                      + " WHERE task_id = ? ORDER BY created_at, id")
              .bind(0, taskId)
              .map((rs, ctx) -> comment(rs))
              .list();
        });
  }

  private static Comment comment(java.sql.ResultSet rs) throws java.sql.SQLException {
    Long authorId = Sql.getLong(rs, "author_agent_id");
    return new Comment(
        rs.getLong("id"),
        rs.getLong("task_id"),
        rs.getString("content"),
        rs.getString("author"),
        authorId,
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  /** Adds a comment; the author is the authenticated agent ({@code author} is only a display hint). */
  public Comment addComment(Caller caller, long taskId, Fields body) {
    String content = body.requiredText("content", 5000);
    String author = body.text("author", 100);
    return db.write(
        tx -> {
          Handle h = tx.handle();
          TaskRow task = visible(caller, h, taskId);
          if (!TaskAccess.canModify(caller, task) && !caller.commentsAll()) {
            throw new DelegaException.Forbidden("This agent cannot modify that task");
          }
          long now = clock.millis();
          String shown = author != null ? author : caller.name();
          long id =
              h.createQuery(
                      "INSERT INTO comments (task_id, content, author, author_agent_id, created_at)"
                          + " VALUES (?, ?, ?, ?, ?) RETURNING id")
                  .bind(0, taskId)
                  .bind(1, content)
                  .bind(2, shown)
                  .bind(3, caller.agentId())
                  .bind(4, now)
                  .mapTo(Long.class)
                  .one();
          TaskChanges ch = new TaskChanges();
          write(h, taskId, ch, now);
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("id", id);
          c.put("content", content);
          c.put("author", shown);
          c.put("author_agent_id", caller.agentId());
          emit(tx, "task.commented", taskId, caller, Map.of("comment", c));
          return h.createQuery(
                  "SELECT id, task_id, content, author, author_agent_id, created_at FROM comments WHERE id = ?")
              .bind(0, id)
              .map((rs, ctx) -> comment(rs))
              .one();
        });
  }

  /** Deletes a comment: its author, or anyone who may change the task. */
  public void deleteComment(Caller caller, long taskId, long commentId) {
    db.write(
        tx -> {
          Handle h = tx.handle();
          TaskRow task = visible(caller, h, taskId);
          Comment c =
              h.createQuery(
                      "SELECT id, task_id, content, author, author_agent_id, created_at FROM comments"
                          + " WHERE id = ? AND task_id = ?")
                  .bind(0, commentId)
                  .bind(1, taskId)
                  .map((rs, ctx) -> comment(rs))
                  .findOne()
                  .orElseThrow(() -> new DelegaException.NotFound("Comment not found"));
          if (!TaskAccess.canModify(caller, task) && !caller.is(c.authorAgentId())) {
            throw new DelegaException.Forbidden("This agent cannot modify that task");
          }
          h.createUpdate("DELETE FROM comments WHERE id = ?").bind(0, commentId).execute();
          touch(tx, caller, taskId, "comment_deleted", commentId, clock.millis());
          return null;
        });
  }

  // ---------------------------------------------------------------- stats

  /** Counters over the tasks the caller may see. */
  public Stats stats(Caller caller, long totalAgents, long activeAgents) {
    return db.read(
        h -> {
          String vis = TaskAccess.visibleSql(caller);
          LocalDate today = LocalDate.now(clock.withZone(zone));
          long dayStart = today.atStartOfDay(zone).toInstant().toEpochMilli();
          long dayEnd = today.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
          Query q =
              h.createQuery(
                  "SELECT"
                      + " COALESCE(SUM(CASE WHEN t.completed = FALSE THEN 1 ELSE 0 END), 0) AS open_n,"
                      + " COALESCE(SUM(CASE WHEN t.completed = TRUE THEN 1 ELSE 0 END), 0) AS done_n,"
                      + " COALESCE(SUM(CASE WHEN t.completed = TRUE AND t.completed_at >= :d0 AND t.completed_at < :d1 THEN 1 ELSE 0 END), 0) AS done_today,"
                      + " COALESCE(SUM(CASE WHEN t.completed = FALSE AND t.due_date = :today THEN 1 ELSE 0 END), 0) AS due_today,"
                      + " COALESCE(SUM(CASE WHEN t.completed = FALSE AND t.due_date < :today THEN 1 ELSE 0 END), 0) AS overdue,"
                      + " COALESCE(SUM(CASE WHEN t.completed = FALSE AND t.due_date > :today AND t.due_date <= :week THEN 1 ELSE 0 END), 0) AS upcoming"
                      + " FROM tasks t WHERE " + vis);
          q.bind("d0", dayStart).bind("d1", dayEnd).bind("today", today.toString()).bind("week", today.plusDays(7).toString());
          if (caller.isAgent() && !caller.readsAll()) {
            q.bind("me", caller.agentId());
          }
          long[] n =
              q.map(
                      (rs, ctx) ->
                          new long[] {
                            rs.getLong("open_n"), rs.getLong("done_n"), rs.getLong("done_today"),
                            rs.getLong("due_today"), rs.getLong("overdue"), rs.getLong("upcoming")
                          })
                  .one();
          Query bp =
              h.createQuery(
                  "SELECT COALESCE(p.name, 'Inbox') AS name, COUNT(*) AS n FROM tasks t"
                      + " LEFT JOIN projects p ON p.id = t.project_id WHERE t.completed = FALSE AND " + vis
                      + " GROUP BY COALESCE(p.name, 'Inbox') ORDER BY name");
          if (caller.isAgent() && !caller.readsAll()) {
            bp.bind("me", caller.agentId());
          }
          Map<String, Long> byProject = new LinkedHashMap<>();
          bp.map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getLong("n")))
              .forEach(e -> byProject.put(e.getKey(), e.getValue()));
          return new Stats(n[0], n[0], n[1], n[0], n[1], n[2], n[3], n[4], n[5], byProject, totalAgents, activeAgents);
        });
  }

  /** Tasks created since the start of this month (for usage). */
  public long[] usageCounts() {
    LocalDate first = LocalDate.now(clock.withZone(zone)).withDayOfMonth(1);
    long since = first.atStartOfDay(zone).toInstant().toEpochMilli();
    return db.read(
        h ->
            new long[] {
              h.createQuery("SELECT COUNT(*) FROM tasks").mapTo(Long.class).one(),
              h.createQuery("SELECT COUNT(*) FROM tasks WHERE created_at >= ?").bind(0, since).mapTo(Long.class).one(),
              h.createQuery("SELECT COUNT(*) FROM projects").mapTo(Long.class).one()
            });
  }

  /** First day of next month in the server zone, for usage's reset date. */
  public String nextMonth() {
    return LocalDate.now(clock.withZone(zone)).withDayOfMonth(1).plusMonths(1).toString();
  }

  static String formatTime(LocalTime t) {
    return t == null ? null : t.format(DateTimeFormatter.ofPattern("HH:mm:ss"));
  }
}

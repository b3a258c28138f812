package dev.delega.server.recurrence;

import dev.delega.api.AgentRef;
import dev.delega.api.Json;
import dev.delega.api.Recurrence;
import dev.delega.api.Task;
import dev.delega.server.agent.Agents;
import dev.delega.server.agent.Caller;
import dev.delega.server.http.Api;
import dev.delega.server.http.Http;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import dev.delega.server.store.Dialect;
import dev.delega.server.task.TaskAccess;
import dev.delega.server.task.TaskRow;
import dev.delega.server.task.TaskView;
import dev.delega.server.task.Tasks;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The recurrence use cases and their routes ({@code /recurrences}): recurring task templates that
 * the {@link RecurrenceScheduler} turns into one task per occurrence.
 *
 * <p>Access: any agent manages the recurrences it created; admins manage all. Agents that read all
 * tasks (coordinators, {@code tasks.read_all}) see every recurrence, others see the ones they
 * created or are the assignee of. Assigning spawned tasks to another agent needs the same right as
 * assigning a task ({@code tasks.assign_any}, coordinators, admins); it is checked when the
 * recurrence is saved, and each occurrence is then spawned on the creator's behalf.
 */
public final class Recurrences {
  static final int MAX_CONTENT = Tasks.MAX_CONTENT;
  static final int MAX_DESCRIPTION = Tasks.MAX_DESCRIPTION;
  static final int MAX_LABELS = 50;
  static final int MAX_LABEL_LENGTH = 100;

  private static final Set<String> RULE_FIELDS =
      Set.of(
          "rule_type", "interval", "timezone", "anchor_day", "anchor_month", "anchor_weekday",
          "next_due_at");

  private final Database db;
  private final Clock clock;
  private final ZoneId defaultZone;

  /** Use cases over {@code db}; {@code defaultZone} is the zone of rules saved without one. */
  public Recurrences(Database db, Clock clock, ZoneId defaultZone) {
    this.db = db;
    this.clock = clock;
    this.defaultZone = defaultZone;
  }

  /** Registers {@code /recurrences} and {@code /recurrences/{id}} (GET, PUT, PATCH, DELETE). */
  public void register(Api api) {
    String t = "recurrences";
    api.get("/recurrences", "List the recurring tasks the caller may see", t,
        ctx -> Http.ok(ctx, list(Http.caller(ctx))));
    api.post("/recurrences", "Create a recurring task (daily, weekly, monthly, yearly in a time zone)", t,
        ctx -> {
          Recurrence r = create(Http.caller(ctx), Http.body(ctx));
          ctx.header("Location", ctx.path() + "/" + r.id());
          Http.json(ctx, 201, r);
        });
    api.get("/recurrences/{id}", "Get a recurring task", t,
        ctx -> Http.ok(ctx, get(Http.caller(ctx), Http.id(ctx, "id"))));
    api.put("/recurrences/{id}", "Update a recurring task (partial)", t,
        ctx -> Http.ok(ctx, update(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx))));
    api.patch("/recurrences/{id}", "Update a recurring task (partial; same as PUT)", t,
        ctx -> Http.ok(ctx, update(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx))));
    api.delete("/recurrences/{id}", "Delete a recurring task (spawned tasks stay)", t,
        ctx -> {
          long id = Http.id(ctx, "id");
          delete(Http.caller(ctx), id);
          Http.ok(ctx, Map.of("ok", true, "deleted", id));
        });
    api.get("/recurrences/{id}/tasks", "The tasks a recurrence spawned that the caller may see, newest first", t,
        ctx -> Http.ok(ctx, tasks(Http.caller(ctx), Http.id(ctx, "id"))));
  }

  /** The recurrences the caller may see, oldest first. */
  public List<Recurrence> list(Caller caller) {
    return db.read(
        h -> {
          String where = caller.readsAll() ? "1=1" : caller.isAgent()
              ? "(created_by_agent_id = :me OR assigned_to_agent_id = :me)" : "1=0";
          List<RecurrenceRow> rows =
              h.createQuery("SELECT " + RecurrenceRow.COLUMNS + " FROM recurrences WHERE " + where
                      + " ORDER BY id")
                  .bind("me", caller.agentId())
                  .map((rs, ctx) -> RecurrenceRow.map(rs))
                  .list();
          return render(h, rows);
        });
  }

  /** One recurrence the caller may see. */
  public Recurrence get(Caller caller, long id) {
    return db.read(h -> render(h, List.of(visible(caller, h, id))).get(0));
  }

  /** Creates a recurrence from the {@code create_recurring_task} body. */
  public Recurrence create(Caller caller, Fields f) {
    requireAgentOrAdmin(caller);
    String content = f.requiredText("content", MAX_CONTENT);
    String description = f.text("description", MAX_DESCRIPTION);
    Long projectId = f.id("project_id");
    List<String> labels = f.strings("labels", MAX_LABELS, MAX_LABEL_LENGTH);
    Integer priority = f.integer("priority", 1, 4);
    Long assignee = f.id("assigned_to_agent_id");
    Boolean skip = f.bool("skip_if_open");
    Boolean active = f.bool("active");
    Instant now = clock.instant();
    RecurrenceRule rule =
        RecurrenceRule.fromRequest(
            f.text("rule_type", 32),
            f.integer("interval", Integer.MIN_VALUE, Integer.MAX_VALUE),
            f.text("timezone", 64),
            f.integer("anchor_day", Integer.MIN_VALUE, Integer.MAX_VALUE),
            f.integer("anchor_month", Integer.MIN_VALUE, Integer.MAX_VALUE),
            f.integer("anchor_weekday", Integer.MIN_VALUE, Integer.MAX_VALUE),
            f.text("next_due_at", 64),
            defaultZone,
            now);
    return db.write(
        tx -> {
          Handle h = tx.handle();
          checkProject(h, projectId);
          checkAssignee(h, caller, assignee);
          long t = now.toEpochMilli();
          long id =
              h.createQuery(
                      "INSERT INTO recurrences (content, description, project_id, labels, priority,"
                          + " rule_type, interval_n, anchor_day, anchor_month, anchor_weekday,"
                          + " timezone, start_date, time_of_day, next_due_at, active, skip_if_open,"
                          + " assigned_to_agent_id, created_by_agent_id, created_at, updated_at)"
                          + " VALUES (:content, :description, :project, :labels, :priority,"
                          + " :rule_type, :interval_n, :anchor_day, :anchor_month, :anchor_weekday,"
                          + " :timezone, :start_date, :time_of_day,"
                          + " :next, :active, :skip, :assignee, :creator, :now, :now) RETURNING id")
                  .bind("content", content)
                  .bind("description", description)
                  .bind("project", projectId)
                  .bind("labels", Json.mapper().writeValueAsString(labels == null ? List.of() : labels))
                  .bind("priority", priority == null ? 1 : priority)
                  .bind("active", active == null || active)
                  .bind("skip", skip != null && skip)
                  .bind("assignee", assignee)
                  .bind("creator", caller.agentId())
                  .bind("now", t)
                  .bind("next", rule.first().toEpochMilli())
                  .bindMap(ruleColumns(rule))
                  .mapTo(Long.class)
                  .one();
          return render(h, List.of(load(h, id))).get(0);
        });
  }

  /**
   * A partial update: only the fields present change; lists replace. Changing any rule field
   * ({@code rule_type}, {@code interval}, {@code timezone}, anchors) re-plans the rule: from {@code
   * next_due_at} when it is given, else from now (keeping the time of day). Re-activating a
   * recurrence whose next occurrence has passed moves it to the next one after now instead of
   * catching up.
   */
  public Recurrence update(Caller caller, long id, Fields f) {
    for (String notNull : List.of("content", "rule_type", "active", "skip_if_open")) {
      if (f.isNull(notNull)) {
        throw new DelegaException.ValidationFailed(notNull + " cannot be null");
      }
    }
    String content = f.has("content") ? f.requiredText("content", MAX_CONTENT) : null;
    String description = f.text("description", MAX_DESCRIPTION);
    Long projectId = f.id("project_id");
    List<String> labels = f.strings("labels", MAX_LABELS, MAX_LABEL_LENGTH);
    Integer priority = f.integer("priority", 1, 4);
    Long assignee = f.id("assigned_to_agent_id");
    Boolean skip = f.bool("skip_if_open");
    Boolean active = f.bool("active");
    String ruleType = f.text("rule_type", 32);
    Integer interval = f.integer("interval", Integer.MIN_VALUE, Integer.MAX_VALUE);
    String timezone = f.text("timezone", 64);
    Integer anchorDay = f.integer("anchor_day", Integer.MIN_VALUE, Integer.MAX_VALUE);
    Integer anchorMonth = f.integer("anchor_month", Integer.MIN_VALUE, Integer.MAX_VALUE);
    Integer anchorWeekday = f.integer("anchor_weekday", Integer.MIN_VALUE, Integer.MAX_VALUE);
    String nextDueAt = f.text("next_due_at", 64);
    boolean ruleChanged = RULE_FIELDS.stream().anyMatch(f::has);
    return db.write(
        tx -> {
          Handle h = tx.handle();
          RecurrenceRow before = visible(caller, h, id);
          requireManager(caller, before);
          Instant now = clock.instant();
          Map<String, Object> set = new HashMap<>();
          if (content != null) {
            set.put("content", content);
          }
          if (f.has("description")) {
            set.put("description", description);
          }
          if (f.has("project_id")) {
            checkProject(h, projectId);
            set.put("project_id", projectId);
          }
          if (f.has("labels")) {
            set.put("labels", Json.mapper().writeValueAsString(labels == null ? List.of() : labels));
          }
          if (f.has("priority")) {
            set.put("priority", priority == null ? 1 : priority);
          }
          if (f.has("assigned_to_agent_id")) {
            checkAssignee(h, caller, assignee);
            set.put("assigned_to_agent_id", assignee);
          }
          if (skip != null) {
            set.put("skip_if_open", skip);
          }
          if (active != null) {
            set.put("active", active);
          }
          RecurrenceRule rule = before.rule();
          long next = before.nextDueAt();
          if (ruleChanged) {
            RecurrenceRule old = before.rule();
            RuleType type = ruleType != null ? RuleType.parse(ruleType) : old.type();
            Integer n = f.has("interval") ? interval : Integer.valueOf(old.interval());
            ZoneId zone =
                f.has("timezone")
                    ? (timezone == null ? defaultZone : RecurrenceRule.parseZone(timezone))
                    : old.timezone();
            Integer day = f.has("anchor_day") ? anchorDay : old.anchorDay();
            Integer month = f.has("anchor_month") ? anchorMonth : old.anchorMonth();
            Integer weekday = f.has("anchor_weekday") ? anchorWeekday : old.anchorWeekday();
            rule =
                nextDueAt != null
                    ? RecurrenceRule.fromRequest(
                        type.wire(), n, zone.getId(), day, month, weekday, nextDueAt, defaultZone, now)
                    : RecurrenceRule.startingAfter(
                        type, n, day, month, weekday, zone, old.timeOfDay(), now);
            next = rule.first().toEpochMilli();
            set.putAll(ruleColumns(rule));
          } else if (Boolean.TRUE.equals(active) && !before.active() && next <= now.toEpochMilli()) {
            next = rule.nextAfter(now).toEpochMilli();
          }
          if (next != before.nextDueAt()) {
            set.put("next_due_at", next);
          }
          if (!set.isEmpty()) {
            set.put("updated_at", now.toEpochMilli());
            StringBuilder sql = new StringBuilder("UPDATE recurrences SET ");
            List<String> cols = new ArrayList<>(set.keySet());
            for (int i = 0; i < cols.size(); i++) {
              sql.append(i == 0 ? "" : ", ").append(cols.get(i)).append(" = :").append(cols.get(i));
            }
            sql.append(" WHERE id = :id");
            h.createUpdate(sql.toString()).bindMap(set).bind("id", id).execute();
          }
          return render(h, List.of(load(h, id))).get(0);
        });
  }

  /** Deletes a recurrence; the tasks it spawned stay. */
  public void delete(Caller caller, long id) {
    db.write(
        tx -> {
          RecurrenceRow row = visible(caller, tx.handle(), id);
          requireManager(caller, row);
          tx.handle().createUpdate("DELETE FROM recurrences WHERE id = ?").bind(0, id).execute();
          return null;
        });
  }

  /** The tasks a recurrence spawned that the caller may see, newest occurrence first (at most 100). */
  public List<Task> tasks(Caller caller, long id) {
    return db.read(
        h -> {
          visible(caller, h, id);
          Query q =
              h.createQuery(
                  "SELECT " + TaskRow.packed(Dialect.of(h)) + " FROM tasks t WHERE t.source_recurrence_id = :rid"
                      + " AND " + TaskAccess.visibleSql(caller)
                      + " ORDER BY t.source_occurrence_at DESC, t.id DESC LIMIT 100");
          q.bind("rid", id);
          if (caller.isAgent()) {
            q.bind("me", caller.agentId());
          }
          return TaskView.render(h, q.map((rs, ctx) -> TaskRow.map(rs)).list());
        });
  }

  static Map<String, Object> ruleColumns(RecurrenceRule rule) {
    Map<String, Object> m = new HashMap<>();
    m.put("rule_type", rule.type().wire());
    m.put("interval_n", rule.interval());
    m.put("anchor_day", rule.anchorDay());
    m.put("anchor_month", rule.anchorMonth());
    m.put("anchor_weekday", rule.anchorWeekday());
    m.put("timezone", rule.timezone().getId());
    m.put("start_date", rule.startDate().toString());
    m.put("time_of_day", rule.timeOfDay().toString());
    return m;
  }

  static RecurrenceRow load(Handle h, long id) {
    return h.createQuery("SELECT " + RecurrenceRow.COLUMNS + " FROM recurrences WHERE id = ?")
        .bind(0, id)
        .map((rs, ctx) -> RecurrenceRow.map(rs))
        .findOne()
        .orElseThrow(() -> new DelegaException.NotFound("Recurrence not found"));
  }

  private static RecurrenceRow visible(Caller caller, Handle h, long id) {
    RecurrenceRow row = load(h, id);
    if (caller.readsAll() || caller.is(row.createdBy()) || caller.is(row.assignedTo())) {
      return row;
    }
    throw new DelegaException.NotFound("Recurrence not found");
  }

  private static void requireManager(Caller caller, RecurrenceRow row) {
    if (!caller.isAdmin() && !caller.is(row.createdBy())) {
      throw new DelegaException.Forbidden(
          "only the agent that created recurrence " + row.id() + " or an admin may change it");
    }
  }

  private static void requireAgentOrAdmin(Caller caller) {
    if (!caller.isAgent() && !caller.isAdmin()) {
      throw new DelegaException.Unauthorized("an agent key is required to create recurrences");
    }
  }

  private static void checkProject(Handle h, Long projectId) {
    if (projectId != null
        && h.createQuery("SELECT COUNT(*) FROM projects WHERE id = ?").bind(0, projectId)
            .mapTo(Long.class).one() == 0) {
      throw new DelegaException.ValidationFailed("project_id " + projectId + " does not exist")
          .with("field", "project_id");
    }
  }

  private static void checkAssignee(Handle h, Caller caller, Long assignee) {
    if (assignee == null) {
      return;
    }
    if (!caller.is(assignee) && !caller.assignsAny()) {
      throw new DelegaException.Forbidden(
          "assigning recurring tasks to other agents needs the coordinator role or tasks.assign_any");
    }
    Boolean active =
        h.createQuery("SELECT active FROM agents WHERE id = ?").bind(0, assignee)
            .mapTo(Boolean.class).findOne().orElse(null);
    if (active == null) {
      throw new DelegaException.ValidationFailed("assigned_to_agent_id " + assignee + " is not an agent")
          .with("field", "assigned_to_agent_id");
    }
    if (!active) {
      throw new DelegaException.ValidationFailed("agent " + assignee + " is deactivated and cannot be assigned")
          .with("field", "assigned_to_agent_id");
    }
  }

  private static List<Recurrence> render(Handle h, List<RecurrenceRow> rows) {
    Set<Long> agentIds = new HashSet<>();
    for (RecurrenceRow r : rows) {
      if (r.assignedTo() != null) {
        agentIds.add(r.assignedTo());
      }
      if (r.createdBy() != null) {
        agentIds.add(r.createdBy());
      }
    }
    Map<Long, AgentRef> agents = agentIds.isEmpty() ? Map.of() : Agents.refs(h, agentIds);
    List<Recurrence> out = new ArrayList<>(rows.size());
    for (RecurrenceRow r : rows) {
      RecurrenceRule rule = r.rule();
      out.add(
          new Recurrence(
              r.id(),
              r.content(),
              r.description(),
              r.projectId(),
              r.labels(),
              r.priority(),
              rule.type().wire(),
              rule.interval(),
              rule.anchorMonth(),
              rule.anchorDay(),
              rule.anchorWeekday(),
              rule.timezone().getId(),
              r.nextDue(),
              r.lastSpawnedAt() == null ? null : Instant.ofEpochMilli(r.lastSpawnedAt()),
              r.lastSpawnedTaskId(),
              r.active(),
              r.skipIfOpen(),
              r.assignedTo(),
              r.assignedTo() == null ? null : agents.get(r.assignedTo()),
              r.createdBy(),
              r.createdBy() == null ? null : agents.get(r.createdBy()),
              Instant.ofEpochMilli(r.createdAt()),
              Instant.ofEpochMilli(r.updatedAt())));
    }
    return out;
  }
}

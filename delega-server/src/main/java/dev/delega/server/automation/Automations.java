package dev.delega.server.automation;

import dev.delega.server.internal.FieldErrors;

import dev.delega.api.Automation;
import dev.delega.api.AutomationAction;
import dev.delega.api.AutomationCondition;
import dev.delega.api.Json;
import dev.delega.server.agent.Caller;
import dev.delega.server.http.Api;
import dev.delega.server.http.Http;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.store.Database;
import dev.delega.server.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The automation use cases and their admin routes ({@code /automations}): when-event,
 * if-conditions, then-actions rules that {@link AutomationRunner} executes.
 */
final class Automations {
  static final String COLUMNS =
      "id, name, event, conditions, actions, active, run_count, failure_count, last_run_at,"
          + " last_error, created_by_agent_id, created_at, updated_at";

  private final Database db;
  private final Clock clock;
  private final LoopGuard guard;

  Automations(Database db, Clock clock, LoopGuard guard) {
    this.db = db;
    this.clock = clock;
    this.guard = guard;
  }

  void register(Api api) {
    String t = "automations";
    api.get("/automations", "List automations (admin)", t, ctx -> Http.ok(ctx, list(Http.caller(ctx))));
    api.post("/automations", "Create an automation: when event, if conditions, then actions (admin)", t,
        ctx -> {
          Automation a = create(Http.caller(ctx), Http.body(ctx).node());
          ctx.header("Location", ctx.path() + "/" + a.id());
          Http.json(ctx, 201, a);
        });
    api.get("/automations/{id}", "Get an automation (admin)", t,
        ctx -> Http.ok(ctx, get(Http.caller(ctx), Http.id(ctx, "id"))));
    api.put("/automations/{id}", "Update an automation (partial; lists replace) (admin)", t,
        ctx -> Http.ok(ctx, update(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx).node())));
    api.patch("/automations/{id}", "Update an automation (partial; same as PUT) (admin)", t,
        ctx -> Http.ok(ctx, update(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx).node())));
    api.delete("/automations/{id}", "Delete an automation (admin)", t,
        ctx -> {
          long id = Http.id(ctx, "id");
          delete(Http.caller(ctx), id);
          Http.ok(ctx, Map.of("ok", true, "deleted", id));
        });
    api.get("/automations/{id}/runs", "The latest runs of an automation, newest first (admin)", t,
        ctx -> Http.ok(ctx, runs(Http.caller(ctx), Http.id(ctx, "id"))));
  }

  List<Automation> list(Caller caller) {
    requireAdmin(caller);
    return db.read(
        h -> h.createQuery("SELECT " + COLUMNS + " FROM automations ORDER BY id")
            .map((rs, ctx) -> map(rs))
            .list()
            .stream()
            .map(Stored::wire)
            .toList());
  }

  Automation get(Caller caller, long id) {
    requireAdmin(caller);
    return db.read(h -> load(h, id).wire());
  }

  Automation create(Caller caller, JsonNode body) {
    requireAdmin(caller);
    AutomationDefinition def = AutomationDefinition.fromJson(body);
    return db.write(
        tx -> {
          Handle h = tx.handle();
          checkReferences(h, def);
          long now = clock.millis();
          long id =
              h.createQuery(
                      "INSERT INTO automations (name, event, conditions, actions, active,"
                          + " created_by_agent_id, created_at, updated_at) VALUES (:name, :event,"
                          + " :conditions, :actions, :active, :creator, :now, :now) RETURNING id")
                  .bind("name", def.name())
                  .bind("event", def.event())
                  .bind("conditions", conditionsJson(def.conditions()))
                  .bind("actions", actionsJson(def.actions()))
                  .bind("active", def.active())
                  .bind("creator", caller.agentId())
                  .bind("now", now)
                  .mapTo(Long.class)
                  .one();
          return load(h, id).wire();
        });
  }

  Automation update(Caller caller, long id, JsonNode body) {
    requireAdmin(caller);
    if (!body.isObject()) {
      throw new DelegaException.InvalidJson("request body must be a JSON object");
    }
    return db.write(
        tx -> {
          Handle h = tx.handle();
          Stored before = load(h, id);
          ObjectNode merged = before.definitionJson();
          for (String field : List.of("name", "event", "conditions", "actions", "active")) {
            if (body.has(field)) {
              merged.set(field, body.get(field));
            }
          }
          AutomationDefinition def = AutomationDefinition.fromJson(merged);
          checkReferences(h, def);
          h.createUpdate(
                  "UPDATE automations SET name = :name, event = :event, conditions = :conditions,"
                      + " actions = :actions, active = :active, updated_at = :now WHERE id = :id")
              .bind("name", def.name())
              .bind("event", def.event())
              .bind("conditions", conditionsJson(def.conditions()))
              .bind("actions", actionsJson(def.actions()))
              .bind("active", def.active())
              .bind("now", clock.millis())
              .bind("id", id)
              .execute();
          return load(h, id).wire();
        });
  }

  void delete(Caller caller, long id) {
    requireAdmin(caller);
    db.write(
        tx -> {
          load(tx.handle(), id);
          tx.handle().createUpdate("DELETE FROM automations WHERE id = ?").bind(0, id).execute();
          return null;
        });
    guard.forget(id);
  }

  List<Map<String, Object>> runs(Caller caller, long id) {
    requireAdmin(caller);
    return db.read(
        h -> {
          load(h, id);
          return h.createQuery(
                  "SELECT event_id, task_id, depth, outcome, message, created_at FROM"
                      + " automation_runs WHERE automation_id = ? ORDER BY id DESC LIMIT 100")
              .bind(0, id)
              .map(
                  (rs, ctx) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("event_id", rs.getLong("event_id"));
                    m.put("task_id", Sql.getLong(rs, "task_id"));
                    m.put("depth", rs.getInt("depth"));
                    m.put("outcome", rs.getString("outcome"));
                    m.put("message", rs.getString("message"));
                    m.put("created_at", Instant.ofEpochMilli(rs.getLong("created_at")));
                    return m;
                  })
              .list();
        });
  }

  /** Active automations for an event, oldest first. */
  static List<Stored> forEvent(Handle h, String event) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM automations WHERE event = ? AND active = TRUE ORDER BY id")
        .bind(0, event)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  /** One stored automation. */
  record Stored(
      long id,
      String name,
      String event,
      String conditions,
      String actions,
      boolean active,
      long runCount,
      long failureCount,
      Long lastRunAt,
      String lastError,
      Long createdBy,
      long createdAt,
      long updatedAt) {

    ObjectNode definitionJson() {
      ObjectNode n = Json.mapper().createObjectNode();
      n.put("name", name);
      n.put("event", event);
      n.set("conditions", Json.mapper().readTree(conditions));
      n.set("actions", Json.mapper().readTree(actions));
      n.put("active", active);
      return n;
    }

    AutomationDefinition definition() {
      return AutomationDefinition.fromJson(definitionJson());
    }

    Automation wire() {
      AutomationDefinition def = definition();
      return new Automation(
          id,
          name,
          event,
          def.conditions().stream().map(Automations::wire).toList(),
          def.actions().stream().map(Automations::wire).toList(),
          active,
          runCount,
          failureCount,
          lastRunAt == null ? null : Instant.ofEpochMilli(lastRunAt),
          lastError,
          createdBy,
          Instant.ofEpochMilli(createdAt),
          Instant.ofEpochMilli(updatedAt));
    }
  }

  static AutomationCondition wire(Condition c) {
    return new AutomationCondition(c.field().wire(), c.op().wire(), c.value());
  }

  static AutomationAction wire(Action a) {
    return new AutomationAction(
        a.type().wire(), a.agentId(), a.priority(), a.label(), a.policy(), a.content(),
        a.description(), a.projectId(), a.labels(), a.assignedToAgentId());
  }

  private static String conditionsJson(List<Condition> conditions) {
    return Json.mapper().writeValueAsString(conditions.stream().map(Automations::wire).toList());
  }

  private static String actionsJson(List<Action> actions) {
    return Json.mapper().writeValueAsString(actions.stream().map(Automations::wire).toList());
  }

  static Stored map(ResultSet rs) throws SQLException {
    Long lastRun = Sql.getLong(rs, "last_run_at");
    Long createdBy = Sql.getLong(rs, "created_by_agent_id");
    return new Stored(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("event"),
        rs.getString("conditions"),
        rs.getString("actions"),
        rs.getBoolean("active"),
        rs.getLong("run_count"),
        rs.getLong("failure_count"),
        lastRun,
        rs.getString("last_error"),
        createdBy,
        rs.getLong("created_at"),
        rs.getLong("updated_at"));
  }

  static Stored load(Handle h, long id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM automations WHERE id = ?")
        .bind(0, id)
        .map((rs, ctx) -> map(rs))
        .findOne()
        .orElseThrow(() -> new DelegaException.NotFound("Automation not found"));
  }

  /** Agents and projects an action names must exist when the rule is saved. */
  private static void checkReferences(Handle h, AutomationDefinition def) {
    List<Action> actions = def.actions();
    for (int i = 0; i < actions.size(); i++) {
      Action a = actions.get(i);
      String at = "actions[" + i + "].";
      checkAgent(h, at + "agent_id", a.agentId());
      checkAgent(h, at + "assigned_to_agent_id", a.assignedToAgentId());
      if (a.projectId() != null && TaskSources.existingProject(h, a.projectId()) == null) {
        throw FieldErrors.field(at + "project_id", at + "project_id " + a.projectId() + " does not exist");
      }
    }
  }

  private static void checkAgent(Handle h, String field, Long agentId) {
    if (agentId != null && TaskSources.activeAgent(h, agentId) == null) {
      throw FieldErrors.field(field, field + " " + agentId + " is not an active agent");
    }
  }

  private static void requireAdmin(Caller caller) {
    if (!caller.isAdmin()) {
      throw new DelegaException.Forbidden("automations are managed by admins only");
    }
  }
}

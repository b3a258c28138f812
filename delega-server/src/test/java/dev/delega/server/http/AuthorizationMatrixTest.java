package dev.delega.server.http;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.conformance.Routes;
import dev.delega.server.conformance.Routes.Operation;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every route of {@code /openapi.json} × every kind of caller → the status the access rules
 * (docs/access.md) require. Each row builds fresh fixtures for each caller (a task of another
 * worker, the caller's own task, a task assigned to it, a chain it takes part in…), so every cell
 * tests the rule it names. Routes other features add get a loose check: never a 5xx, and 401 for
 * the three callers without a working key. On failure the whole table is printed.
 */
class AuthorizationMatrixTest {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  private final Fleet fleet = new Fleet(SERVER);

  enum Who { ADMIN, COORDINATOR, WORKER, READER, NO_KEY, WRONG_KEY, DEACTIVATED }

  /** One request to make. */
  record Req(String method, String path, Object body) {}

  /** What a row's setup may use: the caller and fixtures made fresh for this cell. */
  final class Ctx {
    final Who who;
    final Actor caller;
    final DelegaClient client;
    final Actor owner;
    final Actor admin;

    Ctx(Who who, Actor caller, DelegaClient client, Actor owner, Actor admin) {
      this.who = who;
      this.caller = caller;
      this.client = client;
      this.owner = owner;
      this.admin = admin;
    }

    /** An open, unassigned task created by another worker. */
    long foreignTask() {
      return Fleet.task(owner, "foreign");
    }

    /** A task the caller created (a foreign one for callers without a key). */
    long ownTask() {
      return caller == null ? foreignTask() : Fleet.task(caller, "own");
    }

    long completedForeignTask() {
      long t = foreignTask();
      expect(owner.send("POST", "/tasks/" + t + "/complete", null), 200);
      return t;
    }

    long subtask(long task) {
      return expect(owner.send("POST", "/tasks/" + task + "/subtasks", body("content", "step")), 201).get("id").asLong();
    }

    long comment(long task) {
      return expect(owner.send("POST", "/tasks/" + task + "/comments", body("content", "note")), 201).get("id").asLong();
    }

    /** A sibling in a chain where the caller holds another task (assigned to it); created by another worker. */
    long chainSibling() {
      long root = foreignTask();
      Map<String, Object> mine = caller == null
          ? body("content", "member")
          : body("content", "member", "assigned_to_agent_id", caller.id());
      expect(admin.send("POST", "/tasks/" + root + "/delegate", mine), 201);
      return expect(owner.send("POST", "/tasks/" + root + "/delegate", body("content", "sibling")), 201).get("id").asLong();
    }

    long project() {
      return expect(admin.send("POST", "/projects", body("name", "matrix")), 201).get("id").asLong();
    }

    long otherAgent() {
      return fleet.worker("target").id();
    }

    /** The caller's own id (another agent's for callers without a key). */
    long self() {
      return caller == null ? otherAgent() : caller.id();
    }
  }

  /** A row: a route, a target, and the expected status for each agent caller (401 for the rest). */
  record Row(String route, String label, Function<Ctx, Req> setup, int admin, int coordinator, int worker, int reader) {
    int expected(Who who, boolean isPublic) {
      return switch (who) {
        case ADMIN -> admin;
        case COORDINATOR -> coordinator;
        case WORKER -> worker;
        case READER -> reader;
        case NO_KEY, WRONG_KEY, DEACTIVATED -> isPublic ? admin : 401;
      };
    }
  }

  private static Row row(String route, String label, Function<Ctx, Req> setup, int admin, int coord, int worker, int reader) {
    return new Row(route, label, setup, admin, coord, worker, reader);
  }

  private static Req get(String path) {
    return new Req("GET", path, null);
  }

  private static Req req(String method, String path, Object body) {
    return new Req(method, path, body);
  }

  private static long assigned(Ctx c) {
    if (c.caller == null) {
      return c.foreignTask();
    }
    return Fleet.task(c.admin, body("content", "assigned", "assigned_to_agent_id", c.caller.id())).get("id").asLong();
  }

  private static List<Row> rows() {
    Map<String, Object> edit = body("content", "edited");
    return List.of(
        row("GET /tasks", "list", c -> get("/tasks"), 200, 200, 200, 200),
        row("POST /tasks", "create", c -> req("POST", "/tasks", body("content", "new")), 201, 201, 201, 201),
        row("GET /tasks/{id}", "foreign", c -> get("/tasks/" + c.foreignTask()), 200, 200, 404, 200),
        row("GET /tasks/{id}", "own", c -> get("/tasks/" + c.ownTask()), 200, 200, 200, 200),
        row("GET /tasks/{id}", "assigned to caller", c -> get("/tasks/" + assigned(c)), 200, 200, 200, 200),
        row("GET /tasks/{id}", "chain sibling", c -> get("/tasks/" + c.chainSibling()), 200, 200, 200, 200),
        row("PUT /tasks/{id}", "foreign", c -> req("PUT", "/tasks/" + c.foreignTask(), edit), 200, 403, 404, 403),
        row("PUT /tasks/{id}", "own", c -> req("PUT", "/tasks/" + c.ownTask(), edit), 200, 200, 200, 200),
        row("PUT /tasks/{id}", "assigned to caller", c -> req("PUT", "/tasks/" + assigned(c), edit), 200, 200, 200, 200),
        row("PUT /tasks/{id}", "chain sibling", c -> req("PUT", "/tasks/" + c.chainSibling(), edit), 200, 403, 403, 403),
        row("PUT /tasks/{id}", "foreign, assignment only",
            c -> req("PUT", "/tasks/" + c.foreignTask(), body("assigned_to_agent_id", c.owner.id())), 200, 200, 404, 403),
        row("PATCH /tasks/{id}", "foreign", c -> req("PATCH", "/tasks/" + c.foreignTask(), edit), 200, 403, 404, 403),
        row("PATCH /tasks/{id}", "own", c -> req("PATCH", "/tasks/" + c.ownTask(), edit), 200, 200, 200, 200),
        row("DELETE /tasks/{id}", "foreign", c -> req("DELETE", "/tasks/" + c.foreignTask(), null), 200, 403, 404, 403),
        row("DELETE /tasks/{id}", "own", c -> req("DELETE", "/tasks/" + c.ownTask(), null), 200, 200, 200, 200),
        row("DELETE /tasks/{id}", "assigned to caller", c -> req("DELETE", "/tasks/" + assigned(c), null), 200, 200, 200, 200),
        row("POST /tasks/{id}/complete", "foreign", c -> req("POST", "/tasks/" + c.foreignTask() + "/complete", null), 200, 403, 404, 403),
        row("POST /tasks/{id}/complete", "assigned to caller", c -> req("POST", "/tasks/" + assigned(c) + "/complete", null), 200, 200, 200, 200),
        row("POST /tasks/{id}/uncomplete", "foreign, completed",
            c -> req("POST", "/tasks/" + c.completedForeignTask() + "/uncomplete", null), 200, 403, 404, 403),
        row("POST /tasks/{id}/uncomplete", "own", c -> req("POST", "/tasks/" + c.ownTask() + "/uncomplete", null), 200, 200, 200, 200),
        row("POST /tasks/{id}/delegate", "foreign",
            c -> req("POST", "/tasks/" + c.foreignTask() + "/delegate", body("content", "child")), 201, 403, 404, 403),
        row("POST /tasks/{id}/delegate", "own",
            c -> req("POST", "/tasks/" + c.ownTask() + "/delegate", body("content", "child")), 201, 201, 201, 201),
        row("POST /tasks/{id}/delegate", "own, to another agent",
            c -> req("POST", "/tasks/" + c.ownTask() + "/delegate", body("content", "child", "assigned_to_agent_id", c.owner.id())),
            201, 201, 403, 403),
        row("POST /tasks", "assigned to another agent",
            c -> req("POST", "/tasks", body("content", "for owner", "assigned_to_agent_id", c.owner.id())), 201, 201, 403, 403),
        row("POST /tasks", "in an existing project",
            c -> req("POST", "/tasks", body("content", "filed", "project_id", c.project())), 201, 201, 201, 201),
        row("GET /tasks/{id}/chain", "foreign", c -> get("/tasks/" + c.foreignTask() + "/chain"), 200, 200, 404, 200),
        row("GET /tasks/{id}/children", "foreign", c -> get("/tasks/" + c.foreignTask() + "/children"), 200, 200, 404, 200),
        row("GET /tasks/{id}/subtasks", "foreign", c -> get("/tasks/" + c.foreignTask() + "/subtasks"), 200, 200, 404, 200),
        row("POST /tasks/{id}/subtasks", "foreign",
            c -> req("POST", "/tasks/" + c.foreignTask() + "/subtasks", body("content", "s")), 201, 403, 404, 403),
        row("POST /tasks/{id}/subtasks", "own",
            c -> req("POST", "/tasks/" + c.ownTask() + "/subtasks", body("content", "s")), 201, 201, 201, 201),
        row("PUT /tasks/{id}/subtasks/{subtaskId}", "foreign", c -> {
          long t = c.foreignTask();
          return req("PUT", "/tasks/" + t + "/subtasks/" + c.subtask(t), body("content", "changed"));
        }, 200, 403, 404, 403),
        row("PATCH /tasks/{id}/subtasks/{subtaskId}", "foreign", c -> {
          long t = c.foreignTask();
          return req("PATCH", "/tasks/" + t + "/subtasks/" + c.subtask(t), body("completed", true));
        }, 200, 403, 404, 403),
        row("DELETE /tasks/{id}/subtasks/{subtaskId}", "foreign", c -> {
          long t = c.foreignTask();
          return req("DELETE", "/tasks/" + t + "/subtasks/" + c.subtask(t), null);
        }, 200, 403, 404, 403),
        row("POST /tasks/{id}/subtasks/{subtaskId}/toggle", "foreign", c -> {
          long t = c.foreignTask();
          return req("POST", "/tasks/" + t + "/subtasks/" + c.subtask(t) + "/toggle", null);
        }, 200, 403, 404, 403),
        row("GET /tasks/{id}/comments", "foreign", c -> get("/tasks/" + c.foreignTask() + "/comments"), 200, 200, 404, 200),
        row("POST /tasks/{id}/comments", "foreign",
            c -> req("POST", "/tasks/" + c.foreignTask() + "/comments", body("content", "c")), 201, 201, 404, 403),
        row("POST /tasks/{id}/comments", "chain sibling",
            c -> req("POST", "/tasks/" + c.chainSibling() + "/comments", body("content", "c")), 201, 201, 403, 403),
        row("DELETE /tasks/{id}/comments/{commentId}", "foreign", c -> {
          long t = c.foreignTask();
          return req("DELETE", "/tasks/" + t + "/comments/" + c.comment(t), null);
        }, 200, 403, 404, 403),
        row("GET /tasks/{id}/context", "foreign", c -> get("/tasks/" + c.foreignTask() + "/context"), 200, 200, 404, 200),
        row("PATCH /tasks/{id}/context", "foreign",
            c -> req("PATCH", "/tasks/" + c.foreignTask() + "/context", body("k", "v")), 200, 403, 404, 403),
        row("PATCH /tasks/{id}/context", "own",
            c -> req("PATCH", "/tasks/" + c.ownTask() + "/context", body("k", "v")), 200, 200, 200, 200),
        row("GET /tasks/{id}/events", "foreign", c -> get("/tasks/" + c.foreignTask() + "/events"), 200, 200, 404, 200),
        row("GET /agents", "list", c -> get("/agents"), 200, 200, 403, 403),
        row("POST /agents", "register", c -> req("POST", "/agents", body("name", Fleet.unique("made"))), 201, 403, 403, 403),
        row("GET /agents/{id}", "other", c -> get("/agents/" + c.otherAgent()), 200, 200, 403, 403),
        row("GET /agents/{id}", "self", c -> get("/agents/" + c.self()), 200, 200, 200, 200),
        row("PUT /agents/{id}", "other", c -> req("PUT", "/agents/" + c.otherAgent(), body("display_name", "X")), 200, 403, 403, 403),
        row("PUT /agents/{id}", "self, display name", c -> req("PUT", "/agents/" + c.self(), body("display_name", "X")), 200, 200, 200, 200),
        row("PUT /agents/{id}", "self, role", c -> req("PUT", "/agents/" + c.self(), body("role", "admin")), 200, 403, 403, 403),
        row("PUT /agents/{id}", "self, permissions",
            c -> req("PUT", "/agents/" + c.self(), body("permissions", List.of("tasks.read_all"))), 200, 403, 403, 403),
        row("PATCH /agents/{id}", "other", c -> req("PATCH", "/agents/" + c.otherAgent(), body("display_name", "X")), 200, 403, 403, 403),
        row("DELETE /agents/{id}", "other", c -> req("DELETE", "/agents/" + c.otherAgent(), null), 200, 403, 403, 403),
        row("DELETE /agents/{id}", "self", c -> req("DELETE", "/agents/" + c.self(), null), 409, 403, 403, 403),
        row("POST /agents/{id}/rotate-key", "other", c -> req("POST", "/agents/" + c.otherAgent() + "/rotate-key", null), 200, 403, 403, 403),
        row("POST /agents/{id}/rotate-key", "self", c -> req("POST", "/agents/" + c.self() + "/rotate-key", null), 200, 200, 200, 200),
        row("GET /agent/me", "self", c -> get("/agent/me"), 200, 200, 200, 200),
        row("GET /projects", "list", c -> get("/projects"), 200, 200, 200, 200),
        row("POST /projects", "create", c -> req("POST", "/projects", body("name", "p")), 201, 201, 403, 403),
        row("GET /projects/{id}", "any", c -> get("/projects/" + c.project()), 200, 200, 200, 200),
        row("PUT /projects/{id}", "any", c -> req("PUT", "/projects/" + c.project(), body("name", "q")), 200, 200, 403, 403),
        row("PATCH /projects/{id}", "any", c -> req("PATCH", "/projects/" + c.project(), body("color", "red")), 200, 200, 403, 403),
        row("DELETE /projects/{id}", "any", c -> req("DELETE", "/projects/" + c.project(), null), 200, 200, 403, 403),
        row("GET /stats", "scoped", c -> get("/stats"), 200, 200, 200, 200),
        row("GET /usage", "counts", c -> get("/usage"), 200, 200, 200, 200));
  }

  /** One cell of the table, as expected and as answered. */
  record Cell(String row, Who who, int expected, int actual, String answer) {
    boolean ok() {
      return expected == actual;
    }
  }

  private record Callers(Map<Who, Actor> agents, Actor owner, Actor admin) {}

  private Callers freshCallers() {
    Actor admin = fleet.admin();
    Map<Who, Actor> m = new EnumMap<>(Who.class);
    m.put(Who.ADMIN, fleet.otherAdmin("m-admin"));
    m.put(Who.COORDINATOR, fleet.coordinator("m-coord"));
    m.put(Who.WORKER, fleet.worker("m-worker"));
    m.put(Who.READER, fleet.reader("m-reader"));
    m.put(Who.DEACTIVATED, fleet.deactivated("m-off"));
    return new Callers(m, fleet.worker("m-owner"), admin);
  }

  private DelegaClient clientOf(Who who, Callers callers) {
    return switch (who) {
      case NO_KEY -> fleet.anonymous();
      case WRONG_KEY -> fleet.client(Fleet.wrongKey());
      default -> callers.agents().get(who).client();
    };
  }

  private static String shorten(RawResponse r) {
    String t = r.text().replaceAll("\\s+", " ");
    return t.length() > 120 ? t.substring(0, 120) + "…" : t;
  }

  private static String table(List<Cell> cells) {
    StringBuilder sb = new StringBuilder("\n");
    sb.append(String.format("%-50s %-26s", "route", "target"));
    for (Who w : Who.values()) {
      sb.append(String.format(" %-12s", w));
    }
    sb.append('\n');
    Map<String, Map<Who, Cell>> byRow = new LinkedHashMap<>();
    cells.forEach(c -> byRow.computeIfAbsent(c.row(), k -> new EnumMap<>(Who.class)).put(c.who(), c));
    byRow.forEach((row, m) -> {
      String[] parts = row.split(" \\| ", 2);
      sb.append(String.format("%-50s %-26s", parts[0], parts.length > 1 ? parts[1] : ""));
      for (Who w : Who.values()) {
        Cell c = m.get(w);
        String s = c == null ? "-" : c.ok() ? String.valueOf(c.actual()) : c.actual() + "≠" + c.expected() + " ✗";
        sb.append(String.format(" %-12s", s));
      }
      sb.append('\n');
    });
    sb.append("\nMismatches:\n");
    cells.stream().filter(c -> !c.ok()).forEach(c ->
        sb.append("  ").append(c.row()).append(" as ").append(c.who()).append(": expected ").append(c.expected())
            .append(", got ").append(c.actual()).append(" ").append(c.answer()).append('\n'));
    return sb.toString();
  }

  @Test
  void everyRouteTimesEveryCaller() {
    List<Operation> ops = Routes.of(SERVER);
    Set<String> documented = new LinkedHashSet<>();
    ops.forEach(o -> documented.add(o.method() + " " + o.path()));
    List<Cell> cells = new ArrayList<>();
    Set<String> covered = new LinkedHashSet<>();

    Callers callers = freshCallers();
    for (Row row : rows()) {
      assertThat(documented).as("core route %s must be listed in /openapi.json", row.route()).contains(row.route());
      covered.add(row.route());
      boolean touchesCallers = row.label().startsWith("self");
      if (touchesCallers) {
        callers = freshCallers();
      }
      for (Who who : Who.values()) {
        Actor caller = switch (who) {
          case ADMIN, COORDINATOR, WORKER, READER -> callers.agents().get(who);
          default -> null;
        };
        Ctx ctx = new Ctx(who, caller, clientOf(who, callers), callers.owner(), callers.admin());
        Req req = row.setup().apply(ctx);
        RawResponse r = ctx.client.send(req.method(), req.path(), req.body());
        cells.add(new Cell(row.route() + " | " + row.label(), who, row.expected(who, false), r.status(), shorten(r)));
      }
      if (touchesCallers) {
        callers = freshCallers();
      }
    }

    for (Operation op : ops) {
      if (covered.contains(op.method() + " " + op.path())) {
        continue;
      }
      for (Who who : Who.values()) {
        Actor caller = switch (who) {
          case ADMIN, COORDINATOR, WORKER, READER -> callers.agents().get(who);
          default -> null;
        };
        Ctx ctx = new Ctx(who, caller, clientOf(who, callers), callers.owner(), callers.admin());
        String path = op.fill(p -> switch (p) {
          case "id" -> op.path().startsWith("/tasks/") ? String.valueOf(ctx.foreignTask()) : "1";
          default -> "1";
        });
        boolean root = op.path().startsWith("/health") || op.path().startsWith("/api/") || op.path().startsWith("/v1/")
            || op.path().equals("/openapi.json") || op.path().equals("/metrics") || op.path().equals("/mcp");
        String url = (root ? SERVER.rootUrl() : SERVER.baseUrl()) + path;
        String key = switch (who) {
          case NO_KEY -> null;
          case WRONG_KEY -> Fleet.wrongKey();
          default -> callers.agents().get(who).key();
        };
        RawResponse r = Fleet.probe(op.method(), url, key, op.method().equals("GET") || op.method().equals("DELETE") ? null : "{}");
        int expected;
        if (op.isPublic()) {
          expected = r.status() < 500 ? r.status() : 200;
        } else if (who == Who.NO_KEY || who == Who.WRONG_KEY || who == Who.DEACTIVATED) {
          expected = 401;
        } else {
          expected = r.status() < 500 ? r.status() : 499;
        }
        cells.add(new Cell(op + " | (feature route, loose)", who, expected, r.status(), shorten(r)));
      }
    }

    List<Cell> wrong = cells.stream().filter(c -> !c.ok()).toList();
    assertThat(wrong).as(table(cells)).isEmpty();
  }
}

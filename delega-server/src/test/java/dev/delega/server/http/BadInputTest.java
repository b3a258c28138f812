package dev.delega.server.http;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Json;
import dev.delega.client.RawResponse;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.conformance.Routes;
import dev.delega.server.conformance.Routes.Operation;
import dev.delega.server.testing.DelegaServerExtension;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Malformed and hostile input at every POST, PUT and PATCH route of {@code /openapi.json}: broken
 * JSON, arrays and scalars instead of objects, the wrong type for every field a route reads, nulls
 * for required fields, oversized strings, absurd nesting, unknown ids, and bad ids in paths. Every
 * answer must be a 4xx (never a 5xx) and the database must be exactly as it was before. Routes that
 * other features add get the structural garbage and bad path ids, and must never answer 5xx.
 */
class BadInputTest {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  private final Fleet fleet = new Fleet(SERVER);
  private Actor admin;
  private long task;
  private long subtask;
  private long comment;
  private long project;
  private long agent;

  enum Kind { TEXT, REQUIRED_TEXT, ID, INT, BOOL, STRINGS, IDS, DATE, TIME, INSTANT, OBJECT, ENUM, EVIDENCE }

  /** A body-taking core route: a valid base body and the kind of every field it reads. */
  record Target(String method, String route, Map<String, Object> base, Map<String, Kind> fields) {}

  @BeforeEach
  void fixtures() {
    admin = fleet.admin();
    task = Fleet.task(admin, "target");
    subtask = expect(admin.send("POST", "/tasks/" + task + "/subtasks", body("content", "step")), 201).get("id").asLong();
    comment = expect(admin.send("POST", "/tasks/" + task + "/comments", body("content", "note")), 201).get("id").asLong();
    project = admin.client().projects().create("target").id();
    agent = fleet.worker("target").id();
  }

  private static Map<String, Kind> fields(Object... kv) {
    Map<String, Kind> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Kind) kv[i + 1]);
    }
    return m;
  }

  private static final Map<String, Kind> TASK_FIELDS = fields(
      "description", Kind.TEXT, "project_id", Kind.ID, "due_date", Kind.DATE, "due_time", Kind.TIME,
      "priority", Kind.INT, "labels", Kind.STRINGS, "status", Kind.ENUM, "recurring_type", Kind.ENUM,
      "recurring_interval", Kind.INT, "recurring_string", Kind.TEXT, "is_recurring", Kind.BOOL,
      "reminder_time", Kind.INSTANT, "context", Kind.OBJECT, "assigned_to_agent_id", Kind.ID,
      "evidence_policy", Kind.ENUM, "blocked_by", Kind.IDS);

  private List<Target> targets() {
    Map<String, Kind> create = new LinkedHashMap<>(TASK_FIELDS);
    create.put("content", Kind.REQUIRED_TEXT);
    Map<String, Kind> createWithParent = new LinkedHashMap<>(create);
    createWithParent.put("parent_task_id", Kind.ID);
    Map<String, Kind> update = new LinkedHashMap<>(TASK_FIELDS);
    update.put("content", Kind.REQUIRED_TEXT);
    update.put("completed", Kind.BOOL);
    Map<String, Kind> subtaskFields = fields("content", Kind.REQUIRED_TEXT, "completed", Kind.BOOL, "sort_order", Kind.INT);
    Map<String, Kind> agentCreate = fields("name", Kind.REQUIRED_TEXT, "display_name", Kind.TEXT, "description", Kind.TEXT,
        "permissions", Kind.STRINGS, "role", Kind.ENUM, "is_admin", Kind.BOOL);
    Map<String, Kind> agentUpdate = new LinkedHashMap<>(agentCreate);
    agentUpdate.put("active", Kind.BOOL);
    Map<String, Kind> projectFields = fields("name", Kind.REQUIRED_TEXT, "emoji", Kind.TEXT, "color", Kind.TEXT, "sort_order", Kind.INT);
    return List.of(
        new Target("POST", "/tasks", body("content", "x"), createWithParent),
        new Target("PUT", "/tasks/{id}", body(), update),
        new Target("PATCH", "/tasks/{id}", body(), update),
        new Target("POST", "/tasks/{id}/complete", body(), fields("evidence", Kind.EVIDENCE)),
        new Target("POST", "/tasks/{id}/delegate", body("content", "x"), create),
        new Target("POST", "/tasks/{id}/subtasks", body("content", "s"), subtaskFields),
        new Target("PUT", "/tasks/{id}/subtasks/{subtaskId}", body(), subtaskFields),
        new Target("PATCH", "/tasks/{id}/subtasks/{subtaskId}", body(), subtaskFields),
        new Target("POST", "/tasks/{id}/comments", body("content", "c"), fields("content", Kind.REQUIRED_TEXT, "author", Kind.TEXT)),
        new Target("PATCH", "/tasks/{id}/context", body(), fields()),
        new Target("POST", "/agents", body("name", "fresh-agent-name"), agentCreate),
        new Target("PUT", "/agents/{id}", body(), agentUpdate),
        new Target("PATCH", "/agents/{id}", body(), agentUpdate),
        new Target("POST", "/projects", body("name", "p"), projectFields),
        new Target("PUT", "/projects/{id}", body(), projectFields),
        new Target("PATCH", "/projects/{id}", body(), projectFields));
  }

  /** Routes whose handlers take no body at all; garbage there is ignored, like the reference. */
  private static final Set<String> BODYLESS = Set.of(
      "POST /tasks/{id}/uncomplete", "POST /tasks/{id}/subtasks/{subtaskId}/toggle", "POST /agents/{id}/rotate-key");

  private static final String HUGE = "h".repeat(300_000);
  private static final BigInteger OVERFLOW = new BigInteger("99999999999999999999999");

  private static List<Object> wrong(Kind kind) {
    return switch (kind) {
      case TEXT -> List.of(123, true, List.of(), Map.of(), List.of("a"), HUGE);
      case REQUIRED_TEXT -> list(123, false, List.of(), Map.of("a", 1), HUGE, "", "   ", null);
      case ID -> List.of("abc", -1, 0, 1.5, true, List.of(1), Map.of(), "99999999999999999999", OVERFLOW, 987654321);
      case INT -> List.of("x", 1.5, true, List.of(), Map.of(), 99_999_999_999L, -99_999_999_999L, OVERFLOW);
      case BOOL -> List.of("yes", 1, 0, List.of(), Map.of(), "maybe");
      case STRINGS -> List.of("a", 1, List.of(1), list((Object) null), List.of(List.of()), List.of(Map.of()), Map.of(), List.of(HUGE), List.of(""));
      case IDS -> List.of("1", List.of(true), List.of("x"), List.of(1.5), Map.of(), List.of(987654321), List.of(-4));
      case DATE -> List.of("2026-13-45", 20260101, "tomorrow", true, "2026-02-30", List.of());
      case TIME -> List.of("25:00", 930, "noon", "12:61", false);
      case INSTANT -> List.of("yesterday", 12345, "2026-02-30T00:00:00Z", true, "2026-03-01T25:00:00Z");
      case OBJECT -> List.of("x", 1, List.of(), true);
      case ENUM -> List.of("bogus", 1, true, List.of(), Map.of());
      case EVIDENCE -> List.of("x", Map.of(), List.of(1), List.of(Map.of()), List.of(Map.of("kind", "bogus", "ref", "x")),
          List.of(Map.of("kind", "commit")));
    };
  }

  private static List<Object> list(Object... values) {
    List<Object> out = new ArrayList<>();
    Collections.addAll(out, values);
    return out;
  }

  /** Bodies that are not a usable JSON object at all. */
  private static List<byte[]> structuralGarbage() {
    List<byte[]> out = new ArrayList<>();
    for (String s : List.of("{", "{\"content\": }", "not json", "{\"a\":1}}", "[]", "[{\"content\":\"x\"}]", "1", "\"str\"",
        "true", "{\"content\":\"x\"", "{'content':'x'}", "{\"content\":\"x\",}", "\u0000", "{\"content\":\"x\"}garbage")) {
      out.add(s.getBytes(StandardCharsets.UTF_8));
    }
    out.add(new byte[] {'{', '"', 'c', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
    out.add(("{\"context\":" + "[".repeat(100_000) + "]".repeat(100_000) + ",\"content\":\"x\"}").getBytes(StandardCharsets.UTF_8));
    out.add(("{\"content\":\"x\",\"context\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_001)).getBytes(StandardCharsets.UTF_8));
    return out;
  }

  private String fill(String route) {
    return route.replace("{id}", String.valueOf(route.startsWith("/agents") ? agent : route.startsWith("/projects") ? project : task))
        .replace("{subtaskId}", String.valueOf(subtask))
        .replace("{commentId}", String.valueOf(comment));
  }

  private String fingerprint() {
    return SERVER.wiring().database().read(h -> {
      StringBuilder sb = new StringBuilder();
      for (String q : List.of(
          "SELECT COUNT(*) || ':' || COALESCE(SUM(version), 0) || ':' || COALESCE(MAX(updated_at), 0) FROM tasks",
          "SELECT COUNT(*) || ':' || COALESCE(SUM(updated_at), 0) FROM agents",
          "SELECT COUNT(*) || ':' || COALESCE(SUM(updated_at), 0) FROM projects",
          "SELECT COUNT(*) || ':' || COALESCE(SUM(sort_order), 0) || ':' || COALESCE(SUM(CASE WHEN completed THEN 1 ELSE 0 END), 0) FROM subtasks",
          "SELECT COUNT(*) FROM comments",
          "SELECT COUNT(*) FROM events",
          "SELECT COUNT(*) FROM task_labels",
          "SELECT COUNT(*) FROM task_dependencies")) {
        sb.append(h.createQuery(q).mapTo(String.class).one()).append(' ');
      }
      return sb.toString();
    });
  }

  private record Outcome(String what, RawResponse answer) {}

  private static String describe(List<Outcome> bad) {
    StringBuilder sb = new StringBuilder("\n");
    bad.forEach(o -> sb.append("  ").append(o.what()).append(" -> ").append(o.answer().status()).append(' ')
        .append(o.answer().text().length() > 200 ? o.answer().text().substring(0, 200) : o.answer().text()).append('\n'));
    return sb.toString();
  }

  private static String shortJson(Object v) {
    String s = Json.mapper().writeValueAsString(v);
    return s.length() > 60 ? s.substring(0, 60) + "…(" + s.length() + ")" : s;
  }

  @Test
  void everyBodyTakingCoreRouteRefusesBadInputAndChangesNothing() {
    List<Outcome> failures = new ArrayList<>();
    List<String> documented = Routes.of(SERVER).stream().map(Operation::toString).toList();
    for (Target t : targets()) {
      assertThat(documented).contains(t.method() + " " + t.route());
      String path = fill(t.route());
      String before = fingerprint();
      List<Outcome> outcomes = new ArrayList<>();
      for (byte[] garbage : structuralGarbage()) {
        String what = t.method() + " " + t.route() + " body " + new String(garbage, 0, Math.min(40, garbage.length), StandardCharsets.UTF_8);
        outcomes.add(new Outcome(what, admin.send(t.method(), path, garbage, Map.of("Content-Type", "application/json"))));
      }
      for (Map.Entry<String, Kind> f : t.fields().entrySet()) {
        for (Object value : wrong(f.getValue())) {
          Map<String, Object> b = new LinkedHashMap<>(t.base());
          b.put(f.getKey(), value);
          String what = t.method() + " " + t.route() + " " + f.getKey() + "=" + shortJson(value);
          outcomes.add(new Outcome(what, admin.send(t.method(), path, b)));
        }
      }
      for (Outcome o : outcomes) {
        int s = o.answer().status();
        if (s < 400 || s >= 500) {
          failures.add(o);
        } else if (!o.answer().json().has("code")) {
          failures.add(o);
        }
      }
      String after = fingerprint();
      if (!after.equals(before)) {
        failures.add(new Outcome(t.method() + " " + t.route() + " changed the database: " + before + " -> " + after,
            outcomes.get(outcomes.size() - 1).answer()));
      }
    }
    assertThat(failures).as(describe(failures)).isEmpty();
  }

  @Test
  void nullsForRequiredFieldsAre422() {
    List<Outcome> failures = new ArrayList<>();
    String before = fingerprint();
    List<Object[]> cases = List.of(
        new Object[] {"POST", "/tasks", body("content", null)},
        new Object[] {"PUT", "/tasks/{id}", body("content", null)},
        new Object[] {"PUT", "/tasks/{id}", body("completed", null)},
        new Object[] {"PUT", "/tasks/{id}", body("priority", null)},
        new Object[] {"PUT", "/tasks/{id}", body("status", null)},
        new Object[] {"PUT", "/tasks/{id}", body("is_recurring", null)},
        new Object[] {"POST", "/tasks/{id}/delegate", body("content", null)},
        new Object[] {"POST", "/tasks/{id}/subtasks", body("content", null)},
        new Object[] {"PUT", "/tasks/{id}/subtasks/{subtaskId}", body("content", null)},
        new Object[] {"PUT", "/tasks/{id}/subtasks/{subtaskId}", body("completed", null)},
        new Object[] {"PUT", "/tasks/{id}/subtasks/{subtaskId}", body("sort_order", null)},
        new Object[] {"POST", "/tasks/{id}/comments", body("content", null)},
        new Object[] {"POST", "/agents", body("name", null)},
        new Object[] {"PUT", "/agents/{id}", body("name", null)},
        new Object[] {"PUT", "/agents/{id}", body("role", null)},
        new Object[] {"PUT", "/agents/{id}", body("is_admin", null)},
        new Object[] {"PUT", "/agents/{id}", body("active", null)},
        new Object[] {"POST", "/projects", body("name", null)},
        new Object[] {"PUT", "/projects/{id}", body("name", null)});
    for (Object[] c : cases) {
      RawResponse r = admin.send((String) c[0], fill((String) c[1]), c[2]);
      if (r.status() != 422) {
        failures.add(new Outcome(c[0] + " " + c[1] + " " + shortJson(c[2]), r));
      }
    }
    assertThat(failures).as(describe(failures)).isEmpty();
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void unknownIdsInBodiesAreRefused() {
    String before = fingerprint();
    List<RawResponse> answers = List.of(
        admin.send("POST", "/tasks", body("content", "x", "project_id", 987654321)),
        admin.send("POST", "/tasks", body("content", "x", "assigned_to_agent_id", 987654321)),
        admin.send("POST", "/tasks", body("content", "x", "parent_task_id", 987654321)),
        admin.send("POST", "/tasks", body("content", "x", "blocked_by", List.of(987654321))),
        admin.send("PUT", "/tasks/" + task, body("project_id", 987654321)),
        admin.send("PUT", "/tasks/" + task, body("assigned_to_agent_id", 987654321)),
        admin.send("PUT", "/tasks/" + task, body("blocked_by", List.of(987654321))),
        admin.send("POST", "/tasks/" + task + "/delegate", body("content", "x", "assigned_to_agent_id", 987654321)));
    for (RawResponse r : answers) {
      assertThat(r.status()).as(r.toString()).isIn(404, 422);
    }
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void badIdsInPathsAreRefusedEverywhere() {
    List<Outcome> failures = new ArrayList<>();
    String before = fingerprint();
    List<String> badIds = List.of("abc", "-1", "0", "99999999999999999999", "1.5", "%20", "%D9%A1%D9%A2", "%00", "1%3BDROP",
        "0x10", "1e3", "987654321");
    for (Operation op : Routes.of(SERVER)) {
      if (!op.hasParams() || op.isPublic()) {
        continue;
      }
      for (String bad : badIds) {
        String path = op.fill(p -> bad);
        RawResponse r = Fleet.probe(op.method(), SERVER.baseUrl() + path, admin.key(),
            op.method().equals("GET") || op.method().equals("DELETE") ? null : "{}");
        // The audit trail of a deleted task stays readable for callers who read all tasks, so an
        // unknown id there is an empty history, not a 404.
        boolean history = op.toString().equals("GET /tasks/{id}/events") && bad.equals("987654321") && r.status() == 200;
        if ((r.status() < 400 || r.status() >= 500) && !history) {
          failures.add(new Outcome(op + " with " + bad, r));
        }
      }
    }
    assertThat(failures).as(describe(failures)).isEmpty();
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void featureRoutesNeverAnswer5xxToGarbage() {
    Set<String> core = new HashSet<>(BODYLESS);
    targets().forEach(t -> core.add(t.method() + " " + t.route()));
    List<Outcome> failures = new ArrayList<>();
    for (Operation op : Routes.of(SERVER)) {
      boolean writes = op.method().equals("POST") || op.method().equals("PUT") || op.method().equals("PATCH");
      if (!writes || core.contains(op.toString()) || op.isPublic()) {
        continue;
      }
      String path = op.fill(p -> String.valueOf(op.path().startsWith("/tasks/") ? task : 1));
      for (byte[] garbage : structuralGarbage()) {
        RawResponse r = Fleet.probe(op.method(), SERVER.baseUrl() + path, admin.key(), new String(garbage, StandardCharsets.UTF_8));
        if (r.status() >= 500) {
          failures.add(new Outcome(op + " body " + new String(garbage, 0, Math.min(30, garbage.length), StandardCharsets.UTF_8), r));
        }
      }
    }
    assertThat(failures).as(describe(failures)).isEmpty();
  }

  /** Unusual but valid text is stored and returned exactly; text no store can hold is a 422, never a 5xx. */
  @Test
  void unicodeIsKeptExactlyAndNulIsRefused() {
    for (String text : List.of("emoji 🚀👩‍💻", "RTL مرحبا", "zero\u200Bwidth", "combining e\u0301", "CJK 日本語", "\uFEFFbom",
        "quotes \" ' ` \\ /", "<script>alert(1)</script>", "'; DROP TABLE tasks; --", "%_\\")) {
      long id = Fleet.task(admin, body("content", text, "labels", List.of(text))).get("id").asLong();
      assertThat(admin.client().tasks().get(id).content()).isEqualTo(text);
      assertThat(admin.client().tasks().get(id).labels()).containsExactly(text.strip());
    }
    String before = fingerprint();
    for (Map<String, Object> b : List.of(body("content", "nul\u0000byte"), body("content", "x", "labels", List.of("a\u0000b")),
        body("content", "x", "description", "\u0000"))) {
      RawResponse r = admin.send("POST", "/tasks", b);
      assertThat(r.status()).as(r.toString()).isEqualTo(422);
    }
    assertThat(admin.send("PUT", "/agents/" + agent, body("display_name", "a\u0000")).status()).isEqualTo(422);
    assertThat(fingerprint()).isEqualTo(before);
    RawResponse search = admin.send("GET", "/tasks?search=%00", null);
    assertThat(search.status()).isLessThan(500);
  }
}

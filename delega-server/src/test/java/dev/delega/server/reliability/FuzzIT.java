package dev.delega.server.reliability;

import static dev.delega.server.conformance.Fleet.body;

import dev.delega.api.Json;
import dev.delega.client.RawResponse;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.conformance.Routes;
import dev.delega.server.conformance.Routes.Operation;
import dev.delega.server.reliability.RawHttp.Header;
import dev.delega.server.testing.DelegaServerExtension;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Ten thousand generated bad requests across every route of {@code /openapi.json} (under {@code
 * /api} and {@code /v1}), {@code /mcp}, {@code /metrics}, {@code /events/stream} and ingress, from
 * an admin, a coordinator, a worker and nobody: garbage credentials, bad path ids (malformed,
 * unknown, other agents'), broken JSON, the wrong type for every field a route reads, huge and odd
 * strings (NUL, lone surrogates, RTL marks), bad query parameters, wrong methods, bad headers
 * ({@code If-Match}, {@code Idempotency-Key}, {@code X-Lease-Token}, {@code Content-Type}) and odd
 * paths (traversal, broken percent-encoding). Every request is invalid by construction. Each
 * answer must be below 500, every 4xx must be the JSON error body {@code {error, code, status,
 * detail}} (on {@code /mcp} that or a JSON-RPC error, and no Java internals in any {@code /mcp}
 * answer), every write must be refused, and after each request every table holds exactly what it
 * held before.
 *
 * <p>{@link dev.delega.server.http.BadInputTest} checks the core write routes field by field in a
 * fixed order; this generalizes it to every route, method, header and agent, at random.
 */
class FuzzIT {
  static final int TRIES = 10_000;

  private static DelegaServerExtension server;
  private static RawHttp http;
  private static Fixtures fx;
  private static List<Operation> operations;
  private static String snapshot;
  private static final AtomicLong started = new AtomicLong();
  private static final AtomicLong sendNanos = new AtomicLong();
  private static final AtomicLong dumpNanos = new AtomicLong();
  private static final Map<String, AtomicInteger> byCategory = new ConcurrentHashMap<>();
  private static final Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();

  enum Who { ADMIN, COORDINATOR, WORKER, NOBODY }

  /** One generated request, why it is invalid, and whether it must be refused (anything but a read). */
  record Probe(String category, Who who, String method, String target, List<Header> headers, byte[] body, boolean mustRefuse,
      String why) {
    @Override
    public String toString() {
      String b = body == null ? "" : new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8)
          + (body.length > 160 ? "…(" + body.length + " bytes)" : "");
      return "[" + category + "] " + who + " " + method + " " + RawHttp.abbreviate(target) + " " + headers + " " + b + " — " + why;
    }
  }

  /** What the fixtures made: agents and one object of every kind, visible to some agents only. */
  record Fixtures(Actor admin, Actor coordinator, Actor worker, Actor other, long project, long emptyProject,
      long workerTask, long otherTask, long parent, long child, long claimed, long claimToken, long blocker, long deletedTask,
      long subtask, long comment, long workerWebhook, long otherWebhook, long automation, long ingress, long recurrence) {
    String key(Who who) {
      return switch (who) {
        case ADMIN -> admin.key();
        case COORDINATOR -> coordinator.key();
        case WORKER -> worker.key();
        case NOBODY -> null;
      };
    }
  }

  @BeforeContainer
  static void start() {
    server = new DelegaServerExtension();
    server.start();
    http = new RawHttp(server.port());
    fx = fixtures(new Fleet(server));
    operations = Routes.of(server);
    snapshot = quiet();
    started.set(System.nanoTime());
  }

  @AfterContainer
  static void stop() {
    long ms = (System.nanoTime() - started.get()) / 1_000_000;
    int total = byCategory.values().stream().mapToInt(AtomicInteger::get).sum();
    System.out.printf("fuzz: %d requests in %d ms over %d operations; by category %s; by status %s%n", total, ms,
        operations == null ? 0 : operations.size(), new TreeMap<>(byCategory), new TreeMap<>(byStatus));
    System.out.printf("fuzz: sending %d ms, comparing %d ms%n", sendNanos.get() / 1_000_000, dumpNanos.get() / 1_000_000);
    found.forEach((k, v) -> System.out.println("FOUND " + k + "\n" + v + "\n"));
    if (server != null) {
      server.stop();
    }
  }

  private static Fixtures fixtures(Fleet fleet) {
    Actor admin = fleet.admin();
    Actor coordinator = fleet.coordinator("fuzz-coordinator");
    Actor worker = fleet.worker("fuzz-worker");
    Actor other = fleet.worker("fuzz-other");
    long project = admin.client().projects().create("fuzz").id();
    long emptyProject = admin.client().projects().create("fuzz-empty").id();
    long workerTask = created(worker.send("POST", "/tasks", body("content", "worker task", "labels", List.of("a"),
        "project_id", project, "context", Map.of("k", 1))));
    long otherTask = created(other.send("POST", "/tasks", body("content", "other's task", "assigned_to_agent_id", other.id())));
    long parent = created(admin.send("POST", "/tasks", body("content", "parent")));
    long child = created(admin.send("POST", "/tasks/" + parent + "/delegate", body("content", "child", "assigned_to_agent_id", worker.id())));
    long claimed = created(worker.send("POST", "/tasks", body("content", "claimed", "assigned_to_agent_id", worker.id())));
    JsonNode claim = ok(worker.send("POST", "/tasks/" + claimed + "/claim", body("lease_seconds", 3600)));
    long token = claim.path("task").path("lease_token").asLong(claim.path("lease_token").asLong());
    long blocker = created(admin.send("POST", "/tasks", body("content", "blocker", "assigned_to_agent_id", other.id())));
    long deleted = created(admin.send("POST", "/tasks", body("content", "deleted")));
    ok(admin.send("DELETE", "/tasks/" + deleted, null));
    ok(worker.send("POST", "/tasks/" + workerTask + "/links", body("kind", "url", "url", "https://example.com/x")));
    long subtask = created(worker.send("POST", "/tasks/" + workerTask + "/subtasks", body("content", "step")));
    long comment = created(worker.send("POST", "/tasks/" + workerTask + "/comments", body("content", "note")));
    long workerHook = created(worker.send("POST", "/webhooks", body("url", "http://127.0.0.1:9/w", "events", List.of("webhook.test"))));
    long otherHook = created(other.send("POST", "/webhooks", body("url", "http://127.0.0.1:9/o", "events", List.of("webhook.test"))));
    long automation = created(admin.send("POST", "/automations", body("name", "fuzz", "event", "task.completed",
        "actions", List.of(Map.of("type", "add_comment", "content", "done")))));
    long ingress = created(admin.send("POST", "/ingress-sources", body("name", "fuzz", "template", Map.of("content", "{{payload.title}}"))));
    long recurrence = created(admin.send("POST", "/recurrences", body("content", "yearly", "rule_type", "yearly",
        "timezone", "UTC", "next_due_at", "2099-01-01T00:00:00Z")));
    return new Fixtures(admin, coordinator, worker, other, project, emptyProject, workerTask, otherTask, parent, child, claimed,
        token, blocker, deleted, subtask, comment, workerHook, otherHook, automation, ingress, recurrence);
  }

  private static long created(RawResponse r) {
    return ok(r).get("id").asLong();
  }

  private static JsonNode ok(RawResponse r) {
    if (r.status() >= 300) {
      throw new IllegalStateException("fixture refused: " + r.status() + " " + r.text());
    }
    return r.isEmpty() ? Json.mapper().nullNode() : r.json();
  }

  // ---------------------------------------------------------------- the property

  /** With {@code -Dfuzz.explore=true} every failure is collected and printed instead of stopping at the first. */
  private static final boolean EXPLORE = Boolean.getBoolean("fuzz.explore");
  private static final Map<String, String> found = new ConcurrentHashMap<>();

  @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
  void badRequestsAreRefusedCleanlyAndChangeNothing(@ForAll("probes") Probe p) {
    try {
      check(p);
    } catch (AssertionError e) {
      if (!EXPLORE) {
        throw e;
      }
      found.putIfAbsent(p.category() + " " + p.method() + " " + p.target().replaceAll("[0-9]+", "N").replaceAll("\\?.*", "")
          + " " + e.getMessage().lines().skip(1).findFirst().orElse("").replaceAll("[0-9]+", "N"), e.getMessage());
    }
  }

  private static void check(Probe p) {
    byCategory.computeIfAbsent(p.category(), k -> new AtomicInteger()).incrementAndGet();
    long t0 = System.nanoTime();
    RawHttp.Answer a = http.send(p.method(), p.target(), p.headers(), p.body());
    long t1 = System.nanoTime();
    sendNanos.addAndGet(t1 - t0);
    byStatus.computeIfAbsent(a.status(), k -> new AtomicInteger()).incrementAndGet();
    String after = dump();
    dumpNanos.addAndGet(System.nanoTime() - t1);
    if (!after.equals(snapshot)) {
      String before = snapshot;
      snapshot = after; // later tries compare against the new state, so one bug is reported once
      throw new AssertionError(p + "\n  -> " + a.status() + " " + a.text() + "\n  changed the stored data:\n" + diff(before, after));
    }
    if (a.status() >= 500) {
      throw new AssertionError(p + "\n  -> " + a.status() + " " + a.text());
    }
    if (p.mustRefuse() && a.status() < 400) {
      throw new AssertionError(p + "\n  -> accepted with " + a.status() + " " + a.text());
    }
    if (p.target().startsWith("/mcp") && MCP_INTERNALS.matcher(a.text()).find()) {
      throw new AssertionError(p + "\n  -> " + a.status() + " " + a.text() + "\n  leaks Java internals");
    }
    if (a.status() >= 400) {
      String problem = problemShape(p, a);
      if (problem != null) {
        throw new AssertionError(p + "\n  -> " + a.status() + " " + a.contentType() + " " + a.text() + "\n  " + problem);
      }
    }
  }

  /** Null when a 4xx answer is the spec's error body; else what is wrong with it. */
  static String problemShape(Probe p, RawHttp.Answer a) {
    JsonNode json;
    try {
      json = Json.mapper().readTree(a.body());
    } catch (JacksonException e) {
      return "the error body is not JSON";
    }
    if (json == null || !json.isObject()) {
      return "the error body is not a JSON object";
    }
    if (p.target().startsWith("/mcp") && json.has("jsonrpc")) {
      return jsonRpcErrorShape(json);
    }
    if (!json.path("error").isString() || !json.path("code").isString() || json.path("status").asInt() != a.status()
        || !json.path("detail").isString()) {
      return "the error body lacks error, code, status or detail";
    }
    return null;
  }

  /** Traces of Java in an answer: a stack trace, an exception, a package of the JDK, Jackson or the MCP SDK. */
  static final Pattern MCP_INTERNALS =
      Pattern.compile("stackTrace|jsonRpcError|Exception|\\bat [a-z]+\\.|java\\.(lang|util)|tools\\.jackson|io\\.modelcontextprotocol");

  /** Null when {@code json} is a JSON-RPC error response {@code {jsonrpc: "2.0", id, error: {code, message}}}. */
  static String jsonRpcErrorShape(JsonNode json) {
    JsonNode error = json.path("error");
    if (!json.path("jsonrpc").asString("").equals("2.0") || !json.has("id") || !error.isObject()
        || !error.path("code").isIntegralNumber() || !error.path("message").isString()) {
      return "the MCP error body is not {jsonrpc: \"2.0\", id, error: {code, message}}";
    }
    return null;
  }

  // ---------------------------------------------------------------- the stored data

  /** Bookkeeping, not data: recorded idempotent answers, migrations, and how far the webhook fan-out has read. */
  private static final Set<String> VOLATILE_TABLES = Set.of("idempotency_keys", "flyway_schema_history", "webhook_cursor");

  /** Every row of every table (but the idempotency record and when an agent was last seen). */
  static String dump() {
    return server.wiring().database().read(h -> {
      StringBuilder sb = new StringBuilder();
      List<String> tables = h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").mapTo(String.class).list();
      for (String t : tables) {
        if (VOLATILE_TABLES.contains(t)) {
          continue;
        }
        sb.append("## ").append(t).append('\n');
        for (Map<String, Object> row : h.createQuery("SELECT * FROM " + t + " ORDER BY 1").mapToMap().list()) {
          Map<String, Object> r = new TreeMap<>(row);
          if (t.equals("agents")) {
            r.remove("last_seen_at");
          }
          sb.append(r.entrySet().stream().map(e -> e.getKey() + "=" + cell(e.getValue())).collect(Collectors.joining(", "))).append('\n');
        }
      }
      return sb.toString();
    });
  }

  private static String cell(Object v) {
    return v instanceof byte[] b ? Arrays.toString(b) : String.valueOf(v);
  }

  /** The dump once background work after the fixtures has settled (four equal dumps 300 ms apart). */
  private static String quiet() {
    String last = dump();
    int same = 0;
    for (int i = 0; i < 60 && same < 3; i++) {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      String now = dump();
      same = now.equals(last) ? same + 1 : 0;
      last = now;
    }
    if (same < 3) {
      throw new IllegalStateException("the stored data never settled after the fixtures");
    }
    return last;
  }

  private static String diff(String before, String after) {
    List<String> a = Arrays.asList(before.split("\n"));
    List<String> b = Arrays.asList(after.split("\n"));
    StringBuilder sb = new StringBuilder();
    b.stream().filter(l -> !a.contains(l)).limit(10).forEach(l -> sb.append("    + ").append(RawHttp.abbreviate(l)).append('\n'));
    a.stream().filter(l -> !b.contains(l)).limit(10).forEach(l -> sb.append("    - ").append(RawHttp.abbreviate(l)).append('\n'));
    return sb.toString();
  }

  // ---------------------------------------------------------------- generators

  private static final String HUGE = "h".repeat(300_000);
  private static final BigInteger OVERFLOW = new BigInteger("99999999999999999999999");
  private static final List<String> ODD_TEXT = List.of("nul\u0000byte", "lone \uD800 high", "lone \uDC00 low", "rtl \u202Eevil\u202C",
      "\u200F\u200E\u061C marks", "\uFEFFbom", "zero\u200Bwidth", "\uFFFF\uFFFE", "𝕏 astral", "a".repeat(20_000));

  @Provide
  Arbitrary<Probe> probes() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, credentials()),
        net.jqwik.api.Tuple.of(14, badPathIds()),
        net.jqwik.api.Tuple.of(14, brokenBodies()),
        net.jqwik.api.Tuple.of(24, wrongFields()),
        net.jqwik.api.Tuple.of(6, wrongMethods()),
        net.jqwik.api.Tuple.of(12, badQueries()),
        net.jqwik.api.Tuple.of(8, badHeaders()),
        net.jqwik.api.Tuple.of(6, oddPaths()),
        net.jqwik.api.Tuple.of(6, mcp()),
        net.jqwik.api.Tuple.of(2, metricsAndIngress()));
  }

  private static Arbitrary<String> prefix() {
    return Arbitraries.of("/api", "/v1");
  }

  private static Arbitrary<Who> agent() {
    return Arbitraries.of(Who.ADMIN, Who.COORDINATOR, Who.WORKER, Who.NOBODY);
  }

  private static Arbitrary<Who> someone() {
    return Arbitraries.of(Who.ADMIN, Who.COORDINATOR, Who.WORKER);
  }

  private static boolean writes(String method) {
    return !method.equals("GET");
  }

  private static List<Operation> ops(java.util.function.Predicate<Operation> keep) {
    List<Operation> out = operations.stream().filter(keep).toList();
    if (out.isEmpty()) {
      throw new IllegalStateException("no operation matches");
    }
    return out;
  }

  /** Headers an honest client sends, plus noise that must change nothing (proxy identity is not trusted here). */
  private static Arbitrary<List<Header>> noise() {
    return Arbitraries.of(
            new Header("Accept", "application/json"),
            new Header("Accept", "text/html"),
            new Header("Accept", "*/*;q=garbage"),
            new Header("X-Request-Id", "x".repeat(500)),
            new Header("X-Request-Id", "bad id\u202E"),
            new Header("Origin", "https://evil.example"),
            new Header("Remote-User", "admin"),
            new Header("X-Forwarded-User", "admin"),
            new Header("X-Forwarded-For", "not-an-ip, 999.1.1.1"),
            new Header("Accept-Encoding", "gzip, br"),
            new Header("X-Dedup-Check", "true"),
            new Header("Accept-Language", "\u0000"))
        .list().ofMaxSize(2);
  }

  private static List<Header> auth(Who who, List<Header> extra) {
    List<Header> h = new ArrayList<>();
    String key = fx.key(who);
    if (key != null) {
      h.add(new Header("X-Agent-Key", key));
    }
    h.addAll(extra);
    return h;
  }

  private static List<Header> json(Who who, List<Header> extra) {
    List<Header> h = auth(who, extra);
    h.add(new Header("Content-Type", "application/json"));
    return h;
  }

  /** The path of {@code op} with the ids of the fixtures the route is about. */
  private static String fill(Operation op) {
    String path = op.path();
    return op.fill(param -> String.valueOf(switch (param) {
      case "id" -> path.startsWith("/agents") ? fx.other().id()
          : path.startsWith("/projects") ? fx.project()
          : path.startsWith("/webhooks") ? fx.workerWebhook()
          : path.startsWith("/automations") ? fx.automation()
          : path.startsWith("/ingress") ? fx.ingress()
          : path.startsWith("/recurrences") ? fx.recurrence()
          : path.matches("/tasks/\\{id}/(heartbeat|state|release)") ? fx.claimed()
          : fx.workerTask();
      case "subtaskId" -> fx.subtask();
      case "commentId" -> fx.comment();
      case "blockerId" -> fx.blocker();
      default -> 1;
    }));
  }

  private static byte[] bytes(Object jsonValue) {
    return Json.mapper().writeValueAsBytes(jsonValue);
  }

  // 1. credentials that identify nobody, on every route that needs a key
  private Arbitrary<Probe> credentials() {
    List<Operation> guarded = ops(o -> !o.isPublic());
    Arbitrary<List<Header>> creds = Arbitraries.<List<Header>>of(
            List.of(),
            List.of(new Header("X-Agent-Key", "")),
            List.of(new Header("X-Agent-Key", Fleet.wrongKey())),
            List.of(new Header("X-Agent-Key", "dlg_" + "A".repeat(10_000))),
            List.of(new Header("X-Agent-Key", "dlg_\u202Eevil")),
            List.of(new Header("X-Agent-Key", "dlg_\u0000")),
            List.of(new Header("X-Agent-Key", "whsec_abc")),
            List.of(new Header("X-Agent-Key", "' OR 1=1 --")),
            List.of(new Header("Authorization", "Bearer")),
            List.of(new Header("Authorization", "Bearer  " + Fleet.wrongKey())),
            List.of(new Header("Authorization", "Basic YWRtaW46YWRtaW4=")),
            List.of(new Header("Authorization", "bearer dlg_")),
            List.of(new Header("Authorization", "Bearer " + "x".repeat(9_000))),
            List.of(new Header("X-Agent-Key", "dlg_nope"), new Header("Authorization", "Bearer dlg_nope")),
            List.of(new Header("Remote-User", "admin")));
    return Combinators.combine(Arbitraries.of(guarded), prefix(), creds, Arbitraries.of(new byte[0], bytes(body("content", "x", "name", "n"))))
        .as((op, pre, headers, b) -> {
          List<Header> h = new ArrayList<>(headers);
          h.add(new Header("Content-Type", "application/json"));
          boolean get = !writes(op.method());
          return new Probe("credentials", Who.NOBODY, op.method(), pre + fill(op), h, get ? null : b, writes(op.method()),
              "no valid key");
        });
  }

  // 2. ids in the path that are malformed, unknown, deleted or another agent's
  private Arbitrary<Probe> badPathIds() {
    List<Operation> withIds = ops(o -> o.hasParams() && !o.isPublic());
    Arbitrary<String> malformed = Arbitraries.of("abc", "-1", "0", "1.5", "99999999999999999999", "9223372036854775807",
        "9223372036854775808", "%00", "%20", "%201", "+1", "1e3", "0x10", "%D9%A1%D9%A2", "1%3BDROP", "%E2%80%AE1",
        "%ED%A0%80", "%C0%AE%C0%AE", "..", "%2e%2e", "%2F", "1%2F2", "null", "undefined", "[1]", "%7B%7D", "987654321",
        "ａ", "%EF%BC%91");
    return Combinators.combine(Arbitraries.of(withIds), prefix(), someone(), malformed, Arbitraries.integers().between(0, 3), noise())
        .as((op, pre, who, bad, pick, extra) -> {
          List<String> params = new ArrayList<>();
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([A-Za-z_]+)}").matcher(op.path());
          while (m.find()) {
            params.add(m.group(1));
          }
          String victim = params.get(pick % params.size());
          String good = fill(op);
          String path = op.fill(p -> p.equals(victim) ? bad : segmentOf(good, op.path(), p));
          return new Probe("path-id", who, op.method(), pre + path, json(who, extra),
              writes(op.method()) ? bytes(body()) : null, writes(op.method()),
              victim + " = " + bad);
        });
  }

  /** The value {@code fill} gave {@code param} in {@code good}, for paths with several parameters. */
  private static String segmentOf(String good, String pattern, String param) {
    String[] g = good.split("/");
    String[] p = pattern.split("/");
    for (int i = 0; i < p.length; i++) {
      if (p[i].equals("{" + param + "}")) {
        return g[i];
      }
    }
    throw new IllegalStateException(param + " not in " + pattern);
  }

  // other agents' objects, seen by a worker
  private Arbitrary<Probe> foreignIds() {
    List<Operation> taskOps = ops(o -> o.path().startsWith("/tasks/{id}") || o.path().startsWith("/webhooks/{id}"));
    return Combinators.combine(Arbitraries.of(taskOps), prefix(), Arbitraries.of(true, false), noise())
        .as((op, pre, deleted, extra) -> {
          long foreign = op.path().startsWith("/webhooks") ? fx.otherWebhook() : deleted ? fx.deletedTask() : fx.otherTask();
          String good = fill(op);
          String path = op.fill(p -> p.equals("id") ? String.valueOf(foreign) : segmentOf(good, op.path(), p));
          return new Probe("foreign-id", Who.WORKER, op.method(), pre + path, json(Who.WORKER, extra),
              writes(op.method()) ? bytes(body()) : null, writes(op.method()), "id " + foreign + " is not the worker's");
        });
  }

  // 3. bodies that are not a JSON object, on every route that takes one
  private Arbitrary<Probe> brokenBodies() {
    List<Operation> writeOps = ops(o -> !o.isPublic() && (o.method().equals("POST") || o.method().equals("PUT") || o.method().equals("PATCH"))
        && !BODYLESS.contains(o.toString()));
    Arbitrary<byte[]> fixed = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(12, Arbitraries.of(structuralGarbage())), net.jqwik.api.Tuple.of(1, Arbitraries.of(bigGarbage())));
    Arbitrary<byte[]> random = Arbitraries.strings().withChars("{}[]\":,.0123456789-+eEtrufalsn\\ \tx'").ofMinLength(1).ofMaxLength(40)
        .filter(FuzzIT::notAnObject).map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<String> contentType = Arbitraries.of("application/json", "application/json; charset=utf-8", "text/plain",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "", "\u0000");
    return Combinators.combine(Arbitraries.of(writeOps), prefix(), someone(), Arbitraries.oneOf(fixed, random), contentType, noise())
        .as((op, pre, who, garbage, type, extra) -> {
          List<Header> h = auth(who, extra);
          h.add(new Header("Content-Type", type));
          return new Probe("broken-body", who, op.method(), pre + fill(op), h, garbage, true, "body is not a JSON object");
        });
  }

  /** Write routes whose handlers read no body at all; garbage there is ignored, like the reference. */
  static final Set<String> BODYLESS = Set.of(
      "POST /tasks/{id}/uncomplete", "POST /tasks/{id}/subtasks/{subtaskId}/toggle", "POST /agents/{id}/rotate-key",
      "POST /webhooks/{id}/test", "POST /webhooks/{id}/deliveries/{deliveryId}/redeliver");

  static boolean notAnObject(String s) {
    if (s.isBlank()) {
      return false;
    }
    try {
      JsonNode n = Json.mapper().readTree(s);
      return n == null || !(n.isObject() || n.isNull() || n.isMissingNode());
    } catch (JacksonException e) {
      return true;
    }
  }

  private static List<byte[]> structuralGarbage() {
    List<byte[]> out = new ArrayList<>();
    for (String s : List.of("{", "{\"content\": }", "not json", "{\"a\":1}}", "[]", "[{\"content\":\"x\"}]", "1", "\"str\"", "true",
        "{\"content\":\"x\"", "{'content':'x'}", "{\"content\":\"x\",}", "\u0000", "{\"content\":\"x\"}garbage", "{\"a\":NaN}",
        "{\"a\":Infinity}", "{\"a\":01}", "{\"a\" 1}", "{\"content\":\"x\"}{\"content\":\"y\"}", "\uFEFF[]",
        "{\"\\uD800\":1,", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "<xml/>", "content=x&name=y", "--x\r\nContent-Disposition: form-data\r\n")) {
      out.add(s.getBytes(StandardCharsets.UTF_8));
    }
    out.add(new byte[] {'{', '"', 'c', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
    out.add(new byte[] {'{', '"', 'c', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'});
    out.add(new byte[] {'{', '"', 'c', '"', ':', '"', (byte) 0xC0, (byte) 0xAE, '"', '}'});
    out.add(new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0});
    out.add(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, '[', 0, ']'});
    return out;
  }

  /** Bodies that are costly to send and to refuse: absurd nesting, and more than the 1 MiB limit. */
  private static List<byte[]> bigGarbage() {
    List<byte[]> out = new ArrayList<>();
    out.add(("{\"context\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8));
    out.add(("{\"context\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_001)).getBytes(StandardCharsets.UTF_8));
    out.add(("{\"content\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8));
    return out;
  }

  // 4. one field of the wrong type (or out of range, or odd text) in an otherwise valid body
  enum Kind { TEXT, REQUIRED_TEXT, ID, INT, NUMBER, BOOL, STRINGS, IDS, DATE, TIME, INSTANT, OBJECT, ENUM, EVIDENCE, URL, EVENTS, ARRAY, ZONE }

  /** A body-taking route: a valid base body and the kind of every field it reads. */
  record Target(String method, String route, Map<String, Object> base, Map<String, Kind> fields) {}

  private static Map<String, Kind> fields(Object... kv) {
    Map<String, Kind> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Kind) kv[i + 1]);
    }
    return m;
  }

  private static Map<String, Kind> plus(Map<String, Kind> a, Object... kv) {
    Map<String, Kind> m = new LinkedHashMap<>(a);
    m.putAll(fields(kv));
    return m;
  }

  private static final Map<String, Kind> TASK_FIELDS = fields(
      "description", Kind.TEXT, "project_id", Kind.ID, "due_date", Kind.DATE, "due_time", Kind.TIME, "priority", Kind.INT,
      "labels", Kind.STRINGS, "status", Kind.ENUM, "recurring_type", Kind.ENUM, "recurring_interval", Kind.INT,
      "recurring_string", Kind.TEXT, "is_recurring", Kind.BOOL, "reminder_time", Kind.INSTANT, "context", Kind.OBJECT,
      "assigned_to_agent_id", Kind.ID, "evidence_policy", Kind.ENUM, "blocked_by", Kind.IDS);

  static List<Target> targets() {
    Map<String, Kind> create = plus(TASK_FIELDS, "content", Kind.REQUIRED_TEXT);
    Map<String, Kind> update = plus(TASK_FIELDS, "content", Kind.REQUIRED_TEXT, "completed", Kind.BOOL);
    Map<String, Kind> subtask = fields("content", Kind.REQUIRED_TEXT, "completed", Kind.BOOL, "sort_order", Kind.INT);
    Map<String, Kind> agent = fields("name", Kind.REQUIRED_TEXT, "display_name", Kind.TEXT, "description", Kind.TEXT,
        "permissions", Kind.STRINGS, "role", Kind.ENUM, "is_admin", Kind.BOOL);
    Map<String, Kind> project = fields("name", Kind.REQUIRED_TEXT, "emoji", Kind.TEXT, "color", Kind.TEXT, "sort_order", Kind.INT);
    Map<String, Kind> webhook = fields("url", Kind.URL, "events", Kind.EVENTS, "secret", Kind.TEXT, "active", Kind.BOOL);
    Map<String, Kind> recurrence = fields("content", Kind.REQUIRED_TEXT, "rule_type", Kind.ENUM, "timezone", Kind.ZONE,
        "next_due_at", Kind.INSTANT, "interval", Kind.INT, "anchor_day", Kind.INT, "anchor_month", Kind.INT,
        "anchor_weekday", Kind.INT, "priority", Kind.INT, "labels", Kind.STRINGS, "project_id", Kind.ID,
        "assigned_to_agent_id", Kind.ID, "description", Kind.TEXT, "active", Kind.BOOL, "skip_if_open", Kind.BOOL);
    Map<String, Kind> automation = fields("name", Kind.REQUIRED_TEXT, "event", Kind.ENUM, "conditions", Kind.ARRAY,
        "actions", Kind.ARRAY, "active", Kind.BOOL);
    Map<String, Kind> ingress = fields("name", Kind.REQUIRED_TEXT, "template", Kind.OBJECT, "filters", Kind.ARRAY,
        "default_project_id", Kind.ID, "default_assignee_agent_id", Kind.ID, "active", Kind.BOOL);
    Map<String, Object> automationBase = body("name", "a", "event", "task.completed",
        "actions", List.of(Map.of("type", "add_comment", "content", "done")));
    Map<String, Object> ingressBase = body("name", "i", "template", Map.of("content", "{{payload.title}}"));
    Map<String, Object> recurrenceBase = body("content", "r", "rule_type", "daily", "timezone", "UTC",
        "next_due_at", "2099-01-01T00:00:00Z");
    return List.of(
        new Target("POST", "/tasks", body("content", "x"), plus(create, "parent_task_id", Kind.ID, "dedup_check", Kind.BOOL, "force", Kind.BOOL)),
        new Target("PUT", "/tasks/{id}", body(), update),
        new Target("PATCH", "/tasks/{id}", body(), update),
        new Target("POST", "/tasks/{id}/complete", body(), fields("evidence", Kind.EVIDENCE)),
        new Target("POST", "/tasks/{id}/delegate", body("content", "x"), create),
        new Target("POST", "/tasks/{id}/subtasks", body("content", "s"), subtask),
        new Target("PUT", "/tasks/{id}/subtasks/{subtaskId}", body(), subtask),
        new Target("PATCH", "/tasks/{id}/subtasks/{subtaskId}", body(), subtask),
        new Target("POST", "/tasks/{id}/comments", body("content", "c"), fields("content", Kind.REQUIRED_TEXT, "author", Kind.TEXT)),
        new Target("POST", "/tasks/{id}/links", body("kind", "url", "url", "https://example.com/y"),
            fields("kind", Kind.ENUM, "url", Kind.TEXT, "repo", Kind.TEXT, "ref", Kind.TEXT)),
        new Target("POST", "/tasks/{id}/dependencies", body("blocked_by", List.of()), fields("blocked_by", Kind.IDS)),
        new Target("POST", "/tasks/{id}/claim", body(), fields("lease_seconds", Kind.INT)),
        new Target("POST", "/tasks/{id}/heartbeat", body("lease_token", 1), fields("lease_seconds", Kind.INT, "lease_token", Kind.ID)),
        new Target("POST", "/tasks/{id}/state", body("state", "working"), fields("state", Kind.ENUM, "detail", Kind.TEXT)),
        new Target("POST", "/tasks/{id}/release", body(), fields("handoff", Kind.TEXT, "handoff_state", Kind.ENUM)),
        new Target("POST", "/tasks/claim", body("project_id", fx.emptyProject()), fields("project_id", Kind.ID, "labels", Kind.STRINGS,
            "lease_seconds", Kind.INT)),
        new Target("POST", "/tasks/dedup", body("content", "x"), fields("content", Kind.REQUIRED_TEXT, "threshold", Kind.NUMBER,
            "project_id", Kind.ID)),
        new Target("POST", "/agents", body("name", "fresh-agent-name"), agent),
        new Target("PUT", "/agents/{id}", body(), plus(agent, "active", Kind.BOOL)),
        new Target("PATCH", "/agents/{id}", body(), plus(agent, "active", Kind.BOOL)),
        new Target("POST", "/projects", body("name", "p"), project),
        new Target("PUT", "/projects/{id}", body(), project),
        new Target("PATCH", "/projects/{id}", body(), project),
        new Target("POST", "/webhooks", body("url", "http://127.0.0.1:9/new", "events", List.of("task.created")), webhook),
        new Target("PUT", "/webhooks/{id}", body(), webhook),
        new Target("PATCH", "/webhooks/{id}", body(), webhook),
        new Target("POST", "/recurrences", recurrenceBase, recurrence),
        new Target("PUT", "/recurrences/{id}", body(), recurrence),
        new Target("PATCH", "/recurrences/{id}", body(), recurrence),
        new Target("POST", "/automations", automationBase, automation),
        new Target("PUT", "/automations/{id}", body(), automation),
        new Target("PATCH", "/automations/{id}", body(), automation),
        new Target("POST", "/ingress-sources", ingressBase, ingress),
        new Target("PUT", "/ingress-sources/{id}", body(), ingress),
        new Target("PATCH", "/ingress-sources/{id}", body(), ingress));
  }

  static List<Object> wrong(Kind kind) {
    return switch (kind) {
      case TEXT -> list(123, true, List.of(), Map.of(), List.of("a"), HUGE, "nul\u0000", "lone \uD800");
      case REQUIRED_TEXT -> list(123, false, List.of(), Map.of("a", 1), HUGE, "", "   ", null, "\u0000", "\uDC00 lone");
      case ID -> list("abc", -1, 0, 1.5, true, List.of(1), Map.of(), "99999999999999999999", OVERFLOW, 987654321, "1e3", "\u0661");
      case INT -> list("x", 1.5, true, List.of(), Map.of(), 99_999_999_999L, -99_999_999_999L, OVERFLOW, 1e300, "NaN");
      case NUMBER -> list("x", true, List.of(), Map.of(), -1, 2, OVERFLOW, "NaN", 1e300);
      case BOOL -> list("yes?", 2, -1, List.of(), Map.of(), "maybe", 1.5);
      case STRINGS -> list("a", 1, List.of(1), list((Object) null), List.of(List.of()), List.of(Map.of()), Map.of(), List.of(HUGE),
          Collections.nCopies(1000, "l"), List.of("nul\u0000"), List.of("\uD800"));
      case IDS -> list("1", List.of(true), List.of("x"), List.of(1.5), Map.of(), List.of(987654321), List.of(-4), List.of(OVERFLOW),
          Collections.nCopies(1000, 1));
      case DATE -> list("2026-13-45", 20260101, "tomorrow", true, "2026-02-30", List.of(), "\u0000", "+999999999-12-31");
      case TIME -> list("25:00", 930, "noon", "12:61", false, "\uD800");
      case INSTANT -> list("yesterday", 12345, "2026-02-30T00:00:00Z", true, "2026-03-01T25:00:00Z", "+999999999-12-31T00:00:00Z",
          "-999999999-01-01T00:00:00Z", "\u202E2026-01-01T00:00:00Z");
      case OBJECT -> list("x", 1, List.of(), true);
      case ENUM -> list("bogus", 1, true, List.of(), Map.of(), "OPEN\u0000", "\u202Eopen", HUGE);
      case EVIDENCE -> list("x", Map.of(), List.of(1), List.of(Map.of()), List.of(Map.of("kind", "bogus", "ref", "x")),
          List.of(Map.of("kind", "commit")), List.of(Map.of("kind", 1, "ref", 2)));
      case URL -> list("not a url", "ftp://example.com/x", "http://", "://x", 123, List.of(), "javascript:alert(1)",
          "http://exa mple.com/", "http://" + "a".repeat(5_000) + ".com/", "http://127.0.0.1:99999/x", "\u0000");
      case EVENTS -> list(List.of("task.exploded"), List.of(1), List.of(List.of()), Map.of(), true,
          List.of("task.created\u0000"));
      case ARRAY -> list("x", 1, Map.of(), List.of(1), List.of("x"), List.of(Map.of("type", "bogus")), true);
      case ZONE -> list("Mars/Olympus", 5, "", "UTC+99", "../../etc/passwd", List.of(), "\u0000");
    };
  }

  private static List<Object> list(Object... values) {
    List<Object> out = new ArrayList<>();
    Collections.addAll(out, values);
    return out;
  }

  private Arbitrary<Probe> wrongFields() {
    List<Operation> listed = operations;
    List<Object[]> cases = new ArrayList<>();
    for (Target t : targets()) {
      Operation op = listed.stream().filter(o -> o.method().equals(t.method()) && o.path().equals(t.route())).findFirst().orElse(null);
      if (op == null) {
        continue; // the feature is not installed
      }
      for (Map.Entry<String, Kind> f : t.fields().entrySet()) {
        for (Object v : wrong(f.getValue())) {
          if (t.route().equals("/tasks/claim") && Integer.valueOf(987654321).equals(v)) {
            continue; // an unknown project is a filter that matches nothing, not an error
          }
          cases.add(new Object[] {t, op, f.getKey(), v});
        }
      }
    }
    return Combinators.combine(Arbitraries.of(cases), prefix(), someone(), Arbitraries.of(ODD_TEXT), Arbitraries.of(true, false), noise())
        .as((c, pre, who, odd, addOdd, extra) -> {
          Target t = (Target) c[0];
          Map<String, Object> b = new LinkedHashMap<>(t.base());
          b.put((String) c[2], c[3]);
          if (addOdd) {
            b.putIfAbsent("description", odd); // unicode oddities ride along with the wrong field
          }
          boolean writes = !t.route().equals("/tasks/dedup"); // a POST that only reads
          return new Probe("wrong-field", who, t.method(), pre + fill((Operation) c[1]), json(who, extra), bytes(b), writes,
              c[2] + " = " + shortJson(c[3]));
        });
  }

  private static String shortJson(Object v) {
    String s = Json.mapper().writeValueAsString(v);
    return s.length() > 60 ? s.substring(0, 60) + "…(" + s.length() + ")" : s;
  }

  // 5. methods a path does not serve
  private Arbitrary<Probe> wrongMethods() {
    Map<String, Set<String>> served = operations.stream()
        .collect(Collectors.groupingBy(Operation::path, Collectors.mapping(Operation::method, Collectors.toSet())));
    List<Object[]> cases = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : served.entrySet()) {
      Operation any = operations.stream().filter(o -> o.path().equals(e.getKey())).findFirst().orElseThrow();
      for (String m : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "FOO")) {
        if (!e.getValue().contains(m)) {
          cases.add(new Object[] {any, m});
        }
      }
    }
    return Combinators.combine(Arbitraries.of(cases), Arbitraries.of("/api", "/v1", ""), agent(), noise())
        .as((c, pre, who, extra) -> {
          Operation op = (Operation) c[0];
          String method = (String) c[1];
          String path = op.path().startsWith("/health") || op.path().startsWith("/openapi") || op.path().startsWith("/api/")
              || op.path().startsWith("/v1/") ? fill(op) : pre + fill(op);
          return new Probe("wrong-method", who, method, path, json(who, extra), method.equals("GET") || method.equals("TRACE")
              ? null : bytes(body("content", "x", "name", "n")), !method.equals("GET"), op.path() + " does not serve " + method);
        });
  }

  // 6. query parameters no route accepts the value of
  private Arbitrary<Probe> badQueries() {
    List<Operation> gets = ops(o -> o.method().equals("GET") && !o.isPublic());
    Arbitrary<String> names = Arbitraries.of("limit", "offset", "after", "before", "status", "priority", "completed", "claimed",
        "due", "project_id", "assigned_to", "created_by", "due_after", "due_before", "include", "search", "label", "labels",
        "parent_task_id", "root_task_id", "cursor", "types", "type", "task_id", "threshold", "q", "role", "active", "expected_version",
        "source", "cascade", "lease_seconds", "since");
    Arbitrary<String> values = Arbitraries.of("-1", "0", "abc", "1.5", "99999999999999999999", "9223372036854775808", "1e9",
        "%00", "%ED%A0%80", "%E2%80%AE", "%FF", "%", "%zz", "", "true%00", "maybe", "-9223372036854775808", "2026-13-45",
        "someday", "%27%20OR%201%3D1", "x".repeat(8_000), "%5B%5D", "%7B%7D", "NaN", "Infinity", "--1", "1,2,abc", "%2C%2C");
    Arbitrary<String> query = Combinators.combine(names, values).as((n, v) -> n + "=" + v).list().ofMinSize(1).ofMaxSize(3)
        .map(l -> String.join("&", l));
    Arbitrary<Probe> reads = Combinators.combine(Arbitraries.of(gets), prefix(), agent(), query, noise())
        .as((op, pre, who, q, extra) -> new Probe("query", who, "GET", pre + fill(op) + "?" + q, auth(who, extra), null, false, q));
    // writes whose query parameters are read: a bad one must refuse the whole request
    Arbitrary<Probe> writes = Combinators.combine(prefix(), someone(), Arbitraries.of(
            "PATCH /tasks/" + 0 + "/context?expected_version=abc", "PATCH /tasks/0/context?expected_version=-1",
            "PATCH /tasks/0/context?expected_version=99999999999999999999", "PATCH /tasks/0/context?expected_version=987654",
            "PATCH /tasks/0/context?source=bogus", "PATCH /tasks/0/context?source=%00", "PATCH /tasks/0/context?expected_version=1.5",
            "DELETE /tasks/P?cascade=maybe", "DELETE /tasks/P?cascade=%00", "DELETE /tasks/P?cascade=", "DELETE /tasks/P",
            "DELETE /tasks/P?cascade=false"), noise())
        .as((pre, who, line, extra) -> {
          String[] parts = line.split(" ", 2);
          String path = parts[1].replace("/0/", "/" + fx.workerTask() + "/").replace("/P", "/" + fx.parent());
          boolean patch = parts[0].equals("PATCH");
          return new Probe("query-write", who, parts[0], pre + path, json(who, extra), patch ? bytes(body("fuzz", 1)) : null, true,
              patch ? "bad context query" : "the parent has a child and no valid cascade=true");
        });
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, reads), net.jqwik.api.Tuple.of(1, writes));
  }

  // 7. headers that must refuse an otherwise valid write
  private Arbitrary<Probe> badHeaders() {
    Arbitrary<Header> ifMatch = Arbitraries.of("garbage", "\"abc\"", "W/\"1\"", "\"99999999999999999999\"", "*x", "-1", "\"0\"",
        "\"987654\"", "\u202E1", "\"1\", \"2\"").map(v -> new Header("If-Match", v));
    Arbitrary<Probe> conditional = Combinators.combine(prefix(), someone(), Arbitraries.of("PUT", "PATCH", "DELETE"), ifMatch, noise())
        .as((pre, who, m, h, extra) -> {
          List<Header> hs = json(who, extra);
          hs.add(h);
          return new Probe("if-match", who, m, pre + "/tasks/" + fx.workerTask(), hs, m.equals("DELETE") ? null : bytes(body("priority", 3)), true,
              "If-Match " + h.value());
        });
    Arbitrary<Header> idem = Arbitraries.of("k".repeat(256), "k".repeat(10_000), "", "   ", "ключ", "key\u0001", "key\u007F", "\u202Ekey",
        "a\tb").map(v -> new Header("Idempotency-Key", v));
    List<Operation> posts = ops(o -> o.method().equals("POST") && !o.isPublic());
    Arbitrary<Probe> idempotency = Combinators.combine(Arbitraries.of(posts), prefix(), someone(), idem, noise())
        .as((op, pre, who, h, extra) -> {
          List<Header> hs = json(who, extra);
          hs.add(h);
          return new Probe("idempotency-key", who, "POST", pre + fill(op), hs, bytes(body("content", "x", "name", "n")), true,
              "Idempotency-Key of " + h.value().length() + " chars");
        });
    Arbitrary<Header> lease = Arbitraries.of("abc", "-1", "0", "99999999999999999999", "1.5", "\u0000", "987654")
        .map(v -> new Header("X-Lease-Token", v));
    Arbitrary<Probe> fencing = Combinators.combine(prefix(), Arbitraries.of("heartbeat", "state", "release", "complete"), lease, noise())
        .as((pre, action, h, extra) -> {
          List<Header> hs = json(Who.WORKER, extra);
          hs.add(h);
          Map<String, Object> b = action.equals("state") ? body("state", "working") : body();
          return new Probe("lease-token", Who.WORKER, "POST", pre + "/tasks/" + fx.claimed() + "/" + action, hs, bytes(b), true,
              "X-Lease-Token " + h.value());
        });
    return Arbitraries.oneOf(conditional, idempotency, fencing, foreignIds());
  }

  // 8. odd paths: traversal, broken encodings, NUL, RTL, very long
  private Arbitrary<Probe> oddPaths() {
    Arbitrary<String> paths = Arbitraries.of("/api/../api/tasks", "/api/%2e%2e/v1/tasks", "/api/tasks/..%2F..%2Fagents",
        "/api/tasks/%2e%2e%2fagents", "/api/tasks%2F1", "/api/t%00asks", "/api/tasks/%", "/api/tasks/%zz", "/api/tasks/%c0%ae%c0%ae",
        "/api/tasks/%ff", "/api/tasks/\u202E1", "/api/tasks/\u0661", "/api/tasks/" + "9".repeat(10_000), "/api/" + "a/".repeat(3_000),
        "/API/tasks", "/api\\tasks", "/api/tasks/1\\..\\..\\agents", "/%2fapi/tasks", "/api/tasks/%E2%80%8F1", "/v1/%ED%A0%80",
        "/api/tasks/1/comments/%00", "/api/;/tasks", "/..;/api/tasks", "/api/tasks/.%00./", "/etc/passwd", "/api/tasks?%",
        "/api/tasks?a=%zz", "/api/tasks?\u0000=1", "/api/tasks/%25", "/api/webhooks/%2e", "/mcp/../api/tasks", "/metrics/..%2f",
        "/api/tasks/1%2Fcomplete", "/api/tasks/*");
    Arbitrary<Probe> reads = Combinators.combine(paths, someone(), noise())
        .as((p, who, extra) -> new Probe("odd-path", who, "GET", p, auth(who, extra), null, false, "odd path"));
    Arbitrary<Probe> writes = Combinators.combine(paths, someone(), Arbitraries.of("POST", "PUT", "PATCH", "DELETE"),
            Arbitraries.of(structuralGarbage()), noise())
        .as((p, who, m, garbage, extra) -> new Probe("odd-path-write", who, m, p, json(who, extra), garbage, true,
            "odd path with a broken body"));
    return Arbitraries.oneOf(reads, writes);
  }

  // 9. MCP: JSON-RPC garbage and tool calls with bad arguments
  private Arbitrary<Probe> mcp() {
    List<String> bodies = new ArrayList<>(List.of("{", "[]", "1", "null", "", "\"ping\"", "{\"jsonrpc\":\"2.0\"}", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"tools/list\"}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no/such\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":123}",         "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"no_such_tool\"}}",
        "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}," + "{},".repeat(500) + "{}]",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":\"x\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\"}", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":null}",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":[\"create_task\"]}",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":5}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":{}}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\",\"params\":[]}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + "m".repeat(100_000) + "\"}"));
    for (String[] call : new String[][] {
        {"create_task", "{\"content\":123}"}, {"create_task", "{\"content\":\"\"}"}, {"create_task", "{\"content\":\"x\",\"priority\":\"high\"}"},
        {"create_task", "{\"content\":\"x\",\"priority\":99}"}, {"create_task", "{\"content\":\"nul\\u0000\"}"},
        {"create_task", "{\"content\":\"x\",\"project_id\":\"abc\"}"}, {"create_task", "{\"content\":\"x\",\"labels\":\"a\"}"},
        {"create_task", "{\"content\":\"x\",\"due_date\":\"2026-13-45\"}"}, {"update_task", "{\"task_id\":\"abc\",\"content\":\"y\"}"},
        {"update_task", "{\"task_id\":-1,\"content\":\"y\"}"}, {"update_task", "{\"task_id\":987654,\"content\":\"y\"}"},
        {"complete_task", "{\"task_id\":0}"}, {"complete_task", "{\"task_id\":[1]}"}, {"delete_task", "{\"task_id\":\"1 OR 1=1\"}"},
        {"delete_task", "{}"}, {"delegate_task", "{\"task_id\":987654,\"content\":\"y\"}"}, {"add_comment", "{\"task_id\":987654,\"content\":\"c\"}"},
        {"add_comment", "{\"task_id\":1}"}, {"create_project", "{\"name\":\"\"}"}, {"register_agent", "{\"name\":123}"},
        {"create_webhook", "{\"url\":\"not a url\"}"}, {"create_webhook", "{\"url\":\"ftp://x\",\"events\":[\"task.exploded\"]}"},
        {"claim_task", "{\"task_id\":\"abc\"}"}, {"add_dependency", "{\"task_id\":987654,\"blocked_by\":1}"},
        {"set_task_context", "{\"task_id\":987654,\"context\":{\"a\":1}}"}, {"create_task", "\"x\""}, {"create_task", "[1]"},
        {"delete_task", "1"}, {"list_tasks", "true"}}) {
      bodies.add("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"" + call[0] + "\",\"arguments\":" + call[1] + "}}");
    }
    Arbitrary<String> accept = Arbitraries.of("application/json, text/event-stream", "application/json", "text/html", "");
    return Combinators.combine(Arbitraries.of(bodies), agent(), Arbitraries.of("POST", "POST", "POST", "GET", "DELETE", "PUT"), accept)
        .as((b, who, m, acc) -> {
          List<Header> h = json(who, acc.isEmpty() ? List.of() : List.of(new Header("Accept", acc)));
          return new Probe("mcp", who, m, "/mcp", h, m.equals("GET") ? null : b.getBytes(StandardCharsets.UTF_8), false, "MCP garbage");
        });
  }

  // 10. /metrics without the right credentials or with the wrong method, and ingress without a valid signature
  private Arbitrary<Probe> metricsAndIngress() {
    Arbitrary<Probe> metrics = Combinators.combine(Arbitraries.of("GET", "POST", "DELETE"), Arbitraries.of(Who.COORDINATOR, Who.WORKER, Who.NOBODY),
            Arbitraries.of(List.<Header>of(), List.of(new Header("Authorization", "Bearer wrong")), List.of(new Header("Authorization", "Basic x"))))
        .as((m, who, h) -> new Probe("metrics", who, m, "/metrics", json(who, h), m.equals("GET") ? null : bytes(body()), !m.equals("GET"),
            "metrics without the token or an admin key"));
    Arbitrary<String> signature = Arbitraries.of("", "t=1,v1=00", "t=abc,v1=zz", "v1=" + "0".repeat(64), "t=" + (System.currentTimeMillis() / 1000)
        + ",v1=" + "0".repeat(64), "t=99999999999999999999,v1=00", "\u0000", "t=1");
    Arbitrary<Probe> ingress = Combinators.combine(prefix(), signature, Arbitraries.of(String.valueOf(0), "abc", "987654", "-1", "ING"),
            Arbitraries.of(bytes(body("title", "x")), "{".getBytes(StandardCharsets.UTF_8), new byte[0]))
        .as((pre, sig, id, b) -> {
          String realId = id.equals("ING") ? String.valueOf(fx.ingress()) : id;
          List<Header> h = new ArrayList<>(List.of(new Header("Content-Type", "application/json")));
          if (!sig.isEmpty()) {
            h.add(new Header("X-Delega-Ingress-Signature", sig));
          }
          return new Probe("ingress", Who.NOBODY, "POST", pre + "/ingress/" + realId, h, b, true, "no valid signature");
        });
    return Arbitraries.oneOf(metrics, ingress);
  }
}

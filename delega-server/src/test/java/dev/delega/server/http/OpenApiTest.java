package dev.delega.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.client.RawResponse;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.conformance.Routes;
import dev.delega.server.conformance.Routes.Operation;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code /openapi.json} lists exactly the routes the server answers: the document and the route
 * table agree, every listed route is served (never a "no route" 404) under {@code /api} and
 * {@code /v1} alike (or at the root for the few root routes), and the document is well formed.
 * Routes added by other features are covered as they appear.
 */
class OpenApiTest {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z_]+)}");
  private final Fleet fleet = new Fleet(SERVER);

  private static Set<String> keys(List<Route> routes) {
    Set<String> out = new TreeSet<>();
    routes.forEach(r -> out.add(r.method() + " " + r.path()));
    return out;
  }

  /** True unless the server said it has no such route (404 "no route") or no such method (405). */
  private static boolean served(RawResponse r) {
    if (r.status() == 405) {
      return false;
    }
    if (r.status() != 404) {
      return true;
    }
    JsonNode body = r.isEmpty() ? null : r.json();
    return body == null || !body.path("error").asString("").startsWith("Not Found: no route");
  }

  private static RawResponse probe(Actor admin, String method, String url) {
    String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
    return Fleet.probe(method, url, admin.key(), body);
  }

  @Test
  void theDocumentListsExactlyTheRouteTable() {
    Set<String> documented = new TreeSet<>();
    Routes.of(SERVER).forEach(o -> documented.add(o.method() + " " + o.path()));

    assertThat(documented).isEqualTo(keys(SERVER.wiring().http().routes()));
    assertThat(documented).contains("GET /tasks", "POST /tasks", "GET /tasks/{id}", "PUT /tasks/{id}",
        "PATCH /tasks/{id}", "DELETE /tasks/{id}", "GET /agents", "POST /agents", "GET /agent/me",
        "GET /projects", "GET /stats", "GET /usage", "GET /health");
  }

  @Test
  void everyRouteIsServedUnderBothPrefixesOrAtTheRoot() {
    Actor admin = fleet.admin();
    List<String> problems = new ArrayList<>();
    for (Route r : SERVER.wiring().http().routes()) {
      String path = PARAM.matcher(r.path()).replaceAll("987654321");
      if (r.path().startsWith("/api/") || r.path().startsWith("/v1/")) {
        RawResponse root = probe(admin, r.method(), SERVER.rootUrl() + path);
        if (!served(root)) {
          problems.add(r.method() + " " + r.path() + " (root route) -> " + root);
        }
        continue;
      }
      RawResponse api = probe(admin, r.method(), SERVER.rootUrl() + "/api" + path);
      RawResponse v1 = probe(admin, r.method(), SERVER.rootUrl() + "/v1" + path);
      if (served(api) || served(v1)) {
        if (!served(api) || !served(v1) || api.status() != v1.status()) {
          problems.add(r.method() + " " + r.path() + ": /api -> " + api.status() + ", /v1 -> " + v1.status());
        }
      } else {
        RawResponse root = probe(admin, r.method(), SERVER.rootUrl() + path);
        if (!served(root)) {
          problems.add(r.method() + " " + r.path() + " is listed but not served: " + api);
        }
      }
      for (RawResponse x : List.of(api, v1)) {
        if (x.status() >= 500) {
          problems.add(r.method() + " " + r.path() + " -> " + x);
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theProbeTellsMissingRoutesApart() {
    Actor admin = fleet.admin();
    RawResponse missing = admin.send("GET", "/no-such-route", null);
    assertThat(served(missing)).isFalse();
    assertThat(served(admin.send("DELETE", "/stats", null))).isFalse();
    assertThat(served(admin.send("GET", "/tasks/987654321", null))).as("a missing task is not a missing route").isTrue();
  }

  @Test
  void theDocumentIsWellFormed() {
    JsonNode doc = fleet.anonymous().send("GET", SERVER.rootUrl() + "/openapi.json").json();
    String version = fleet.anonymous().send("GET", SERVER.rootUrl() + "/health").json().get("version").asString();

    assertThat(doc.get("openapi").asString()).startsWith("3.1");
    assertThat(doc.get("info").get("version").asString()).isEqualTo(version);
    assertThat(doc.get("components").get("securitySchemes").has("agentKey")).isTrue();
    Set<String> operationIds = new HashSet<>();
    for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
      Set<String> params = new TreeSet<>();
      Matcher m = PARAM.matcher(path.getKey());
      while (m.find()) {
        params.add(m.group(1));
      }
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        String where = op.getKey() + " " + path.getKey();
        JsonNode o = op.getValue();
        assertThat(o.path("summary").asString("")).as(where).isNotBlank();
        assertThat(operationIds.add(o.get("operationId").asString())).as("unique operationId of " + where).isTrue();
        assertThat(o.has("security")).as(where).isTrue();
        assertThat(o.has("responses")).as(where).isTrue();
        Set<String> declared = new TreeSet<>();
        o.path("parameters").forEach(p -> {
          if (p.get("in").asString().equals("path")) {
            declared.add(p.get("name").asString());
          }
        });
        assertThat(declared).as(where).isEqualTo(params);
      }
    }
  }

  @Test
  void theDocumentIsTheSameUnderEveryPrefixAndNeedsNoKey() {
    String root = fleet.anonymous().send("GET", SERVER.rootUrl() + "/openapi.json").text();
    assertThat(fleet.anonymous().send("GET", SERVER.rootUrl() + "/api/openapi.json").text()).isEqualTo(root);
    assertThat(fleet.anonymous().send("GET", SERVER.rootUrl() + "/v1/openapi.json").text()).isEqualTo(root);
  }

  @Test
  void keyedOperationsRefuseKeylessCalls() {
    fleet.admin();
    List<String> problems = new ArrayList<>();
    for (Operation o : Routes.of(SERVER)) {
      if (o.isPublic()) {
        continue;
      }
      String path = o.fill(p -> "987654321");
      String url = (o.path().startsWith("/api/") || o.path().startsWith("/v1/") ? SERVER.rootUrl() : SERVER.baseUrl()) + path;
      RawResponse r = Fleet.probe(o.method(), url, null, o.method().equals("GET") ? null : "{}");
      if (r.status() != 401) {
        problems.add(o + " without a key -> " + r.status());
      }
    }
    assertThat(problems).isEmpty();
  }
}

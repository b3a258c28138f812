package dev.delega.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the OpenAPI 3.1 description from the route table, so it always lists exactly what is served. */
final class OpenApi {
  private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z]+)}");

  private OpenApi() {}

  static Map<String, Object> document(List<Route> routes, String version) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put(
        "info",
        Map.of(
            "title", "Delega API",
            "version", version,
            "description",
            "Task infrastructure for AI agents. Every application route is served under both /api and /v1."
                + " Errors are {error, code, status, detail}."));
    doc.put("servers", List.of(Map.of("url", "/api"), Map.of("url", "/v1")));
    Map<String, Object> schemes = new LinkedHashMap<>();
    schemes.put("agentKey", Map.of("type", "apiKey", "in", "header", "name", "X-Agent-Key"));
    schemes.put("bearer", Map.of("type", "http", "scheme", "bearer"));
    doc.put("components", Map.of("securitySchemes", schemes, "schemas", Map.of("Problem", problemSchema())));
    Map<String, Map<String, Object>> paths = new TreeMap<>();
    for (Route r : routes) {
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("summary", r.summary());
      op.put("tags", List.of(r.tag()));
      op.put("operationId", operationId(r));
      List<Object> params = new ArrayList<>();
      Matcher m = PARAM.matcher(r.path());
      while (m.find()) {
        params.add(
            Map.of("name", m.group(1), "in", "path", "required", true,
                "schema", Map.of("type", "integer", "minimum", 1)));
      }
      if (!params.isEmpty()) {
        op.put("parameters", params);
      }
      if (r.access() == Route.Access.AGENT) {
        op.put("security", List.of(Map.of("agentKey", List.of()), Map.of("bearer", List.of())));
      } else {
        op.put("security", List.of());
      }
      Map<String, Object> responses = new LinkedHashMap<>();
      responses.put("2XX", Map.of("description", "Success (JSON)"));
      responses.put("4XX", Map.of("description", "Client error",
          "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Problem")))));
      op.put("responses", responses);
      paths.computeIfAbsent(r.path(), k -> new LinkedHashMap<>()).put(r.method().toLowerCase(Locale.ROOT), op);
    }
    doc.put("paths", paths);
    return doc;
  }

  private static Map<String, Object> problemSchema() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("error", Map.of("type", "string"));
    props.put("code", Map.of("type", "string"));
    props.put("status", Map.of("type", "integer"));
    props.put("detail", Map.of("type", "string"));
    return Map.of("type", "object", "required", List.of("error", "code", "status", "detail"), "properties", props);
  }

  private static String operationId(Route r) {
    StringBuilder sb = new StringBuilder(r.method().toLowerCase(Locale.ROOT));
    for (String part : r.path().split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      String clean = part.replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]", "_");
      if (part.startsWith("{")) {
        clean = "By_" + clean;
      }
      sb.append('_').append(clean);
    }
    return sb.toString();
  }
}

package dev.delega.server.conformance;

import dev.delega.client.RawResponse;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The operations a running server lists in {@code /openapi.json}, so tests can cover routes that
 * other features add and skip (with a reason) checks of features that are not installed yet.
 */
public final class Routes {
  private Routes() {}

  /** One operation of the OpenAPI document. */
  public record Operation(String method, String path, boolean isPublic, String tag) {
    /** {@code path} with every {@code {param}} replaced by the value the function gives. */
    public String fill(Function<String, String> values) {
      StringBuilder out = new StringBuilder();
      Matcher m = Pattern.compile("\\{([A-Za-z_]+)}").matcher(path);
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(values.apply(m.group(1))));
      }
      m.appendTail(out);
      return out.toString();
    }

    public boolean hasParams() {
      return path.contains("{");
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** Every operation of the server's {@code /openapi.json}, in document order. */
  public static List<Operation> of(DelegaServerExtension server) {
    RawResponse r = new Fleet(server).anonymous().send("GET", server.rootUrl() + "/openapi.json");
    if (r.status() != 200) {
      throw new IllegalStateException("GET /openapi.json answered " + r);
    }
    List<Operation> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : r.json().get("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        JsonNode security = op.getValue().get("security");
        boolean isPublic = security != null && security.isArray() && security.isEmpty();
        JsonNode tags = op.getValue().get("tags");
        String tag = tags != null && tags.isArray() && !tags.isEmpty() ? tags.get(0).asString() : "";
        out.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), isPublic, tag));
      }
    }
    return out;
  }

  /** True when the server lists this operation. */
  public static boolean exists(DelegaServerExtension server, String method, String path) {
    return of(server).stream().anyMatch(o -> o.method().equals(method) && o.path().equals(path));
  }
}

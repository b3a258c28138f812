package dev.delega.cli;

import dev.delega.client.DelegaClient;
import dev.delega.client.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The calls the commands make, through the SDK's typed {@code call}, answered as JSON trees so that
 * {@code --json} prints exactly what the server sent. Errors surface as the SDK's {@code
 * DelegaApiException}s.
 */
final class Api implements AutoCloseable {
  private final DelegaClient client;

  Api(DelegaClient client) {
    this.client = client;
  }

  DelegaClient client() {
    return client;
  }

  JsonNode get(String path) {
    return client.call("GET", path, null, JsonNode.class);
  }

  JsonNode post(String path, Object body) {
    return client.call("POST", path, body, JsonNode.class);
  }

  JsonNode post(String path, Object body, RequestOptions options) {
    return client.call("POST", path, body, JsonNode.class, options);
  }

  JsonNode put(String path, Object body) {
    return client.call("PUT", path, body, JsonNode.class);
  }

  JsonNode patch(String path, Object body, RequestOptions options) {
    return client.call("PATCH", path, body, JsonNode.class, options);
  }

  JsonNode delete(String path) {
    return client.call("DELETE", path, null, JsonNode.class);
  }

  @Override
  public void close() {
    client.close();
  }

  /** Builds {@code path?a=1&b=2}, leaving out null values. */
  static final class Query {
    private final String path;
    private final List<String> parts = new ArrayList<>();

    Query(String path) {
      this.path = path;
    }

    Query add(String name, Object value) {
      if (value != null) {
        parts.add(name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
      }
      return this;
    }

    Query addAll(String name, List<?> values) {
      if (values != null) {
        values.forEach(v -> add(name, v));
      }
      return this;
    }

    @Override
    public String toString() {
      return parts.isEmpty() ? path : path + "?" + String.join("&", parts);
    }
  }
}

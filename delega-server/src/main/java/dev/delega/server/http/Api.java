package dev.delega.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;

/**
 * The route table: each route is registered under both {@code /api} and {@code /v1} with the same
 * handler, and recorded so that {@code /openapi.json} describes exactly what is served.
 */
public final class Api {
  /** The two prefixes every application route is served under. */
  public static final List<String> PREFIXES = List.of("/api", "/v1");

  private final JavalinConfig config;
  private final List<Route> routes = new ArrayList<>();

  Api(JavalinConfig config) {
    this.config = config;
  }

  /** Every route registered so far (paths without prefix). */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  public void get(String path, String summary, String tag, Handler handler) {
    add("GET", path, summary, tag, Route.Access.AGENT, handler);
  }

  public void post(String path, String summary, String tag, Handler handler) {
    add("POST", path, summary, tag, Route.Access.AGENT, handler);
  }

  public void put(String path, String summary, String tag, Handler handler) {
    add("PUT", path, summary, tag, Route.Access.AGENT, handler);
  }

  public void patch(String path, String summary, String tag, Handler handler) {
    add("PATCH", path, summary, tag, Route.Access.AGENT, handler);
  }

  public void delete(String path, String summary, String tag, Handler handler) {
    add("DELETE", path, summary, tag, Route.Access.AGENT, handler);
  }

  /** Registers a route under both prefixes. */
  public void add(String method, String path, String summary, String tag, Route.Access access, Handler handler) {
    routes.add(new Route(method, path, summary, tag, access));
    for (String prefix : PREFIXES) {
      register(method, prefix + path, handler);
    }
  }

  /** Registers a route outside the prefixes (such as {@code /health}). */
  public void root(String method, String path, String summary, String tag, Route.Access access, Handler handler) {
    routes.add(new Route(method, path, summary, tag, access));
    register(method, path, handler);
  }

  private void register(String method, String fullPath, Handler handler) {
    switch (method) {
      case "GET" -> config.routes.get(fullPath, handler);
      case "POST" -> config.routes.post(fullPath, handler);
      case "PUT" -> config.routes.put(fullPath, handler);
      case "PATCH" -> config.routes.patch(fullPath, handler);
      case "DELETE" -> config.routes.delete(fullPath, handler);
      default -> throw new IllegalArgumentException(method);
    }
  }
}

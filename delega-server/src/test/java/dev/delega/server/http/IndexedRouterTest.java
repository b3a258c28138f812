package dev.delega.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.testing.DelegaServerExtension;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The indexed router finds exactly what Javalin's own router finds, in the same order: both are
 * given the server's whole route table (under {@code /api}, {@code /v1} and at the root, with the
 * catch-all before and after filters) and asked about every route's path with its parameters
 * filled in several ways, plus paths no route has.
 */
class IndexedRouterTest {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  private static final List<HandlerType> TYPES = List.of(
      HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE,
      HandlerType.HEAD, HandlerType.OPTIONS, HandlerType.BEFORE, HandlerType.AFTER);

  @Test
  void findsWhatJavalinFindsForEveryRouteAndOddPath() {
    List<Route> routes = SERVER.wiring().http().routes();
    InternalRouter javalin = router(routes, false);
    InternalRouter indexed = router(routes, true);
    assertThat(indexed).isInstanceOf(IndexedRouter.class);
    assertThat(javalin).isNotInstanceOf(IndexedRouter.class);

    Set<String> paths = new LinkedHashSet<>();
    for (Route r : routes) {
      for (String prefix : List.of("", "/api", "/v1", "/API", "//api")) {
        for (String value : List.of("7", "ready", "claim", "x.y", "", "%2F", "é ü", "{id}", "a-b_c")) {
          String p = prefix + r.path().replaceAll("\\{[A-Za-z_]+}", value);
          paths.add(p);
          paths.add(p + "/");
          paths.add(p + "/extra");
          paths.add(p + "//");
        }
      }
    }
    paths.addAll(List.of("/", "", "/api", "/api/", "/v1", "/nothing/here", "/api/tasks//7", "/health/", "/openapi.json",
        "/api/openapi.json", "/mcp", "/metrics", "/api/tasks/7//", "//", "/api/tasks/7/chain//", "api/tasks/7"));

    int compared = 0;
    int found = 0;
    for (String path : paths) {
      for (HandlerType type : TYPES) {
        ParsedEndpoint expected = javalin.findFirstHttpHandlerEntry(type, path);
        ParsedEndpoint actual = indexed.findFirstHttpHandlerEntry(type, path);
        assertThat(describe(actual)).as(type + " " + path).isEqualTo(describe(expected));
        assertThat(describeAll(indexed.findHttpHandlerEntries(type, path)))
            .as("all " + type + " " + path)
            .isEqualTo(describeAll(javalin.findHttpHandlerEntries(type, path)));
        assertThat(indexed.hasHttpHandlerEntry(type, path)).isEqualTo(javalin.hasHttpHandlerEntry(type, path));
        compared++;
        if (expected != null) {
          found++;
        }
      }
    }
    // The comparison means something: thousands of lookups, a good share of them hits.
    assertThat(compared).isGreaterThan(5_000);
    assertThat(found).isGreaterThan(1_000);
  }

  /** A Javalin app with the route table registered as the server registers it; its router. */
  private static InternalRouter router(List<Route> routes, boolean indexed) {
    Javalin app = Javalin.create(config -> {
      if (indexed) {
        config.unsafe.internalRouter = new IndexedRouter(config.unsafe);
      }
      config.routes.before(ctx -> {});
      config.routes.before("/api/*", ctx -> {});
      for (Route r : routes) {
        boolean root = r.path().equals("/health") || r.path().startsWith("/health/") || r.path().equals("/openapi.json")
            || !r.path().startsWith("/") || r.path().equals("/metrics") || r.path().equals("/mcp");
        List<String> full = new ArrayList<>();
        if (root) {
          full.add(r.path());
        }
        for (String prefix : Api.PREFIXES) {
          full.add(prefix + r.path());
        }
        for (String p : full) {
          config.routes.addEndpoint(new Endpoint(HandlerType.findOrCreate(r.method()), p, ctx -> {}));
        }
      }
      config.routes.after(ctx -> {});
    });
    return app.unsafe.internalRouter;
  }

  private static String describe(ParsedEndpoint e) {
    return e == null ? "none" : e.endpoint.method + " " + e.endpoint.path;
  }

  private static List<String> describeAll(List<ParsedEndpoint> all) {
    return all.stream().map(IndexedRouterTest::describe).toList();
  }
}

package dev.delega.server.http;

import dev.delega.api.Health;
import dev.delega.api.Usage;
import dev.delega.server.ServerConfig;
import dev.delega.server.Version;
import dev.delega.server.agent.Agents;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.project.Projects;
import dev.delega.server.task.TaskContext;
import dev.delega.server.task.Tasks;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on virtual threads with the gate in front, every feature's routes under
 * {@code /api} and {@code /v1}, health and the OpenAPI document, and the single error mapper.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  private static final long IDLE_CLOSE_MILLIS = 100;

  private final Javalin app;
  private final List<Route> routes;
  private final GracefulHandler graceful = new GracefulHandler();
  private final List<AutoCloseable> streams;
  private final int graceMillis;

  /** Everything the routes need; extra features register through {@code extensions}. */
  public record Parts(
      ServerConfig config,
      Clock clock,
      Agents agents,
      Tasks tasks,
      TaskContext context,
      Projects projects,
      DuplicateCheck duplicates,
      List<Consumer<Api>> extensions,
      List<Consumer<JavalinConfig>> jetty,
      HealthCheck health,
      java.util.function.LongSupplier webhookCount,
      List<AutoCloseable> streams) {}

  /** Reports each component's state for {@code /health/ready}. */
  public interface HealthCheck {
    Map<String, Object> components();
  }

  public HttpServer(Parts parts) {
    List<Route> registered = new ArrayList<>();
    this.streams = List.copyOf(parts.streams());
    this.graceMillis = parts.config().shutdownGraceMillis();
    Gate gate = new Gate(parts.config(), parts.agents(),
        new RateLimiter(parts.clock(), parts.config().readsPerMinute(), parts.config().writesPerMinute()));
    this.app =
        Javalin.create(
            config -> {
              // Our router narrows the route candidates before Javalin's matching (see IndexedRouter).
              // It replaces the default one before anything is registered on it but Javalin's own
              // validation-exception mapper, which is added again.
              config.unsafe.internalRouter = new IndexedRouter(config.unsafe);
              io.javalin.validation.Validation.Companion.addValidationExceptionMapper(config.unsafe);
              config.concurrency.useVirtualThreads = true;
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.prefer405over404 = true;
              config.http.maxRequestSize = parts.config().maxBodyBytes();
              config.jetty.host = parts.config().host();
              config.jetty.port = parts.config().port();
              config.jetty.modifyServer(
                  server -> {
                    server.setErrorHandler(JettyErrors.server());
                    // Javalin puts its servlet context inside this wrapper; on stop, Jetty closes the
                    // connectors, answers 503 to new requests on open connections, closes idle ones
                    // after IDLE_CLOSE_MILLIS and waits for the requests in flight, at most the stop
                    // timeout (DELEGA_SHUTDOWN_GRACE_MS; 0 stops at once).
                    graceful.setShutdownIdleTimeout(IDLE_CLOSE_MILLIS);
                    server.setHandler(graceful);
                    server.setStopTimeout(graceMillis);
                  });
              config.jetty.modifyServletContextHandler(h -> h.setErrorHandler(JettyErrors.servlet()));
              config.routes.before(gate::handle);
              config.routes.exception(DelegaException.class, Errors::delega);
              config.routes.exception(HttpResponseException.class, Errors::framework);
              config.routes.exception(Exception.class, Errors::unexpected);
              Api api = new Api(config);
              registerSystem(api, parts);
              // Feature routes first: their literal paths (/tasks/ready, /tasks/claim, /tasks/dedup)
              // must win over the /tasks/{id} patterns of the core routes.
              for (Consumer<Api> ext : parts.extensions()) {
                ext.accept(api);
              }
              new AgentRoutes(parts.agents()).register(api);
              new ProjectRoutes(parts.projects()).register(api);
              new TaskRoutes(parts.tasks(), parts.context(), parts.duplicates()).register(api);
              for (Consumer<JavalinConfig> j : parts.jetty()) {
                j.accept(config);
              }
              config.routes.after(AccessLog::after);
              registered.addAll(api.routes());
              api.root("GET", "/openapi.json", "This OpenAPI document", "system", Route.Access.PUBLIC,
                  ctx -> Http.ok(ctx, OpenApi.document(registered, Version.VALUE)));
              for (String prefix : Api.PREFIXES) {
                config.routes.get(prefix + "/openapi.json", ctx -> Http.ok(ctx, OpenApi.document(registered, Version.VALUE)));
              }
            });
    this.routes = registered;
  }

  private static void registerSystem(Api api, Parts parts) {
    api.root("GET", "/health", "Liveness: cheap, no key", "system", Route.Access.PUBLIC, ctx -> health(ctx, parts));
    for (String prefix : Api.PREFIXES) {
      api.root("GET", prefix + "/health", "Liveness: cheap, no key", "system", Route.Access.PUBLIC, ctx -> health(ctx, parts));
    }
    api.root("GET", "/health/ready", "Readiness of each component (store, writer, workers)", "system", Route.Access.PUBLIC,
        ctx -> {
          Map<String, Object> components = parts.health().components();
          boolean ok = components.values().stream().allMatch(v -> v instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("ok")));
          Http.json(ctx, ok ? 200 : 503, Map.of("ok", ok, "components", components));
        });
    api.get("/stats", "Counters over the tasks the caller may see", "system",
        ctx -> {
          long[] agents = parts.agents().counts();
          Http.ok(ctx, parts.tasks().stats(Http.caller(ctx), agents[0], agents[1]));
        });
    api.get("/usage", "Plan and counts (self-hosted: no limits)", "system",
        ctx -> {
          long[] t = parts.tasks().usageCounts();
          long[] a = parts.agents().counts();
          long webhooks = parts.webhookCount().getAsLong();
          Http.ok(ctx, new Usage("self-hosted", t[0], t[1], t[1], null, null, parts.tasks().nextMonth(),
              a[0], null, webhooks, null, t[2], null,
              parts.config().rateLimitEnabled() ? (long) parts.config().readsPerMinute() : null, Tasks.MAX_CONTENT));
        });
  }

  private static void health(io.javalin.http.Context ctx, Parts parts) {
    Http.ok(ctx, new Health(true, "delega", "ok", Version.VALUE, parts.clock().instant()));
  }

  /** Starts listening; returns the bound port. */
  public int start() {
    app.start();
    return app.port();
  }

  public int port() {
    return app.port();
  }

  /** The routes registered, without prefixes. */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /** Requests being handled right now. */
  public long inFlight() {
    return graceful.getCurrentRequestCount();
  }

  /**
   * Stops gracefully: stops accepting, ends the event streams once Jetty refuses new requests (so
   * a client cannot reconnect to this node), lets the other requests in flight finish within the
   * grace period, then stops Jetty.
   */
  @Override
  public void close() {
    Thread stopper = Thread.ofPlatform().name("delega-http-stop").start(app::stop);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    try {
      while (!graceful.isShutdown() && stopper.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      for (AutoCloseable stream : streams) {
        try {
          stream.close();
        } catch (Exception e) {
          LOG.warn("could not end {}", stream, e);
        }
      }
      stopper.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
